// SCB Företagsregistret free bulk file (HVD): TAB-separated, ISO-8859-1, NO quoting, 34 columns by header name,
// one row per legal unit. Usually delivered as scb_bulkfil.zip with a single scb_bulkfil_JE_<date>T<time>_<n>.txt.
// Lines are split by hand (a literal `"` in a name must never merge lines), fields with String#split('\t').
import type { Readable } from 'node:stream'
import type { CompanyRecord, KeyReader, LineBatch, LineSplitter, ParseContext, ParsedRow, Parser, RefData, Rejection, SniVersion } from '../types.js'
import type { ImportLimits } from '../limits.js'
import { fingerprint, fingerprintSeed, type KeyedLine } from '../fingerprint.js'
import { isBlankLine, openText, readLines, type TextSource } from '../text.js'
import { Invalid, clip, nameTooLong, normaliseOrgnr, normalisePostcode, parseDate, placeLocation, isSoleTrader } from '../validate.js'
import {
  BATCH_SIZE, SniVersionPicker, checkHeaderGuard, otherFormatHint, checkValues, fromRowError, limitsOf, lineGuard, lineNeedsCheck,
  referenceYearFromFileName, rejection, takeHeader, withSniVersion,
} from './common.js'

const NG = ['Ng1', 'Ng2', 'Ng3', 'Ng4', 'Ng5']
const EXPECTED = "SCB's bulk file (scb-bulk: TAB-separated text, or scb_bulkfil.zip)"
const MANDATORY = ['PeOrgNr', 'Namn']

export const scbBulk: Parser<CompanyRecord> = async function * (input, ctx) {
  const text = await open(input, ctx)
  try {
    yield * parseScbBulk(text, ctx, false) as AsyncGenerator<ParsedRow<CompanyRecord>[]>
  } finally {
    await text.close()
  }
}

/** The refresh's first pass (fingerprint.ts): every line's key (the organisation number) and fingerprint, nothing validated. */
export const scbBulkKeys: KeyReader = async function * (input, ctx) {
  const text = await open(input, ctx)
  try {
    yield * parseScbBulk(text, ctx, true) as AsyncGenerator<KeyedLine[]>
  } finally {
    await text.close()
  }
}

// Windows-1252: a superset of ISO-8859-1's printable characters (€, –, ’)
const open = (input: Readable, ctx: ParseContext) =>
  openText(input, ctx.file, { fallback: 'windows1252', maxUncompressedBytes: limitsOf(ctx).maxUncompressedBytes, expected: EXPECTED })

/**
 * What reading a line needs from the file's header: plain data, so that a worker thread builds the same reader
 * (scbBulkRowReader) as the import's own thread (line-workers.ts).
 */
export interface ScbBulkLayout { file: string; names: string[]; width: number; limits: ImportLimits }

/**
 * The file's lines after its header, in batches as read (LineBatch): each with the SNI version picked for the file, its
 * fingerprint seed and the over-long lines' rejections (their lines are blank in `lines`).
 */
async function * scbBulkBatches (text: TextSource, ctx: ParseContext): AsyncGenerator<LineBatch & { layout: ScbBulkLayout }> {
  const { file, ref } = ctx
  const limits = limitsOf(ctx)
  const overlong: ParsedRow<never>[] = []
  const { header, headerLine, rest } = await takeHeader(readLines(text.chunks, lineGuard(ctx, overlong)), file)
  checkHeaderGuard(overlong, headerLine, file)

  // header → column indexes (case-insensitive); a trailing empty column (trailing TAB) is tolerated
  const names = header.split('\t').map((h) => h.trim())
  let width = names.length
  if (width > 1 && names[width - 1] === '') width--
  const layout: ScbBulkLayout = { file, names: names.slice(0, width), width, limits }
  const missing = MANDATORY.filter((m) => columnOf(layout, m) < 0)
  if (missing.length > 0) {
    throw new Error(`${file}: missing mandatory column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header (is this a TAB-separated SCB bulk file?)${otherFormatHint(header, 'scb-bulk')}`)
  }
  const iNg = NG.map((n) => columnOf(layout, n))

  // an SNI version tie (codes of both versions) goes by the file's date, else by the reference year the user gave
  const fileYear = (): number | null =>
    (text.entryName !== null ? referenceYearFromFileName(text.entryName) : null) ?? referenceYearFromFileName(file) ?? ctx.year ?? null
  const picker = new SniVersionPicker(ctx, fileYear)
  const sample = (line: string, p: SniVersionPicker): void => {
    if (line === '') return
    const f = line.split('\t')
    for (let k = 0; k < 5; k++) { const i = iNg[k]; if (i >= 0 && i < f.length) p.sample(f[i].trim()) }
  }

  const fp = ctx.fingerprint
  let seed: number | null = null
  let seedOf: SniVersion | null = null
  let lineNo = headerLine + 1
  const before = () => overlong.splice(0, overlong.length).map((r) => (r as { rejection: Rejection }).rejection)
  for await (const { version, rows } of withSniVersion(rest, picker, ref, sample)) {
    if (fp && seedOf !== version) { seed = fingerprintSeed([fp.context, header, version]); seedOf = version }
    yield { layout, version, seed, lineNo, lines: rows, before: before() }
    lineNo += rows.length
  }
  // (the version was picked by then: withSniVersion yields its sample even when the file has no rows)
  if (overlong.length > 0) yield { layout, version: picker.version!, seed, lineNo, lines: [], before: before() }
}

/** The header's column of a name (case-insensitive, the first of that name), -1 when the file has none. */
function columnOf (layout: ScbBulkLayout, name: string): number {
  const n = name.toLowerCase()
  return layout.names.findIndex((h) => h.toLowerCase() === n)
}

/** The lines of an SCB bulk file for worker threads (line-workers.ts), which read them with scbBulkRowReader. */
export const scbBulkLines: LineSplitter = async function * (input, ctx) {
  const text = await open(input, ctx)
  try {
    yield * scbBulkBatches(text, ctx)
  } finally {
    await text.close()
  }
}

/** A line of the file as its row (or its rejection), read by the layout of the file's header. */
export function scbBulkRowReader (layout: ScbBulkLayout, ref: RefData): (line: string, lineNo: number, version: SniVersion) => ParsedRow<CompanyRecord> {
  const { file, names, width, limits } = layout
  const col = (n: string): number => columnOf(layout, n)
  const iOrg = col('PeOrgNr'); const iNamn = col('Namn'); const iFtgNamn = col('Foretagsnamn')
  const iStat = col('FtgStat'); const iJeStat = col('JEStat'); const iJur = col('JurForm'); const iGata = col('Gatuadress')
  const iPostNr = col('PostNr'); const iOrt = col('PostOrt'); const iReg = col('RegDatKtid')
  const iReklam = col('Reklamsparrtyp'); const iCo = col('COAdress')
  const iNg = NG.map(col)
  const legalForms = ref.legalForms

  // Where each field starts (field i is line[starts[i], starts[i + 1] - 1)): a line's fields are found, not split. Only
  // the half of the 34 columns read are taken out as strings (split made every one, 44 M strings at register scale).
  const starts = new Int32Array(width + 3)
  /** the number of fields, up to width + 2 (more than that many count as that many) */
  const findFields = (line: string): number => {
    let n = 0
    for (let t = line.indexOf('\t'); t !== -1 && n <= width; t = line.indexOf('\t', t + 1)) starts[++n] = t + 1
    starts[n + 1] = line.length + 1
    return n + 1
  }
  const at = (line: string, i: number): string => line.slice(starts[i], starts[i + 1] - 1)

  return (line, lineNo, version) => {
    const fields = findFields(line)
    if (fields !== width && !(fields === width + 1 && at(line, width) === '')) {
      return rejection(file, lineNo, null, clip(line), `wrong number of columns: expected ${width}, found ${line.split('\t').length}`)
    }
    if (lineNeedsCheck(line, limits)) {
      const bad = checkValues(line.split('\t'), (i) => names[i] ?? null, limits)
      if (bad !== null) return fromRowError(file, lineNo, bad)
    }
    const orgRaw = at(line, iOrg).trim()
    const o = normaliseOrgnr(orgRaw)
    if (o instanceof Invalid) return rejection(file, lineNo, 'PeOrgNr', orgRaw, orgRaw === '' ? 'missing PeOrgNr' : o.reason)

    let legalForm: string | null = null
    if (iJur >= 0) {
      const jur = at(line, iJur).trim()
      if (jur !== '') {
        if (!legalForms.has(jur)) return rejection(file, lineNo, 'JurForm', jur, `unknown legal form "${jur}"`)
        legalForm = jur
      }
    }

    let name = iFtgNamn >= 0 ? at(line, iFtgNamn).trim() : ''
    if (name === '') name = at(line, iNamn).trim()
    if (name === '') return rejection(file, lineNo, 'Namn', '', 'name is empty (both Foretagsnamn and Namn)')
    const long = nameTooLong(name)
    if (long !== null) return rejection(file, lineNo, iFtgNamn >= 0 && at(line, iFtgNamn).trim() !== '' ? 'Foretagsnamn' : 'Namn', clip(name), long.reason)

    const valid = ref.sni[version]
    const sni: string[] = []
    for (let k = 0; k < 5; k++) {
      const i = iNg[k]
      if (i < 0) continue
      const raw = at(line, i)
      if (raw === '') continue
      let c = raw
      if (c.charCodeAt(0) <= 32 || c.charCodeAt(c.length - 1) <= 32) c = c.trim()
      if (c === '' || c === '00000') continue
      if (!valid.has(c)) {
        // slow path: dotted / padded / malformed codes
        const stripped = c.replace(DOTS, '')
        if (stripped.length === 4 && valid.has('0' + stripped)) c = '0' + stripped
        else if (valid.has(stripped)) c = stripped
        else if (stripped.length !== 5 || !DIGITS5.test(stripped)) return rejection(file, lineNo, NG[k], raw, `malformed SNI code "${raw}"`)
        else return rejection(file, lineNo, NG[k], raw, `unknown SNI code "${stripped}" for SNI ${version}`)
      }
      if (sni.indexOf(c) === -1) sni.push(c)
    }

    let active = false
    if (iStat >= 0) {
      const s = at(line, iStat).trim()
      if (s === '1') active = true
      else if (s !== '0' && s !== '9' && s !== '') return rejection(file, lineNo, 'FtgStat', s, `unknown FtgStat "${s}" (expected 0, 1 or 9)`)
    }
    // JEStat 9: the unit "is no longer in the population" (kept in the file for six months): not an active company,
    // whatever its FtgStat says (real-formats.md)
    if (iJeStat >= 0 && at(line, iJeStat).trim() === '9') active = false

    let registeredOn: string | null = null
    if (iReg >= 0) {
      const r = at(line, iReg).trim()
      const d = parseDate(r)
      if (d instanceof Invalid) return rejection(file, lineNo, 'RegDatKtid', r, d.reason)
      registeredOn = d
    }

    let marketingOptOut: boolean | null = null
    if (iReklam >= 0) {
      const c = at(line, iReklam).trim().charCodeAt(0)
      if (c === 49) marketingOptOut = false // 1x: accepts
      else if (c === 50) marketingOptOut = true // 2x: opted out
    }

    let postcode: string | null = null
    if (iPostNr >= 0) {
      const p = normalisePostcode(at(line, iPostNr).trim())
      if (typeof p === 'string') postcode = p
    }
    let city: string | null = null
    if (iOrt >= 0) { const c = at(line, iOrt).trim(); if (c !== '') city = c }
    let street: string | null = null
    if (iGata >= 0) { const s = at(line, iGata).trim(); if (s !== '') street = s }
    let coAddress: string | null = null
    if (iCo >= 0) { const s = at(line, iCo).trim(); if (s !== '') coAddress = s }
    const place = placeLocation(null, postcode, city, false, ref)

    const record: CompanyRecord = {
      line: lineNo,
      orgnr: o.orgnr,
      name,
      legalForm,
      soleTrader: isSoleTrader(o.personal, legalForm),
      sni,
      sniVersion: version,
      kommunCode: place.kommunCode,
      placement: place.placement,
      street,
      coAddress,
      postcode,
      city,
      lon: null,
      lat: null,
      locationPrecision: place.locationPrecision,
      employees: null,
      sizeClass: null,
      turnover: null,
      valueAdded: null,
      registeredOn,
      deregisteredOn: null,
      active,
      marketingOptOut,
      description: null,
      liquidation: null,
    }
    return { ok: true, record }
  }
}

async function * parseScbBulk (text: TextSource, ctx: ParseContext, keysOnly: boolean): AsyncGenerator<ParsedRow<CompanyRecord>[] | KeyedLine[]> {
  const only = ctx.fingerprint?.only
  let parseRow: ReturnType<typeof scbBulkRowReader> | undefined
  let keyOf: ((line: string) => string | null) | undefined
  let batch: Array<ParsedRow<CompanyRecord> | KeyedLine> = []
  for await (const b of scbBulkBatches(text, ctx)) {
    parseRow ??= scbBulkRowReader(b.layout, ctx.ref)
    keyOf ??= lineKey(b.layout)
    // (the first pass skips over-long lines: blank to it, reported by the second, which reads every line's guard)
    if (!keysOnly) for (const rejection of b.before) batch.push({ ok: false, rejection })
    const rows = b.lines
    let lineNo = b.lineNo - 1
    for (let k = 0; k < rows.length; k++) {
      lineNo++
      const line = rows[k]
      if (isBlankLine(line)) continue
      if (keysOnly) {
        batch.push({ line: lineNo, key: keyOf(line), fp: fingerprint(line, b.seed ?? 0) })
      } else {
        if (only !== undefined && !only.has(lineNo)) continue
        const row = parseRow(line, lineNo, b.version)
        if (b.seed !== null && row.ok) row.record.fp = fingerprint(line, b.seed)
        batch.push(row)
      }
      if (batch.length >= BATCH_SIZE) { yield batch as ParsedRow<CompanyRecord>[] | KeyedLine[]; batch = [] }
    }
  }
  if (batch.length > 0) yield batch as ParsedRow<CompanyRecord>[] | KeyedLine[]
}

/**
 * The key of a line for the first pass: its organisation number, normalised as the row reader does; null when the
 * reader may reject the line (wrong number of columns, a value to check, an invalid number), which is then always parsed.
 */
function lineKey ({ width, limits, names }: ScbBulkLayout): (line: string) => string | null {
  const iOrg = columnOf({ width, limits, names, file: '' }, 'PeOrgNr')
  return (line) => {
    if (lineNeedsCheck(line, limits)) return null
    let start = 0; let n = 0; let key: string | null = null
    for (let t = line.indexOf('\t'); t !== -1; t = line.indexOf('\t', t + 1)) {
      if (n === iOrg) key = line.slice(start, t)
      n++; start = t + 1
    }
    if (n === iOrg) key = line.slice(start)
    const fields = n + 1
    if (key === null || (fields !== width && !(fields === width + 1 && start === line.length))) return null
    const o = normaliseOrgnr(key.trim())
    return o instanceof Invalid ? null : o.orgnr
  }
}

const DOTS = /[\s.]/g
const DIGITS5 = /^\d{5}$/
