// Key figures per definition × region × branch × year, from the precomputed cells (kf_company_cell, kf_workplace_cell).
// The regions of a level are computed together (cheap: a few thousand cells), because LQ needs riket; for requested
// regions only their parents' children are computed, then filtered. Disclosure control is decided once per year over
// every region and branch (disclosure.ts), so every request reads the same suppression pattern.
import type { DbHandle } from '../db/client.js'
import { dataVersionOf } from '../meta/data-version.js'
import { badRequest, notFound } from '../errors.js'
import { resolveDefinition, type DefinitionSummary } from '../definitions/queries.js'
import {
  change, changePct, locationQuotient, MEASURES, measureCell, per10k, primarySuppression, shareOf,
  type Measure, type SuppressionFlag, type SuppressionRule, type Sums,
} from './formulas.js'
import { secondarySuppression, type ProtectedCell, type Relation } from './disclosure.js'
import { branchMap, mapsCode } from '../definitions/branch-sql.js'

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
  suppressed: {
    employees: SuppressionFlag; turnover: SuppressionFlag; valueAdded: SuppressionFlag; shareEmployees: SuppressionFlag; lqEmployees: SuppressionFlag
  }
}

export interface KeyFigureQuery {
  definition?: string
  level: RegionLevel
  regions?: string[]
  /** kommun/län level: only the regions in these län (issue #21: `level=kommun&lan=08`); adds the län and riket rows as context */
  lan?: string[]
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
  /** with `lan`: the län and riket rows for the same branches and years, to read the kommun rows against */
  context: KeyFigureRow[]
  /** the län the regions were chosen by (lan=, or level=kommun with län codes in region=) */
  lan?: string[]
  allYears: number[]
}

interface BaseCell extends Sums { year: number; kommun: string; level: string; code: string; workplaces: number }

type CellSums = Sums & { workplaces: number }
const EMPTY = (): CellSums => ({ companies: 0, employees: 0, employeesN: 0, employeesExactN: 0, employeesMax: 0,
  turnover: 0, turnoverN: 0, turnoverMax: 0, valueAdded: 0, valueAddedN: 0, valueAddedMax: 0,
  turnoverWithheldN: 0, turnoverWithheld: 0, turnoverWithheldMax: 0, valueAddedWithheldN: 0, valueAddedWithheld: 0, valueAddedWithheldMax: 0,
  workplaces: 0 })

function add (a: CellSums, b: CellSums) {
  a.companies += b.companies; a.employees += b.employees; a.employeesN += b.employeesN; a.employeesExactN += b.employeesExactN
  a.employeesMax = Math.max(a.employeesMax, b.employeesMax); a.turnover += b.turnover; a.turnoverN += b.turnoverN
  a.turnoverMax = Math.max(a.turnoverMax, b.turnoverMax); a.valueAdded += b.valueAdded; a.valueAddedN += b.valueAddedN
  a.valueAddedMax = Math.max(a.valueAddedMax, b.valueAddedMax)
  a.turnoverWithheldN += b.turnoverWithheldN; a.turnoverWithheld += b.turnoverWithheld
  a.turnoverWithheldMax = Math.max(a.turnoverWithheldMax, b.turnoverWithheldMax)
  a.valueAddedWithheldN += b.valueAddedWithheldN; a.valueAddedWithheld += b.valueAddedWithheld
  a.valueAddedWithheldMax = Math.max(a.valueAddedWithheldMax, b.valueAddedWithheldMax)
  a.workplaces += b.workplaces
}

/** The company-cell columns summed into a key-figure cell: column, Sums key, scaled by the code's share, aggregate. */
const COMPANY_SUMS: Array<{ col: string; key: keyof Sums; scaled: boolean; agg: 'sum' | 'max' }> = [
  { col: 'companies', key: 'companies', scaled: true, agg: 'sum' },
  { col: 'employees', key: 'employees', scaled: true, agg: 'sum' },
  { col: 'employees_n', key: 'employeesN', scaled: false, agg: 'sum' },
  { col: 'employees_exact_n', key: 'employeesExactN', scaled: false, agg: 'sum' },
  { col: 'employees_max', key: 'employeesMax', scaled: true, agg: 'max' },
  { col: 'turnover', key: 'turnover', scaled: true, agg: 'sum' },
  { col: 'turnover_n', key: 'turnoverN', scaled: false, agg: 'sum' },
  { col: 'turnover_max', key: 'turnoverMax', scaled: true, agg: 'max' },
  { col: 'value_added', key: 'valueAdded', scaled: true, agg: 'sum' },
  { col: 'value_added_n', key: 'valueAddedN', scaled: false, agg: 'sum' },
  { col: 'value_added_max', key: 'valueAddedMax', scaled: true, agg: 'max' },
  { col: 'turnover_withheld_n', key: 'turnoverWithheldN', scaled: false, agg: 'sum' },
  { col: 'turnover_withheld', key: 'turnoverWithheld', scaled: true, agg: 'sum' },
  { col: 'turnover_withheld_max', key: 'turnoverWithheldMax', scaled: true, agg: 'max' },
  { col: 'value_added_withheld_n', key: 'valueAddedWithheldN', scaled: false, agg: 'sum' },
  { col: 'value_added_withheld', key: 'valueAddedWithheld', scaled: true, agg: 'sum' },
  { col: 'value_added_withheld_max', key: 'valueAddedWithheldMax', scaled: true, agg: 'max' },
]
const companyCols = (share?: string) => COMPANY_SUMS.map((c) => `x.${c.col}${c.scaled && share ? ` * ${share}` : ''} AS ${c.col}`).join(', ')
const noCompanyCols = COMPANY_SUMS.map(() => '0').join(', ')
/** A cell (alias x) belongs to a branch by its primary code: the same mapping as the actor list's (definitions/branch-sql.ts). */
const CELL_CODE = mapsCode('m', 'x.sni_version', 'x.sni_code')
const aggregates = COMPANY_SUMS.map((c) => (c.agg === 'sum' ? `sum(${c.col})::float8` : `coalesce(max(${c.col}), 0)::float8`) + ` AS "${c.key}"`).join(', ')

/**
 * Sums per (year, kommun, branch) for one definition: KKB total, groups, categories, the whole economy ('all'), and the
 * rest of the economy outside the definition ('other': never published, but all − KKB total gives it, so disclosure
 * control must protect it like any cell).
 */
async function baseCells (db: DbHandle, definitionId: string, years: number[]): Promise<BaseCell[]> {
  const { rows } = await db.query<BaseCell>(`
    WITH map AS (${branchMap('$1')}),
    kkb AS (
      SELECT x.ref_year, x.kommun_code, b.level, b.code, ${companyCols('m.share')}, 0 AS workplaces
      FROM kf_company_cell x JOIN map m ON ${CELL_CODE}
      CROSS JOIN LATERAL (VALUES ('total'::text, 'total'::text), ('group', m.grp), ('category', m.category)) b(level, code)
      WHERE x.ref_year = ANY($2::int[])
      UNION ALL
      SELECT x.ref_year, x.kommun_code, b.level, b.code, ${noCompanyCols}, x.workplaces * m.share
      FROM kf_workplace_cell x JOIN map m ON ${CELL_CODE}
      CROSS JOIN LATERAL (VALUES ('total'::text, 'total'::text), ('group', m.grp), ('category', m.category)) b(level, code)
      WHERE x.ref_year = ANY($2::int[])
      UNION ALL
      SELECT x.ref_year, x.kommun_code, 'all', 'all', ${companyCols()}, 0 FROM kf_company_cell x WHERE x.ref_year = ANY($2::int[])
      UNION ALL
      SELECT x.ref_year, x.kommun_code, 'other', 'other', ${companyCols()}, 0 FROM kf_company_cell x
      WHERE x.ref_year = ANY($2::int[]) AND NOT EXISTS (SELECT 1 FROM map m WHERE ${CELL_CODE})
      UNION ALL
      SELECT ref_year, kommun_code, 'all', 'all', ${noCompanyCols}, workplaces FROM kf_workplace_cell WHERE ref_year = ANY($2::int[]))
    SELECT ref_year AS year, kommun_code AS kommun, level, code, ${aggregates}, sum(workplaces)::float8 AS workplaces
    FROM kkb GROUP BY 1, 2, 3, 4`, [definitionId, years])
  return rows
}

/** A region: its kommuner (kommun '' = companies placed in no kommun); a custom region also lists its members as given. */
interface RegionInfo { code: string; name: string; parent: string | null; kommuner: string[]; members?: Array<{ level: 'kommun' | 'lan'; code: string }> }
export interface Geography {
  regions: Record<RegionLevel, RegionInfo[]>; population: Map<string, Array<{ year: number; population: number }>>; kommunLan: Map<string, string>
}

export async function geography (db: DbHandle): Promise<Geography> {
  const { rows: k } = await db.query<{ code: string; name: string; lan: string }>('SELECT code, name, lan_code AS lan FROM kommun ORDER BY code')
  const { rows: l } = await db.query<{ code: string; name: string }>('SELECT code, name FROM lan ORDER BY code')
  const { rows: s } = await db.query<{ code: string; name: string; level: string; region: string }>(
    'SELECT s.code, s.name, m.level, m.region_code AS region FROM region_set s JOIN region_set_member m ON m.set_code = s.code ORDER BY s.code')
  const { rows: p } = await db.query<{ kommun: string; year: number; population: number }>(
    'SELECT kommun_code AS kommun, year, population FROM population ORDER BY year')
  const kommunLan = new Map(k.map((x) => [x.code, x.lan]))
  const custom = new Map<string, RegionInfo>()
  for (const r of s) {
    if (!custom.has(r.code)) custom.set(r.code, { code: r.code, name: r.name, parent: null, kommuner: [], members: [] })
    const kk = r.level === 'lan' ? k.filter((x) => x.lan === r.region).map((x) => x.code) : [r.region]
    custom.get(r.code)!.kommuner.push(...kk)
    custom.get(r.code)!.members!.push({ level: r.level === 'lan' ? 'lan' : 'kommun', code: r.region })
  }
  for (const c of custom.values()) c.kommuner = [...new Set(c.kommuner)]
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

export function populationOf (g: Geography, kommuner: string[], year: number): { population: number | null; year: number | null } {
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

/** The published branches (key 'level:code') with their names, and the categories of each group. */
interface Branches { names: Map<string, string>; groups: Map<string, string[]> }

async function branches (db: DbHandle, definitionId: string): Promise<Branches> {
  const names = new Map<string, string>([['total:total', 'KKB totalt'], ['all:all', 'Alla företag (hela näringslivet)']])
  const { rows: g } = await db.query<{ code: string; name: string }>('SELECT code, name FROM kkb_group WHERE definition_id = $1 ORDER BY sort', [definitionId])
  const { rows: c } = await db.query<{ code: string; name: string; grp: string }>(
    'SELECT code, name, group_code AS grp FROM kkb_category WHERE definition_id = $1 ORDER BY sort', [definitionId])
  const groups = new Map<string, string[]>()
  for (const x of g) { names.set(`group:${x.code}`, x.name); groups.set(x.code, []) }
  for (const x of c) { names.set(`category:${x.code}`, x.name); groups.get(x.grp)?.push(x.code) }
  return { names, groups }
}

// Disclosure control over the whole table of one year: every region (kommun, län, riket, custom, and the companies placed
// in no kommun) × every branch (KKB total, groups, categories, the whole economy, and the rest outside the definition).
const OTHER = 'other:other'
const UNPLACED: RegionInfo = { code: '', name: '', parent: RIKET.code, kommuner: [''] }
const cellKey = (level: RegionLevel | 'unplaced', region: string, branch: string) => `${level}:${region}|${branch}`
type Pattern = Record<Measure, Map<string, SuppressionFlag>>

const everyRegion = (geo: Geography): Array<[RegionLevel | 'unplaced', RegionInfo]> => [
  ...(['kommun', 'lan', 'riket', 'custom'] as const).flatMap((l) => geo.regions[l].map((r) => [l, r] as [RegionLevel, RegionInfo])),
  ['unplaced', UNPLACED]]

/** Every additive relation, as cell keys [parent, ...children]: down the branch tree in each region, across regions per branch. */
function relations (geo: Geography, b: Branches): Relation[] {
  const branchKeys = [...b.names.keys(), OTHER]
  const out: Relation[] = []
  for (const [level, r] of everyRegion(geo)) {
    const k = (branch: string) => cellKey(level, r.code, branch)
    out.push([k('total:total'), ...[...b.groups.keys()].map((g) => k(`group:${g}`))])
    for (const [g, cats] of b.groups) out.push([k(`group:${g}`), ...cats.map((c) => k(`category:${c}`))])
    out.push([k('all:all'), k('total:total'), k(OTHER)])
  }
  for (const branch of branchKeys) {
    for (const l of geo.regions.lan) {
      out.push([cellKey('lan', l.code, branch), ...l.kommuner.map((c) => cellKey('kommun', c, branch))])
    }
    out.push([cellKey('riket', RIKET.code, branch), ...geo.regions.lan.map((l) => cellKey('lan', l.code, branch)), cellKey('unplaced', '', branch)])
    for (const c of geo.regions.custom) {
      // = Σ its members as listed (län or kommuner), or Σ its kommuner where the members overlap
      const disjoint = c.members!.reduce((n, m) => n + (m.level === 'lan' ? geo.regions.lan.find((l) => l.code === m.code)?.kommuner.length ?? 0 : 1), 0) ===
        c.kommuner.length
      const children = disjoint ? c.members!.map((m) => cellKey(m.level, m.code, branch)) : c.kommuner.map((k) => cellKey('kommun', k, branch))
      out.push([cellKey('custom', c.code, branch), ...children])
    }
  }
  return out
}

/** The suppression flags of every cell of one year (primary rule, then secondary over every relation). */
function suppressionPattern (idx: Map<string, BaseCell>, geo: Geography, b: Branches, rels: Relation[], year: number, rule: SuppressionRule): Pattern {
  const sums = new Map<string, CellSums>()
  for (const [level, r] of everyRegion(geo)) {
    for (const branch of [...b.names.keys(), OTHER]) {
      const s = EMPTY()
      for (const k of r.kommuner) { const c = idx.get(`${year}|${branch}|${k}`); if (c) add(s, c) }
      sums.set(cellKey(level, r.code, branch), s)
    }
  }
  const pattern = {} as Pattern
  for (const m of MEASURES) {
    const cells = new Map<string, ProtectedCell>()
    for (const [key, s] of sums) {
      const c = measureCell(s, m)
      cells.set(key, { value: c.sum, n: c.n, withheldN: c.withheldN, flag: primarySuppression(c, rule) })
    }
    secondarySuppression(cells, rels, rule.minCompanies)
    pattern[m] = new Map([...cells].map(([k, c]) => [k, c.flag]))
  }
  return pattern
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

// The inputs change only with an import or a definition load, which move the data version: keep the last few in
// memory, keyed by the version, the definition and the years (a request needs its years and each one's previous year),
// and drop them all when the version moves. The suppression pattern of a year is computed on first use and kept with them.
type Inputs = { idx: Map<string, BaseCell>; geo: Geography; branches: Branches; workplaceYears: Set<number>; relations: Relation[]
  patterns: Map<string, Pattern> }
const inputsCache = new Map<string, Promise<Inputs>>()
const subscribed = new WeakSet<object>()

async function dataVersionAndYears (db: DbHandle): Promise<{ v: string; years: number[] }> {
  const dv = dataVersionOf(db)
  if (!subscribed.has(dv)) { subscribed.add(dv); dv.subscribe(() => inputsCache.clear()) }
  const v = await dv.get()
  return { v, years: await dv.memo(v, 'years', () => dataYears(db)) }
}

async function inputs (db: DbHandle, definitionId: string, version: string, years: number[]): Promise<Inputs> {
  const key = `${definitionId}|${version}|${years.join(',')}`
  let p = inputsCache.get(key)
  if (!p) {
    p = (async () => {
      const [cells, geo, b, wy] = await Promise.all([baseCells(db, definitionId, years), geography(db), branches(db, definitionId),
        cellYears(db, 'kf_workplace_cell')])
      const idx = new Map<string, BaseCell>()
      for (const c of cells) idx.set(`${c.year}|${c.level}:${c.code}|${c.kommun}`, c)
      return { idx, geo, branches: b, workplaceYears: new Set(wy), relations: relations(geo, b), patterns: new Map() }
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
  const input = await inputs(db, definition.id, v, needed)
  const { idx, geo, workplaceYears } = input
  const names = input.branches.names
  const scope = regionScope(geo, q)
  const levels = new Set(q.branch)
  const wantCodes = q.codes?.length ? new Set(q.codes) : null
  const keys = [...names.keys()].filter((k) => levels.has(k.split(':')[0] as BranchLevel) && (!wantCodes || wantCodes.has(k.split(':')[1])))

  const sumFor = (year: number, key: string, kommuner: string[]) => {
    const s = EMPTY()
    for (const k of kommuner) { const c = idx.get(`${year}|${key}|${k}`); if (c) add(s, c) }
    return s
  }
  const riketKommuner = geo.regions.riket[0].kommuner
  // the suppression pattern covers every region, so a requested region needs no siblings
  const computed = scope.regions
  const contextRegions: Array<[RegionLevel, RegionInfo[]]> = !scope.lan ? []
    : q.level === 'kommun' ? [['lan', geo.regions.lan.filter((l) => scope.lan!.includes(l.code))], ['riket', geo.regions.riket]]
      : [['riket', geo.regions.riket]]

  const rows: KeyFigureRow[] = []
  const context: KeyFigureRow[] = []
  for (const year of years) {
    const prevYear = allYears[allYears.indexOf(year) - 1]
    const patternKey = `${year}|${rule.minCompanies}|${rule.dominance}`
    let pattern = input.patterns.get(patternKey)
    if (!pattern) input.patterns.set(patternKey, pattern = suppressionPattern(idx, geo, input.branches, input.relations, year, rule))
    for (const key of keys) {
      const [bl, bc] = key.split(':') as [BranchLevel, string]
      const riket = sumFor(year, key, riketKommuner)
      const riketAll = sumFor(year, 'all:all', riketKommuner)
      for (const [level, regions] of [[q.level, computed] as [RegionLevel, RegionInfo[]], ...contextRegions]) {
        const levelRows: KeyFigureRow[] = []
        for (const region of regions) {
          const s = sumFor(year, key, region.kommuner)
          const all = sumFor(year, 'all:all', region.kommuner)
          const prev = prevYear !== undefined ? sumFor(prevYear, key, region.kommuner).companies : null
          const pop = populationOf(geo, region.kommuner, year)
          const flag = (m: Measure, branch = key) => pattern[m].get(cellKey(level, region.code, branch)) ?? null
          const sup = { employees: flag('employees'), turnover: flag('turnover'), valueAdded: flag('valueAdded') }
          const allEmployeesSup = flag('employees', 'all:all')
          const shareCompanies = shareOf(s.companies, all.companies)
          const shareEmployees = shareOf(s.employees, all.employees)
          levelRows.push({
            year, regionLevel: level, regionCode: region.code, regionName: region.name, parentCode: region.parent,
            branchLevel: bl, branchCode: bc, branchName: names.get(key) ?? bc,
            companies: s.companies, companiesAll: all.companies, shareCompanies,
            lqCompanies: level === 'riket' ? (s.companies > 0 ? 1 : null) : locationQuotient(shareCompanies, shareOf(riket.companies, riketAll.companies)),
            workplaces: workplaceYears.has(year) ? s.workplaces : null,
            employees: s.employees, employeesAll: allEmployeesSup ? null : all.employees, shareEmployees,
            lqEmployees: level === 'riket' ? (s.employees > 0 ? 1 : null) : locationQuotient(shareEmployees, shareOf(riket.employees, riketAll.employees)),
            employeesCoverage: s.employeesExactN, employeesEstimated: s.employeesN - s.employeesExactN,
            turnover: s.turnover, turnoverCoverage: s.turnoverN, valueAdded: s.valueAdded, valueAddedCoverage: s.valueAddedN,
            population: pop.population, populationYear: pop.year, per10k: per10k(s.companies, pop.population),
            companiesChange: change(s.companies, prev), companiesChangePct: changePct(s.companies, prev),
            // a branch without any employee figure has a share (and LQ) of 0 whatever the region's total: a zero
            // discloses nothing, so it is published even where the total itself is withheld (issue #21)
            suppressed: { ...sup, shareEmployees: sup.employees ?? (s.employeesN === 0 ? null : allEmployeesSup),
              lqEmployees: sup.employees ?? (s.employeesN === 0 ? null : allEmployeesSup) },
          })
        }
        for (const r of levelRows) applySuppression(r)
        ;(level === q.level ? rows : context).push(...levelRows)
      }
    }
  }
  return { definition, years, level: q.level, rows, context, lan: scope.lan, allYears }
}

/**
 * The regions a query asks for. `lan` keeps the kommuner (or the län) of those län. `level=kommun&region=08` means the
 * same as `lan=08` when every code given is a län code (a two-digit code cannot be a kommun), so it is not a bare 400.
 */
function regionScope (geo: Geography, q: KeyFigureQuery): { regions: RegionInfo[]; lan?: string[] } {
  const lanCodes = new Set(geo.regions.lan.map((l) => l.code))
  let lan = q.lan?.length ? q.lan : undefined
  let regions = q.regions?.length ? q.regions : undefined
  if (q.level === 'kommun' && regions && !lan && regions.every((r) => lanCodes.has(r))) { lan = regions; regions = undefined }
  if (lan) {
    if (q.level !== 'kommun' && q.level !== 'lan') throw badRequest(`lan= selects the kommuner or the län of a län; it does not apply to level=${q.level}`)
    const unknown = lan.filter((l) => !lanCodes.has(l))
    if (unknown.length) throw badRequest(`unknown län code(s): ${unknown.join(', ')} (län codes are two digits, 01–25, see GET /api/regions?level=lan)`)
  }
  if (regions) {
    const known = new Set(geo.regions[q.level].map((r) => r.code))
    const unknown = regions.filter((r) => !known.has(r))
    if (unknown.length) {
      const hint = q.level === 'kommun' && unknown.some((u) => lanCodes.has(u)) ? ' (a two-digit code is a län: use lan=' + unknown.filter((u) => lanCodes.has(u)).join(',') + ' for its kommuner)' : ''
      throw badRequest(`unknown ${q.level} code(s): ${unknown.join(', ')}${hint}`)
    }
  }
  const inLan = (r: RegionInfo) => !lan || lan.includes(q.level === 'lan' ? r.code : r.parent ?? '')
  return { regions: geo.regions[q.level].filter((r) => (!regions || regions.includes(r.code)) && inLan(r)), lan }
}

function applySuppression (r: KeyFigureRow) {
  if (r.suppressed.employees) r.employees = null
  if (r.suppressed.turnover) r.turnover = null
  if (r.suppressed.valueAdded) r.valueAdded = null
  if (r.suppressed.shareEmployees) r.shareEmployees = null
  if (r.suppressed.lqEmployees) r.lqEmployees = null
}
