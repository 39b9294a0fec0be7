// Births and closures of companies per region × branch × quarter or year (GET /api/key-figures/flows, issue #21).
// The rule in words is FLOW_FORMULAS in formulas.ts (published at /api/key-figures/methodology); this file is its only
// implementation. The register keeps one snapshot per reference year, so:
//   births   — companies in the snapshot of the period's year whose registration date falls in the period, whatever their
//              status at the reference date (a firm started and closed within the year still counts);
//   closures — companies of that snapshot whose deregistration date falls in the period (where a source gives it), plus
//              companies active in the previous snapshot that are gone from this one or inactive without such a date,
//              dated to this snapshot's reference date (31 December: fourth quarter);
//   a period whose year has no snapshot is null, not 0.
// Events are counted once per data version in SQL (per year × kommun × SNI code × quarter: a few thousand rows) and
// summed per region and branch in memory, as compute.ts does with its cells.
import type { DbHandle } from '../db/client.js'
import { badRequest } from '../errors.js'
import { resolveDefinition, type DefinitionSummary } from '../definitions/queries.js'
import { branchMap } from '../definitions/branch-sql.js'
import { dataYears, geography } from './compute.js'
import { dataVersionOf } from '../meta/data-version.js'

export type FlowLevel = 'kommun' | 'lan' | 'riket'
export type FlowBranch = 'total' | 'group' | 'category'
export type FlowPeriod = 'quarter' | 'year'

export interface FlowRow {
  regionLevel: FlowLevel; regionCode: string; regionName: string
  branchLevel: FlowBranch; branchCode: string; branchName: string
  period: string; year: number; quarter: number | null
  births: number | null; closures: number | null; net: number | null
  /** the first snapshot in the data has no previous one: its closures are the dated deregistrations only */
  closuresDatesOnly: boolean
}

export interface FlowQuery {
  definition?: string; level: FlowLevel; regions?: string[]; lan?: string[]
  branch: FlowBranch[]; period: FlowPeriod; years?: number[] | 'all' | 'latest'
}

export interface FlowResult { definition: DefinitionSummary; level: FlowLevel; period: FlowPeriod; years: number[]; snapshots: number[]; rows: FlowRow[] }

interface Event { year: number; kommun: string; version: string; code: string; quarter: number; births: number; closures: number }

/** The reference date of a snapshot is 31 December of its year: closures found only by comparing snapshots fall in Q4. */
const SNAPSHOT_QUARTER = 4

async function events (db: DbHandle, snapshots: number[]): Promise<Event[]> {
  const prev = snapshots.map((_, i) => (i > 0 ? snapshots[i - 1] : null))
  const { rows } = await db.query<Event>(`
    WITH snap AS (SELECT * FROM unnest($1::int[], $2::int[]) AS s(year, prev)),
    e AS (
      SELECT ref_year AS year, coalesce(kommun_code, '') AS kommun, sni_version AS version, coalesce(sni1, '') AS code,
        extract(quarter FROM registered_on)::int AS quarter, 1 AS births, 0 AS closures
      FROM company WHERE registered_on >= make_date(ref_year, 1, 1) AND registered_on < make_date(ref_year + 1, 1, 1)
      UNION ALL
      SELECT ref_year, coalesce(kommun_code, ''), sni_version, coalesce(sni1, ''),
        extract(quarter FROM deregistered_on)::int, 0, 1
      FROM company WHERE deregistered_on >= make_date(ref_year, 1, 1) AND deregistered_on < make_date(ref_year + 1, 1, 1)
      UNION ALL
      -- active in the previous snapshot, then gone or inactive without a deregistration date in this snapshot's year:
      -- counted in the previous snapshot's kommun and branch, dated to this snapshot
      SELECT s.year, coalesce(p.kommun_code, ''), p.sni_version, coalesce(p.sni1, ''), ${SNAPSHOT_QUARTER}, 0, 1
      FROM snap s JOIN company p ON p.ref_year = s.prev AND p.active
      LEFT JOIN company c ON c.ref_year = s.year AND c.orgnr = p.orgnr
      WHERE c.orgnr IS NULL OR (NOT c.active AND (c.deregistered_on IS NULL OR c.deregistered_on < make_date(s.year, 1, 1)
        OR c.deregistered_on >= make_date(s.year + 1, 1, 1))))
    SELECT year, kommun, version, code, quarter, sum(births)::int AS births, sum(closures)::int AS closures
    FROM e GROUP BY 1, 2, 3, 4, 5`, [snapshots, prev])
  return rows
}

export interface Mapping { category: string; grp: string; share: number }
interface Names { branch: Map<string, string> }

/**
 * Events and geography per data version (they do not depend on the definition), through the one version service. The
 * events are kept by kommun as well, so a request for a few kommuner (a län's, one kommun's) reads only theirs instead
 * of every event in the country (at register scale ~30 ms of a request went to that loop).
 */
async function load (db: DbHandle) {
  const dv = dataVersionOf(db)
  const v = await dv.get()
  return dv.memo(v, 'flows', async () => {
    const snapshots = await dataYears(db)
    const [ev, geo] = await Promise.all([events(db, snapshots), geography(db)])
    const byKommun = new Map<string, Event[]>()
    for (const e of ev) { let list = byKommun.get(e.kommun); if (!list) byKommun.set(e.kommun, list = []); list.push(e) }
    return { events: ev, byKommun, geo, snapshots, version: v }
  })
}

export interface DefinitionMaps { map: Map<string, Mapping>; names: Names; groups: string[]; categories: string[] }

export async function definitionMaps (db: DbHandle, definitionId: string): Promise<DefinitionMaps> {
  const { rows } = await db.query<{ sni_version: string; sni_code: string; share: number; category: string; grp: string }>(
    `SELECT m.* FROM (${branchMap('$1')}) m`, [definitionId])
  const map = new Map(rows.map((r) => [`${r.sni_version}/${r.sni_code}`, { category: r.category, grp: r.grp, share: Number(r.share) }]))
  const { rows: g } = await db.query<{ code: string; name: string }>('SELECT code, name FROM kkb_group WHERE definition_id = $1 ORDER BY sort', [definitionId])
  const { rows: c } = await db.query<{ code: string; name: string }>(
    'SELECT code, name FROM kkb_category WHERE definition_id = $1 ORDER BY sort', [definitionId])
  const branch = new Map<string, string>([['total:total', 'KKB totalt']])
  for (const x of g) branch.set(`group:${x.code}`, x.name)
  for (const x of c) branch.set(`category:${x.code}`, x.name)
  return { map, names: { branch }, groups: g.map((x) => x.code), categories: c.map((x) => x.code) }
}

function resolveFlowYears (requested: FlowQuery['years'], snapshots: number[]): number[] {
  if (!snapshots.length) return Array.isArray(requested) ? requested : []
  const first = snapshots[0]; const last = snapshots[snapshots.length - 1]
  if (requested === undefined || requested === 'all') return Array.from({ length: last - first + 1 }, (_, i) => first + i)
  if (requested === 'latest') return [last]
  if (requested.some((y) => y < 1900 || y > 2100)) throw badRequest('year must be between 1900 and 2100')
  return [...new Set(requested)].sort()
}

/** The level's regions, narrowed by region= and lan= as the key figures read them (flows and survival). */
export function selectRegions (geo: Awaited<ReturnType<typeof geography>>, q: { level: FlowLevel; regions?: string[]; lan?: string[] }) {
  const lanCodes = new Set(geo.regions.lan.map((l) => l.code))
  let lan = q.lan?.length ? q.lan : undefined
  let wanted = q.regions?.length ? q.regions : undefined
  if (q.level === 'kommun' && wanted && !lan && wanted.every((r) => lanCodes.has(r))) { lan = wanted; wanted = undefined }
  if (lan) {
    if (q.level === 'riket') throw badRequest('lan= selects the kommuner or the län of a län; it does not apply to level=riket')
    const unknown = lan.filter((l) => !lanCodes.has(l))
    if (unknown.length) throw badRequest(`unknown län code(s): ${unknown.join(', ')} (län codes are two digits, 01–25)`)
  }
  const all = geo.regions[q.level]
  if (wanted) {
    const known = new Set(all.map((r) => r.code))
    const unknown = wanted.filter((r) => !known.has(r))
    if (unknown.length) throw badRequest(`unknown ${q.level} code(s): ${unknown.join(', ')}`)
  }
  return all.filter((r) => (!wanted || wanted.includes(r.code)) && (!lan || lan.includes(q.level === 'lan' ? r.code : r.parent ?? '')))
}

export async function computeFlows (db: DbHandle, q: FlowQuery): Promise<FlowResult> {
  const definition = await resolveDefinition(db, q.definition)
  const { byKommun, geo, snapshots, version } = await load(db)
  const years = resolveFlowYears(q.years, snapshots)
  // the definition's mapping changes only with a definition load, which moves the data version
  const { map, names, groups, categories } = await dataVersionOf(db).memo(version, `flows-definition:${definition.id}`, () => definitionMaps(db, definition.id))

  const regions = selectRegions(geo, q)

  // events → sums per region × branch key × (year, quarter)
  const regionOf = new Map<string, string[]>() // kommun → region codes of the level
  for (const r of regions) for (const k of r.kommuner) { if (!regionOf.has(k)) regionOf.set(k, []); regionOf.get(k)!.push(r.code) }
  const branchKeys = (m: Mapping) => [
    ...(q.branch.includes('total') ? ['total:total'] : []),
    ...(q.branch.includes('group') ? [`group:${m.grp}`] : []),
    ...(q.branch.includes('category') ? [`category:${m.category}`] : []),
  ]
  const sums = new Map<string, { births: number; closures: number }>()
  const yearSet = new Set(years)
  for (const [kommun, rs] of regionOf) {
    for (const e of byKommun.get(kommun) ?? []) {
      if (!yearSet.has(e.year)) continue
      const m = map.get(`${e.version}/${e.code}`)
      if (!m) continue
      for (const r of rs) {
        for (const b of branchKeys(m)) {
          const k = `${r}|${b}|${e.year}|${e.quarter}`
          const s = sums.get(k) ?? { births: 0, closures: 0 }
          s.births += e.births * m.share; s.closures += e.closures * m.share
          sums.set(k, s)
        }
      }
    }
  }

  const keys = [
    ...(q.branch.includes('total') ? ['total:total'] : []),
    ...(q.branch.includes('group') ? groups.map((g) => `group:${g}`) : []),
    ...(q.branch.includes('category') ? categories.map((c) => `category:${c}`) : []),
  ]
  const snap = new Set(snapshots)
  const rows: FlowRow[] = []
  for (const r of regions) {
    for (const key of keys) {
      const [bl, bc] = key.split(':') as [FlowBranch, string]
      for (const year of years) {
        const quarters = q.period === 'quarter' ? [1, 2, 3, 4] : [null]
        for (const quarter of quarters) {
          const has = snap.has(year)
          let births = 0; let closures = 0
          for (const qq of quarter === null ? [1, 2, 3, 4] : [quarter]) {
            const s = sums.get(`${r.code}|${key}|${year}|${qq}`)
            if (s) { births += s.births; closures += s.closures }
          }
          rows.push({
            regionLevel: q.level, regionCode: r.code, regionName: r.name,
            branchLevel: bl, branchCode: bc, branchName: names.branch.get(key) ?? bc,
            period: quarter === null ? String(year) : `${year}Q${quarter}`, year, quarter,
            births: has ? births : null, closures: has ? closures : null, net: has ? births - closures : null,
            closuresDatesOnly: has && year === snapshots[0],
          })
        }
      }
    }
  }
  return { definition, level: q.level, period: q.period, years, snapshots, rows }
}
