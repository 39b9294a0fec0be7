// Pure, allocation-light validation helpers shared by all import formats.
// Conventions: every parse* / normalise* helper takes a raw string (already trimmed by the caller where it
// matters) and returns the normalised value, `null` for "no value", or an `Invalid` carrying a human-readable
// reason. `Invalid` is only allocated on errors, so the happy path of the 1.8 M-row SCB file stays cheap.
// All regular expressions live at module level (never compiled per row).
import type { LocationPrecision, Placement, RefData, SniVersion } from './types.js'
import { isSizeClass } from '../reference/size-classes.js'
import { MAX_NAME_CHARS } from './limits.js'

export class Invalid {
  constructor (readonly reason: string) {}
}

// ---------------------------------------------------------------------------------------------------------
// Organisation numbers / personal identity numbers

export interface Orgnr {
  /** 10 digits, Luhn-valid */
  orgnr: string
  /** true when the number is a personnummer/samordningsnummer (sole trader): personal data */
  personal: boolean
}

const ORGNR_STRIP = /[\s\u00a0\u202f+-]/g

/** Luhn (mod 10) check over a 10-digit string (no validation of the characters: callers pass digits). */
export function luhnValid (digits: string): boolean {
  let sum = 0
  const n = digits.length
  for (let i = 0; i < n; i++) {
    let d = digits.charCodeAt(i) - 48
    if (d < 0 || d > 9) return false
    // the rightmost digit is the check digit; double every second digit from the left for a 10-digit number
    if (((n - i) & 1) === 0) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  return sum % 10 === 0
}

/** Computes the Luhn check digit for a 9-digit prefix (used by tests and the demo data). */
export function luhnCheckDigit (prefix9: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(prefix9 + d)) return String(d)
  throw new Error(`cannot compute a check digit for ${prefix9}`)
}

export { isSoleTrader } from './sole-trader.js'

/**
 * A 10-digit number is a personal identity number (personnummer or samordningsnummer) when digits 3–4 are a
 * month 01–12. Legal persons (organisationsnummer) always have a 3rd digit ≥ 2 ("month" ≥ 20).
 */
export function isPersonalIdentityNumber (orgnr10: string): boolean {
  const m1 = orgnr10.charCodeAt(2) - 48
  const m2 = orgnr10.charCodeAt(3) - 48
  if (m1 === 0) return m2 >= 1 && m2 <= 9
  if (m1 === 1) return m2 >= 0 && m2 <= 2
  return false
}

function allDigits (s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return s.length > 0
}

/**
 * Normalises an organisation number or personal identity number to 10 digits and checks the Luhn digit.
 * Accepted: `5560360793`, `556036-0793`, `165560360793` (SCB PeOrgNr: "16" + org.nr),
 * `19YYMMDDNNNN` / `20YYMMDDNNNN` / `18…` (12-digit personal numbers), `YYMMDD-NNNN`, `YYMMDD+NNNN`.
 */
export function normaliseOrgnr (raw: string): Orgnr | Invalid {
  let s = raw
  if (!allDigits(s)) {
    s = raw.replace(ORGNR_STRIP, '')
    if (s === '') return new Invalid('organisation number is empty')
    if (!allDigits(s)) return new Invalid('organisation number must contain only digits and an optional hyphen')
  }
  let ten: string
  if (s.length === 10) {
    ten = s
  } else if (s.length === 12) {
    const prefix = s.slice(0, 2)
    ten = s.slice(2)
    if (prefix === '16') {
      if (isPersonalIdentityNumber(ten)) return new Invalid('a "16"-prefixed number must hold an organisation number (3rd digit ≥ 2)')
    } else if (prefix === '19' || prefix === '20' || prefix === '18') {
      if (!isPersonalIdentityNumber(ten)) return new Invalid('a 12-digit number with a century prefix must be a personal identity number (month 01–12)')
    } else {
      return new Invalid('a 12-digit number must start with 16 (legal person) or a century 18/19/20 (personal identity number)')
    }
  } else {
    return new Invalid(`organisation number must have 10 or 12 digits, found ${s.length}`)
  }
  const personal = isPersonalIdentityNumber(ten)
  if (!personal && ten.charCodeAt(2) < 50) {
    return new Invalid('not an organisation number (3rd digit ≥ 2) nor a personal identity number (digits 3–4 = month 01–12)')
  }
  if (!luhnValid(ten)) return new Invalid('bad checksum (Luhn) in organisation number')
  return { orgnr: ten, personal }
}

// ---------------------------------------------------------------------------------------------------------
// Numbers, booleans, dates

const NUM_SPACES = /[\s\u00a0\u202f']/g
const NUM_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

export interface NumberRule {
  min?: number
  max?: number
  integer?: boolean
  /** used in messages, e.g. "employees" */
  label?: string
}

/**
 * Parses a number written Swedish- or English-style: decimal comma or point, spaces / non-breaking spaces /
 * apostrophes as thousands separators (`1 234 567,5`). Returns null for an empty value.
 */
export function parseNumber (raw: string, rule: NumberRule = {}): number | null | Invalid {
  if (raw === '') return null
  let s = raw
  if (!NUM_RE.test(s)) {
    s = s.replace(NUM_SPACES, '').replace('\u2212', '-')
    if (s === '') return null
    const comma = s.indexOf(',')
    if (comma !== -1) {
      if (s.indexOf('.') !== -1 || s.indexOf(',', comma + 1) !== -1) return new Invalid(`unparseable number "${raw}" (ambiguous separators)`)
      s = s.replace(',', '.')
    }
    if (!NUM_RE.test(s)) return new Invalid(`unparseable number "${raw}"`)
  }
  const n = Number(s)
  if (!Number.isFinite(n)) return new Invalid(`unparseable number "${raw}"`)
  const label = rule.label ?? 'value'
  if (rule.integer && !Number.isInteger(n)) return new Invalid(`${label} must be a whole number, got "${raw}"`)
  if (rule.min !== undefined && n < rule.min) {
    return new Invalid(rule.min === 0 && n < 0 ? `negative ${label} (${raw})` : `${label} ${raw} is below the minimum ${rule.min}`)
  }
  if (rule.max !== undefined && n > rule.max) return new Invalid(`${label} ${raw} is implausibly large (max ${rule.max})`)
  return n
}

/** Absurd-value limits: no Swedish company or workplace has more employees than this. */
export const MAX_EMPLOYEES = 500_000
/** 5 000 billion SEK, in kSEK: ten times the turnover of the largest Swedish group. */
export const MAX_KSEK = 5_000_000_000

const TRUE_WORDS = new Set(['1', 'true', 't', 'ja', 'j', 'yes', 'y', 'x', 'sant'])
const FALSE_WORDS = new Set(['0', 'false', 'f', 'nej', 'n', 'no', 'falskt'])

export function parseBoolean (raw: string): boolean | null | Invalid {
  if (raw === '') return null
  const s = raw.toLowerCase()
  if (TRUE_WORDS.has(s)) return true
  if (FALSE_WORDS.has(s)) return false
  return new Invalid(`unparseable yes/no value "${raw}" (use 1/0, true/false or ja/nej)`)
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function digitsAt (s: string, from: number, len: number): number {
  let v = 0
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/**
 * Parses `YYYYMMDD` or `YYYY-MM-DD` (an ISO time part after `T` or a space is ignored) to `YYYY-MM-DD`.
 * Empty and all-zero dates (`00000000`) → null. Years outside 1800–2100 are rejected.
 */
export function parseDate (raw: string): string | null | Invalid {
  if (raw === '') return null
  let y: number, m: number, d: number
  let s = raw
  if (s.length > 10) {
    const t = s.charCodeAt(10)
    if (t === 84 /* T */ || t === 32) s = s.slice(0, 10)
  }
  if (s.length === 8) {
    y = digitsAt(s, 0, 4); m = digitsAt(s, 4, 2); d = digitsAt(s, 6, 2)
  } else if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    y = digitsAt(s, 0, 4); m = digitsAt(s, 5, 2); d = digitsAt(s, 8, 2)
  } else {
    return new Invalid(`unparseable date "${raw}" (expected YYYYMMDD or YYYY-MM-DD)`)
  }
  if (y < 0 || m < 0 || d < 0) return new Invalid(`unparseable date "${raw}" (expected YYYYMMDD or YYYY-MM-DD)`)
  if (y === 0 && m === 0 && d === 0) return null
  if (y < 1800 || y > 2100) return new Invalid(`implausible year in date "${raw}"`)
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m] || (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) {
    return new Invalid(`invalid calendar date "${raw}"`)
  }
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
}

// ---------------------------------------------------------------------------------------------------------
// Codes: SNI, legal form, size class, kommun, postcode

const SNI_STRIP = /[\s.\u00a0]/g

/**
 * Normalises one SNI code to 5 digits: dots and spaces removed (`90.010` → `90010`), blank → null.
 * `00000` (SCB: "uppgift saknas") → null. A 4-digit value is taken as a 5-digit code whose leading zero was
 * lost (Excel, JSON numbers): `1110` → `01110`; the result is still validated against the code list.
 */
export function normaliseSni (raw: string): string | null | Invalid {
  let s = raw
  if (s.length !== 5 || !allDigits(s)) {
    s = raw.replace(SNI_STRIP, '')
    if (s === '') return null
    if (!allDigits(s)) return new Invalid(`malformed SNI code "${raw}"`)
    if (s.length === 4) s = '0' + s
    else if (s.length !== 5) return new Invalid(`malformed SNI code "${raw}" (expected 5 digits)`)
  }
  if (s === '00000') return null
  return s
}

export function unknownSniReason (code: string, version: SniVersion): string {
  return `unknown SNI code "${code}" for SNI ${version}`
}

/**
 * SNI version auto-detection. Rule: count how many of the sample's (normalised, non-blank) codes are valid
 * level-5 codes in SNI 2007 and in SNI 2025; the version with more valid codes wins. On a tie (including an
 * empty sample, or a sample made only of codes that exist in both versions) the file date decides: SNI 2025
 * if the file's reference year is 2025 or later, else SNI 2007 (also when the year is unknown).
 */
export function detectSniVersion (codes: Iterable<string>, ref: RefData, fileYear: number | null = null): SniVersion {
  let v2007 = 0
  let v2025 = 0
  for (const raw of codes) {
    const c = normaliseSni(raw)
    if (c === null || c instanceof Invalid) continue
    if (ref.sni['2007'].has(c)) v2007++
    if (ref.sni['2025'].has(c)) v2025++
  }
  if (v2025 > v2007) return '2025'
  if (v2007 > v2025) return '2007'
  return fileYear !== null && fileYear >= 2025 ? '2025' : '2007'
}

export function parseSniVersion (raw: string): SniVersion | null | Invalid {
  if (raw === '') return null
  const s = raw.replace(SNI_STRIP, '').toUpperCase().replace('SNI', '')
  if (s === '2007' || s === '07') return '2007'
  if (s === '2025' || s === '25') return '2025'
  return new Invalid(`unknown SNI version "${raw}" (use 2007 or 2025)`)
}

export function normaliseLegalForm (raw: string, ref: RefData): string | null | Invalid {
  if (raw === '') return null
  if (ref.legalForms.has(raw)) return raw
  return new Invalid(`unknown legal form "${raw}"`)
}

export function normaliseSizeClass (raw: string): string | null | Invalid {
  if (raw === '') return null
  let s = raw
  while (s.length > 1 && s.charCodeAt(0) === 48) s = s.slice(1)
  if (isSizeClass(s)) return s
  return new Invalid(`unknown size class "${raw}"`)
}

/**
 * Kommun: a 4-digit code (leading zeros restored: `180` → `0180`) that must exist in RefData, or — as a
 * convenience for hand-made files — a kommun name as in RefData.kommunByName ("Göteborg", case-insensitive).
 */
export function normaliseKommun (raw: string, ref: RefData): string | null | Invalid {
  if (raw === '') return null
  let s = raw
  if (allDigits(s)) {
    if (s.length < 4) s = '0000'.slice(s.length) + s
    if (ref.kommuner.has(s)) return s
    return new Invalid(`unknown kommun code "${raw}"`)
  }
  const byName = ref.kommunByName.get(s.toLowerCase())
  if (byName !== undefined) return byName
  return new Invalid(`unknown kommun "${raw}"`)
}

const POSTCODE_STRIP = /[\s\u00a0]/g

/** Swedish postcode → 5 digits (`123 45`, `SE-123 45` accepted), blank → null. */
export function normalisePostcode (raw: string): string | null | Invalid {
  if (raw === '') return null
  let s = raw
  if (s.length !== 5 || !allDigits(s)) {
    s = raw.replace(POSTCODE_STRIP, '')
    if (s.length > 3 && (s.charCodeAt(0) | 32) === 115 && (s.charCodeAt(1) | 32) === 101 && s.charCodeAt(2) === 45) s = s.slice(3)
    if (s.length !== 5 || !allDigits(s)) return new Invalid(`postcode "${raw}" is not 5 digits`)
  }
  if (s.charCodeAt(0) === 48) return new Invalid(`postcode "${raw}" cannot start with 0`)
  return s
}

// ---------------------------------------------------------------------------------------------------------
// Coordinates

/** Sweden's bounding box (WGS84), slightly padded. */
export const SWEDEN_BBOX = { minLon: 10.5, maxLon: 24.5, minLat: 55, maxLat: 69.5 }
/** Valid extent of SWEREF 99 TM (EPSG:3006) over Sweden. */
const SWEREF_N = { min: 6_090_000, max: 7_700_000 }
const SWEREF_E = { min: 180_000, max: 1_090_000 }

export function inSweden (lat: number, lon: number): boolean {
  return lat >= SWEDEN_BBOX.minLat && lat <= SWEDEN_BBOX.maxLat && lon >= SWEDEN_BBOX.minLon && lon <= SWEDEN_BBOX.maxLon
}

// GRS 80 ellipsoid and SWEREF 99 TM projection parameters (Lantmäteriet, "Gauss Conformal Projection").
const GRS80_A = 6378137
const GRS80_F = 1 / 298.257222101
const TM_LON0 = 15 * Math.PI / 180
const TM_K0 = 0.9996
const TM_FN = 0
const TM_FE = 500000
const E2 = GRS80_F * (2 - GRS80_F)
const N = GRS80_F / (2 - GRS80_F)
const A_ROOF = GRS80_A / (1 + N) * (1 + N * N / 4 + N ** 4 / 64)
const D1 = N / 2 - 2 * N * N / 3 + 37 * N ** 3 / 96 - N ** 4 / 360
const D2 = N * N / 48 + N ** 3 / 15 - 437 * N ** 4 / 1440
const D3 = 17 * N ** 3 / 480 - 37 * N ** 4 / 840
const D4 = 4397 * N ** 4 / 161280
const A_STAR = E2 + E2 ** 2 + E2 ** 3 + E2 ** 4
const B_STAR = -(7 * E2 ** 2 + 17 * E2 ** 3 + 30 * E2 ** 4) / 6
const C_STAR = (224 * E2 ** 3 + 889 * E2 ** 4) / 120
const D_STAR = -(4279 * E2 ** 4) / 1260

/**
 * Inverse Gauss–Krüger (transverse Mercator) projection SWEREF 99 TM (EPSG:3006) → WGS84/SWEREF 99
 * geographic coordinates, using Krüger's series as published by Lantmäteriet. Accuracy ≪ 1 mm.
 */
export function sweref99tmToWgs84 (northing: number, easting: number): { lat: number; lon: number } {
  const xi = (northing - TM_FN) / (TM_K0 * A_ROOF)
  const eta = (easting - TM_FE) / (TM_K0 * A_ROOF)
  const xiP = xi -
    D1 * Math.sin(2 * xi) * Math.cosh(2 * eta) -
    D2 * Math.sin(4 * xi) * Math.cosh(4 * eta) -
    D3 * Math.sin(6 * xi) * Math.cosh(6 * eta) -
    D4 * Math.sin(8 * xi) * Math.cosh(8 * eta)
  const etaP = eta -
    D1 * Math.cos(2 * xi) * Math.sinh(2 * eta) -
    D2 * Math.cos(4 * xi) * Math.sinh(4 * eta) -
    D3 * Math.cos(6 * xi) * Math.sinh(6 * eta) -
    D4 * Math.cos(8 * xi) * Math.sinh(8 * eta)
  const phiStar = Math.asin(Math.sin(xiP) / Math.cosh(etaP))
  const dLambda = Math.atan(Math.sinh(etaP) / Math.cos(xiP))
  const s = Math.sin(phiStar)
  const s2 = s * s
  const phi = phiStar + s * Math.cos(phiStar) * (A_STAR + B_STAR * s2 + C_STAR * s2 * s2 + D_STAR * s2 * s2 * s2)
  return { lat: phi * 180 / Math.PI, lon: (TM_LON0 + dLambda) * 180 / Math.PI }
}

export interface Coordinates { lat: number; lon: number }
/** A coordinate error names the offending column. */
export class CoordinateInvalid extends Invalid {
  constructor (readonly column: string, readonly value: string, reason: string) { super(reason) }
}

/**
 * Coordinates from lat/lon (WGS84) or x/y (SWEREF 99 TM). lat/lon win when both pairs are given.
 * For x/y the axis order is detected from the magnitudes (northing ≈ 6.1–7.7 M, easting ≈ 0.18–1.09 M), so
 * both the Swedish convention (x = northing) and the GIS convention (x = easting) work.
 * Result must fall inside Sweden's bounding box. Empty → null; only one half of a pair → error.
 */
export function parseCoordinates (latRaw: string, lonRaw: string, xRaw: string, yRaw: string): Coordinates | null | CoordinateInvalid {
  if (latRaw !== '' || lonRaw !== '') {
    if (latRaw === '') return new CoordinateInvalid('lat', latRaw, 'lon given without lat')
    if (lonRaw === '') return new CoordinateInvalid('lon', lonRaw, 'lat given without lon')
    const lat = parseNumber(latRaw, { label: 'lat' })
    if (lat instanceof Invalid) return new CoordinateInvalid('lat', latRaw, lat.reason)
    const lon = parseNumber(lonRaw, { label: 'lon' })
    if (lon instanceof Invalid) return new CoordinateInvalid('lon', lonRaw, lon.reason)
    if (!inSweden(lat!, lon!)) {
      const swapped = inSweden(lon!, lat!)
      return new CoordinateInvalid('lat', latRaw, `coordinates ${latRaw}, ${lonRaw} are outside Sweden${swapped ? ' (lat and lon swapped?)' : ''}`)
    }
    return { lat: lat!, lon: lon! }
  }
  if (xRaw !== '' || yRaw !== '') {
    if (xRaw === '') return new CoordinateInvalid('x', xRaw, 'y given without x')
    if (yRaw === '') return new CoordinateInvalid('y', yRaw, 'x given without y')
    const x = parseNumber(xRaw, { label: 'x' })
    if (x instanceof Invalid) return new CoordinateInvalid('x', xRaw, x.reason)
    const y = parseNumber(yRaw, { label: 'y' })
    if (y instanceof Invalid) return new CoordinateInvalid('y', yRaw, y.reason)
    const north = Math.max(x!, y!)
    const east = Math.min(x!, y!)
    if (north < SWEREF_N.min || north > SWEREF_N.max || east < SWEREF_E.min || east > SWEREF_E.max) {
      return new CoordinateInvalid('x', xRaw, `SWEREF 99 TM coordinates ${xRaw}, ${yRaw} are outside Sweden (expected northing 6 090 000–7 700 000, easting 180 000–1 090 000 m)`)
    }
    const p = sweref99tmToWgs84(north, east)
    if (!inSweden(p.lat, p.lon)) return new CoordinateInvalid('x', xRaw, `SWEREF 99 TM coordinates ${xRaw}, ${yRaw} are outside Sweden`)
    return p
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------
// Kommun placement

export interface Location {
  kommunCode: string | null
  placement: Placement | null
  locationPrecision: LocationPrecision | null
}

/**
 * Placement rule (kept deliberately simple; coordinates are never used to derive a kommun):
 *  1. a seat/workplace kommun code from the source (already validated: must exist in RefData) → placement 'seat';
 *  2. else the postcode, via ref.postcodes → 'postcode';
 *  3. else the postort (upper-cased), via ref.postorter (only unambiguous localities) → 'postort';
 *  4. else unplaced: kommunCode null (the row is kept, never rejected for this).
 * locationPrecision: 'address' when coordinates are given; otherwise 'postcode' when placed by postcode/postort,
 * 'kommun' when placed by the seat kommun; else null.
 */
export function placeLocation (kommunCode: string | null, postcode: string | null, city: string | null, hasCoordinates: boolean, ref: RefData): Location {
  if (kommunCode !== null) {
    return { kommunCode, placement: 'seat', locationPrecision: hasCoordinates ? 'address' : 'kommun' }
  }
  if (postcode !== null) {
    const k = ref.postcodes.get(postcode)
    if (k !== undefined) return { kommunCode: k, placement: 'postcode', locationPrecision: hasCoordinates ? 'address' : 'postcode' }
  }
  if (city !== null) {
    const k = ref.postorter.get(city.toUpperCase())
    if (k !== undefined) return { kommunCode: k, placement: 'postort', locationPrecision: hasCoordinates ? 'address' : 'postcode' }
  }
  return { kommunCode: null, placement: null, locationPrecision: hasCoordinates ? 'address' : null }
}

// ---------------------------------------------------------------------------------------------------------
// Misc

const DIACRITICS: Record<string, string> = { å: 'a', ä: 'a', ö: 'o', é: 'e', ü: 'u', æ: 'a', ø: 'o' }
const KEY_STRIP = /[^a-z0-9]/g
const KEY_DIACRITICS = /[åäöéüæø]/g
const keyCache = new Map<string, string>()

/** Column/key matching: lower-case, Swedish letters folded (å/ä→a, ö→o), everything but a–z0–9 removed. */
export function normaliseKey (key: string): string {
  let k = keyCache.get(key)
  if (k === undefined) {
    k = key.toLowerCase().replace(KEY_DIACRITICS, (c) => DIACRITICS[c]).replace(KEY_STRIP, '')
    if (keyCache.size < 10_000) keyCache.set(key, k)
  }
  return k
}

/** A name longer than MAX_NAME_CHARS cannot be indexed (see limits.ts): the row is rejected, never the import. */
export function nameTooLong (name: string, max = MAX_NAME_CHARS): Invalid | null {
  return name.length > max ? new Invalid(`too long: ${name.length} characters, at most ${max} can be indexed`) : null
}

/** Replaced by decoders for bytes that are not valid in the file's encoding (UTF-8 after detection). */
export const REPLACEMENT_CHAR = '\ufffd'
export const INVALID_UTF8 = 'invalid UTF-8 byte sequence in the value (the file is read as UTF-8: save it as UTF-8, or wholly in Windows-1252)'

/** Shortens a value for a rejection report. */
export function clip (value: string, max = 200): string {
  return value.length > max ? value.slice(0, max) + '…' : value
}
