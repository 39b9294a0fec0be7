// Contracts between the format parsers (pure: bytes → records + rejections) and the loader (records → database).
// Parsers never touch the database; they validate against RefData and report every bad row.
import type { Readable } from 'node:stream'
import type { RefData, SniVersion } from '../reference/ref-data.js'
import type { ImportLimits } from './limits.js'
import type { FingerprintContext, KeyedLine } from './fingerprint.js'

// The reference code lists live in reference/ (below ingest/); the parsers' contracts name them.
export type { RefData, SniVersion }
export type LocationPrecision = 'address' | 'postcode' | 'kommun'
/** How the kommun of a company was found. */
export type Placement = 'seat' | 'coordinates' | 'postcode' | 'postort'

export interface Rejection {
  file: string
  /** 1-based physical line number in the file where the record starts (header = line 1). */
  line: number
  column: string | null
  value: string | null
  reason: string
}

/** Where an actor is: kommun (4 digits; null = unplaced), how it was found, address, WGS84 point, precision. */
export interface LocationFields {
  kommunCode: string | null
  placement: Placement | null
  street: string | null
  postcode: string | null // 5 digits
  city: string | null
  lon: number | null // WGS84
  lat: number | null
  locationPrecision: LocationPrecision | null
}

export interface CompanyRecord extends LocationFields {
  line: number
  /** the c/o line of the postal address (project formats: `co`; Bolagsverket: postadress part 2) */
  coAddress?: string | null
  /** 10 digits, Luhn-valid. For a sole trader this is the personal identity number (YYMMDDNNNN): personal data. */
  orgnr: string
  name: string
  legalForm: string | null // SCB JurForm code, 2 digits
  soleTrader: boolean
  sni: string[] // 5-digit codes in rank order, primary first, blanks removed
  sniVersion: SniVersion
  employees: number | null // exact, where the source gives it
  sizeClass: string | null // SCB size-class code (see server/reference/size-classes.ts)
  turnover: number | null // kSEK
  valueAdded: number | null // kSEK
  registeredOn: string | null // YYYY-MM-DD
  deregisteredOn: string | null
  active: boolean
  marketingOptOut: boolean | null
  description: string | null
  liquidation: string | null
  /** the fingerprint of the source line (fingerprint.ts), for formats that give one */
  fp?: number | null
}

export interface WorkplaceRecord extends LocationFields {
  line: number
  workplaceId: string // CFAR number or source id
  orgnr: string | null
  name: string
  sni: string[]
  sniVersion: SniVersion
  employees: number | null
  sizeClass: string | null
  active: boolean
}

export type ProviderType =
  | 'folkhogskola' | 'yh' | 'hogskola' | 'gymnasium_estetiska' | 'kulturskola' | 'studieforbund' | 'other'

export interface EducationRecord extends LocationFields {
  line: number
  provider: string
  providerType: ProviderType
  programme: string | null
  sunCode: string | null // SUN 2020 inriktning code
  places: number | null
  /** applicants (sökande) where the file gives them */
  applicants: number | null
  startYear: number | null
  url: string | null
  /** set by formats that publish applications with their decision (MYH): only a granted one is a programme */
  application?: EducationApplication
}

export interface EducationApplication {
  reference: string | null
  area: string | null
  decision: 'granted' | 'rejected' | 'other'
  decisionText: string
  placesApplied: number | null
  placesGranted: number | null
}

export interface BolagsverketName { name: string; kind: string | null; registeredOn: string | null }
export interface BolagsverketEvent { code: string; date: string | null }

/** One row of Bolagsverket's bulk file: one identity AND name-protection number. Its facts are Bolagsverket's own
 * (company_registration); joined on orgnr onto the companies of the same year. Placed by postcode, then postort
 * (the file has no kommun), for the companies known only to Bolagsverket. */
export interface EnrichmentRecord extends Pick<LocationFields, 'kommunCode' | 'placement' | 'locationPrecision'> {
  line: number
  orgnr: string
  /** namnskyddslopnummer: a sole trader has one row per protected firm name (1, 2, …); null when empty */
  protectionNo: number | null
  name: string | null
  /** every name of the row (firm name, secondary names, foreign-language names) */
  names: BolagsverketName[]
  legalFormText: string | null // Bolagsverket organisationsform code, e.g. AB-ORGFO
  registeredOn: string | null
  deregisteredOn: string | null
  deregistrationReason: string | null
  /** the ongoing liquidation/bankruptcy/restructuring as written (`LI-AVOMFO$2026-04-01|…`), null when none */
  liquidation: string | null
  events: BolagsverketEvent[]
  description: string | null
  street: string | null
  coAddress: string | null
  postcode: string | null
  city: string | null
  /** country code from `SE-LAND` etc.; null when not given */
  country: string | null
}

/** A kept row may carry a note for the report (a value that was cleaned, e.g. NUL bytes removed). */
export type ParsedRow<T> = { ok: true; record: T; note?: Rejection } | { ok: false; rejection: Rejection }

export interface ParseContext {
  file: string
  ref: RefData
  /** 'auto' = detect from the first rows (see detectSniVersion) */
  sniVersion: SniVersion | 'auto'
  /** bounds on lines, values and zip entries (default: DEFAULT_IMPORT_LIMITS) */
  limits?: ImportLimits
  /** curated imports by a curator: the län they may write in (rows elsewhere are rejected); absent = everywhere */
  scope?: string[]
  /** who imports (recorded with a consent read from the file) */
  importedBy?: string
  /** the reference year the user gave (--year, year=), if any: breaks an SNI version tie in SCB's bulk file when its name has no date */
  year?: number
  /** fingerprint the lines (formats that can, see fingerprint.ts), and read only some of them */
  fingerprint?: FingerprintContext
}

/** The first pass of a refresh (fingerprint.ts): each line's key and fingerprint, in batches. */
export type KeyReader = (input: Readable, ctx: ParseContext) => AsyncIterable<KeyedLine[]>

/**
 * A file whose records are its lines, split for worker threads (line-workers.ts): the import's thread reads, decodes and
 * splits the file and reads its header; the workers read the lines by the header's `layout` (plain data).
 */
export interface LineBatch {
  layout: unknown
  /** the SNI version picked for the file */
  version: SniVersion
  /** the seed of the lines' fingerprints (fingerprint.ts), null when the import keeps none */
  seed: number | null
  /** the (physical, 1-based) line number of lines[0] */
  lineNo: number
  /** blank lines included (an over-long line is blank here, and its rejection is in `before`) */
  lines: string[]
  /** rejections of lines before these rows' (over-long lines) */
  before: Rejection[]
}
export type LineSplitter = (input: Readable, ctx: ParseContext) => AsyncIterable<LineBatch>

/** Every parser yields batches (≈2 000 rows) so the loader can stream into COPY without per-row overhead. */
export type Parser<T> = (input: Readable, ctx: ParseContext) => AsyncIterable<ParsedRow<T>[]>
