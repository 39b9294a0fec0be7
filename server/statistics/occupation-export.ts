// The occupation figures as a flat table for the shared writers (server/keyfigures/export.ts): one row per region,
// year and group (total, each sex, each age group, each occupation of the list), the same CSV/XLSX/JSON-stat as the
// key figures. A value with nothing known behind it is written ".."; missingCells says how many cells a sum lacks.
import { tableToCsv, tableToJsonStat, tableToXlsx, type ExportTable } from '../keyfigures/export.js'
import { OCCUPATION_METHOD, type GroupFigures, type OccupationResult, type OccupationRow } from './occupations.js'

type Flat = GroupFigures & { row: OccupationRow }
const GROUP_NAMES: Record<GroupFigures['group'], string> = { total: 'totalt', sex: 'kön', age: 'ålder', occupation: 'yrke' }

function flatten (res: OccupationResult): Flat[] {
  const out: Flat[] = []
  for (const r of res.rows) {
    out.push({ ...r, group: 'total', code: 'total', label: 'Totalt', row: r })
    for (const g of [...r.bySex, ...r.byAge, ...r.byOccupation]) out.push({ ...g, row: r })
  }
  return out
}

const missing = (key: keyof GroupFigures['flags']) => (g: Flat) => g.flags[key] === 'missing'

export function occupationTable (res: OccupationResult): ExportTable<Flat> {
  return {
    ids: [
      { key: 'year', label: 'År', get: (g) => g.row.year }, { key: 'regionCode', label: 'Regionkod', get: (g) => g.row.regionCode },
      { key: 'regionName', label: 'Region', get: (g) => g.row.regionName }, { key: 'group', label: 'Grupp', get: (g) => GROUP_NAMES[g.group] },
      { key: 'groupCode', label: 'Gruppkod', get: (g) => g.code }, { key: 'groupName', label: 'Gruppnamn', get: (g) => g.label },
    ],
    measures: [
      { key: 'employed', label: 'Sysselsatta, alla yrken', unit: 'personer', get: (g) => g.employed, suppressed: missing('employed') },
      { key: 'kkOccupations', label: 'Kulturella och kreativa yrken', unit: 'personer', get: (g) => g.kkOccupations, suppressed: missing('kkOccupations') },
      { key: 'share', label: 'Andel av de sysselsatta', unit: 'kvot', get: (g) => g.share, suppressed: missing('share') },
      { key: 'per10k', label: 'Per 10 000 invånare', unit: 'antal', get: (g) => g.per10k, suppressed: missing('per10k') },
      { key: 'lq', label: 'Lokaliseringskvot', unit: 'kvot', get: (g) => g.lq, suppressed: missing('lq') },
      { key: 'change', label: 'Förändring', unit: 'personer', get: (g) => g.change, suppressed: missing('change') },
      { key: 'changePct', label: 'Förändring', unit: 'procent', get: (g) => g.changePct, suppressed: missing('change') },
      { key: 'missingCells', label: 'Saknade celler (..) i summan', unit: 'antal', get: (g) => g.missingCells },
    ],
    rows: flatten(res),
  }
}

const describe = (res: OccupationResult) => `${res.table.title} (${res.table.source}${res.table.updated ? `, uppdaterad ${res.table.updated.slice(0, 10)}` : ''})`

export const occupationCsv = (res: OccupationResult, locale: 'sv' | 'en') => tableToCsv(occupationTable(res), locale)

export function occupationXlsx (res: OccupationResult, generatedAt: string) {
  return tableToXlsx(occupationTable(res), {
    sheet: 'Yrken', generatedAt,
    metadata: [
      ['Tabell', `${res.table.title} (${res.table.id})`], ['Källa', res.table.source], ['Uppdaterad', res.table.updated ?? ''],
      ['Enhet', res.table.unit ?? ''], ['Tabellinnehåll', res.table.contents?.label ?? ''],
      ['Vad räknas', OCCUPATION_METHOD.sv.counts],
      ['Yrkeslista', `${res.occupationList.name} (${res.occupationList.id}, version ${res.occupationList.version})`],
      ['Regionnivå', res.level], ['År', res.years.join(', ')], ['Kön', res.sex ?? 'totalt'],
      ['Saknat värde', OCCUPATION_METHOD.sv.missing], ['Regioner', OCCUPATION_METHOD.sv.regions], ['Skapad', generatedAt],
    ],
    appendix: { header: ['SSYK 2012', 'Yrke'], rows: res.occupationList.codes.map((c) => [c.code, c.name]) },
  })
}

export function occupationJsonStat (res: OccupationResult, generatedAt: string) {
  return tableToJsonStat(occupationTable(res), {
    label: `Kulturella och kreativa yrken per ${res.level}: ${res.table.title}`, source: describe(res), updated: generatedAt,
    dims: [
      { id: 'year', label: 'År', code: (g) => String(g.row.year), name: (g) => String(g.row.year) },
      { id: 'region', label: 'Region', code: (g) => g.row.regionCode, name: (g) => g.row.regionName },
      { id: 'group', label: 'Grupp', code: (g) => `${g.group}:${g.code}`, name: (g) => g.label },
    ],
    role: { time: ['year'], geo: ['region'] },
    extension: { table: res.table, occupationList: res.occupationList, sex: res.sex },
    note: [OCCUPATION_METHOD.en.counts, OCCUPATION_METHOD.en.missing],
  })
}
