// Deterministic generator of a SYNTHETIC ("Demodata") Swedish business register, written as files
// in the project's real import formats (see server/demo/README.md):
//   csv       companies-<year>.csv, workplaces-<year>.csv (UTF-8, ';', decimal comma, header row)
//   scb-bulk  scb_bulkfil_JE_<year>0601T065839_76.txt (SCB's bulk layout: TAB, ISO-8859-1, CRLF, no quoting)
//   plus education.csv (arts/culture education providers) and README-DEMODATA.txt.
//
// Nothing here describes a real company or person. Organisation numbers are made up (Luhn-valid, so
// they pass validation) and may by chance equal real ones; personal identity numbers cannot be anyone's
// (their day of month is 32–59, see DEMO_DAY_OFFSET); names are built from word lists.
//
// Design: every row is a pure function of (seed, row index) — each company draws from its own
// PRNG stream (hash of seed + index), so output is byte-identical for the same seed and nothing
// per-company is kept in memory. Both reference years are written in one pass: company i's
// year-one row, then its year-two row (kept / changed / deregistered) from a second stream; new
// year-two companies get indices after the year-one ones. Rows go through buffered writers that
// honour backpressure, so 1.3 M companies × 2 years run in flat memory.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { readDataCsv } from '../reference/csv-file.js'
import { sizeClassFor } from '../reference/size-classes.js'
import { loadKommunGeometry, pointInKommun, kommunAdjacency, distanceKm, type KommunGeo } from './geo.js'
import { Rng, WeightedTable, AffinePermutation, hash32 } from './random.js'
import { loadBranchTables, KKB_SNI2007, KOMMUN_PROFILES, UNIVERSITY_TOWNS, type BranchTables } from './branches.js'
import { businessName, streetAddress, placeWord, FIRST_NAMES, LAST_NAMES } from './words.js'
import { LineWriter, csvField, decimalComma } from './writer.js'

export type DemoFormat = 'csv' | 'scb-bulk'

export interface GenerateOptions {
  /** companies in the first reference year (the second has ≈ +2 %: 93 % kept + 9 % new) */
  companiesPerYear: number
  /** [first, second] reference year: the first is coded in SNI 2007, the second in SNI 2025 */
  years: [number, number]
  seed: number
  outDir: string
  formats: DemoFormat[]
  /** arts/culture education providers (0 = no education.csv) */
  educationProviders: number
  /** progress messages (e.g. to stderr) */
  onProgress?: (message: string) => void
}

export interface YearCounts {
  companies: number
  kkbCompanies: number
  soleTraders: number
  inactive: number
  registeredLastYear: number
  marketingOptOut: number
  exactEmployees: number
  withTurnover: number
  workplaces: number
  withForetagsnamn: number
}

export interface GenerateResult {
  files: {
    companies: Record<string, string>
    workplaces: Record<string, string>
    scbBulk: Record<string, string>
    education: string | null
    readme: string
  }
  counts: {
    years: Record<string, YearCounts>
    keptFromFirstYear: number
    droppedAfterFirstYear: number
    newInSecondYear: number
    educationProviders: number
    educationProgrammes: number
  }
  bytes: number
  seconds: number
}

export const DEFAULT_OPTIONS: Omit<GenerateOptions, 'outDir'> = {
  companiesPerYear: 20_000,
  years: [2024, 2025],
  seed: 42,
  formats: ['csv', 'scb-bulk'],
  educationProviders: 300,
}

export const COMPANIES_CSV_HEADER = 'orgnr;name;legal_form;sni1;sni2;sni3;sni4;sni5;sni_version;kommun;street;postcode;city;employees;size_class;turnover_ksek;value_added_ksek;registered;deregistered;active;marketing_optout;lat;lon'
export const WORKPLACES_CSV_HEADER = 'workplace_id;orgnr;name;sni1;sni2;sni3;sni4;sni5;sni_version;kommun;street;postcode;city;employees;size_class;lat;lon;active'
export const EDUCATION_CSV_HEADER = 'provider;provider_type;programme;sun_code;places;kommun;street;postcode;city;lat;lon;start_year;url'
/**
 * The 34 columns of SCB's bulk file, in the order we write them: the 18 data columns named in
 * shared/research/source-formats.md §1, then one mask column per masked data column (m + name),
 * in the same order. The real file's column order is not documented in our sources.
 */
export const SCB_BULK_COLUMNS = [
  'PeOrgNr', 'Namn', 'Foretagsnamn', 'FtgStat', 'JEStat', 'JurForm', 'COAdress', 'Gatuadress', 'PostNr', 'PostOrt',
  'Ng1', 'Ng2', 'Ng3', 'Ng4', 'Ng5', 'RegDatKtid', 'Reklamsparrtyp', 'ForAndrTyp',
  'mNamn', 'mForetagsnamn', 'mFtgStat', 'mJEStat', 'mJurForm', 'mCOAdress', 'mGatuadress', 'mPostNr', 'mPostOrt',
  'mNg1', 'mNg2', 'mNg3', 'mNg4', 'mNg5', 'mRegDatKtid', 'mReklamsparrtyp',
] as const

export function scbBulkFileName (year: number): string { return `scb_bulkfil_JE_${year}0601T065839_76.txt` }

// ---------------------------------------------------------------------------------------------
// Identifiers

/** Luhn (modulus 10, weights 2-1-2-…) check digit for the first 9 digits. */
export function luhnCheckDigit (nine: string): number {
  let sum = 0
  for (let i = 0; i < 9; i++) {
    let d = (nine.charCodeAt(i) - 48) * (i % 2 === 0 ? 2 : 1)
    if (d > 9) d -= 9
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

export function isLuhnValid (ten: string): boolean {
  return /^\d{10}$/.test(ten) && luhnCheckDigit(ten.slice(0, 9)) === ten.charCodeAt(9) - 48
}

/**
 * A sole trader's number is written with the birth day + 31 (day 32–59, birth days 1–28): a personnummer has the birth
 * day (01–31), a samordningsnummer the birth day + 60 (61–91), so no number with day 32–59 has ever been issued to
 * anyone, in any century. That holds in the 10-digit form too, which has lost the century (a made-up birth date that is
 * impossible in one century — born 1820 — is a living child's in the next: 2020). Month 01–12 and the Luhn digit
 * still make the importer read the number as a personal identity number, as it must.
 */
export const DEMO_DAY_OFFSET = 31
export const DEMO_BIRTH_DAYS = 28

const DAY_MS = 86_400_000
const dayOf = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / DAY_MS
const dateCache = new Map<number, string>()
/** YYYY-MM-DD for a day number (days since 1970-01-01). */
function isoDate (day: number): string {
  let s = dateCache.get(day)
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10)
    dateCache.set(day, s)
  }
  return s
}

/** Orgnr prefixes per legal form: AB 55…, ekonomisk förening 76…, ideell förening 80…, HB/KB 96… */
const ORGNR_PREFIX: Record<string, string> = { 49: '55', 51: '76', 61: '80', 31: '96' }

// ---------------------------------------------------------------------------------------------
// The synthetic world (built once per run from seed + data/)

interface Postcode { code: string; city: string }
interface Centre { lon: number; lat: number; sigmaDeg: number }

interface Kommun {
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
}

interface World {
  kommuner: Kommun[]
  kommunTable: WeightedTable<number>
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

function buildWorld (seed: number, maxCompanies: number, firstYear: number): World {
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
  const personSpace = 60 * 12 * DEMO_BIRTH_DAYS * 999 // birth month × birth day 1–28 × serial 001–999
  if (maxCompanies > 8_000_000 || maxCompanies > personSpace || maxCompanies * 6 > 90_000_000) throw new Error('too many companies for the synthetic identifier spaces')
  return {
    kommuner,
    kommunTable: new WeightedTable(kommuner.map((k) => k.index), weights),
    branches,
    general: new WeightedTable(branches.general.codes, branches.general.weights),
    agri: new WeightedTable(branches.agri.codes, branches.agri.weights),
    kkbGlobal: new WeightedTable(branches.kkb.codes, branches.kkb.weights),
    byDivision,
    orgPerm: new AffinePermutation(8_000_000, hash32(seed, 31)),
    pnrPerm: new AffinePermutation(personSpace, hash32(seed, 32)),
    cfarPerm: new AffinePermutation(90_000_000, hash32(seed, 33)),
    kkb2007: KKB_SNI2007,
    seed,
    birthFirstYear,
  }
}

// ---------------------------------------------------------------------------------------------
// Companies

interface Place {
  kommun: Kommun
  street: string | null
  postcode: string | null
  city: string | null
  lon: number | null
  lat: number | null
}

interface Company {
  index: number
  orgnr: string
  peOrgNr: string
  legalForm: string
  sole: boolean
  name: string
  personName: string | null
  /** sole trader with a registered trade name: SCB bulk Foretagsnamn filled, Namn = the person */
  foretagsnamn: boolean
  coAddress: string
  protectedAddress: boolean
  place: Place
  sni: string[] // SNI 2007 codes, primary first
  employees: number
  exactEmployees: boolean
  turnover: number | null
  valueAdded: number | null
  registered: number // day number
  deregistered: number | null
  active: boolean
  optOut: boolean
}

const LEGAL_FORMS = ['10', '49', '31', '61', '51'] as const
// weights for [sole trader, AB, HB/KB, ideell förening, ekonomisk förening]
const LF_KKB = [0.62, 0.30, 0.03, 0.04, 0.01]
const LF_KKB_SOLE = [0.80, 0.14, 0.02, 0.03, 0.01]
const LF_KKB_SCHOOL = [0.55, 0.25, 0.03, 0.15, 0.02]
const LF_KKB_ORG = [0.10, 0.30, 0.00, 0.45, 0.15]
const LF_KKB_CORP = [0.20, 0.75, 0.02, 0.02, 0.01]
const LF_AGRI = [0.80, 0.12, 0.05, 0.01, 0.02]
const LF_CORP = [0.15, 0.78, 0.04, 0.01, 0.02]
const LF_ASSOC = [0.10, 0.10, 0.01, 0.75, 0.04]
const LF_HEALTH = [0.30, 0.62, 0.03, 0.03, 0.02]
const LF_GENERAL = [0.40, 0.50, 0.05, 0.03, 0.02]
const KKB_SOLE_CODES = new Set(['90030', '74201', '74203', '90010', '74300', '74102', '32120'])
const KKB_ORG_CODES = new Set(['91011', '91012', '91020', '91030', '90040'])
const KKB_CORP_CODES = new Set(['58131', '58132', '60100', '60200', '18110', '18121', '18122', '18130', '18140', '18200', '58210', '59130', '59140', '73120', '77220'])
const CORP_DIVISIONS = new Set(['64', '68', '41', '42', '46', '62', '35', '52', '24', '26', '27', '28', '29', '30', '19', '20', '21', '65', '66'])

function legalFormWeights (code: string, kkb: boolean): number[] {
  const d = code.slice(0, 2)
  if (kkb) {
    if (KKB_SOLE_CODES.has(code)) return LF_KKB_SOLE
    if (KKB_ORG_CODES.has(code)) return LF_KKB_ORG
    if (KKB_CORP_CODES.has(code)) return LF_KKB_CORP
    if (code === '85522' || code === '85521') return LF_KKB_SCHOOL
    return LF_KKB
  }
  if (d === '01' || d === '02' || d === '03') return LF_AGRI
  if (CORP_DIVISIONS.has(d)) return LF_CORP
  if (d === '94' || d === '93' || d === '91') return LF_ASSOC
  if (d === '86' || d === '87' || d === '88') return LF_HEALTH
  return LF_GENERAL
}

// Employee size bins [min, max] and probabilities per kind of unit
const EMP_BINS: Array<[number, number]> = [[0, 0], [1, 4], [5, 9], [10, 19], [20, 49], [50, 99], [100, 199], [200, 499], [500, 999], [1000, 1000]]
const EMP_SOLE = [0.86, 0.14]
const EMP_AB = [0.33, 0.40, 0.12, 0.07, 0.045, 0.015, 0.007, 0.004, 0.0012, 0.0008]
const EMP_AB_KKB = [0.42, 0.41, 0.09, 0.045, 0.025, 0.006, 0.002, 0.0012, 0.0005, 0.0003]
const EMP_AB_BIG = [0.25, 0.36, 0.15, 0.11, 0.08, 0.03, 0.013, 0.008, 0.0025, 0.0015]
const EMP_AB_HOLDING = [0.70, 0.20, 0.05, 0.03, 0.015, 0.005]
const EMP_HB = [0.55, 0.38, 0.05, 0.02]
const EMP_IDEELL = [0.62, 0.22, 0.08, 0.045, 0.02, 0.01, 0.004, 0.001]
const EMP_EK = [0.50, 0.30, 0.10, 0.05, 0.03, 0.012, 0.005, 0.003]
const BIG_DIVISIONS = new Set(['10', '16', '17', '20', '22', '23', '24', '25', '26', '27', '28', '29', '30', '33', '35', '49', '52', '78', '80', '81', '86', '87', '88'])

function drawEmployees (rng: Rng, legalForm: string, code: string, kkb: boolean): number {
  const d = code.slice(0, 2)
  const probs = legalForm === '10' ? EMP_SOLE
    : legalForm === '31' ? EMP_HB
      : legalForm === '61' ? EMP_IDEELL
        : legalForm === '51' ? EMP_EK
          : kkb ? EMP_AB_KKB
            : d === '64' || d === '68' ? EMP_AB_HOLDING
              : BIG_DIVISIONS.has(d) ? EMP_AB_BIG : EMP_AB
  let u = rng.float()
  let bin = probs.length - 1
  for (let b = 0; b < probs.length; b++) {
    u -= probs[b]
    if (u < 0) { bin = b; break }
  }
  if (bin === 0) return 0
  if (bin === EMP_BINS.length - 1) return Math.min(25_000, Math.floor(1000 / Math.pow(1 - rng.float(), 1 / 1.3)))
  const [min, max] = EMP_BINS[bin]
  return rng.skewedInt(min, max, legalForm === '10' ? 3 : 1.8)
}

/** Median turnover per employee, kSEK (rough). */
function turnoverPerEmployee (code: string, kkb: boolean): number {
  if (kkb) return 950
  const d = code.slice(0, 2)
  switch (d) {
    case '46': return 4500
    case '45': return 3000
    case '47': return 2200
    case '35': return 6000
    case '64': case '68': return 3000
    case '55': case '56': return 700
    case '86': case '87': case '88': return 800
    case '41': case '42': case '43': return 1800
    case '01': case '02': case '03': return 1500
    default: return Number(d) >= 10 && Number(d) <= 33 ? 2000 : 1400
  }
}

function drawTurnover (rng: Rng, c: { employees: number; sole: boolean; sni: string[] }, kkb: boolean): [number, number] {
  const perEmp = turnoverPerEmployee(c.sni[0], kkb)
  const t = c.employees >= 1
    ? rng.lognormal(perEmp * c.employees, 0.6)
    : rng.chance(0.05) ? 0 : rng.lognormal(c.sole ? (kkb ? 180 : 260) : 600, 1.0)
  const turnover = Math.round(t)
  let va = Math.round(turnover * Math.min(0.95, Math.max(0.03, rng.lognormal(0.38, 0.35))))
  if (rng.chance(0.02)) va = -Math.round(turnover * (0.05 + 0.25 * rng.float()))
  return [turnover, va]
}

function makePlace (rng: Rng, k: Kommun, rural: boolean): Place {
  const pc = rng.pick(k.postcodes)
  const street = streetAddress(rng)
  let lon = NaN
  let lat = NaN
  const g = k.geo
  if (rural && rng.chance(0.7)) {
    const p = samplePointInBoxFew(rng, g)
    if (p) [lon, lat] = p
  }
  if (Number.isNaN(lon)) {
    const centre = k.centres.length === 1 ? k.centres[0] : k.centres[pickIndex(rng, k.centreWeights)]
    for (let t = 0; t < 30; t++) {
      const x = round6(centre.lon + rng.normal() * centre.sigmaDeg / Math.cos(centre.lat * Math.PI / 180))
      const y = round6(centre.lat + rng.normal() * centre.sigmaDeg)
      if (pointInKommun(g, x, y)) { lon = x; lat = y; break }
    }
    if (Number.isNaN(lon)) { lon = round6(centre.lon); lat = round6(centre.lat) }
  }
  // rounded coordinates must still be inside (a point within 1e-6° of the border could slip out)
  if (!pointInKommun(g, lon, lat)) { lon = round6(k.centres[0].lon); lat = round6(k.centres[0].lat) }
  return { kommun: k, street, postcode: pc.code, city: pc.city, lon, lat }
}

function samplePointInBoxFew (rng: Rng, g: KommunGeo): [number, number] | null {
  for (let t = 0; t < 40; t++) {
    const lon = round6(g.bbox[0] + rng.float() * (g.bbox[2] - g.bbox[0]))
    const lat = round6(g.bbox[1] + rng.float() * (g.bbox[3] - g.bbox[1]))
    if (pointInKommun(g, lon, lat)) return [lon, lat]
  }
  return null
}

function pickIndex (rng: Rng, weights: number[]): number {
  let u = rng.float()
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]
    if (u < 0) return i
  }
  return weights.length - 1
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6

function drawPrimary (rng: Rng, w: World, k: Kommun): { code: string; kkb: boolean } {
  if (rng.chance(k.kkbShare)) return { code: k.kkbTable.pick(rng), kkb: true }
  return { code: rng.chance(k.agriShare) ? w.agri.pick(rng) : w.general.pick(rng), kkb: false }
}

function drawSecondary (rng: Rng, w: World, primary: string, kkb: boolean): string[] {
  const u = rng.float()
  const n = u < 0.72 ? 0 : u < 0.90 ? 1 : u < 0.965 ? 2 : u < 0.99 ? 3 : 4
  const out = [primary]
  for (let t = 0; out.length < n + 1 && t < 12; t++) {
    let c: string
    if (kkb && rng.chance(0.6)) c = w.kkbGlobal.pick(rng)
    else if (!kkb && rng.chance(0.7)) c = rng.pick(w.byDivision.get(primary.slice(0, 2)) ?? [primary])
    else c = w.general.pick(rng)
    if (!out.includes(c)) out.push(c)
  }
  return out
}

const isAgri = (code: string): boolean => code < '04'

/** Company `index` as it stands in the first year (or, if newInYear, as a company new in the second year). */
function makeCompany (rng: Rng, w: World, index: number, ref: number, newInYear: boolean): Company {
  const k = index < w.kommuner.length * 3 ? w.kommuner[index % w.kommuner.length] : w.kommuner[w.kommunTable.pick(rng)]
  const { code, kkb } = drawPrimary(rng, w, k)
  const legalForm = LEGAL_FORMS[pickIndex(rng, legalFormWeights(code, kkb))]
  const sole = legalForm === '10'
  let orgnr: string
  let peOrgNr: string
  let birth = 0
  if (sole) {
    const p = w.pnrPerm.apply(index)
    const serial = String((p % 999) + 1).padStart(3, '0')
    const day = Math.floor(p / 999) % DEMO_BIRTH_DAYS + 1
    const month = Math.floor(p / (999 * DEMO_BIRTH_DAYS))
    const year = w.birthFirstYear + Math.floor(month / 12)
    birth = dayOf(year, month % 12 + 1, day)
    const iso = isoDate(birth)
    const nine = iso.slice(2, 4) + iso.slice(5, 7) + String(day + DEMO_DAY_OFFSET) + serial
    orgnr = nine + luhnCheckDigit(nine)
    peOrgNr = (iso.startsWith('19') ? '19' : '20') + orgnr
  } else {
    const nine = ORGNR_PREFIX[legalForm] + String(2_000_000 + w.orgPerm.apply(index))
    orgnr = nine + luhnCheckDigit(nine)
    peOrgNr = '16' + orgnr
  }
  const names = businessName(rng, legalForm, code, kkb)
  const sni = drawSecondary(rng, w, code, kkb)
  const protectedAddress = sole && rng.chance(0.001)
  const place: Place = protectedAddress
    ? { kommun: k, street: null, postcode: null, city: null, lon: null, lat: null }
    : makePlace(rng, k, isAgri(code))
  // registration date: ≈ 8 % in the last 12 months, otherwise older (exponential age)
  let registered: number
  if (newInYear || rng.chance(0.08)) registered = ref - rng.int(0, 364)
  else {
    const ageDays = 366 + Math.floor(rng.exponential(sole ? 7 : 11) * 365.25)
    registered = Math.max(ref - ageDays, dayOf(1930, 1, 1))
  }
  if (sole && registered < birth + 18 * 365.25) {
    const earliest = Math.ceil(birth + 18 * 365.25)
    registered = Math.min(ref, earliest + rng.int(0, Math.max(0, Math.min(3650, ref - earliest))))
  }
  const inactive = rng.chance(registered > ref - 365 ? 0.01 : 0.055)
  let deregistered: number | null = null
  let employees = 0
  if (inactive) {
    deregistered = Math.max(registered, Math.min(ref - 1, Math.max(registered + 30, ref - rng.int(1, 700))))
  } else {
    employees = drawEmployees(rng, legalForm, code, kkb)
  }
  const c: Company = {
    index,
    orgnr,
    peOrgNr,
    legalForm,
    sole,
    name: names.name,
    personName: names.personName,
    foretagsnamn: sole && names.name !== names.personName && rng.chance(0.42),
    coAddress: !protectedAddress && rng.chance(0.015) ? `c/o ${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}` : '',
    protectedAddress,
    place,
    sni,
    employees,
    exactEmployees: rng.chance(0.6),
    turnover: null,
    valueAdded: null,
    registered,
    deregistered,
    active: !inactive,
    optOut: rng.chance(0.03),
  }
  if (c.active && rng.chance(0.735)) [c.turnover, c.valueAdded] = drawTurnover(rng, c, kkb)
  return c
}

/**
 * The same company one year later, or null when it was deregistered and left the register.
 * ≈ 7 % leave (most of the first year's inactive ones plus ≈ 3 % of the active ones), ≈ 4.5 % of
 * the active ones become inactive, the rest change a little (employees, turnover), ≈ 2.5 % move.
 */
function evolveCompany (rng: Rng, w: World, c1: Company, ref1: number, ref2: number): Company | null {
  if (!c1.active) {
    if (rng.chance(0.8)) return null
    return { ...c1, sni: c1.sni.slice() }
  }
  if (rng.chance(0.0316)) return null
  const c: Company = { ...c1, sni: c1.sni.slice() }
  if (rng.chance(0.0446)) {
    c.active = false
    c.deregistered = ref1 + rng.int(1, ref2 - ref1)
    c.employees = 0
    c.turnover = null
    c.valueAdded = null
    return c
  }
  if (c.employees >= 1) c.employees = Math.max(0, Math.round(c.employees * rng.lognormal(1, 0.12) + rng.normal(0, 0.7)))
  else if (rng.chance(0.04)) c.employees = rng.int(1, 2)
  if (c.turnover !== null && c.valueAdded !== null) {
    const f = rng.lognormal(1.03, 0.12)
    c.turnover = Math.round(c.turnover * f)
    c.valueAdded = Math.round(c.valueAdded * f * rng.lognormal(1, 0.05))
  }
  if (!c.protectedAddress && rng.chance(0.025)) {
    const k = rng.chance(0.65) ? c.place.kommun : w.kommuner[c.place.kommun.nearby.pick(rng)]
    c.place = makePlace(rng, k, isAgri(c.sni[0]))
  }
  if (rng.chance(0.012)) {
    const { code } = drawPrimary(rng, w, c.place.kommun)
    c.sni = [code, ...c.sni.filter((x) => x !== code)].slice(0, 5)
  }
  if (!c.sole && rng.chance(0.005)) c.name = businessName(rng, c.legalForm, c.sni[0], w.kkb2007.has(c.sni[0])).name
  if (!c.optOut && rng.chance(0.003)) c.optOut = true
  return c
}

// ---------------------------------------------------------------------------------------------
// Rows

function sniSlots (sni: string[]): string {
  return `${sni[0] ?? ''};${sni[1] ?? ''};${sni[2] ?? ''};${sni[3] ?? ''};${sni[4] ?? ''}`
}

function companyCsv (c: Company, sni: string[], version: string): string {
  const p = c.place
  return [
    c.orgnr, csvField(c.name), c.legalForm, sniSlots(sni), version, p.kommun.code,
    csvField(p.street), p.postcode ?? '', csvField(p.city),
    c.exactEmployees ? String(c.employees) : '', sizeClassFor(c.employees),
    c.turnover ?? '', c.valueAdded ?? '', isoDate(c.registered), c.deregistered === null ? '' : isoDate(c.deregistered),
    c.active ? '1' : '0', c.optOut ? '1' : '0', decimalComma(p.lat, 6), decimalComma(p.lon, 6),
  ].join(';')
}

const TAB_SAFE = /[\t\r\n]/g
const bulkText = (s: string | null): string => (s === null ? '' : s.replace(TAB_SAFE, ' '))

function companyBulk (c: Company, sni: string[]): string {
  const p = c.place
  const namn = c.foretagsnamn ? c.personName! : c.name
  const m = c.protectedAddress ? '1' : ''
  const reg = isoDate(c.registered).replace(/-/g, '')
  const stat = c.active ? '1' : '9'
  return [
    c.peOrgNr, bulkText(namn), c.foretagsnamn ? bulkText(c.name) : '', stat, stat, c.legalForm,
    bulkText(c.coAddress), bulkText(p.street), p.postcode ?? '', p.city === null ? '' : bulkText(p.city.toUpperCase()),
    sni[0] ?? '', sni[1] ?? '', sni[2] ?? '', sni[3] ?? '', sni[4] ?? '', reg, c.optOut ? '2' : '1', '',
    // masks: mNamn … mReklamsparrtyp; only the address of a protected sole trader is masked
    '', '', '', '', '', '', m, m, m, '', '', '', '', '', '', '',
  ].join('\t')
}

interface WorkplacePlan { extra: number; kommuner: number[]; fractions: number[]; useSecondary: boolean[] }

/** Extra workplaces are a stable property of the company (same CFAR numbers and places in both years). */
function planWorkplaces (rng: Rng, w: World, c: Company): WorkplacePlan {
  const plan: WorkplacePlan = { extra: 0, kommuner: [], fractions: [], useSecondary: [] }
  if (!rng.chance(0.05)) return plan
  plan.extra = rng.int(1, 5)
  for (let j = 0; j < plan.extra; j++) {
    let k = c.place.kommun.index
    for (let t = 0; t < 8 && k === c.place.kommun.index; t++) k = c.place.kommun.nearby.pick(rng)
    plan.kommuner.push(k)
    plan.fractions.push(0.04 + 0.16 * rng.float())
    plan.useSecondary.push(rng.chance(0.15))
  }
  return plan
}

// ---------------------------------------------------------------------------------------------
// Main

function emptyCounts (): YearCounts {
  return { companies: 0, kkbCompanies: 0, soleTraders: 0, inactive: 0, registeredLastYear: 0, marketingOptOut: 0, exactEmployees: 0, withTurnover: 0, workplaces: 0, withForetagsnamn: 0 }
}

export async function generateRegister (opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = Date.now()
  const { companiesPerYear: n1, years, seed, outDir, formats } = opts
  if (!Number.isInteger(n1) || n1 < 1) throw new Error('companiesPerYear must be a positive integer')
  if (!(years[1] > years[0])) throw new Error('years must be [first, second] with second > first')
  const progress = opts.onProgress ?? (() => {})
  const nNew = Math.round(n1 * 0.09)
  const total = n1 + nNew
  const w = buildWorld(seed, total, years[0])
  await mkdir(outDir, { recursive: true })
  const csv = formats.includes('csv')
  const bulk = formats.includes('scb-bulk')
  const [y1, y2] = years
  const ref = [dayOf(y1, 6, 1), dayOf(y2, 6, 1)]
  const versions = ['2007', '2025']

  const files: GenerateResult['files'] = { companies: {}, workplaces: {}, scbBulk: {}, education: null, readme: path.join(outDir, 'README-DEMODATA.txt') }
  const writers: LineWriter[] = []
  const open = (name: string, enc: 'utf8' | 'latin1', eol: '\n' | '\r\n'): LineWriter => {
    const wr = new LineWriter(path.join(outDir, name), enc, eol)
    writers.push(wr)
    return wr
  }
  const compW: Array<LineWriter | null> = [null, null]
  const wpW: Array<LineWriter | null> = [null, null]
  const bulkW: Array<LineWriter | null> = [null, null]
  years.forEach((y, t) => {
    if (csv) {
      compW[t] = open(`companies-${y}.csv`, 'utf8', '\n')
      compW[t]!.line(COMPANIES_CSV_HEADER)
      files.companies[y] = compW[t]!.path
      wpW[t] = open(`workplaces-${y}.csv`, 'utf8', '\n')
      wpW[t]!.line(WORKPLACES_CSV_HEADER)
      files.workplaces[y] = wpW[t]!.path
    }
    if (bulk) {
      bulkW[t] = open(scbBulkFileName(y), 'latin1', '\r\n')
      bulkW[t]!.line(SCB_BULK_COLUMNS.join('\t'))
      files.scbBulk[y] = bulkW[t]!.path
    }
  })

  const counts = [emptyCounts(), emptyCounts()]
  let kept = 0
  let dropped = 0
  const rngA = new Rng()
  const rngB = new Rng()
  const rngW = new Rng()
  const kkbSets = [w.kkb2007, w.branches.kkb2025]

  const emit = (t: number, c: Company, plan: WorkplacePlan): void => {
    const sni = t === 0 ? c.sni : mapTo2025(w, c)
    const cnt = counts[t]
    cnt.companies++
    if (kkbSets[t].has(sni[0])) cnt.kkbCompanies++
    if (c.sole) cnt.soleTraders++
    if (!c.active) cnt.inactive++
    if (c.registered > ref[t] - 365) cnt.registeredLastYear++
    if (c.optOut) cnt.marketingOptOut++
    if (c.exactEmployees) cnt.exactEmployees++
    if (c.turnover !== null) cnt.withTurnover++
    if (c.foretagsnamn) cnt.withForetagsnamn++
    compW[t]?.line(companyCsv(c, sni, versions[t]))
    bulkW[t]?.line(companyBulk(c, sni))
    if (!c.active || c.employees < 1) return
    // workplaces: the seat workplace at the company's address, plus planned extras when ≥ 10 employees
    const extra = c.employees >= 10 ? Math.min(plan.extra, Math.floor(c.employees / 4)) : 0
    let rest = c.employees
    const wps: Array<{ j: number; emp: number; place: Place; code: string }> = []
    for (let j = 1; j <= extra; j++) {
      const emp = Math.max(1, Math.round(c.employees * plan.fractions[j - 1]))
      rest -= emp
      rngW.reseed(hash32(seed, 14, c.index, j))
      const place = makePlace(rngW, w.kommuner[plan.kommuner[j - 1]], false)
      wps.push({ j, emp, place, code: plan.useSecondary[j - 1] && sni.length > 1 ? sni[1] : sni[0] })
    }
    wps.unshift({ j: 0, emp: Math.max(1, rest), place: c.place, code: sni[0] })
    cnt.workplaces += wps.length
    const wpw = wpW[t]
    if (!wpw) return
    for (const wp of wps) {
      const id = String(10_000_000 + w.cfarPerm.apply(c.index * 6 + wp.j))
      const name = wp.j === 0 ? c.name : `${c.name} ${wp.place.kommun.name}`
      const codes = wp.code === sni[0] ? sni : [wp.code, ...sni.filter((x) => x !== wp.code)]
      const p = wp.place
      wpw.line([
        id, c.orgnr, csvField(name), sniSlots(codes), versions[t], p.kommun.code, csvField(p.street), p.postcode ?? '', csvField(p.city),
        c.exactEmployees ? String(wp.emp) : '', sizeClassFor(wp.emp), decimalComma(p.lat, 6), decimalComma(p.lon, 6), '1',
      ].join(';'))
    }
  }

  let eduProviders = 0
  let eduProgrammes = 0
  try {
    const step = Math.max(10_000, Math.round(total / 20))
    for (let i = 0; i < total; i++) {
      const first = i < n1
      rngA.reseed(hash32(seed, 11, i))
      const c1 = makeCompany(rngA, w, i, first ? ref[0] : ref[1], !first)
      rngW.reseed(hash32(seed, 13, i))
      const plan = planWorkplaces(rngW, w, c1)
      if (first) {
        emit(0, c1, plan)
        rngB.reseed(hash32(seed, 12, i))
        const c2 = evolveCompany(rngB, w, c1, ref[0], ref[1])
        if (c2) { kept++; emit(1, c2, plan) } else dropped++
      } else {
        emit(1, c1, plan)
      }
      if (i % 64 === 0) for (const wr of writers) if (wr.blocked) await wr.drained()
      if ((i + 1) % step === 0) progress(`companies ${i + 1}/${total} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
    }

    if (opts.educationProviders > 0) {
      const ew = open('education.csv', 'utf8', '\n')
      files.education = ew.path
      const r = writeEducation(ew, w, seed, opts.educationProviders, y2)
      eduProviders = r.providers
      eduProgrammes = r.programmes
    }
    for (const wr of writers) await wr.close()
  } catch (err) {
    for (const wr of writers) wr.abort()
    throw err
  }
  const bytes = writers.reduce((s, wr) => s + wr.bytes, 0)

  const result: GenerateResult = {
    files,
    counts: {
      years: { [y1]: counts[0], [y2]: counts[1] },
      keptFromFirstYear: kept,
      droppedAfterFirstYear: dropped,
      newInSecondYear: nNew,
      educationProviders: eduProviders,
      educationProgrammes: eduProgrammes,
    },
    bytes,
    seconds: (Date.now() - t0) / 1000,
  }
  await writeFile(files.readme, readmeText(opts, result), 'utf8')
  progress(`done in ${result.seconds.toFixed(1)} s`)
  return result
}

/** SNI 2025 codes for a company in the second year, via the crude demo correspondence (see branches.ts). */
function mapTo2025 (w: World, c: Company): string[] {
  const out: string[] = []
  c.sni.forEach((code, j) => {
    const t = w.branches.to2025(code, (hash32(w.seed, 15, c.index, j) % 1000) / 1000)
    if (!out.includes(t)) out.push(t)
  })
  return out
}

// ---------------------------------------------------------------------------------------------
// Education providers

type ProviderType = 'folkhogskola' | 'yh' | 'hogskola' | 'gymnasium_estetiska' | 'kulturskola' | 'studieforbund' | 'other'
type Programme = [name: string, sun: string]

const PROGRAMMES: Record<ProviderType, Programme[]> = {
  kulturskola: [['Musik', '212a'], ['Dans', '212b'], ['Teater', '212b'], ['Bild och form', '211a'], ['Film och media', '213b'], ['Cirkus', '212x'], ['Skrivande', '219z']],
  gymnasium_estetiska: [['Estetiska programmet, bild och formgivning', '211a'], ['Estetiska programmet, dans', '212b'], ['Estetiska programmet, estetik och media', '213a'], ['Estetiska programmet, musik', '212a'], ['Estetiska programmet, teater', '212b']],
  folkhogskola: [['Konstnärlig grundutbildning', '211a'], ['Musiklinje', '212a'], ['Skrivarlinje', '219z'], ['Dokumentärfilm', '213b'], ['Keramik och glas', '215z'], ['Textilt konsthantverk', '215z'], ['Fotolinje', '213d'], ['Teaterlinje', '212b'], ['Serietecknare', '211x'], ['Spelutveckling', '213x']],
  yh: [['Grafisk formgivare', '213d'], ['Spelgrafiker', '213x'], ['Ljudtekniker', '213b'], ['Scentekniker', '212x'], ['Inredningsdesigner', '214b'], ['Modedesign och produktion', '214a'], ['Kulturproducent', '219z'], ['Digital marknadsförare', '342z'], ['3D-artist', '213x'], ['Filmproduktion', '213b']],
  hogskola: [['Kandidatprogram i fri konst', '211a'], ['Konstvetenskap', '211b'], ['Musikerprogrammet', '212a'], ['Skådespelarprogrammet', '212b'], ['Film- och medieproduktion', '213b'], ['Arkitektprogrammet', '581c'], ['Landskapsarkitektprogrammet', '581d'], ['Designprogrammet', '214c'], ['Modedesign', '214a'], ['Journalistprogrammet', '321a'], ['Biblioteks- och informationsvetenskap', '322a'], ['Kulturvård', '225c'], ['Litteraturvetenskap', '223d'], ['Översättarprogrammet', '222k'], ['Bildlärarprogrammet', '146h'], ['Musiklärarprogrammet', '146g'], ['Medie- och kommunikationsvetenskap', '321b']],
  studieforbund: [['Musik i studiecirkel', '212a'], ['Konsthantverk', '215z'], ['Textil och slöjd', '542c'], ['Körsång', '212a'], ['Måleri', '211a'], ['Fotografering', '213d'], ['Skrivarcirkel', '219z']],
  other: [['Förberedande konstskola', '211a'], ['Dansakademi', '212b'], ['Fotoskola', '213d'], ['Musikproduktion', '213b'], ['Läderhantverk', '542d'], ['Glasblåsning', '543e']],
}
const PROVIDER_LABEL: Record<ProviderType, string> = {
  kulturskola: 'kulturskola', gymnasium_estetiska: 'estetiska gymnasiet', folkhogskola: 'folkhögskola', yh: 'yrkeshögskola',
  hogskola: 'konsthögskola', studieforbund: 'studieförbund', other: 'kulturcentrum',
}
const PLACES: Record<ProviderType, [number, number]> = {
  kulturskola: [60, 2000], gymnasium_estetiska: [15, 90], folkhogskola: [12, 40], yh: [20, 60], hogskola: [10, 60], studieforbund: [8, 300], other: [10, 80],
}

function slug (s: string): string {
  return s.toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o').replace(/é/g, 'e').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

function writeEducation (ew: LineWriter, w: World, seed: number, n: number, lastYear: number): { providers: number; programmes: number } {
  const sun = new Map(readDataCsv<{ code: string; cci_relevance: string }>('sun2020_inriktning.csv').map((r) => [r.code, r.cci_relevance]))
  for (const list of Object.values(PROGRAMMES)) {
    for (const [, code] of list) if (sun.get(code) !== 'core' && sun.get(code) !== 'related') throw new Error(`SUN code ${code} is not core/related in sun2020_inriktning.csv`)
  }
  ew.line(EDUCATION_CSV_HEADER)
  const rng = Rng.of(seed, 41)
  // kulturskolor first: one each in up to 85 % of kommuner, but at most 55 % of all providers
  const nKultur = Math.min(Math.round(w.kommuner.length * 0.85), Math.round(n * 0.55))
  const keyed = w.kommuner.map((k) => ({ k, key: Math.pow(rng.float(), 1 / Math.sqrt(k.population)) })) // Efraimidis–Spirakis
  keyed.sort((a, b) => b.key - a.key || a.k.index - b.k.index)
  const plan: Array<{ type: ProviderType; k: Kommun }> = keyed.slice(0, nKultur).map(({ k }) => ({ type: 'kulturskola', k }))
  const others: ProviderType[] = ['gymnasium_estetiska', 'folkhogskola', 'studieforbund', 'yh', 'hogskola', 'other']
  const otherWeights = [0.35, 0.25, 0.15, 0.10, 0.08, 0.07]
  const uni = w.kommuner.filter((k) => UNIVERSITY_TOWNS.includes(k.code))
  const uniTable = new WeightedTable(uni.map((k) => k.index), uni.map((k) => Math.sqrt(k.population)))
  const popTable = new WeightedTable(w.kommuner.map((k) => k.index), w.kommuner.map((k) => Math.pow(k.population, 0.8)))
  while (plan.length < n) {
    const type = rng.weighted(others, otherWeights)
    const k = w.kommuner[(type === 'hogskola' ? uniTable : popTable).pick(rng)]
    plan.push({ type, k })
  }
  const used = new Set<string>()
  let programmes = 0
  plan.forEach(({ type, k }, j) => {
    const r = Rng.of(seed, 42, j)
    let provider = type === 'studieforbund' ? `Demo studieförbund, avdelning ${k.name}` : `Demo ${PROVIDER_LABEL[type]} i ${k.name}`
    while (used.has(provider)) provider = `Demo ${PROVIDER_LABEL[type]} ${placeWord(r)} i ${k.name}`
    used.add(provider)
    const place = makePlace(r, k, false)
    const url = `https://${slug(provider)}.example/`
    const list = PROGRAMMES[type]
    const count = Math.min(list.length, r.int(1, 4))
    const chosen = new Set<number>()
    while (chosen.size < count) chosen.add(r.int(0, list.length - 1))
    const [minP, maxP] = PLACES[type]
    for (const pi of [...chosen].sort((a, b) => a - b)) {
      const [programme, code] = list[pi]
      const start = type === 'yh' ? lastYear - r.int(0, 4) : type === 'kulturskola' ? r.int(1960, 2015) : r.int(1975, lastYear)
      ew.line([
        csvField(provider), type, csvField(programme), code, r.skewedInt(minP, maxP, 1.7), k.code, csvField(place.street), place.postcode ?? '',
        csvField(place.city), decimalComma(place.lat, 6), decimalComma(place.lon, 6), start, url,
      ].join(';'))
      programmes++
    }
  })
  return { providers: plan.length, programmes }
}

function readmeText (opts: GenerateOptions, r: GenerateResult): string {
  const lines = [
    'DEMODATA - SYNTETISKT FÖRETAGSREGISTER / SYNTHETIC DEMO REGISTER',
    '',
    'Every row in these files is made up by KKB Atlas (server/demo/generate.ts). No row describes a real',
    'company, workplace, school or person. Organisation numbers are synthetic (Luhn-valid so they pass',
    'validation; they may by chance equal real ones and mean nothing). Personal identity numbers of sole',
    'traders cannot belong to anyone: their day of month is 32-59 (birth day + 31), a day no personnummer',
    '(01-31) or samordningsnummer (61-91) has, in any century.',
    'Any statistic computed from these files is an artefact of the generator. Label it "Demodata".',
    '',
    `seed=${opts.seed} companiesPerYear=${opts.companiesPerYear} years=${opts.years.join(',')} formats=${opts.formats.join(',')} educationProviders=${opts.educationProviders}`,
    `SNI: ${opts.years[0]} in SNI 2007, ${opts.years[1]} in SNI 2025 (crude synthetic correspondence, not SCB's key).`,
    '',
    'Files:',
    ...Object.values(r.files.companies).map((f) => `  ${path.basename(f)}  companies (csv, UTF-8, ';', decimal comma)`),
    ...Object.values(r.files.workplaces).map((f) => `  ${path.basename(f)}  workplaces / arbetsställen (csv)`),
    ...Object.values(r.files.scbBulk).map((f) => `  ${path.basename(f)}  SCB bulk layout (TAB, ISO-8859-1, CRLF, no quoting)`),
    ...(r.files.education ? [`  ${path.basename(r.files.education)}  arts/culture education providers (csv)`] : []),
    '',
    `Counts: ${JSON.stringify(r.counts)}`,
    '',
  ]
  return lines.join('\n')
}
