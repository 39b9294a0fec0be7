// Survival of new companies (issue #21): of the companies registered in year Y (the cohort, as the register's snapshot
// of Y has them: seat kommun and primary SNI code there), how many are active in the snapshot of each later year.
// The rule in words is SURVIVAL_FORMULAS in formulas.ts (published at /api/key-figures/methodology); this file is its
// only implementation. A cohort is counted once per data version in SQL (per cohort × year × kommun × SNI code: a few
// thousand rows) and summed per region and branch in memory, as flows.ts does with its events.
import type { DbHandle } from '../db/client.js'
import { resolveDefinition, type DefinitionSummary } from '../definitions/queries.js'
import { dataVersionOf } from '../meta/data-version.js'
import { dataYears, geography } from './compute.js'
import { definitionMaps, selectRegions, type FlowBranch, type FlowLevel } from './flows.js'

export interface SurvivalRow {
  regionLevel: FlowLevel; regionCode: string; regionName: string
  branchLevel: FlowBranch; branchCode: string; branchName: string
  /** the year the companies were registered in */
  cohort: number
  /** the snapshot they are looked for in (cohort … last year) */
  year: number
  /** companies registered in the cohort year (in that year's snapshot) */
  started: number
  /** of them, active in the snapshot of `year`; null when the data hold no snapshot of that year */
  surviving: number | null
  /** surviving / started; null when started is 0 or the snapshot is missing */
  rate: number | null
}

export interface SurvivalQuery { definition?: string; level: FlowLevel; regions?: string[]; lan?: string[]; branch: FlowBranch[] }
export interface SurvivalResult { definition: DefinitionSummary; level: FlowLevel; snapshots: number[]; rows: SurvivalRow[] }

interface Cell { cohort: number; year: number; kommun: string; version: string; code: string; started: number; surviving: number }

async function cells (db: DbHandle, snapshots: number[]): Promise<Cell[]> {
  const { rows } = await db.query<Cell>(`
    WITH cohort AS (
      SELECT ref_year AS cohort, coalesce(kommun_code, '') AS kommun, sni_version AS version, coalesce(sni1, '') AS code, orgnr
      FROM company WHERE registered_on >= make_date(ref_year, 1, 1) AND registered_on < make_date(ref_year + 1, 1, 1))
    SELECT k.cohort, s.year, k.kommun, k.version, k.code, count(*)::int AS started, count(a.orgnr)::int AS surviving
    FROM cohort k JOIN unnest($1::int[]) AS s(year) ON s.year >= k.cohort
    LEFT JOIN company a ON a.ref_year = s.year AND a.orgnr = k.orgnr AND a.active
    GROUP BY 1, 2, 3, 4, 5`, [snapshots])
  return rows
}

/** Cohort cells and geography per data version (they do not depend on the definition), through the one version service. */
async function load (db: DbHandle) {
  const dv = dataVersionOf(db)
  const v = await dv.get()
  return dv.memo(v, 'survival', async () => {
    const snapshots = await dataYears(db)
    const [c, geo] = await Promise.all([cells(db, snapshots), geography(db)])
    return { cells: c, geo, snapshots, version: v }
  })
}

export async function computeSurvival (db: DbHandle, q: SurvivalQuery): Promise<SurvivalResult> {
  const definition = await resolveDefinition(db, q.definition)
  const { cells: cs, geo, snapshots, version } = await load(db)
  const { map, names, groups, categories } = await dataVersionOf(db).memo(version, `flows-definition:${definition.id}`, () => definitionMaps(db, definition.id))
  const regions = selectRegions(geo, q)
  const regionOf = new Map<string, string[]>()
  for (const r of regions) for (const k of r.kommuner) { if (!regionOf.has(k)) regionOf.set(k, []); regionOf.get(k)!.push(r.code) }
  const keys = [
    ...(q.branch.includes('total') ? ['total:total'] : []),
    ...(q.branch.includes('group') ? groups.map((g) => `group:${g}`) : []),
    ...(q.branch.includes('category') ? categories.map((c) => `category:${c}`) : []),
  ]
  const sums = new Map<string, { started: number; surviving: number }>()
  for (const c of cs) {
    const m = map.get(`${c.version}/${c.code}`)
    const rs = regionOf.get(c.kommun)
    if (!m || !rs) continue
    const bks = [...(q.branch.includes('total') ? ['total:total'] : []), ...(q.branch.includes('group') ? [`group:${m.grp}`] : []),
      ...(q.branch.includes('category') ? [`category:${m.category}`] : [])]
    for (const r of rs) {
      for (const b of bks) {
        const k = `${r}|${b}|${c.cohort}|${c.year}`
        const s = sums.get(k) ?? { started: 0, surviving: 0 }
        s.started += c.started * m.share; s.surviving += c.surviving * m.share
        sums.set(k, s)
      }
    }
  }
  const last = snapshots[snapshots.length - 1]
  const snap = new Set(snapshots)
  const rows: SurvivalRow[] = []
  for (const r of regions) {
    for (const key of keys) {
      const [bl, bc] = key.split(':') as [FlowBranch, string]
      for (const cohort of snapshots) {
        // the cohort's size is its count in its own snapshot, whatever later snapshots hold
        const started = sums.get(`${r.code}|${key}|${cohort}|${cohort}`)?.started ?? 0
        for (let year = cohort; year <= last; year++) {
          const has = snap.has(year)
          const surviving = has ? sums.get(`${r.code}|${key}|${cohort}|${year}`)?.surviving ?? 0 : null
          rows.push({ regionLevel: q.level, regionCode: r.code, regionName: r.name, branchLevel: bl, branchCode: bc,
            branchName: names.branch.get(key) ?? bc, cohort, year, started, surviving,
            rate: surviving === null || !started ? null : surviving / started })
        }
      }
    }
  }
  return { definition, level: q.level, snapshots, rows }
}
