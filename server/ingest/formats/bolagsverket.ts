// Bolagsverket's free bulk file (HVD, `bolagsverket_bulkfil.zip` → `bolagsverket_bulkfil.txt`) as it is published
// (see shared/research/real-formats.md): UTF-8, `;`-separated, the header unquoted, every value in `"…"` but inner
// quotes NOT doubled (`"Förening "Ljuspunkten" med firma"`), so strict RFC-4180 readers reject tens of thousands of
// real rows. Values are split on the `";"` boundary instead (splitLine). One record per physical line: the real file
// has no line breaks in values; a quoted value left open at the end of its line is joined with the following lines
// only when that yields exactly the header's columns, otherwise that one line is rejected and reading resumes on the
// next line (an error always names the line it is on).
// NUL bytes (seen inside a name) are removed and the row kept; each removal is a note in the report.
// One row per identity AND name-protection number (`namnskyddslopnummer`): a sole trader has one row per firm name.
import type { BolagsverketEvent, BolagsverketName, EnrichmentRecord, ParsedRow, Parser, Rejection } from '../types.js'
import { openText, readLines } from '../text.js'
import { Invalid, clip, nameTooLong, normaliseKey, normaliseOrgnr, normalisePostcode, parseDate, placeLocation } from '../validate.js'
import { BATCH_SIZE, checkHeaderGuard, checkValues, fromRowError, limitsOf, lineGuard, otherFormatHint, rejection } from './common.js'

const COLUMNS = {
  id: 'organisationsidentitet',
  protection: 'namnskyddslopnummer',
  country: 'registreringsland',
  name: 'organisationsnamn',
  form: 'organisationsform',
  dereg: 'avregistreringsdatum',
  deregReason: 'avregistreringsorsak',
  proceedings: 'pagandeAvvecklingsEllerOmstruktureringsforfarande',
  // the API's spelling; the bulk file writes `pagande…`
  proceedingsApi: 'pagaendeAvvecklingsEllerOmstruktureringsforfarande',
  reg: 'registreringsdatum',
  description: 'verksamhetsbeskrivning',
  address: 'postadress',
} as const
type Col = keyof typeof COLUMNS

/** a quoted value may be continued on at most this many physical lines (tolerance; the real file has none) */
const MAX_RECORD_LINES = 20

/**
 * Splits one record the way the file is written: a value starting with `"` ends at a `"` that is followed by `;`
 * and then the next value's opening `"` (or `;` / the end of the line); any other `"` is part of the value. A value
 * not starting with `"` ends at the next `;` (tolerance: unquoted values, an unquoted header). `open` = the last
 * quoted value has no closing quote on this text.
 */
export function splitLine (line: string): { fields: string[]; open: boolean } {
  const fields: string[] = []
  const n = line.length
  let i = 0
  for (;;) {
    if (i < n && line.charCodeAt(i) === 34) {
      let j = i + 1
      let end = -1
      for (;;) {
        const q = line.indexOf('"', j)
        if (q === -1) break
        if (q === n - 1) { end = q; break }
        if (line.charCodeAt(q + 1) === 59) {
          const c = q + 2 < n ? line.charCodeAt(q + 2) : -1
          if (c === -1 || c === 34 || c === 59) { end = q; break }
        }
        j = q + 1
      }
      if (end === -1) { fields.push(line.slice(i + 1)); return { fields, open: true } }
      fields.push(line.slice(i + 1, end))
      i = end + 1
      if (i >= n) return { fields, open: false }
      i++ // the `;`
      if (i >= n) { fields.push(''); return { fields, open: false } }
    } else {
      const next = line.indexOf(';', i)
      if (next === -1) { fields.push(line.slice(i)); return { fields, open: false } }
      fields.push(line.slice(i, next))
      i = next + 1
      if (i >= n) { fields.push(''); return { fields, open: false } }
    }
  }
}

/** First `$`-separated part of a tagged value ("Foo AB$FORETAGSNAMN-ORGNAM$2020-01-01" → "Foo AB"). */
function firstPart (v: string): string {
  const i = v.indexOf('$')
  return (i === -1 ? v : v.slice(0, i)).trim()
}

const orNull = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v.trim())
const isoDate = (v: string | undefined): string | null => {
  const d = orNull(v)
  if (d === null) return null
  const p = parseDate(d)
  return p instanceof Invalid ? null : p
}

/** `Namn$FORETAGSNAMN-ORGNAM$2019-04-15|Bifirma$SARS_FORNAMN-ORGNAM$2020-01-01$beskrivning|…` → its entries. */
export function parseNames (v: string): BolagsverketName[] {
  const out: BolagsverketName[] = []
  for (const entry of v.split('|')) {
    const p = entry.split('$')
    const name = (p[0] ?? '').trim()
    if (name === '') continue
    out.push({ name, kind: orNull(p[1]), registeredOn: isoDate(p[2]) })
  }
  return out
}

/** `|LI-AVOMFO$2026-04-01|KK-AVOMFO$2024-06-05` (leading `|`) → the ongoing proceedings as events. */
export function parseEvents (v: string): BolagsverketEvent[] {
  const out: BolagsverketEvent[] = []
  for (const entry of v.split('|')) {
    const p = entry.split('$')
    const code = (p[0] ?? '').trim()
    if (code === '') continue
    out.push({ code, date: isoDate(p[1]) })
  }
  return out
}

const POSTCODE = /^\d{3} ?\d{2}$/

/**
 * `gata$c/o$ORT$postnr$SE-LAND` (the town before the postcode). Tolerant where the layout is assumed: a postcode and
 * town the other way round are swapped back, and a foreign address (`…$AX-22100$FI-LAND`) is kept but never placed.
 */
export interface BvAddress { street: string | null; coAddress: string | null; city: string | null; postcode: string | null; country: string | null }

export function parseAddress (v: string): BvAddress {
  const p = v.split('$').map((x) => x.trim())
  let city = orNull(p[2])
  let code = orNull(p[3])
  if (city !== null && POSTCODE.test(city) && (code === null || !POSTCODE.test(code))) [city, code] = [code, city]
  const country = orNull(p[4])?.replace(/-LAND$/i, '').toUpperCase() ?? null
  const domestic = country === null || country === 'SE'
  const pc = domestic && code !== null ? normalisePostcode(code) : null
  return { street: orNull(p[0]), coAddress: orNull(p[1]), city, postcode: typeof pc === 'string' ? pc : null, country }
}

export const bolagsverket: Parser<EnrichmentRecord> = async function * (input, ctx) {
  const { file } = ctx
  const limits = limitsOf(ctx)
  const text = await openText(input, file, { maxUncompressedBytes: limits.maxUncompressedBytes,
    expected: "Bolagsverket's bulk file (bolagsverket: ';'-separated text, or bolagsverket_bulkfil.zip)" })
  const overlong: ParsedRow<never>[] = []
  let idx: Record<Col, number> | null = null
  let headers: string[] = []
  let width = 0
  let batch: ParsedRow<EnrichmentRecord>[] = []
  // lines not yet consumed (a record left open looks ahead), with the physical number of the first
  let pending: string[] = []
  let pendingLine = 1
  const flushOverlong = (before: number): void => {
    while (overlong.length > 0 && (overlong[0] as { rejection: { line: number } }).rejection.line < before) batch.push(overlong.shift()!)
  }

  /** Consumes records from `pending`; with `eof` false, stops where an open record needs lines not yet read. */
  function consume (eof: boolean): void {
    let k = 0
    while (k < pending.length) {
      const lineNo = pendingLine + k
      const line = pending[k]
      if (line.trim() === '') { k++; continue }
      if (idx === null) {
        headers = splitLine(line).fields.map((h) => h.trim().replace(/^"|"$/g, ''))
        width = headers.length
        while (width > 1 && headers[width - 1] === '') width--
        const pos = new Map<string, number>()
        headers.forEach((h, i) => { if (!pos.has(normaliseKey(h))) pos.set(normaliseKey(h), i) })
        const get = (name: string): number => pos.get(normaliseKey(name)) ?? -1
        idx = Object.fromEntries(Object.entries(COLUMNS).map(([k2, name]) => [k2, get(name)])) as Record<Col, number>
        if (idx.id === -1) throw new Error(`${file}: missing mandatory column ${COLUMNS.id} in the header (is this Bolagsverket's bulk file? found: ${clip(headers.join(', '))})${otherFormatHint(line, 'bolagsverket')}`)
        checkHeaderGuard(overlong, lineNo, file)
        k++
        continue
      }
      let s = splitLine(line)
      let used = 1
      if (s.open || s.fields.length < width) {
        // tolerance: a value continued on the next lines, accepted only when the joined record has the header's width
        let joined = line
        let t = s
        let u = 1
        while (t.open && u < MAX_RECORD_LINES) {
          if (k + u >= pending.length) {
            if (!eof) { pending = pending.slice(k); pendingLine = lineNo; return }
            break
          }
          joined += '\n' + pending[k + u]
          u++
          t = splitLine(joined)
        }
        if (!t.open && fit(t.fields)) { s = t; used = u }
      }
      flushOverlong(lineNo)
      if (s.open) {
        batch.push(rejection(file, lineNo, headers[s.fields.length - 1] ?? null, clip(line),
          'unterminated quoted value: the line ends inside a value that opened with a quote (the row was rejected; reading resumed on the next line)'))
      } else if (!fit(s.fields)) {
        batch.push(rejection(file, lineNo, null, clip(line), `wrong number of columns: expected ${width}, found ${s.fields.length}`))
      } else {
        batch.push(buildRow(s.fields, lineNo))
      }
      k += used
    }
    pendingLine += pending.length
    pending = []
  }
  const fit = (f: string[]): boolean => f.length === width || (f.length === width + 1 && f[width] === '')

  try {
    for await (const lines of readLines(text.chunks, lineGuard(ctx, overlong))) {
      pending = pending.length === 0 ? lines : pending.concat(lines)
      consume(false)
      if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
    }
    consume(true)
  } finally {
    await text.close()
  }
  if (idx === null) throw new Error(`${file}: file is empty`)
  flushOverlong(Number.POSITIVE_INFINITY)
  if (batch.length > 0) yield batch

  function buildRow (raw: string[], line: number): ParsedRow<EnrichmentRecord> {
    // NUL bytes have been seen inside names of this file (real-formats.md): removed, the row kept, the removal noted
    let note: Rejection | undefined
    let f = raw
    const nul = raw.findIndex((x) => x.indexOf('\u0000') !== -1)
    if (nul !== -1) {
      let removed = 0
      f = raw.map((x) => { const c = x.replaceAll('\u0000', ''); removed += x.length - c.length; return c })
      note = { file, line, column: headers[nul] ?? null, value: clip(f[nul]), reason: `${removed} NUL byte(s) removed; the row was imported` }
    }
    const bad = checkValues(f, (i) => headers[i] ?? null, limits)
    if (bad !== null) return fromRowError(file, line, bad)
    const row = buildRecord(f, line, idx!)
    return note && row.ok ? { ...row, note } : row
  }

  function buildRecord (f: string[], line: number, ix: Record<Col, number>): ParsedRow<EnrichmentRecord> {
    const v = (i: number): string => (i === -1 ? '' : f[i].trim())
    const idRaw = v(ix.id)
    const orgRaw = firstPart(idRaw)
    if (orgRaw === '') return rejection(file, line, COLUMNS.id, idRaw, 'missing organisation number')
    const o = normaliseOrgnr(orgRaw)
    if (o instanceof Invalid) return rejection(file, line, COLUMNS.id, idRaw, o.reason)
    const protRaw = v(ix.protection)
    let protectionNo: number | null = null
    if (protRaw !== '') {
      if (!/^\d{1,6}$/.test(protRaw)) return rejection(file, line, COLUMNS.protection, protRaw, 'name-protection number must be a whole number')
      protectionNo = Number(protRaw)
    }
    const regRaw = v(ix.reg)
    const reg = parseDate(regRaw)
    if (reg instanceof Invalid) return rejection(file, line, COLUMNS.reg, regRaw, reg.reason)
    const deregRaw = v(ix.dereg)
    const dereg = parseDate(deregRaw)
    if (dereg instanceof Invalid) return rejection(file, line, COLUMNS.dereg, deregRaw, dereg.reason)
    const names = parseNames(v(ix.name))
    for (const n of names) {
      const long = nameTooLong(n.name)
      if (long !== null) return rejection(file, line, COLUMNS.name, clip(n.name), long.reason)
    }
    // the firm name (FORETAGSNAMN) is the name; a row of secondary names only (bifirma, foreign) falls back to its first
    const main = names.find((n) => n.kind === 'FORETAGSNAMN-ORGNAM') ?? names[0]
    const proceedingsRaw = v(ix.proceedings) || v(ix.proceedingsApi)
    const events = parseEvents(proceedingsRaw)
    const addr = parseAddress(v(ix.address))
    const place = addr.postcode !== null || addr.country === null || addr.country === 'SE'
      ? placeLocation(null, addr.postcode, addr.country === null || addr.country === 'SE' ? addr.city : null, false, ctx.ref)
      : { kommunCode: null, placement: null, locationPrecision: null }
    return {
      ok: true,
      record: {
        line,
        orgnr: o.orgnr,
        protectionNo,
        name: main?.name ?? null,
        names,
        legalFormText: orNull(firstPart(v(ix.form))),
        registeredOn: reg,
        deregisteredOn: dereg,
        deregistrationReason: orNull(firstPart(v(ix.deregReason))),
        liquidation: events.length > 0 ? proceedingsRaw.replace(/^\|+/, '') : null,
        events,
        description: orNull(v(ix.description)),
        street: addr.street,
        coAddress: addr.coAddress,
        postcode: addr.postcode,
        city: addr.city,
        country: addr.country,
        kommunCode: place.kommunCode,
        placement: place.placement,
        locationPrecision: place.locationPrecision,
      },
    }
  }
}
