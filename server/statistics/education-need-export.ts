// The education need as a file: one row per län and SUN field, the same CSV dialect (sv/en) and XLSX (data +
// metadata) and JSON-stat 2.0 (län × SUN field × measure) as every key-figure export. A value withheld by the key
// figures' disclosure control, or a people sum with no known cell behind it, is written ".." (as SCB does: status ".."
// in JSON-stat); a value the sources do not give at all stays empty (null, no status).
import { tableToCsv, tableToJsonStat, tableToXlsx, type ExportTable } from '../keyfigures/export.js'
import type { CsvLocale } from '../csv/write.js'
import { EDUCATION_NEED_TEXT, type EducationNeedResult, type EducationNeedRow } from './education-need.js'

const yesNo = (b: boolean) => (b ? 'ja' : 'nej')

export function educationNeedTable (res: EducationNeedResult): ExportTable<EducationNeedRow> {
  return {
    ids: [
      { key: 'lanCode', label: 'Länskod', get: (r) => r.lanCode }, { key: 'lanName', label: 'Län', get: (r) => r.lanName },
      { key: 'sunPrefix', label: 'SUN-inriktning', get: (r) => r.sunPrefix }, { key: 'sunTitle', label: 'Utbildningsinriktning', get: (r) => r.sunTitle },
      { key: 'relatedGroup', label: 'Närliggande branschgrupp', get: (r) => (r.relatedGroup ? `${r.relatedGroup} ${r.relatedGroupName ?? ''}`.trim() : null) },
      { key: 'occupations', label: 'Närliggande yrken (SSYK 2012)', get: (r) => r.occupations.join(' ') },
      { key: 'specialisedWithoutProgramme', label: 'Stark specialisering utan utbildning', get: (r) => yesNo(r.specialisedWithoutProgramme) },
      { key: 'specialisedBy', label: 'Specialisering enligt', get: (r) => r.specialisedBy.join(' ') },
    ],
    measures: [
      { key: 'programmes', label: 'Utbildningar', unit: 'antal', get: (r) => r.programmes },
      { key: 'providers', label: 'Utbildningsanordnare', unit: 'antal', get: (r) => r.providers },
      { key: 'places', label: 'Platser', unit: 'antal', get: (r) => r.places },
      { key: 'placesReported', label: 'Utbildningar med uppgift om platser', unit: 'antal', get: (r) => r.placesReported },
      { key: 'applicants', label: 'Sökande', unit: 'personer', get: (r) => r.applicants },
      { key: 'applicantsReported', label: 'Utbildningar med uppgift om sökande', unit: 'antal', get: (r) => r.applicantsReported },
      { key: 'applications', label: 'Ansökningar om att bedriva utbildning', unit: 'antal', get: (r) => r.applications },
      { key: 'applicationsGranted', label: 'Beviljade ansökningar', unit: 'antal', get: (r) => r.applicationsGranted },
      { key: 'placesApplied', label: 'Sökta platser', unit: 'antal', get: (r) => r.placesApplied },
      { key: 'companies', label: 'KKB-företag i branschgruppen', unit: 'antal', get: (r) => r.companies },
      { key: 'employees', label: 'Anställda i branschgruppen', unit: 'personer', get: (r) => r.employees, suppressed: (r) => r.employeesSuppressed },
      { key: 'lqCompanies', label: 'Lokaliseringskvot, företag', unit: 'kvot', get: (r) => r.lqCompanies },
      { key: 'lqEmployees', label: 'Lokaliseringskvot, anställda', unit: 'kvot', get: (r) => r.lqEmployees, suppressed: (r) => r.employeesSuppressed },
      { key: 'people', label: 'Personer i de närliggande yrkena', unit: 'personer', get: (r) => r.people, suppressed: (r) => r.peopleFlag === 'missing' },
      { key: 'lqOccupations', label: 'Lokaliseringskvot, yrken', unit: 'kvot', get: (r) => r.lqOccupations, suppressed: (r) => r.peopleFlag === 'missing' },
    ],
    rows: res.rows,
  }
}

export const educationNeedCsv = (res: EducationNeedResult, locale: CsvLocale) => tableToCsv(educationNeedTable(res), locale)

export function educationNeedXlsx (res: EducationNeedResult, generatedAt: string) {
  const occ = res.occupationTable
  return tableToXlsx(educationNeedTable(res), {
    sheet: 'Utbildningsbehov', generatedAt,
    metadata: [
      ['Utbildningsår', String(res.years.education ?? '')], ['Registerår (företag)', String(res.years.companies ?? '')],
      ['Definition', `${res.definition.name} (${res.definition.id}, version ${res.definition.version})`],
      ['Yrkestabell', occ ? `${occ.title} (${occ.id}, ${occ.source}), år ${res.years.occupations ?? ''}` : 'Ingen yrkestabell importerad'],
      ['Tröskel för stark specialisering', `lokaliseringskvot ≥ ${res.threshold}`],
      ['Utbildningsinriktningar', EDUCATION_NEED_TEXT.sv.fields], ['Utbildningar', EDUCATION_NEED_TEXT.sv.programmes],
      ['Ansökningar', EDUCATION_NEED_TEXT.sv.applications],
      ['Ansökningstabell', res.applicationTable
        ? `år ${res.applicationTable.year}: ${res.applicationTable.counted} av ${res.applicationTable.total} ansökningar med län och SUN-inriktning`
        : 'Ingen tabell över ansökningar importerad för året'],
      ['Branschgrupp', EDUCATION_NEED_TEXT.sv.branch], ['Yrken', EDUCATION_NEED_TEXT.sv.occupations], ['Flagga', EDUCATION_NEED_TEXT.sv.flag],
      ['Syntetiska data', res.synthetic ? 'Ja – DEMODATA' : 'Nej'],
      ['Saknat värde', '".." = undertryckt (röjandekontroll) eller ingen känd cell i yrkestabellen; tomt = källan saknar uppgiften'],
      ['Provisorisk', 'Kopplingen mellan SUN-inriktningar, branschgrupper och yrken är projektets egen, provisorisk'],
      ['Skapad', generatedAt],
    ],
  })
}

/** JSON-stat 2.0: dimensions lan (role geo) × field (SUN prefix) × measure (role metric), in the order of the JSON rows
 *  and the CSV columns. The flag and its reasons are not numbers: they go in extension, keyed "län|field". The years
 *  differ per source (education, register, occupation table), so they are named in extension.years, not as a dimension. */
export function educationNeedJsonStat (res: EducationNeedResult, generatedAt: string) {
  const occ = res.occupationTable
  const key = (r: EducationNeedRow) => `${r.lanCode}|${r.sunPrefix}`
  return tableToJsonStat(educationNeedTable(res), {
    label: `Utbildningsbehov per län och utbildningsinriktning${res.years.education ? `, utbildningsår ${res.years.education}` : ''}${res.synthetic ? ' (DEMODATA)' : ''}`,
    source: ['Utbildningsimporterna', `KKB-registret (${res.definition.name})`, occ ? `${occ.title} (${occ.source})` : null].filter(Boolean).join('; '),
    updated: generatedAt,
    dims: [
      { id: 'lan', label: 'Län', code: (r) => r.lanCode, name: (r) => r.lanName },
      { id: 'field', label: 'Utbildningsinriktning (SUN 2020)', code: (r) => r.sunPrefix, name: (r) => r.sunTitle ?? r.sunPrefix },
    ],
    role: { geo: ['lan'] },
    extension: {
      years: res.years, definition: res.definition, occupationTable: occ, threshold: res.threshold, provisional: res.provisional,
      synthetic: res.synthetic,
      relatedGroup: Object.fromEntries(res.rows.map((r) => [key(r), r.relatedGroup])),
      occupations: Object.fromEntries(res.rows.map((r) => [key(r), r.occupations])),
      specialisedBy: Object.fromEntries(res.rows.filter((r) => r.specialisedBy.length).map((r) => [key(r), r.specialisedBy])),
      specialisedWithoutProgramme: res.rows.filter((r) => r.specialisedWithoutProgramme).map(key),
    },
    note: [...Object.values(EDUCATION_NEED_TEXT.en), '".." = withheld by disclosure control, or no known cell in the occupation table; null without status = not given by the sources'],
  })
}
