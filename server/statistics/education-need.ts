// The education need per SUN 2020 field and län, side by side: programmes and places (the education imports),
// applicants where a file gives them and applications where an authority's table of decisions gives them (MYH), KKB
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
    applications: 'applications = applications to run a programme in the field and län in the same year as published with their decision (MYH\'s "Resultat för program", education_application), applicationsGranted = those granted, placesApplied = places applied for; null when no such table is imported for the year. An application in several kommuner ("Flera kommuner") or without a SUN code has no field and län and is not counted (applicationTable says how many are).',
    flag: `specialisedWithoutProgramme: no programme in the län, but lqEmployees, lqCompanies or lqOccupations ≥ ${LQ_SPECIALISED} (specialisedBy says which).`,
  },
  sv: {
    fields: 'En rad per län och utbildningsinriktning i data/occupations/sun-ssyk2012.csv (prefix av SUN 2020-inriktningar, projektets egen provisoriska koppling); en utbildning räknas till inriktningen med det längsta prefixet av dess SUN-kod.',
    programmes: 'utbildningar, anordnare och platser (summan av rapporterade platser; placesReported = utbildningar med uppgift om platser) i den senaste utbildningsimporten (eller ?year=), efter anordnarens län; applicants = summan av sökande till de utbildningar vars fil anger dem (kolumnen applicants/sökande, t.ex. MYH:s statistik per utbildning), null när ingen gör det, applicantsReported = hur många som gör det.',
    branch: 'företag och anställda i den närliggande KKB-branschgruppen (data/definitions/sun-kkb-groups.csv) det senaste registeråret, med lokaliseringskvot mot riket; anställda följer nyckeltalens röjandekontroll (null när uppgiften är undertryckt, employeesSuppressed sant).',
    occupations: 'personer i inriktningens yrken (SSYK 2012) det senaste året i den importerade yrkestabellen, med lokaliseringskvot: (personer / sysselsatta) / (personer_riket / sysselsatta_riket). En summa över en saknad cell (..) flaggas som i /api/key-figures/occupations.',
    applications: 'applications = ansökningar om att bedriva utbildning i inriktningen och länet samma år, som myndigheten publicerar dem med beslut (MYH:s "Resultat för program", education_application), applicationsGranted = beviljade, placesApplied = sökta platser; null när ingen sådan tabell är importerad för året. En ansökan i flera kommuner ("Flera kommuner") eller utan SUN-kod har ingen inriktning och inget län och räknas inte (applicationTable anger hur många).',
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
/** The field of a SUN code: the longest prefix in the list (one rule for programmes and applications). */
const fieldOf = (fields: Field[], sun: string) => fields.filter((f) => sun.startsWith(f.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]

export interface EducationNeedRow {
  lanCode: string; lanName: string; sunPrefix: string; sunTitle: string | null; mappingNote: string
  programmes: number; providers: number; places: number; placesReported: number
  /** applicants (sökande) of the programmes that report them; null when none does (applicantsReported = how many do) */
  applicants: number | null; applicantsReported: number
  /** applications (with their decision, MYH) in the field and län; null when no table of applications is imported for the year */
  applications: number | null; applicationsGranted: number | null; placesApplied: number | null
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

/** A row's applications: counted (0 where none) when the year has a table of applications, else unknown (null). */
function appliedFor (known: boolean, a: { n: number; granted: number; places: number } | undefined) {
  if (!known) return { applications: null, applicationsGranted: null, placesApplied: null }
  return { applications: a?.n ?? 0, applicationsGranted: a?.granted ?? 0, placesApplied: a?.places ?? 0 }
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
    const field = fieldOf(fields, p.sun)
    if (!field) continue
    const key = `${p.lan}|${field.prefix}`
    const e = edu.get(key) ?? { programmes: 0, places: 0, reported: 0, applicants: 0, applicantsReported: 0, providers: new Set<number>() }
    e.programmes += p.programmes; e.places += p.places; e.reported += p.reported; e.providers.add(p.provider)
    e.applicants += p.applicants; e.applicantsReported += p.applicantsReported
    edu.set(key, e)
  }
  // applications as the authority publishes its decisions: placed by their kommun's län, in the field of their SUN code
  const { rows: apps } = await db.query<{ lan: string | null; sun: string | null; n: number; granted: number; places: number }>(`
    SELECT k.lan_code AS lan, a.sun_code AS sun, count(*)::int AS n, count(*) FILTER (WHERE a.decision = 'granted')::int AS granted,
      coalesce(sum(a.places_applied), 0)::int AS places
    FROM education_application a LEFT JOIN kommun k ON k.code = a.kommun_code WHERE a.ref_year = $1 GROUP BY 1, 2`, [eduYear ?? -1])
  const applications = new Map<string, { n: number; granted: number; places: number }>()
  const applicationTable = apps.length ? { year: eduYear, total: 0, counted: 0 } : null
  for (const a of apps) {
    applicationTable!.total += a.n
    const field = a.sun ? fieldOf(fields, a.sun) : undefined
    if (!a.lan || !field) continue
    applicationTable!.counted += a.n
    const key = `${a.lan}|${field.prefix}`
    const e = applications.get(key) ?? { n: 0, granted: 0, places: 0 }
    e.n += a.n; e.granted += a.granted; e.places += a.places
    applications.set(key, e)
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
        ...appliedFor(applicationTable !== null, applications.get(`${l.code}|${f.prefix}`)),
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
    definition: kf.definition, occupationTable: occ?.table ?? null, applicationTable, threshold: LQ_SPECIALISED, provisional: true,
    method: EDUCATION_NEED_TEXT, rows,
  }
}
export type EducationNeedResult = Awaited<ReturnType<typeof educationNeed>>
