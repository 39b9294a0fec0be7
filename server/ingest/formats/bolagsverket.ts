// Bolagsverket free bulk file (HVD): UTF-8, `;`-separated, quoted CSV whose quoted values may contain `;` and
// line breaks; 11 columns by header name; `$`-tagged values. Parsed with csv-parse (relax_column_count: false,
// skip_records_with_error: true). The start line of each record is derived from csv-parse's line counters in
// the synchronous on_record / on_skip hooks (previous record's end line + 1 + blank lines skipped), so
// rejections point at the physical line where a (multi-line) record starts.
// Limitation (csv-parse): after a malformed quote ("Invalid Closing Quote") csv-parse does not resynchronise,
// and the rest of the file may be reported as one "quote not closed" rejection. Bolagsverket's file is
// machine-generated, so this is not expected in practice.
import { Readable, pipeline } from 'node:stream'
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse'
import type { EnrichmentRecord, ParsedRow, Parser, Rejection } from '../types.js'
import { guardChunks, openText } from '../text.js'
import { Invalid, clip, nameTooLong, normaliseKey, normaliseOrgnr, normalisePostcode, parseDate, placeLocation } from '../validate.js'
import { BATCH_SIZE, checkHeaderGuard, checkValues, fromRowError, limitsOf, lineGuard, rejection } from './common.js'

const COLUMNS = {
  id: 'organisationsidentitet',
  name: 'organisationsnamn',
  form: 'organisationsform',
  dereg: 'avregistreringsdatum',
  deregReason: 'avregistreringsorsak',
  liquidation: 'pagandeAvvecklingsEllerOmstruktureringsforfarande',
  liquidationApi: 'pagaendeAvvecklingsEllerOmstruktureringsforfarande',
  reg: 'registreringsdatum',
  description: 'verksamhetsbeskrivning',
  address: 'postadress',
} as const

type Rec = { fields: string[]; start: number }
type Skip = { start: number; reason: string; raw: string | null }

/** First `$`-separated part of a tagged value ("Foo AB$FORETAGSNAMN-ORGNAM$2020-01-01" → "Foo AB"). */
function firstPart (v: string): string {
  const i = v.indexOf('$')
  return (i === -1 ? v : v.slice(0, i)).trim()
}

function orNull (v: string): string | null {
  return v === '' ? null : v
}

export const bolagsverket: Parser<EnrichmentRecord> = async function * (input, ctx) {
  const { file } = ctx
  const limits = limitsOf(ctx)
  const text = await openText(input, file, { maxUncompressedBytes: limits.maxUncompressedBytes })
  const overlong: ParsedRow<never>[] = []
  let prevEnd = 0
  let prevEmpty = 0
  const skips: Skip[] = []
  let width = -1
  const options: Options<Rec, string[]> = {
    delimiter: ';',
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], info: InfoRecord): Rec => {
      const start = prevEnd + 1 + (info.empty_lines - prevEmpty)
      prevEnd = info.lines
      prevEmpty = info.empty_lines
      if (width === -1) width = record.length
      return { fields: record, start }
    },
    on_skip: (err: CsvError | undefined, raw: string | undefined): undefined => {
      const e = (err ?? {}) as Record<string, unknown>
      const empty = typeof e.empty_lines === 'number' ? e.empty_lines : prevEmpty
      const start = prevEnd + 1 + (empty - prevEmpty)
      if (typeof e.lines === 'number') prevEnd = e.lines
      prevEmpty = empty
      let reason = err?.message ?? 'malformed CSV record'
      if (err?.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
        const rec = e.record as unknown[] | undefined
        reason = `wrong number of columns: expected ${width}, found ${rec ? rec.length : '?'}`
      } else if (err?.code === 'CSV_QUOTE_NOT_CLOSED') {
        reason = 'unterminated quoted field (the quote is not closed before the end of the file)'
      } else if (err?.code === 'CSV_INVALID_CLOSING_QUOTE') {
        reason = 'malformed quoting: text after a closing quote'
      }
      skips.push({ start, reason, raw: raw ? clip(raw) : null })
      return undefined
    },
  }
  const parser = parse(options as unknown as Options)
  // errors of either stream surface through the iteration over `parser`; an early exit destroys both
  pipeline(Readable.from(guardChunks(text.chunks, lineGuard(ctx, overlong))), parser, () => {})

  let idx: Record<keyof typeof COLUMNS, number> | null = null
  let headers: string[] = []
  let batch: ParsedRow<EnrichmentRecord>[] = []
  let skipPos = 0
  const flushSkips = (before: number): void => {
    while (overlong.length > 0 && (overlong[0] as { rejection: { line: number } }).rejection.line < before) batch.push(overlong.shift()!)
    while (skipPos < skips.length && skips[skipPos].start < before) {
      const s = skips[skipPos++]
      batch.push(rejection(file, s.start, null, s.raw, s.reason))
    }
    if (skipPos > 1000) { skips.splice(0, skipPos); skipPos = 0 }
  }

  try {
    for await (const rec of parser as AsyncIterable<Rec>) {
      const f = rec.fields
      if (idx === null) {
        const pos = new Map<string, number>()
        f.forEach((h, i) => pos.set(normaliseKey(h), i))
        const get = (name: string): number => pos.get(normaliseKey(name)) ?? -1
        idx = {
          id: get(COLUMNS.id),
          name: get(COLUMNS.name),
          form: get(COLUMNS.form),
          dereg: get(COLUMNS.dereg),
          deregReason: get(COLUMNS.deregReason),
          liquidation: get(COLUMNS.liquidation),
          liquidationApi: get(COLUMNS.liquidationApi),
          reg: get(COLUMNS.reg),
          description: get(COLUMNS.description),
          address: get(COLUMNS.address),
        }
        if (idx.id === -1) throw new Error(`${file}: missing mandatory column ${COLUMNS.id} in the header (found: ${f.join(', ')})`)
        checkHeaderGuard(overlong, rec.start, file)
        headers = f
        continue
      }
      flushSkips(rec.start)
      batch.push(buildRow(f, rec.start, idx))
      if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
    }
  } finally {
    parser.destroy()
    await text.close()
  }
  if (idx === null) throw new Error(`${file}: file is empty`)
  flushSkips(Number.POSITIVE_INFINITY)
  if (batch.length > 0) yield batch

  function buildRow (raw: string[], line: number, ix: Record<keyof typeof COLUMNS, number>): ParsedRow<EnrichmentRecord> {
    // NUL bytes have been seen inside names of this file (real-formats.md): removed, the row kept, the removal noted
    let note: Rejection | undefined
    let f = raw
    const nul = raw.findIndex((x) => x.indexOf('\u0000') !== -1)
    if (nul !== -1) {
      f = raw.map((x) => x.replaceAll('\u0000', ''))
      note = { file, line, column: headers[nul] ?? null, value: clip(f[nul]), reason: 'NUL byte(s) removed from the value; the row was imported' }
    }
    const bad = checkValues(f, (i) => headers[i] ?? null, limits)
    if (bad !== null) return fromRowError(file, line, bad)
    const row = buildRecord(f, line, ix)
    return note && row.ok ? { ...row, note } : row
  }

  function buildRecord (f: string[], line: number, ix: Record<keyof typeof COLUMNS, number>): ParsedRow<EnrichmentRecord> {
    const v = (i: number): string => (i === -1 ? '' : f[i].trim())
    const idRaw = v(ix.id)
    const orgRaw = firstPart(idRaw)
    if (orgRaw === '') return rejection(file, line, COLUMNS.id, idRaw, 'missing organisation number')
    const o = normaliseOrgnr(orgRaw)
    if (o instanceof Invalid) return rejection(file, line, COLUMNS.id, idRaw, o.reason)
    const regRaw = v(ix.reg)
    const reg = parseDate(regRaw)
    if (reg instanceof Invalid) return rejection(file, line, COLUMNS.reg, regRaw, reg.reason)
    const deregRaw = v(ix.dereg)
    const dereg = parseDate(deregRaw)
    if (dereg instanceof Invalid) return rejection(file, line, COLUMNS.dereg, deregRaw, dereg.reason)
    // postadress: gata$c/o$ort$postnr$land
    const name = orNull(firstPart(v(ix.name)))
    const long = name === null ? null : nameTooLong(name)
    if (long !== null) return rejection(file, line, COLUMNS.name, clip(name!), long.reason)
    const addr = v(ix.address).split('$')
    const pc = normalisePostcode((addr[3] ?? '').trim())
    const postcode = typeof pc === 'string' ? pc : null
    const city = orNull((addr[2] ?? '').trim())
    const place = placeLocation(null, postcode, city, false, ctx.ref)
    return {
      ok: true,
      record: {
        line,
        orgnr: o.orgnr,
        name,
        legalFormText: orNull(firstPart(v(ix.form))),
        registeredOn: reg,
        deregisteredOn: dereg,
        deregistrationReason: orNull(firstPart(v(ix.deregReason))),
        liquidation: orNull(v(ix.liquidation) || v(ix.liquidationApi)),
        description: orNull(v(ix.description)),
        street: orNull((addr[0] ?? '').trim()),
        postcode,
        city,
        ...place, // kommunCode, placement, locationPrecision
      },
    }
  }
}
