// Comparisons (issue #21): several regions side by side with the rank and percentile of each among its peers (a kommun
// among all kommuner and within its län, a län among all län), and "kommuner som liknar min" (similar population and
// branch structure). Both read computeKeyFigures, so a compared figure is the published figure, suppression included.
import type { DbHandle } from '../db/client.js'
import { badRequest } from '../errors.js'
import { computeKeyFigures, geography, RIKET, type BranchLevel, type KeyFigureRow, type RegionLevel } from './compute.js'
import type { SuppressionRule } from './formulas.js'
import { dataVersionOf } from '../meta/data-version.js'
import { rankOf, type Rank } from './rank.js'
import { exportNotice, MEASURES as EXPORT_MEASURES, type ExportMeasure, type ExportTable } from './export.js'

/** The measures ranked, in the compare view's order. */
export const RANKED = ['companies', 'per10k', 'shareCompanies', 'lqCompanies', 'employees', 'shareEmployees', 'lqEmployees',
  'turnover', 'valueAdded', 'companiesChangePct', 'population'] as const
export type RankedMeasure = typeof RANKED[number]

/** The rules in words, published with the other formulas (/api/key-figures/methodology, `compare`). */
export const COMPARE_FORMULAS = {
  rank: 'Rank 1 = the highest value among the peers (a kommun among all kommuner of Sweden and among the kommuner of its län; a län among all län). Regions with the same value share the better rank (1, 2, 2, 4). A peer whose value is missing or suppressed is left out of the count (`of` says how many were ranked); a region whose own value is missing or suppressed has no rank.',
  percentile: 'Percent rank: the share of the other ranked peers with a lower value × 100 (0 = lowest, 100 = highest; PERCENT_RANK in SQL). No percentile when only one region is ranked.',
  similar: 'Kommuner som liknar: distance = population distance + structure distance. Population distance = |log10(population A) − log10(population B)| (0.30 = one has twice the population of the other). Structure distance = half the sum over the definition\'s branch groups of |share of the kommun\'s KKB companies in the group, A − same, B| (0 = the same mix of branches, 1 = no group in common). Both for the chosen year; the n kommuner with the smallest distance are listed, the kommun itself excluded. A kommun without population or KKB companies has no structure to compare and is not listed.',
} as const

export { rankOf, type Rank }
export interface CompareRegion {
  regionLevel: 'kommun' | 'lan' | 'riket'; regionCode: string; regionName: string; lanCode: string | null; lanName: string | null
  row: KeyFigureRow
  /** per measure: among all regions of the level (`riket`) and, for a kommun, among the kommuner of its län (`lan`) */
  ranks: Record<RankedMeasure, { riket: Rank | null; lan: Rank | null }>
}
export interface CompareQuery { definition?: string; regions: string[]; branch: BranchLevel; code?: string; year?: number }

/** The reference regions, kept per data version (a reference reload moves it): the codes are checked on every request. */
const regionsOf = async (db: DbHandle) => { const dv = dataVersionOf(db); return dv.memo(await dv.get(), 'compare-geography', () => geography(db)) }

const levelOf = (code: string): 'kommun' | 'lan' | 'riket' | null =>
  (code === RIKET.code ? 'riket' : /^\d{4}$/.test(code) ? 'kommun' : /^\d{2}$/.test(code) ? 'lan' : null)

/** The value of a measure as published (suppressed values are already null in the rows). */
const valueOf = (r: KeyFigureRow, m: RankedMeasure): number | null => {
  const v = r[m]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

async function levelRows (db: DbHandle, level: RegionLevel, q: Omit<CompareQuery, 'regions'>, rule: SuppressionRule) {
  return computeKeyFigures(db, { definition: q.definition, level, branch: [q.branch], codes: q.code ? [q.code] : undefined,
    years: q.year ? [q.year] : 'latest' }, rule)
}

export async function compareRegions (db: DbHandle, q: CompareQuery, rule: SuppressionRule) {
  const codes = [...new Set(q.regions)]
  if (codes.length < 1 || codes.length > 6) throw badRequest('region= takes 1 to 6 region codes (kommun 4 digits, län 2 digits, SE = riket)')
  const bad = codes.filter((c) => !levelOf(c))
  if (bad.length) throw badRequest(`not a region code: ${bad.join(', ')} (kommun 4 digits, län 2 digits, SE = riket)`)
  if (q.branch !== 'total' && q.branch !== 'all' && !q.code) throw badRequest(`branch=${q.branch} needs code= (one group or category code)`)
  // the codes are checked against the reference regions, not the rows: a database without register data has no rows
  const geo = await regionsOf(db)
  const known = new Set([...geo.regions.kommun, ...geo.regions.lan, ...geo.regions.riket].map((r) => r.code))
  const unknown = codes.filter((c) => !known.has(c))
  if (unknown.length) throw badRequest(`unknown region code(s): ${unknown.join(', ')} (GET /api/regions?level=kommun|lan lists them)`)
  const [kommun, lan, riket] = await Promise.all((['kommun', 'lan', 'riket'] as const).map((l) => levelRows(db, l, q, rule)))
  const byLevel = { kommun: kommun.rows, lan: lan.rows, riket: riket.rows }
  const lanName = new Map(lan.rows.map((r) => [r.regionCode, r.regionName]))
  // no year with data: nothing to compare (an empty list, as the key figures give no rows)
  const regions: CompareRegion[] = !kommun.years.length ? [] : codes.map((code) => {
    const level = levelOf(code)!
    const row = byLevel[level].find((r) => r.regionCode === code)!
    const peers = level === 'riket' ? [] : byLevel[level]
    const sameLan = level === 'kommun' ? peers.filter((r) => r.parentCode === row.parentCode) : []
    const ranks = Object.fromEntries(RANKED.map((m) => [m, {
      riket: level === 'riket' ? null : rankOf(valueOf(row, m), peers.map((r) => valueOf(r, m))),
      lan: level === 'kommun' ? rankOf(valueOf(row, m), sameLan.map((r) => valueOf(r, m))) : null,
    }])) as CompareRegion['ranks']
    const lanCode = level === 'kommun' ? row.parentCode : level === 'lan' ? code : null
    return { regionLevel: level, regionCode: code, regionName: row.regionName, lanCode, lanName: lanCode ? lanName.get(lanCode) ?? null : null, row, ranks }
  })
  const first = kommun.rows[0] ?? riket.rows[0]
  return {
    definition: kommun.definition, year: kommun.years[0] ?? null,
    branch: { level: q.branch, code: first?.branchCode ?? q.code ?? q.branch, name: first?.branchName ?? '' },
    measures: [...RANKED], peers: { kommun: kommun.rows.length, lan: lan.rows.length },
    regions, method: COMPARE_FORMULAS,
  }
}

export interface SimilarKommun {
  regionCode: string; regionName: string; lanCode: string; lanName: string; population: number | null; companies: number
  distance: number; populationDistance: number; structureDistance: number
}

/** The kommuner most like `code` by population and branch-group structure (COMPARE_FORMULAS.similar). */
export async function similarKommuner (db: DbHandle, q: { definition?: string; code: string; n: number; year?: number }, rule: SuppressionRule) {
  if (!/^\d{4}$/.test(q.code)) throw badRequest(`kommun= takes one kommun code (4 digits), not ${q.code}`)
  const base = { definition: q.definition, level: 'kommun' as const, years: q.year ? [q.year] : 'latest' as const }
  const [groups, total, lan] = await Promise.all([
    computeKeyFigures(db, { ...base, branch: ['group'] }, rule),
    computeKeyFigures(db, { ...base, branch: ['total'] }, rule),
    computeKeyFigures(db, { ...base, level: 'lan', branch: ['total'] }, rule),
  ])
  const lanName = new Map(lan.rows.map((r) => [r.regionCode, r.regionName]))
  const groupCodes = [...new Set(groups.rows.map((r) => r.branchCode))]
  const profile = new Map<string, { row: KeyFigureRow; shares: number[] }>()
  for (const row of total.rows) {
    const own = groups.rows.filter((g) => g.regionCode === row.regionCode)
    const shares = groupCodes.map((c) => (row.companies > 0 ? (own.find((g) => g.branchCode === c)?.companies ?? 0) / row.companies : 0))
    profile.set(row.regionCode, { row, shares })
  }
  const geo = await regionsOf(db)
  const info = geo.regions.kommun.find((k) => k.code === q.code)
  if (!info) throw badRequest(`unknown kommun code: ${q.code} (GET /api/regions?level=kommun lists them)`)
  const me = profile.get(q.code) // none without register data for the year
  const comparable = (p: { row: KeyFigureRow }) => !!p.row.population && p.row.companies > 0
  const items: SimilarKommun[] = []
  if (me && comparable(me)) {
    for (const [code, p] of profile) {
      if (code === q.code || !comparable(p)) continue
      const populationDistance = Math.abs(Math.log10(p.row.population!) - Math.log10(me.row.population!))
      const structureDistance = p.shares.reduce((s, v, i) => s + Math.abs(v - me.shares[i]), 0) / 2
      items.push({ regionCode: code, regionName: p.row.regionName, lanCode: p.row.parentCode ?? '', lanName: lanName.get(p.row.parentCode ?? '') ?? '',
        population: p.row.population, companies: p.row.companies, distance: round4(populationDistance + structureDistance),
        populationDistance: round4(populationDistance), structureDistance: round4(structureDistance) })
    }
  }
  items.sort((a, b) => a.distance - b.distance || a.regionCode.localeCompare(b.regionCode))
  return {
    definition: total.definition, year: total.years[0] ?? null,
    kommun: { regionCode: q.code, regionName: info.name, population: me?.row.population ?? null, companies: me?.row.companies ?? 0 },
    groups: groupCodes, items: items.slice(0, q.n), method: COMPARE_FORMULAS.similar,
  }
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4

// ---------------------------------------------------------------------------------------------------------
// The comparison as a file: one row per region, each measure with its rank and percentile beside it.

type CompareResult = Awaited<ReturnType<typeof compareRegions>>
const MEASURE_LABEL: Record<RankedMeasure, { label: string; unit: string }> = Object.fromEntries(
  EXPORT_MEASURES.filter((m) => (RANKED as readonly string[]).includes(m.key)).map((m) => [m.key, { label: m.label, unit: m.unit }])) as never
const LEVEL_LABEL = { kommun: 'Kommun', lan: 'Län', riket: 'Riket' }

export function compareTable (res: CompareResult, synthetic: boolean): ExportTable<CompareRegion> {
  const measures: Array<ExportMeasure<CompareRegion>> = RANKED.flatMap((m) => {
    const { label, unit } = MEASURE_LABEL[m]
    const suppressKey = EXPORT_MEASURES.find((x) => x.key === m)?.suppressKey
    return [
      { key: m, label, unit, get: (r) => valueOf(r.row, m), suppressed: suppressKey ? (r) => !!r.row.suppressed[suppressKey] : undefined },
      { key: `${m}RankRiket`, label: `${label}, rang bland alla (kommuner resp. län)`, unit: 'rang', get: (r) => r.ranks[m].riket?.rank ?? null },
      { key: `${m}PercentileRiket`, label: `${label}, percentil bland alla`, unit: 'percentil', get: (r) => r.ranks[m].riket?.percentile ?? null },
      { key: `${m}RankLan`, label: `${label}, rang inom länet`, unit: 'rang', get: (r) => r.ranks[m].lan?.rank ?? null },
    ]
  })
  return {
    ids: [
      { key: 'year', label: 'År', get: () => res.year },
      { key: 'regionLevel', label: 'Regionnivå', get: (r) => LEVEL_LABEL[r.regionLevel] },
      { key: 'regionCode', label: 'Regionkod', get: (r) => r.regionCode }, { key: 'regionName', label: 'Region', get: (r) => r.regionName },
      { key: 'lanCode', label: 'Länskod', get: (r) => r.lanCode ?? '' }, { key: 'lanName', label: 'Län', get: (r) => r.lanName ?? '' },
      { key: 'branchCode', label: 'Branschkod', get: () => res.branch.code }, { key: 'branchName', label: 'Bransch', get: () => res.branch.name },
    ],
    measures, rows: res.regions, notice: exportNotice({ synthetic, provisional: res.definition.provisional }),
  }
}

/** Metadata rows of the XLSX: what was compared, how the ranks are read, the sources and the suppression rule. */
export const compareMetadata = (res: CompareResult, o: { source: string; suppression: string; synthetic: boolean; generatedAt: string }):
  Array<[string, string]> => [
  ['Definition', `${res.definition.name} (${res.definition.id}, version ${res.definition.version})`],
  ['Bransch', `${res.branch.name} (${res.branch.code})`], ['År', String(res.year ?? '')],
  ['Jämförda regioner', res.regions.map((r) => `${r.regionName} (${r.regionCode})`).join(', ')],
  ['Rang', COMPARE_FORMULAS.rank], ['Percentil', COMPARE_FORMULAS.percentile],
  ['Antal jämförda', `${res.peers.kommun} kommuner, ${res.peers.lan} län`],
  ['Källa', o.source], ['Syntetiska data', o.synthetic ? 'Ja – DEMODATA, inte verkliga företag' : 'Nej'],
  ['Röjandekontroll', o.suppression], ['Undertryckt värde', '".." = undertryckt uppgift på grund av röjanderisk'], ['Skapad', o.generatedAt],
]

/** ASCII file name: the compared region codes, the branch and the year. */
export const compareFileName = (res: CompareResult, synthetic: boolean) =>
  ['kkb-jamforelse', res.regions.map((r) => r.regionCode).join('_'), res.branch.code, String(res.year ?? ''), synthetic ? 'DEMODATA' : '']
    .filter(Boolean).join('-').replace(/[^A-Za-z0-9_.-]+/g, '-')
