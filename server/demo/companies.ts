// One company: legal form, identifiers, branch, place, size, turnover and dates as it stands in the first year, and
// how it changes (or leaves) by the second; its SNI 2025 codes. Each draws from the company's own PRNG stream.
import { pointInKommun, type KommunGeo } from './geo.js'
import { hash32, type Rng } from './random.js'
import { businessName, streetAddress, FIRST_NAMES, LAST_NAMES } from './words.js'
import { dayOf, legalPersonIdentity, soleTraderIdentity } from './identifiers.js'
import type { Kommun, World } from './world.js'

export interface Place {
  kommun: Kommun
  street: string | null
  postcode: string | null
  city: string | null
  lon: number | null
  lat: number | null
}

export interface Company {
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

export function makePlace (rng: Rng, k: Kommun, rural: boolean): Place {
  if (k.towns) return makeTownPlace(rng, k, rural)
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

/** A place in a kommun with real towns (towns.ts): in the countryside (farms mostly, and the kommun's rural share of
 * the others) anywhere in the kommun with a postcode of the kommun, else near a town picked by its population, with a
 * postcode of that town. */
function makeTownPlace (rng: Rng, k: Kommun, rural: boolean): Place {
  const g = k.geo
  const street = streetAddress(rng)
  if ((rural && rng.chance(0.7)) || rng.chance(k.ruralShare)) {
    const p = samplePointInBoxFew(rng, g)
    if (p) { const pc = rng.pick(k.postcodes); return { kommun: k, street, postcode: pc.code, city: pc.city, lon: p[0], lat: p[1] } }
  }
  const town = k.towns![k.townTable!.pick(rng)]
  const pc = rng.pick(town.postcodes)
  let lon = round6(town.lon)
  let lat = round6(town.lat)
  for (let t = 0; t < 30; t++) {
    const x = round6(town.lon + rng.normal() * town.sigmaDeg / Math.cos(town.lat * Math.PI / 180))
    const y = round6(town.lat + rng.normal() * town.sigmaDeg)
    if (pointInKommun(g, x, y)) { lon = x; lat = y; break }
  }
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

/** Company `index` as it stands in the first year (or, if newInYear, as a company new in the second year); in the
 * national sample its kommun is drawn, a full-density län's added company is given its kommun (density.ts). */
export function makeCompany (rng: Rng, w: World, index: number, ref: number, newInYear: boolean, kommunIndex?: number): Company {
  const k = kommunIndex !== undefined ? w.kommuner[kommunIndex]
    : index < w.kommuner.length * 3 ? w.kommuner[index % w.kommuner.length] : w.kommuner[w.kommunTable.pick(rng)]
  const { code, kkb } = drawPrimary(rng, w, k)
  const legalForm = LEGAL_FORMS[pickIndex(rng, legalFormWeights(code, kkb))]
  const sole = legalForm === '10'
  const person = sole ? soleTraderIdentity(w.pnrPerm.apply(index), w.birthFirstYear) : null
  const { orgnr, peOrgNr } = person ?? legalPersonIdentity(legalForm, w.orgPerm.apply(index))
  const birth = person?.birth ?? 0
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
    // no single firm larger than 15 % of its kommun's inhabitants (≥ 50): the tail of big firms would otherwise put a
    // 10 000-employee firm in a kommun of 5 000 people as soon as a län is generated at full density
    employees = Math.min(drawEmployees(rng, legalForm, code, kkb), Math.max(50, Math.round(k.population * 0.15)))
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
export function evolveCompany (rng: Rng, w: World, c1: Company, ref1: number, ref2: number): Company | null {
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

/** SNI 2025 codes for a company in the second year, via the crude demo correspondence (see branches.ts). */
export function mapTo2025 (w: World, c: Company): string[] {
  const out: string[] = []
  c.sni.forEach((code, j) => {
    const t = w.branches.to2025(code, (hash32(w.seed, 15, c.index, j) % 1000) / 1000)
    if (!out.includes(t)) out.push(t)
  })
  return out
}
