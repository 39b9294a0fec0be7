// The education need per SUN 2020 field and län, side by side: programmes and places (the education imports), KKB
// firms and employees in the related branch group (data/definitions/sun-kkb-groups.csv), people in the related
// occupations (data/occupations/sun-ssyk2012.csv, provisional) from the imported occupation table, and a flag where
// the län is strongly specialised in the field (LQ ≥ 1.25 in the branch or in the occupations) but has no programme.
import type { DbHandle } from '../db/client.js'
import { relatedGroup } from '../keyfigures/education.js'
import { computeKeyFigures } from '../keyfigures/compute.js'
import type { SuppressionRule } from '../keyfigures/formulas.js'
import { locationQuotient, shareOf } from '../keyfigures/formulas.js'
import { readDataCsv } from '../reference/csv-file.js'
import { dataInfo } from '../meta/data-info.js'
import { computeOccupationFigures, type CellFlag, type GroupFigures } from './occupations.js'

/** "Strong regional specialisation": the usual threshold for a location quotient. */
export const LQ_SPECIALISED = 1.25

export const EDUCATION_NEED_TEXT = {
  en: {
    fields: 'One row per län and education field of data/occupations/sun-ssyk2012.csv (SUN 2020 inriktning prefixes, our own provisional tagging); a programme counts in the field with the longest prefix of its SUN code.',
    programmes: 'programmes, providers and places (sum of reported places; placesReported = programmes reporting places) of the latest education import (or ?year=), by the provider\'s län; applicants = sum of the applicants (sökande) of the programmes whose file gives them (column applicants/sökande, e.g. MYH\'s statistics per programme), null when none does, applicantsReported = how many do.',
    branch: 'companies and employees of the related KKB branch group (data/definitions/sun-kkb-groups.csv) in the latest register year, with their LQ against riket; employees follow the key figures\' suppression (null when suppressed, employeesSuppressed true).',
    occupations: 'people in the field\'s occupations (SSYK 2012) in the latest year of the imported occupation table, with their LQ: (people / employed) / (people_riket / employed_riket). A sum over a missing (..) cell is flagged as in /api/key-figures/occupations.',
    flag: `specialisedWithoutProgramme: no programme in the län, but lqEmployees, lqCompanies or lqOccupations ≥ ${LQ_SPECIALISED} (specialisedBy says which).`,
  },
  sv: {
    fields: 'En rad per län och utbildningsinriktning i data/occupations/sun-ssyk2012.csv (prefix av SUN 2020-inriktningar, projektets egen provisoriska koppling); en utbildning räknas till inriktningen med det längsta prefixet av dess SUN-kod.',
    programmes: 'utbildningar, anordnare och platser (summan av rapporterade platser; placesReported = utbildningar med uppgift om platser) i den senaste utbildningsimporten (eller ?year=), efter anordnarens län; applicants = summan av sökande till de utbildningar vars fil anger dem (kolumnen applicants/sökande, t.ex. MYH:s statistik per utbildning), null när ingen gör det, applicantsReported = hur många som gör det.',
    branch: 'företag och anställda i den närliggande KKB-branschgruppen (data/definitions/sun-kkb-groups.csv) det senaste registeråret, med lokaliseringskvot mot riket; anställda följer nyckeltalens röjandekontroll (null när uppgiften är undertryckt, employeesSuppressed sant).',
    occupations: 'personer i inriktningens yrken (SSYK 2012) det senaste året i den importerade yrkestabellen, med lokaliseringskvot: (personer / sysselsatta) / (personer_riket / sysselsatta_riket). En summa över en saknad cell (..) flaggas som i /api/key-figures/occupations.',
    flag: `specialisedWithoutProgramme: ingen utbildning i länet, men lqEmployees, lqCompanies eller lqOccupations ≥ ${LQ_SPECIALISED} (specialisedBy anger vilken).`,
  },
} as const

interface Field { prefix: string; ssyk: string[]; note: string }
let fieldsCache: Field[] | undefined
export function educationFields (): Field[] {
  fieldsCache ??= readDataCsv<{ sun_prefix: string; ssyk_codes: string; note: string }>('occupations/sun-ssyk2012.csv')
    .map((r) => ({ prefix: r.sun_prefix, ssyk: r.ssyk_codes.split(/\s+/).filter(Boolean), note: r.note }))
  return fieldsCache
}

export interface EducationNeedRow {
  lanCode: string; lanName: string; sunPrefix: string; sunTitle: string | null; mappingNote: string
  programmes: number; providers: number; places: number; placesReported: number
  /** applicants (sökande) of the programmes that report them; null when none does (applicantsReported = how many do) */
  applicants: number | null; applicantsReported: number
  relatedGroup: string | null; relatedGroupName: string | null
  companies: number | null; employees: number | null; employeesSuppressed: boolean; lqCompanies: number | null; lqEmployees: number | null
  occupations: string[]; people: number | null; peopleFlag: CellFlag; lqOccupations: number | null
  /** the LQs ≥ the threshold (lqEmployees, lqCompanies, lqOccupations) */
  specialisedBy: string[]; specialisedWithoutProgramme: boolean
}

function sumPeople (groups: GroupFigures[], codes: string[]): { people: number | null; flag: CellFlag; employed: number | null } {
  let sum = 0; let known = false; let flag: CellFlag = null
  for (const g of groups.filter((x) => codes.includes(x.code))) {
    if (g.kkOccupations !== null) { sum += g.kkOccupations; known = true }
    if (g.flags.kkOccupations === 'missing' || g.flags.kkOccupations === 'includes-missing') flag = 'includes-missing'
  }
  return { people: known ? sum : null, flag: known ? flag : 'missing', employed: groups[0]?.employed ?? null }
}

export async function educationNeed (db: DbHandle, q: { lan?: string[]; year?: number; definition?: string; table?: string }, rule: SuppressionRule) {
  const fields = educationFields()
  const eduYear = q.year ?? (await db.query<{ y: number | null }>('SELECT max(ref_year) AS y FROM education_provider')).rows[0].y
  const { rows: progs } = await db.query<{ lan: string; sun: string; provider: number; programmes: number; places: number; reported: number
    applicants: number; applicantsReported: number }>(`
    SELECT p.lan_code AS lan, pr.sun_code AS sun, p.id AS provider, count(*)::int AS programmes,
      coalesce(sum(pr.places), 0)::int AS places, count(pr.places)::int AS reported,
      coalesce(sum(pr.applicants), 0)::int AS applicants, count(pr.applicants)::int AS "applicantsReported"
    FROM education_provider p JOIN education_programme pr ON pr.provider_id = p.id
    WHERE p.ref_year = $1 AND pr.sun_code IS NOT NULL AND p.lan_code IS NOT NULL GROUP BY 1, 2, 3`, [eduYear ?? -1])
  type Edu = { programmes: number; places: number; reported: number; applicants: number; applicantsReported: number; providers: Set<number> }
  const edu = new Map<string, Edu>()
  for (const p of progs) {
    const field = fields.filter((f) => p.sun.startsWith(f.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]
    if (!field) continue
    const key = `${p.lan}|${field.prefix}`
    const e = edu.get(key) ?? { programmes: 0, places: 0, reported: 0, applicants: 0, applicantsReported: 0, providers: new Set<number>() }
    e.programmes += p.programmes; e.places += p.places; e.reported += p.reported; e.providers.add(p.provider)
    e.applicants += p.applicants; e.applicantsReported += p.applicantsReported
    edu.set(key, e)
  }
  const kf = await computeKeyFigures(db, { definition: q.definition, level: 'lan', branch: ['group'], years: 'latest' }, rule)
  const firms = new Map(kf.rows.map((r) => [`${r.regionCode}|${r.branchCode}`, r]))
  // people: only when an occupation table is imported (the firms and programmes stand without it)
  const occ = await computeOccupationFigures(db, { level: 'lan', table: q.table }).catch((e: { statusCode?: number }) => {
    if (e.statusCode === 404 && !q.table) return null
    throw e
  })
  const occRiket = occ ? await computeOccupationFigures(db, { level: 'riket', table: occ.table.id, years: occ.years }) : null
  const riketGroups = occRiket?.rows[0]?.byOccupation ?? []
  const people = new Map(occ?.rows.map((r) => [r.regionCode, r.byOccupation]))
  const { rows: lans } = await db.query<{ code: string; name: string }>('SELECT code, name FROM lan ORDER BY code')
  const { rows: titles } = await db.query<{ code: string; title: string }>('SELECT code, title_sv AS title FROM sun_field WHERE code = ANY($1::text[])',
    [fields.map((f) => f.prefix)])
  const title = new Map(titles.map((t) => [t.code, t.title]))

  const rows: EducationNeedRow[] = []
  for (const l of lans) {
    if (q.lan?.length && !q.lan.includes(l.code)) continue
    for (const f of fields) {
      const e = edu.get(`${l.code}|${f.prefix}`)
      const group = relatedGroup(kf.definition.id, f.prefix)
      const firm = group ? firms.get(`${l.code}|${group}`) : undefined
      const here = sumPeople(people.get(l.code) ?? [], f.ssyk)
      const riket = sumPeople(riketGroups, f.ssyk)
      const lqOccupations = occ ? locationQuotient(shareOf(here.people, here.employed), shareOf(riket.people, riket.employed)) : null
      const reasons = ([['lqEmployees', firm?.lqEmployees], ['lqCompanies', firm?.lqCompanies], ['lqOccupations', lqOccupations]] as Array<[string, number | null | undefined]>)
        .filter(([, v]) => v !== null && v !== undefined && v >= LQ_SPECIALISED).map(([k]) => k)
      const programmes = e?.programmes ?? 0
      rows.push({
        lanCode: l.code, lanName: l.name, sunPrefix: f.prefix, sunTitle: title.get(f.prefix) ?? null, mappingNote: f.note,
        programmes, providers: e?.providers.size ?? 0, places: e?.places ?? 0, placesReported: e?.reported ?? 0,
        applicants: e?.applicantsReported ? e.applicants : null, applicantsReported: e?.applicantsReported ?? 0,
        relatedGroup: group, relatedGroupName: firm?.branchName ?? null,
        companies: firm?.companies ?? null, employees: firm?.employees ?? null, employeesSuppressed: !!firm?.suppressed.employees,
        lqCompanies: firm?.lqCompanies ?? null, lqEmployees: firm?.lqEmployees ?? null,
        occupations: f.ssyk, people: occ ? here.people : null, peopleFlag: occ ? here.flag : null, lqOccupations,
        specialisedBy: reasons, specialisedWithoutProgramme: programmes === 0 && reasons.length > 0,
      })
    }
  }
  return {
    synthetic: (await dataInfo(db)).synthetic,
    years: { education: eduYear, companies: kf.years[0] ?? null, occupations: occ?.years[0] ?? null },
    definition: kf.definition, occupationTable: occ?.table ?? null, threshold: LQ_SPECIALISED, provisional: true,
    method: EDUCATION_NEED_TEXT, rows,
  }
}
export type EducationNeedResult = Awaited<ReturnType<typeof educationNeed>>
