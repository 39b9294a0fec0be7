// Shared machinery for the format parsers: batching, header handling, SNI version sampling, location building.
import path from 'node:path'
import type { LocationFields, ParseContext, ParsedRow, RefData, Rejection, SniVersion } from '../types.js'
import { describeLimit, withDefaults, type ImportLimits } from '../limits.js'
import type { LineGuard } from '../text.js'
import {
  CoordinateInvalid, INVALID_UTF8, Invalid, REPLACEMENT_CHAR, clip, detectSniVersion, normaliseKey, normaliseKommun, normalisePostcode, normaliseSni,
  parseCoordinates, placeLocation, unknownSniReason,
} from '../validate.js'

/** Rows per yielded batch. */
export const BATCH_SIZE = 2000
/** Rows sampled for SNI version auto-detection. */
export const SNI_SAMPLE_ROWS = 2000

/** The import's bounds (the defaults when the caller gave none). */
export const limitsOf = (ctx: ParseContext): ImportLimits => withDefaults(ctx.limits)

/**
 * Every value of a row, checked before it is interpreted: longer than the field limit, a NUL byte (PostgreSQL text
 * cannot hold one: the whole COPY would fail) or bytes that were not valid UTF-8 → the row is rejected, naming the column.
 */
export function checkValues (values: ArrayLike<string>, label: (i: number) => string | null, limits: ImportLimits): RowError | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v.length > limits.maxFieldChars) {
      return new RowError(label(i), clip(v), `value is ${v.length} characters long, more than ${describeLimit.field(limits)}`)
    }
    if (v.indexOf('\u0000') !== -1) return new RowError(label(i), clip(v), 'NUL byte (\\0) in the value')
    if (v.indexOf(REPLACEMENT_CHAR) !== -1) return new RowError(label(i), clip(v), INVALID_UTF8)
  }
  return null
}

/** Quick pre-check on a whole line: only a line that could fail checkValues is split and checked value by value. */
export function lineNeedsCheck (line: string, limits: ImportLimits): boolean {
  return line.length > limits.maxFieldChars || line.indexOf('\u0000') !== -1 || line.indexOf(REPLACEMENT_CHAR) !== -1
}

/**
 * A line guard (text.ts) whose over-long lines become rejections in `queue`; the parser moves the queue into its
 * next batch. A guarded line before the header fails the file (there is nothing to read it with).
 */
export function lineGuard (ctx: ParseContext, queue: ParsedRow<never>[]): LineGuard {
  const limits = limitsOf(ctx)
  return {
    maxChars: limits.maxLineChars,
    onOverlong: (line, chars) => {
      queue.push(rejection(ctx.file, line, null, null, `line is ${chars} characters long, more than ${describeLimit.line(limits)}; the row was rejected`))
    },
  }
}

/** Throws when a guarded over-long line came before the header (the file is not in the expected format). */
export function checkHeaderGuard (queue: ParsedRow<never>[], headerLine: number, file: string): void {
  const first = queue[0]
  if (first && !first.ok && first.rejection.line < headerLine) {
    throw new Error(`${file}: line ${first.rejection.line} (before the header) is too long: ${first.rejection.reason.replace('; the row was rejected', '')}`)
  }
}

/** A row-level validation failure (first error found in the row). */
export class RowError {
  constructor (readonly column: string | null, readonly value: string | null, readonly reason: string) {}
}

export function rejection (file: string, line: number, column: string | null, value: string | null, reason: string): ParsedRow<never> {
  const r: Rejection = { file, line, column, value, reason }
  return { ok: false, rejection: r }
}

export function fromRowError (file: string, line: number, e: RowError): ParsedRow<never> {
  return rejection(file, line, e.column, e.value, e.reason)
}

/**
 * Reference year from a file name: the first date-like token `YYYYMMDD` (optionally `THHMMSS`), `YYYY-MM-DD`
 * or a standalone `YYYY` (1990–2099) delimited by non-digits.
 * `scb_bulkfil_JE_20260601T065839_76.txt` → 2026; `bolagsverket_bulkfil.zip` → null.
 */
export function referenceYearFromFileName (name: string): number | null {
  const base = path.basename(name)
  const m = YEAR_IN_NAME.exec(base)
  if (!m) return null
  const year = Number(m[1])
  return year >= 1990 && year <= 2099 ? year : null
}
const YEAR_IN_NAME = /(?:^|[^0-9])((?:19|20)\d{2})(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:T\d{4,6})?|-\d{2}-\d{2})?(?![0-9])/

/** Splits the first non-blank line (the header) off a stream of line batches. */
export async function takeHeader (lineBatches: AsyncIterable<string[]>, file: string):
Promise<{ header: string; headerLine: number; rest: AsyncIterable<string[]> }> {
  const it = lineBatches[Symbol.asyncIterator]()
  let lineNo = 0
  for (;;) {
    const r = await it.next()
    if (r.done) throw new Error(`${file}: file is empty`)
    const lines = r.value
    for (let k = 0; k < lines.length; k++) {
      lineNo++
      if (lines[k].trim() === '') continue
      const remaining = lines.slice(k + 1)
      async function * rest (): AsyncGenerator<string[]> {
        if (remaining.length > 0) yield remaining
        for (;;) {
          const n = await it.next()
          if (n.done) return
          yield n.value
        }
      }
      return { header: lines[k], headerLine: lineNo, rest: rest() }
    }
  }
}

/**
 * SNI version resolution. With an explicit ctx.sniVersion it is fixed; with 'auto' the parser feeds the codes
 * of the first SNI_SAMPLE_ROWS rows to `sample()` and calls `decide()` (see detectSniVersion for the rule).
 */
export class SniVersionPicker {
  version: SniVersion | null
  private readonly codes: string[] = []
  constructor (ctx: ParseContext, private readonly fileYear: () => number | null) {
    this.version = ctx.sniVersion === 'auto' ? null : ctx.sniVersion
  }

  sample (code: string): void { if (code !== '') this.codes.push(code) }
  decide (ref: RefData): SniVersion {
    if (this.version === null) this.version = detectSniVersion(this.codes, ref, this.fileYear())
    return this.version
  }
}

/**
 * Buffers the first SNI_SAMPLE_ROWS raw rows while sampling their SNI codes, decides the version, then
 * streams everything through in order. Pass-through when the version is fixed.
 */
export async function * withSniVersion<R> (batches: AsyncIterable<R[]>, picker: SniVersionPicker, ref: RefData,
  sampleRow: (r: R, picker: SniVersionPicker) => void): AsyncGenerator<{ version: SniVersion; rows: R[] }> {
  let pending: R[] | null = picker.version === null ? [] : null
  for await (const rows of batches) {
    if (pending !== null) {
      for (const r of rows) { pending.push(r); sampleRow(r, picker) }
      if (pending.length < SNI_SAMPLE_ROWS) continue
      const v = picker.decide(ref)
      const p = pending
      pending = null
      yield { version: v, rows: p }
      continue
    }
    yield { version: picker.version!, rows }
  }
  if (pending !== null) yield { version: picker.decide(ref), rows: pending }
}

/**
 * Normalises and validates up to five SNI codes (in rank order; blanks dropped; duplicates dropped).
 * Returns the codes or a RowError naming the column.
 */
export function collectSni (raws: string[], columns: string[], version: SniVersion, ref: RefData): string[] | RowError {
  const out: string[] = []
  const valid = ref.sni[version]
  for (let k = 0; k < raws.length; k++) {
    const raw = raws[k]
    if (raw === '') continue
    const c = normaliseSni(raw)
    if (c === null) continue
    if (c instanceof Invalid) return new RowError(columns[k], raw, c.reason)
    if (!valid.has(c)) return new RowError(columns[k], raw, unknownSniReason(c, version))
    if (out.indexOf(c) === -1) out.push(c)
  }
  return out
}

export type { LocationFields } from '../types.js'

export interface RawLocation {
  kommun: string
  street: string
  postcode: string
  city: string
  lat: string
  lon: string
  x: string
  y: string
}

/**
 * Validates and places a location. `strictPostcode`: a malformed postcode rejects the row (project files);
 * otherwise it is dropped (register files, which may hold foreign or garbled postcodes).
 * `col` maps the logical names (kommun, postcode, lat, lon, x, y) to the column names used in rejections.
 */
export function buildLocation (raw: RawLocation, ref: RefData, strictPostcode: boolean, col: (name: string) => string): LocationFields | RowError {
  const k = normaliseKommun(raw.kommun, ref)
  if (k instanceof Invalid) return new RowError(col('kommun'), raw.kommun, k.reason)
  let pc = normalisePostcode(raw.postcode)
  if (pc instanceof Invalid) {
    if (strictPostcode) return new RowError(col('postcode'), raw.postcode, pc.reason)
    pc = null
  }
  let coords: { lat: number; lon: number } | null = null
  if (raw.lat !== '' || raw.lon !== '' || raw.x !== '' || raw.y !== '') {
    const c = parseCoordinates(raw.lat, raw.lon, raw.x, raw.y)
    if (c instanceof CoordinateInvalid) return new RowError(col(c.column), c.value, c.reason)
    coords = c
  }
  const city = raw.city === '' ? null : raw.city
  const p = placeLocation(k, pc, city, coords !== null, ref)
  return {
    kommunCode: p.kommunCode,
    placement: p.placement,
    street: raw.street === '' ? null : raw.street,
    postcode: pc,
    city,
    lon: coords ? coords.lon : null,
    lat: coords ? coords.lat : null,
    locationPrecision: p.locationPrecision,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Header mapping for the project CSV / JSON formats

export interface ColumnSpec {
  /** canonical name, e.g. "orgnr" */
  name: string
  /** accepted names (canonical included), compared after normaliseKey */
  aliases: string[]
}

/** Builds normalised-alias → canonical lookup. */
export function aliasIndex (specs: ColumnSpec[]): Map<string, string> {
  const m = new Map<string, string>()
  for (const s of specs) {
    for (const a of [s.name, ...s.aliases]) {
      const k = normaliseKey(a)
      const prev = m.get(k)
      if (prev !== undefined && prev !== s.name) throw new Error(`alias clash: ${a} (${prev} / ${s.name})`)
      m.set(k, s.name)
    }
  }
  return m
}

export interface HeaderMap {
  /** canonical → field index (absent columns are missing from the map) */
  index: Map<string, number>
  /** canonical → header name as written in the file */
  label: Map<string, string>
  fieldCount: number
}

/**
 * A register file given in another format's place, recognised by its header line: the sentence that says which format
 * reads it ('' when it is none of them, or the format `self` itself).
 */
export function otherFormatHint (header: string, self: string): string {
  const h = header.toLowerCase()
  const found = h.includes('organisationsidentitet') && h.includes('namnskyddslopnummer') ? ['bolagsverket', "Bolagsverket's bulk file"]
    : h.includes('peorgnr') && h.includes('ng1') && h.includes('\t') ? ['scb-bulk', "SCB's bulk file"]
      : null
  return found === null || found[0] === self ? '' : `; this looks like ${found[1]}: import it with the format ${found[0]}`
}

/** Maps a header row to canonical columns; throws naming the file and the missing mandatory columns. */
export function mapHeader (fields: string[], aliases: Map<string, string>, mandatory: string[], file: string): HeaderMap {
  const index = new Map<string, number>()
  const label = new Map<string, string>()
  for (let i = 0; i < fields.length; i++) {
    const h = fields[i].trim()
    const canonical = aliases.get(normaliseKey(h))
    if (canonical === undefined) continue
    if (index.has(canonical)) throw new Error(`${file}: column "${canonical}" appears twice in the header ("${label.get(canonical)}" and "${h}")`)
    index.set(canonical, i)
    label.set(canonical, h)
  }
  const missing = mandatory.filter((m) => !index.has(m))
  if (missing.length > 0) {
    throw new Error(`${file}: missing mandatory column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header (found: ${fields.map((f) => f.trim()).join(', ')})`)
  }
  return { index, label, fieldCount: fields.length }
}

export const SNI_COLUMNS = ['sni1', 'sni2', 'sni3', 'sni4', 'sni5']
export const LOCATION_SPECS: ColumnSpec[] = [
  { name: 'kommun', aliases: ['kommunkod', 'kommun_code', 'municipality', 'municipality_code'] },
  { name: 'street', aliases: ['gatuadress', 'adress', 'address', 'besoksadress'] },
  { name: 'postcode', aliases: ['postnummer', 'postnr', 'postal_code', 'zip'] },
  { name: 'city', aliases: ['postort', 'ort', 'town'] },
  { name: 'lat', aliases: ['latitude', 'latitud'] },
  { name: 'lon', aliases: ['lng', 'longitude', 'longitud'] },
  { name: 'x', aliases: ['sweref_x', 'x_sweref99tm', 'northing'] },
  { name: 'y', aliases: ['sweref_y', 'y_sweref99tm', 'easting'] },
]
