// Curated key figures: per region the number of curated entries and the number per 10 000 inhabitants, next to the KKB
// firm count of the same region. The entries are counted through the actor filter layer (fromWhere, with the viewer's
// visibility), so a figure is exactly the length of the list the same role gets from /api/actors?kind=curated.
import type { DbHandle } from '../db/client.js'
import { Params } from '../db/sql.js'
import { badRequest } from '../errors.js'
import { fromWhere } from '../actors/queries.js'
import type { ActorFilters } from '../actors/filters.js'
import { computeKeyFigures, geography, populationOf, type RegionLevel } from '../keyfigures/compute.js'
import type { SuppressionRule } from '../keyfigures/formulas.js'
import type { Viewer } from './visibility.js'

export interface CuratedFigureQuery { level: 'kommun' | 'lan' | 'riket'; regions?: string[]; lan?: string[]; type?: string[]; subtype?: string[]; viewer: Viewer }

export async function curatedFigures (db: DbHandle, q: CuratedFigureQuery, rule: SuppressionRule) {
  const f: ActorFilters = { kind: 'curated', year: 0, definition: '', type: q.type, subtype: q.subtype, viewer: q.viewer, status: 'active' }
  const ps = new Params()
  const { rows } = await db.query<{ kommun: string; n: number }>(`SELECT t.kommun_code AS kommun, count(*)::int AS n ${fromWhere(f, ps, false)} GROUP BY 1`, ps.values)
  const byKommun = new Map(rows.map((r) => [r.kommun, r.n]))
  const g = await geography(db)
  let regions = g.regions[q.level]
  if (q.lan?.length) {
    if (q.level === 'riket') throw badRequest('lan= goes with level=kommun or level=lan')
    regions = regions.filter((r) => q.level === 'kommun' ? q.lan!.includes(r.parent ?? '') : q.lan!.includes(r.code))
  }
  if (q.regions?.length) {
    const known = new Set(regions.map((r) => r.code))
    const unknown = q.regions.filter((c) => !known.has(c))
    if (unknown.length) throw badRequest(`unknown ${q.level} code(s): ${unknown.join(', ')}`)
    regions = regions.filter((r) => q.regions!.includes(r.code))
  }
  // the KKB firms of the same regions, latest year, from the key figures themselves
  const kkb = await computeKeyFigures(db, { level: q.level as RegionLevel, regions: q.regions, lan: q.lan, branch: ['total'] }, rule)
  const firms = new Map(kkb.rows.map((r) => [r.regionCode, r]))
  const year = new Date().getUTCFullYear()
  const out = regions.map((r) => {
    const entries = r.kommuner.reduce((s, k) => s + (byKommun.get(k) ?? 0), 0)
    const pop = populationOf(g, r.kommuner, year)
    const firm = firms.get(r.code)
    return {
      regionLevel: q.level, regionCode: r.code, regionName: r.name, parentCode: r.parent,
      entries, population: pop.population, populationYear: pop.year,
      per10k: pop.population ? Math.round((entries / pop.population) * 10_000 * 100) / 100 : null,
      kkbCompanies: firm?.companies ?? null, kkbPer10k: firm?.per10k ?? null, kkbYear: firm?.year ?? null,
    }
  })
  return { level: q.level, type: q.type ?? null, subtype: q.subtype ?? null, role: q.viewer.role, rows: out }
}
