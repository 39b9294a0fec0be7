// Key figures per definition × region × branch × year, from the precomputed cells (kf_company_cell, kf_workplace_cell).
// The regions of a level are computed together (cheap: a few thousand cells), because LQ needs riket and secondary
// suppression needs the siblings; for requested regions only their parents' children are computed, then filtered.
import type { DbHandle } from '../db/client.js'
import { badRequest, notFound } from '../errors.js'
import { resolveDefinition, type DefinitionSummary } from '../definitions/queries.js'
import {
  change, changePct, locationQuotient, per10k, primarySuppression, shareOf, type SuppressionFlag, type SuppressionRule, type Sums,
} from './formulas.js'

export type RegionLevel = 'kommun' | 'lan' | 'riket' | 'custom'
export type BranchLevel = 'total' | 'group' | 'category' | 'all'
export const RIKET = { code: 'SE', name: 'Riket' }

export interface KeyFigureRow {
  year: number; regionLevel: RegionLevel; regionCode: string; regionName: string; parentCode: string | null
  branchLevel: BranchLevel; branchCode: string; branchName: string
  companies: number; companiesAll: number; shareCompanies: number | null; lqCompanies: number | null
  workplaces: number | null
  employees: number | null; employeesAll: number | null; shareEmployees: number | null; lqEmployees: number | null
  employeesCoverage: number; employeesEstimated: number
  turnover: number | null; turnoverCoverage: number; valueAdded: number | null; valueAddedCoverage: number
  population: number | null; populationYear: number | null; per10k: number | null
  companiesChange: number | null; companiesChangePct: number | null
  suppressed: { employees: SuppressionFlag; turnover: SuppressionFlag; valueAdded: SuppressionFlag; shareEmployees: SuppressionFlag; lqEmployees: SuppressionFlag }
}

export interface KeyFigureQuery {
  definition?: string
  level: RegionLevel
  regions?: string[]
  branch: BranchLevel[]
  /** branch codes to keep (group/category codes, 'total', 'all'); empty = all of the chosen levels */
  codes?: string[]
  years?: number[] | 'all' | 'latest'
}

export interface KeyFigureResult {
  definition: DefinitionSummary
  years: number[]
  level: RegionLevel
  rows: KeyFigureRow[]
  allYears: number[]
}

interface BaseCell extends Sums { year: number; kommun: string; level: BranchLevel; code: string; workplaces: number }

const EMPTY = (): Sums & { workplaces: number } => ({ companies: 0, employees: 0, employeesN: 0, employeesExactN: 0, employeesMax: 0,
  turnover: 0, turnoverN: 0, turnoverMax: 0, valueAdded: 0, valueAddedN: 0, valueAddedMax: 0, workplaces: 0 })

function add (a: Sums & { workplaces: number }, b: Sums & { workplaces: number }) {
  a.companies += b.companies; a.employees += b.employees; a.employeesN += b.employeesN; a.employeesExactN += b.employeesExactN
  a.employeesMax = Math.max(a.employeesMax, b.employeesMax); a.turnover += b.turnover; a.turnoverN += b.turnoverN
  a.turnoverMax = Math.max(a.turnoverMax, b.turnoverMax); a.valueAdded += b.valueAdded; a.valueAddedN += b.valueAddedN
  a.valueAddedMax = Math.max(a.valueAddedMax, b.valueAddedMax); a.workplaces += b.workplaces
}

/** Sums per (year, kommun, branch) for one definition: KKB total, groups, categories, and the whole economy. */
async function baseCells (db: DbHandle, definitionId: string, years: number[]): Promise<BaseCell[]> {
  const { rows } = await db.query<BaseCell>(`
    WITH map AS (
      SELECT s.sni_version, s.sni_code, s.share, c.code AS category, c.group_code AS grp
      FROM kkb_sni s JOIN kkb_category c ON c.definition_id = s.definition_id AND c.code = s.category_code
      WHERE s.definition_id = $1),
    kkb AS (
      SELECT x.ref_year, x.kommun_code, b.level, b.code, x.companies * m.share AS companies, x.employees * m.share AS employees,
        x.employees_n, x.employees_exact_n, x.employees_max * m.share AS employees_max, x.turnover * m.share AS turnover, x.turnover_n,
        x.turnover_max * m.share AS turnover_max, x.value_added * m.share AS value_added, x.value_added_n,
        x.value_added_max * m.share AS value_added_max, 0 AS workplaces
      FROM kf_company_cell x JOIN map m ON m.sni_version = x.sni_version AND m.sni_code = x.sni_code
      CROSS JOIN LATERAL (VALUES ('total'::text, 'total'::text), ('group', m.grp), ('category', m.category)) b(level, code)
      WHERE x.ref_year = ANY($2::int[])
      UNION ALL
      SELECT x.ref_year, x.kommun_code, b.level, b.code, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, x.workplaces * m.share
      FROM kf_workplace_cell x JOIN map m ON m.sni_version = x.sni_version AND m.sni_code = x.sni_code
      CROSS JOIN LATERAL (VALUES ('total'::text, 'total'::text), ('group', m.grp), ('category', m.category)) b(level, code)
      WHERE x.ref_year = ANY($2::int[])
      UNION ALL
      SELECT ref_year, kommun_code, 'all', 'all', companies, employees, employees_n, employees_exact_n, employees_max, turnover,
        turnover_n, turnover_max, value_added, value_added_n, value_added_max, 0 FROM kf_company_cell WHERE ref_year = ANY($2::int[])
      UNION ALL
      SELECT ref_year, kommun_code, 'all', 'all', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, workplaces FROM kf_workplace_cell WHERE ref_year = ANY($2::int[]))
    SELECT ref_year AS year, kommun_code AS kommun, level, code,
      sum(companies)::float8 AS companies, sum(employees)::float8 AS employees, sum(employees_n)::float8 AS "employeesN",
      sum(employees_exact_n)::float8 AS "employeesExactN", coalesce(max(employees_max), 0)::float8 AS "employeesMax",
      sum(turnover)::float8 AS turnover, sum(turnover_n)::float8 AS "turnoverN", coalesce(max(turnover_max), 0)::float8 AS "turnoverMax",
      sum(value_added)::float8 AS "valueAdded", sum(value_added_n)::float8 AS "valueAddedN",
      coalesce(max(value_added_max), 0)::float8 AS "valueAddedMax", sum(workplaces)::float8 AS workplaces
    FROM kkb GROUP BY 1, 2, 3, 4`, [definitionId, years])
  return rows
}

interface RegionInfo { code: string; name: string; parent: string | null; kommuner: string[] }
interface Geography { regions: Record<RegionLevel, RegionInfo[]>; population: Map<string, Array<{ year: number; population: number }>>; kommunLan: Map<string, string> }

async function geography (db: DbHandle): Promise<Geography> {
  const { rows: k } = await db.query<{ code: string; name: string; lan: string }>('SELECT code, name, lan_code AS lan FROM kommun ORDER BY code')
  const { rows: l } = await db.query<{ code: string; name: string }>('SELECT code, name FROM lan ORDER BY code')
  const { rows: s } = await db.query<{ code: string; name: string; level: string; region: string }>(
    'SELECT s.code, s.name, m.level, m.region_code AS region FROM region_set s JOIN region_set_member m ON m.set_code = s.code ORDER BY s.code')
  const { rows: p } = await db.query<{ kommun: string; year: number; population: number }>(
    'SELECT kommun_code AS kommun, year, population FROM population ORDER BY year')
  const kommunLan = new Map(k.map((x) => [x.code, x.lan]))
  const custom = new Map<string, RegionInfo>()
  for (const r of s) {
    if (!custom.has(r.code)) custom.set(r.code, { code: r.code, name: r.name, parent: null, kommuner: [] })
    const kk = r.level === 'lan' ? k.filter((x) => x.lan === r.region).map((x) => x.code) : [r.region]
    custom.get(r.code)!.kommuner.push(...kk)
  }
  const population = new Map<string, Array<{ year: number; population: number }>>()
  for (const r of p) {
    if (!population.has(r.kommun)) population.set(r.kommun, [])
    population.get(r.kommun)!.push({ year: r.year, population: r.population })
  }
  return {
    kommunLan,
    population,
    regions: {
      kommun: k.map((x) => ({ code: x.code, name: x.name, parent: x.lan, kommuner: [x.code] })),
      lan: l.map((x) => ({ code: x.code, name: x.name, parent: RIKET.code, kommuner: k.filter((y) => y.lan === x.code).map((y) => y.code) })),
      // riket includes the companies that could not be placed in any kommun (kommun code '')
      riket: [{ code: RIKET.code, name: RIKET.name, parent: null, kommuner: [...k.map((x) => x.code), ''] }],
      custom: [...custom.values()],
    },
  }
}

function populationOf (g: Geography, kommuner: string[], year: number): { population: number | null; year: number | null } {
  let total = 0; let any = false; let used: number | null = null
  for (const k of kommuner) {
    const series = g.population.get(k)
    if (!series) continue
    let best: { year: number; population: number } | undefined
    for (const p of series) if (p.year <= year) best = p
    if (!best) continue
    total += best.population; any = true; used = used === null ? best.year : Math.max(used, best.year)
  }
  return any ? { population: total, year: used } : { population: null, year: null }
}

async function branchNames (db: DbHandle, definitionId: string): Promise<Map<string, string>> {
  const names = new Map<string, string>([['total:total', 'KKB totalt'], ['all:all', 'Alla företag (hela näringslivet)']])
  const { rows: g } = await db.query<{ code: string; name: string }>('SELECT code, name FROM kkb_group WHERE definition_id = $1 ORDER BY sort', [definitionId])
  const { rows: c } = await db.query<{ code: string; name: string }>('SELECT code, name FROM kkb_category WHERE definition_id = $1 ORDER BY sort', [definitionId])
  for (const x of g) names.set(`group:${x.code}`, x.name)
  for (const x of c) names.set(`category:${x.code}`, x.name)
  return names
}

/**
 * The reference years of a key-figure cell table, ascending. A loose index scan (one primary-key probe per year)
 * instead of DISTINCT over every cell: ~1 ms instead of ~150 ms at register scale, and it runs on every new data version.
 */
export async function cellYears (db: DbHandle, table: 'kf_company_cell' | 'kf_workplace_cell'): Promise<number[]> {
  const { rows } = await db.query<{ y: number }>(`WITH RECURSIVE y AS (
      SELECT min(ref_year) AS y FROM ${table}
      UNION ALL
      SELECT (SELECT min(ref_year) FROM ${table} WHERE ref_year > y.y) FROM y WHERE y.y IS NOT NULL)
    SELECT y FROM y WHERE y IS NOT NULL ORDER BY y`)
  return rows.map((r) => r.y)
}

export const dataYears = (db: DbHandle): Promise<number[]> => cellYears(db, 'kf_company_cell')

export function resolveYears (requested: KeyFigureQuery['years'], available: number[]): number[] {
  if (!available.length) return []
  if (requested === undefined || requested === 'latest') return [available[available.length - 1]]
  if (requested === 'all') return available
  const missing = requested.filter((y) => !available.includes(y))
  if (missing.length === requested.length) throw notFound(`no data for ${requested.join(', ')}; years in the data: ${available.join(', ')}`)
  return requested.filter((y) => available.includes(y))
}

// The inputs change only with an import (data_version) or a definition load: keep the last few in memory, keyed by
// those versions, the definition and the years (a request needs its years and each one's previous year).
type Inputs = { idx: Map<string, BaseCell>; geo: Geography; names: Map<string, string>; workplaceYears: Set<number> }
const inputsCache = new Map<string, Promise<Inputs>>()
let metaCache: { at: number; db: DbHandle; v: string; years: number[] } | undefined

/** Called after an import in this process commits, so the next request reads the new version at once. */
export function forgetDataVersion (): void { metaCache = undefined }

async function dataVersionAndYears (db: DbHandle): Promise<{ v: string; years: number[] }> {
  // the version is read on every request (one primary-key lookup): another process (the CLI on PostgreSQL) may import
  // at any time, and the serialised-answer cache of the route is keyed by it; the years are re-read only when it changes
  const { rows } = await db.query<{ v: string | null }>("SELECT value AS v FROM meta WHERE key = 'data_version'")
  const v = rows[0]?.v ?? '0'
  const years = metaCache?.db === db && metaCache.v === v ? metaCache.years : await dataYears(db)
  metaCache = { at: Date.now(), db, v, years }
  return metaCache
}

async function inputs (db: DbHandle, definitionId: string, version: string, years: number[]): Promise<Inputs> {
  const { rows } = await db.query<{ d: string | null }>('SELECT loaded_at::text AS d FROM kkb_definition WHERE id = $1', [definitionId])
  const key = `${definitionId}|${version}|${rows[0]?.d}|${years.join(',')}`
  let p = inputsCache.get(key)
  if (!p) {
    p = (async () => {
      const [cells, geo, names, wy] = await Promise.all([baseCells(db, definitionId, years), geography(db), branchNames(db, definitionId),
        cellYears(db, 'kf_workplace_cell')])
      const idx = new Map<string, BaseCell>()
      for (const c of cells) idx.set(`${c.year}|${c.level}:${c.code}|${c.kommun}`, c)
      return { idx, geo, names, workplaceYears: new Set(wy) }
    })()
    p.catch(() => inputsCache.delete(key))
    if (inputsCache.size > 16) inputsCache.delete(inputsCache.keys().next().value!)
    inputsCache.set(key, p)
  }
  return p
}

export async function computeKeyFigures (db: DbHandle, q: KeyFigureQuery, rule: SuppressionRule): Promise<KeyFigureResult> {
  const definition = await resolveDefinition(db, q.definition)
  const { v, years: allYears } = await dataVersionAndYears(db)
  const years = resolveYears(q.years, allYears)
  const needed = [...new Set(years.flatMap((y) => [y, allYears[allYears.indexOf(y) - 1]]).filter((y): y is number => y !== undefined))].sort()
  const { idx, geo, names, workplaceYears } = await inputs(db, definition.id, v, needed)
  if (q.regions?.length) {
    const known = new Set(geo.regions[q.level].map((r) => r.code))
    const unknown = q.regions.filter((r) => !known.has(r))
    if (unknown.length) throw badRequest(`unknown ${q.level} code(s): ${unknown.join(', ')}`)
  }
  const levels = new Set(q.branch)
  const wantCodes = q.codes?.length ? new Set(q.codes) : null
  const keys = [...names.keys()].filter((k) => levels.has(k.split(':')[0] as BranchLevel) && (!wantCodes || wantCodes.has(k.split(':')[1])))

  const sumFor = (year: number, key: string, kommuner: string[]) => {
    const s = EMPTY()
    for (const k of kommuner) { const c = idx.get(`${year}|${key}|${k}`); if (c) add(s, c) }
    return s
  }
  const riketKommuner = geo.regions.riket[0].kommuner
  // Requested regions need their siblings (secondary suppression works within the parent), not the whole level.
  const parents = q.regions?.length ? new Set(geo.regions[q.level].filter((r) => q.regions!.includes(r.code)).map((r) => r.parent)) : null
  const computed = parents ? geo.regions[q.level].filter((r) => parents.has(r.parent)) : geo.regions[q.level]

  const rows: KeyFigureRow[] = []
  for (const year of years) {
    const prevYear = allYears[allYears.indexOf(year) - 1]
    for (const key of keys) {
      const [bl, bc] = key.split(':') as [BranchLevel, string]
      const riket = sumFor(year, key, riketKommuner)
      const riketAll = sumFor(year, 'all:all', riketKommuner)
      const levelRows: KeyFigureRow[] = []
      for (const region of computed) {
        const s = sumFor(year, key, region.kommuner)
        const all = sumFor(year, 'all:all', region.kommuner)
        const prev = prevYear !== undefined ? sumFor(prevYear, key, region.kommuner).companies : null
        const pop = populationOf(geo, region.kommuner, year)
        const sup = {
          employees: primarySuppression(s.companies, s.employees, s.employeesMax, rule),
          turnover: primarySuppression(s.companies, s.turnover, s.turnoverMax, rule),
          valueAdded: primarySuppression(s.companies, s.valueAdded, s.valueAddedMax, rule),
        }
        const allEmployeesSup = primarySuppression(all.companies, all.employees, all.employeesMax, rule)
        const shareCompanies = shareOf(s.companies, all.companies)
        const shareEmployees = shareOf(s.employees, all.employees)
        levelRows.push({
          year, regionLevel: q.level, regionCode: region.code, regionName: region.name, parentCode: region.parent,
          branchLevel: bl, branchCode: bc, branchName: names.get(key) ?? bc,
          companies: s.companies, companiesAll: all.companies, shareCompanies,
          lqCompanies: q.level === 'riket' ? (s.companies > 0 ? 1 : null) : locationQuotient(shareCompanies, shareOf(riket.companies, riketAll.companies)),
          workplaces: workplaceYears.has(year) ? s.workplaces : null,
          employees: s.employees, employeesAll: allEmployeesSup ? null : all.employees, shareEmployees,
          lqEmployees: q.level === 'riket' ? (s.employees > 0 ? 1 : null) : locationQuotient(shareEmployees, shareOf(riket.employees, riketAll.employees)),
          employeesCoverage: s.employeesExactN, employeesEstimated: s.employeesN - s.employeesExactN,
          turnover: s.turnover, turnoverCoverage: s.turnoverN, valueAdded: s.valueAdded, valueAddedCoverage: s.valueAddedN,
          population: pop.population, populationYear: pop.year, per10k: per10k(s.companies, pop.population),
          companiesChange: change(s.companies, prev), companiesChangePct: changePct(s.companies, prev),
          suppressed: { ...sup, shareEmployees: sup.employees ?? allEmployeesSup, lqEmployees: sup.employees ?? allEmployeesSup },
        })
      }
      if (q.level === 'kommun' || q.level === 'lan') secondarySuppression(levelRows)
      for (const r of levelRows) applySuppression(r)
      rows.push(...(q.regions?.length ? levelRows.filter((r) => q.regions!.includes(r.regionCode)) : levelRows))
    }
  }
  return { definition, years, level: q.level, rows, allYears }
}

/**
 * Within each parent (län for kommuner, riket for län), a measure suppressed in exactly one child could be recovered as
 * parent minus siblings: suppress the smallest other child as well.
 */
function secondarySuppression (rows: KeyFigureRow[]) {
  const byParent = new Map<string, KeyFigureRow[]>()
  for (const r of rows) {
    const p = r.parentCode ?? ''
    if (!byParent.has(p)) byParent.set(p, [])
    byParent.get(p)!.push(r)
  }
  for (const siblings of byParent.values()) {
    for (const m of ['employees', 'turnover', 'valueAdded'] as const) {
      const hidden = siblings.filter((r) => r.suppressed[m] !== null)
      if (hidden.length !== 1 || siblings.length < 2) continue
      const candidates = siblings.filter((r) => r.suppressed[m] === null).sort((a, b) => (a[m] ?? 0) - (b[m] ?? 0))
      if (candidates[0]) {
        candidates[0].suppressed[m] = 'secondary'
        if (m === 'employees') { candidates[0].suppressed.shareEmployees ??= 'secondary'; candidates[0].suppressed.lqEmployees ??= 'secondary' }
      }
    }
  }
}

function applySuppression (r: KeyFigureRow) {
  if (r.suppressed.employees) r.employees = null
  if (r.suppressed.turnover) r.turnover = null
  if (r.suppressed.valueAdded) r.valueAdded = null
  if (r.suppressed.shareEmployees) r.shareEmployees = null
  if (r.suppressed.lqEmployees) r.lqEmployees = null
}
