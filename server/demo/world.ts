// The synthetic world, built once per run from the seed and data/: kommuner with postcodes, town centres, KKB share and
// neighbours, the branch tables, and the permutations that hand out identifiers.
import { readDataCsv } from '../reference/csv-file.js'
import { loadKommunGeometry, pointInKommun, kommunAdjacency, distanceKm, type KommunGeo } from './geo.js'
import { Rng, WeightedTable, AffinePermutation, hash32 } from './random.js'
import { loadBranchTables, KKB_SNI2007, KOMMUN_PROFILES, type BranchTables } from './branches.js'
import { ORG_SPACE, PERSON_SPACE } from './identifiers.js'
import { TOWNS } from './towns.js'

interface Postcode { code: string; city: string }
interface Centre { lon: number; lat: number; sigmaDeg: number }
/** a real town of a full-density kommun (towns.ts): its centre and the postcodes its firms get */
export interface TownCentre extends Centre { name: string; postcodes: Postcode[] }

export interface Kommun {
  index: number
  code: string
  name: string
  lanCode: string
  population: number
  geo: KommunGeo
  postcodes: Postcode[]
  centres: Centre[]
  centreWeights: number[]
  kkbShare: number
  agriShare: number
  kkbTable: WeightedTable<string>
  /** kommuner of the same and neighbouring län (for moves and extra workplaces) */
  nearby: WeightedTable<number>
  /** real towns (towns.ts), for the kommuner that have them: points and postcodes then follow the towns */
  towns: TownCentre[] | null
  townTable: WeightedTable<number> | null
  /** share of firms outside the towns (the kommun's population outside them), spread over the kommun */
  ruralShare: number
}

export interface World {
  kommuner: Kommun[]
  kommunTable: WeightedTable<number>
  /** each kommun's share of the register (population^0.92, normalised), by kommun index */
  kommunShare: Float64Array
  branches: BranchTables
  general: WeightedTable<string>
  agri: WeightedTable<string>
  kkbGlobal: WeightedTable<string>
  byDivision: Map<string, string[]>
  orgPerm: AffinePermutation
  pnrPerm: AffinePermutation
  cfarPerm: AffinePermutation
  kkb2007: ReadonlySet<string>
  seed: number
  /** sole traders' birth years: 60 years, aged 20–79 in the first reference year (1945–2004 for 2024) */
  birthFirstYear: number
}

function samplePointInBox (rng: Rng, g: KommunGeo): [number, number] | null {
  for (let t = 0; t < 2000; t++) {
    const lon = g.bbox[0] + rng.float() * (g.bbox[2] - g.bbox[0])
    const lat = g.bbox[1] + rng.float() * (g.bbox[3] - g.bbox[1])
    if (pointInKommun(g, lon, lat)) return [lon, lat]
  }
  return null
}

/** The nearest point inside the polygon to (lon, lat), searched on rings of growing radius (≈ 200 m steps, up to ≈ 20 km). */
function nearestInside (g: KommunGeo, lon: number, lat: number): [number, number] {
  if (pointInKommun(g, lon, lat)) return [lon, lat]
  const cos = Math.cos(lat * Math.PI / 180)
  for (let r = 1; r <= 100; r++) {
    const d = r * 0.2 / 111.32
    for (let a = 0; a < 32; a++) {
      const x = lon + d * Math.cos(a * Math.PI / 16) / cos
      const y = lat + d * Math.sin(a * Math.PI / 16)
      if (pointInKommun(g, x, y)) return [x, y]
    }
  }
  return [g.centroid[0], g.centroid[1]]
}

/** A kommun's real towns (towns.ts) as centres: spread by town size, postcodes of the town's postort (else of the
 * kommun's main town, else any of the kommun's), weights by population, the rest of the population as rural share. */
function townsOf (code: string, g: KommunGeo, postcodes: Postcode[], population: number):
Pick<Kommun, 'towns' | 'townTable' | 'ruralShare'> {
  const list = TOWNS[code]
  if (!list?.length) return { towns: null, townTable: null, ruralShare: 0 }
  const byCity = (name: string) => postcodes.filter((p) => p.city === name)
  const mainPostcodes = byCity(list[0].name)
  const towns = list.map((t) => {
    const [lon, lat] = nearestInside(g, t.lon, t.lat)
    const own = byCity(t.name)
    const sigmaKm = 0.35 + 0.012 * Math.sqrt(t.population)
    return { name: t.name, lon, lat, sigmaDeg: sigmaKm / 111.32, postcodes: own.length ? own : mainPostcodes.length ? mainPostcodes : postcodes }
  })
  const inTowns = list.reduce((s, t) => s + t.population, 0)
  const ruralShare = Math.min(0.5, Math.max(0.1, 1 - inTowns / population))
  return { towns, townTable: new WeightedTable(towns.map((_, i) => i), list.map((t) => t.population)), ruralShare }
}

/** Company indices must fit the identifier permutations (organisation and personal numbers, 6 CFAR numbers each). */
export function checkIdentifierSpace (companies: number): void {
  if (companies > ORG_SPACE || companies > PERSON_SPACE || companies * 6 > 90_000_000) throw new Error('too many companies for the synthetic identifier spaces')
}

export function buildWorld (seed: number, maxCompanies: number, firstYear: number): World {
  const geo = loadKommunGeometry()
  const pop = new Map(readDataCsv<{ kommun_code: string; population: string }>('population_kommun.csv').map((r) => [r.kommun_code, Number(r.population)]))
  const postcodes = new Map<string, Postcode[]>()
  for (const p of readDataCsv<{ postal_code: string; locality: string; municipality_code: string }>('postnummer_kommun.csv')) {
    if (!postcodes.has(p.municipality_code)) postcodes.set(p.municipality_code, [])
    postcodes.get(p.municipality_code)!.push({ code: p.postal_code, city: p.locality.trim() })
  }
  const branches = loadBranchTables()
  const rows = readDataCsv<{ kommun_code: string; kommun_name: string; lan_code: string }>('kommuner.csv')
    .sort((a, b) => a.kommun_code.localeCompare(b.kommun_code))

  // KKB share per kommun: profile × size factor, scaled so the population-weighted mean is ≈ 10 %
  const rawShare = rows.map((r) => {
    const p = pop.get(r.kommun_code) ?? 0
    const profile = KOMMUN_PROFILES[r.kommun_code]?.share
    if (profile !== undefined) return profile
    const size = p < 15_000 ? 0.8 : p < 40_000 ? 0.9 : 1
    return size * (r.lan_code === '01' ? 1.1 : 1)
  })
  const weights = rows.map((r) => Math.pow(pop.get(r.kommun_code) ?? 1000, 0.92))
  const wsum = weights.reduce((a, b) => a + b, 0)
  const meanRaw = rows.reduce((s, _, i) => s + weights[i] * rawShare[i], 0) / wsum
  const scale = 0.10 / meanRaw

  const kommuner: Kommun[] = rows.map((r, index) => {
    const g = geo.get(r.kommun_code)
    if (!g) throw new Error(`no polygon for kommun ${r.kommun_code}`)
    const pc = postcodes.get(r.kommun_code)
    if (!pc?.length) throw new Error(`no postcode for kommun ${r.kommun_code}`)
    const population = pop.get(r.kommun_code) ?? 1000
    const rng = Rng.of(seed, 21, index)
    // 1–4 town centres inside the polygon: the main one at the area centroid when that is inside
    const nCentres = population > 100_000 ? 4 : population > 30_000 ? 3 : population > 10_000 ? 2 : rng.int(1, 2)
    const baseSigmaKm = Math.min(5, Math.max(0.7, Math.sqrt(g.areaKm2) * 0.05)) * (population > 300_000 ? 1.6 : 1)
    const centres: Centre[] = []
    const main = pointInKommun(g, g.centroid[0], g.centroid[1]) ? g.centroid : samplePointInBox(rng, g)
    if (!main) throw new Error(`could not place a point in kommun ${r.kommun_code}`)
    centres.push({ lon: main[0], lat: main[1], sigmaDeg: baseSigmaKm / 111.32 })
    while (centres.length < nCentres) {
      const p = samplePointInBox(rng, g)
      if (!p) break
      centres.push({ lon: p[0], lat: p[1], sigmaDeg: 0.6 * baseSigmaKm / 111.32 })
    }
    const centreWeights = centres.map((_, i) => (i === 0 ? (centres.length === 1 ? 1 : 0.62) : 0.38 / (centres.length - 1)))
    const profileCodes = KOMMUN_PROFILES[r.kommun_code]?.codes ?? {}
    const kkbWeights = branches.kkb.codes.map((c, i) => branches.kkb.weights[i] * (profileCodes[c] ?? 1))
    const density = population / Math.max(1, g.areaKm2)
    return {
      index,
      code: r.kommun_code,
      name: r.kommun_name,
      lanCode: r.lan_code,
      population,
      geo: g,
      postcodes: pc,
      centres,
      centreWeights,
      kkbShare: Math.min(0.3, rawShare[index] * scale),
      agriShare: 0.01 + 0.2 / (1 + density / 15),
      kkbTable: new WeightedTable(branches.kkb.codes, kkbWeights),
      nearby: null as unknown as WeightedTable<number>,
      ...townsOf(r.kommun_code, g, pc, population),
    }
  })

  // län adjacency from shared kommun boundary vertices; a län without neighbours (Gotland) gets the two nearest
  const adj = kommunAdjacency(geo)
  const byCode = new Map(kommuner.map((k) => [k.code, k]))
  const lanNeighbours = new Map<string, Set<string>>()
  for (const k of kommuner) {
    if (!lanNeighbours.has(k.lanCode)) lanNeighbours.set(k.lanCode, new Set([k.lanCode]))
    for (const n of adj.get(k.code) ?? []) lanNeighbours.get(k.lanCode)!.add(byCode.get(n)!.lanCode)
  }
  const lanCentre = new Map<string, [number, number]>()
  for (const lan of lanNeighbours.keys()) {
    const ks = kommuner.filter((k) => k.lanCode === lan)
    lanCentre.set(lan, [ks.reduce((s, k) => s + k.centres[0].lon, 0) / ks.length, ks.reduce((s, k) => s + k.centres[0].lat, 0) / ks.length])
  }
  for (const [lan, set] of lanNeighbours) {
    if (set.size > 1) continue
    const [x, y] = lanCentre.get(lan)!
    const nearest = [...lanCentre.entries()].filter(([l]) => l !== lan)
      .sort((a, b) => distanceKm(x, y, a[1][0], a[1][1]) - distanceKm(x, y, b[1][0], b[1][1])).slice(0, 2)
    for (const [l] of nearest) set.add(l)
  }
  const nearbyByLan = new Map<string, WeightedTable<number>>()
  for (const [lan, set] of lanNeighbours) {
    const ks = kommuner.filter((k) => set.has(k.lanCode))
    nearbyByLan.set(lan, new WeightedTable(ks.map((k) => k.index), ks.map((k) => k.population * (k.lanCode === lan ? 2 : 1))))
  }
  for (const k of kommuner) k.nearby = nearbyByLan.get(k.lanCode)!

  const byDivision = new Map<string, string[]>()
  for (const c of [...branches.general.codes, ...branches.agri.codes]) {
    const d = c.slice(0, 2)
    if (!byDivision.has(d)) byDivision.set(d, [])
    byDivision.get(d)!.push(c)
  }
  const birthFirstYear = firstYear - 79
  checkIdentifierSpace(maxCompanies)
  return {
    kommuner,
    kommunTable: new WeightedTable(kommuner.map((k) => k.index), weights),
    kommunShare: Float64Array.from(weights, (x) => x / wsum),
    branches,
    general: new WeightedTable(branches.general.codes, branches.general.weights),
    agri: new WeightedTable(branches.agri.codes, branches.agri.weights),
    kkbGlobal: new WeightedTable(branches.kkb.codes, branches.kkb.weights),
    byDivision,
    orgPerm: new AffinePermutation(ORG_SPACE, hash32(seed, 31)),
    pnrPerm: new AffinePermutation(PERSON_SPACE, hash32(seed, 32)),
    cfarPerm: new AffinePermutation(90_000_000, hash32(seed, 33)),
    kkb2007: KKB_SNI2007,
    seed,
    birthFirstYear,
  }
}
