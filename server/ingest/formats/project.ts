// Driver for the project's own documented formats (CSV with a header row, or JSON array / NDJSON of objects):
// header/key aliasing, mandatory columns, row-shape checks, SNI version sampling and batching. The record
// builders (companies, workplaces, education) only see a RowAccess.
import type { ParseContext, ParsedRow, Parser, SniVersion } from '../types.js'
import { parseRecordAt, readRecords } from '../delimited.js'
import { readJsonItems } from '../json-items.js'
import { detectDelimiter, openText, readLines, type TextSource } from '../text.js'
import { clip, normaliseKey } from '../validate.js'
import type { ImportLimits } from '../limits.js'
import {
  BATCH_SIZE, RowError, SNI_COLUMNS, SniVersionPicker, aliasIndex, checkHeaderGuard, checkValues, fromRowError, limitsOf,
  lineGuard, mapHeader, otherFormatHint, referenceYearFromFileName, rejection, takeHeader, withSniVersion, buildLocation, type ColumnSpec,
  type LocationFields,
} from './common.js'
import { ShapeCheck, describeItem, isPlainObject, toText } from './json-object.js'

/** Access to one input row by canonical column name. */
export interface RowAccess {
  /** trimmed value, '' when absent */
  get (name: string): string
  /** the column/key name as written in the file (for rejections); the canonical name when absent */
  label (name: string): string
}

export type RowBuilder<T> = (row: RowAccess, line: number, version: SniVersion, ctx: ParseContext) => T | RowError

export interface ProjectFormat<T> {
  specs: ColumnSpec[]
  mandatory: string[]
  build: RowBuilder<T>
  /** whether rows carry sni1…sni5 (drives SNI version sampling) */
  hasSni: boolean
  /** the format's name in messages, e.g. "companies json" */
  title: string
}

class CsvRow implements RowAccess {
  fields: string[] = []
  constructor (private readonly index: Map<string, number>, private readonly labels: Map<string, string>) {}
  get (name: string): string {
    const i = this.index.get(name)
    return i === undefined ? '' : this.fields[i].trim()
  }

  label (name: string): string { return this.labels.get(name) ?? name }
}

class ObjectRow implements RowAccess {
  readonly values = new Map<string, string>()
  private readonly labels = new Map<string, string>()
  constructor (obj: Record<string, unknown>, aliases: Map<string, string>) {
    for (const k of Object.keys(obj)) {
      const c = aliases.get(normaliseKey(k))
      if (c === undefined || this.values.has(c)) continue
      this.values.set(c, toText(obj[k]))
      this.labels.set(c, k)
    }
  }

  get (name: string): string { return this.values.get(name) ?? '' }
  label (name: string): string { return this.labels.get(name) ?? name }
  /** whether the object has any key of the format */
  understood (): boolean { return this.values.size > 0 }

  /** The values the format reads, checked like a CSV row's (see checkValues). */
  check (limits: ImportLimits): RowError | null {
    const names = [...this.values.keys()]
    return checkValues(names.map((n) => this.values.get(n)!), (i) => this.label(names[i]), limits)
  }
}

function sampleSni (row: RowAccess, p: SniVersionPicker): void {
  for (const c of SNI_COLUMNS) p.sample(row.get(c))
}

function fileYearOf (entryName: string | null, file: string): () => number | null {
  return () => (entryName ? referenceYearFromFileName(entryName) : null) ?? referenceYearFromFileName(file)
}

/** CSV parser for a project format: delimiter (`;`, `,`, TAB) and encoding (UTF-8 ± BOM / Windows-1252) detected. */
export function projectCsv<T> (fmt: ProjectFormat<T>): Parser<T> {
  const aliases = aliasIndex(fmt.specs)
  return async function * (input, ctx) {
    const { file } = ctx
    const text = await openText(input, file, { maxUncompressedBytes: limitsOf(ctx).maxUncompressedBytes, expected: 'a CSV file (csv)' })
    try {
      yield * parseCsv(text, ctx)
    } finally {
      await text.close()
    }
  }

  async function * parseCsv (text: TextSource, ctx: ParseContext): AsyncGenerator<ParsedRow<T>[]> {
    const { file } = ctx
    const limits = limitsOf(ctx)
    const overlong: ParsedRow<never>[] = []
    const { header, headerLine, rest } = await takeHeader(readLines(text.chunks, lineGuard(ctx, overlong)), file)
    checkHeaderGuard(overlong, headerLine, file)
    const delim = detectDelimiter(header)
    const parsedHeader = parseRecordAt([header], 0, delim, true)
    if (parsedHeader.fields === null) throw new Error(`${file}: unreadable header line (${parsedHeader.error})`)
    let hm: ReturnType<typeof mapHeader>
    try {
      hm = mapHeader(parsedHeader.fields, aliases, fmt.mandatory, file)
    } catch (e) {
      // a register file given as our CSV: say which format reads it
      throw new Error((e as Error).message + otherFormatHint(header, 'csv'), { cause: e })
    }
    const width = hm.fieldCount
    const headerNames = parsedHeader.fields.map((h) => h.trim())
    const picker = new SniVersionPicker(ctx, fileYearOf(text.entryName, file))
    if (!fmt.hasSni && picker.version === null) picker.version = '2007' // irrelevant for formats without SNI
    const sampler = new CsvRow(hm.index, hm.label)
    const row = new CsvRow(hm.index, hm.label)

    let batch: ParsedRow<T>[] = []
    const records = readRecords(rest, delim, width, headerLine + 1)
    for await (const { version, rows } of withSniVersion(records, picker, ctx.ref, (r, p) => {
      if (r.fields !== null && r.fields.length === width) { sampler.fields = r.fields; sampleSni(sampler, p) }
    })) {
      if (overlong.length > 0) batch.push(...overlong.splice(0, overlong.length))
      for (const r of rows) {
        if (r.fields === null) {
          const col = r.errorField !== undefined && r.errorField < headerNames.length ? headerNames[r.errorField] : null
          batch.push(rejection(file, r.line, col, clip(r.text), r.error ?? 'malformed CSV record'))
        } else if (r.fields.length !== width) {
          if (r.fields.every((f) => f === '')) continue // blank spreadsheet row (";;;;")
          batch.push(rejection(file, r.line, null, clip(r.text), `wrong number of columns: expected ${width}, found ${r.fields.length}`))
        } else {
          if (r.fields.every((f) => f === '')) continue
          const bad = checkValues(r.fields, (i) => headerNames[i] ?? null, limits)
          if (bad !== null) { batch.push(fromRowError(file, r.line, bad)); continue }
          row.fields = r.fields
          const res = fmt.build(row, r.line, version, ctx)
          batch.push(res instanceof RowError ? fromRowError(file, r.line, res) : { ok: true, record: res })
        }
        if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
      }
    }
    if (overlong.length > 0) batch.push(...overlong.splice(0, overlong.length))
    if (batch.length > 0) yield batch
  }
}

/** JSON parser for a project format: an array of objects or NDJSON, keys in snake_case, camelCase or Swedish aliases. */
export function projectJson<T> (fmt: ProjectFormat<T>): Parser<T> {
  const aliases = aliasIndex(fmt.specs)
  return async function * (input, ctx) {
    const { file } = ctx
    const text = await openText(input, file, { maxUncompressedBytes: limitsOf(ctx).maxUncompressedBytes, expected: 'a JSON file (json)' })
    try {
      yield * parseJson(text, ctx)
    } finally {
      await text.close()
    }
  }

  async function * parseJson (text: TextSource, ctx: ParseContext): AsyncGenerator<ParsedRow<T>[]> {
    const { file } = ctx
    const limits = limitsOf(ctx)
    const picker = new SniVersionPicker(ctx, fileYearOf(text.entryName, file))
    if (!fmt.hasSni && picker.version === null) picker.version = '2007'
    type Item = { line: number; row: ObjectRow | null; error: string | null }
    // What is not understood is refused: an object with none of the format's keys is a rejected row, and a file
    // with no understood object fails (ShapeCheck).
    const check = new ShapeCheck()
    const keys = [...fmt.mandatory, ...fmt.specs.map((c) => c.name).filter((n) => !fmt.mandatory.includes(n)).slice(0, 3), '…'].join(', ')
    const refuse = (line: number, found: string, why: string): Item => {
      check.refuse(found)
      return { line, row: null, error: `${why}, found ${found}` }
    }
    async function * items (): AsyncGenerator<Item[]> {
      for await (const b of readJsonItems(text.chunks, file, { maxChars: limits.maxLineChars })) {
        yield b.map((it): Item => {
          if (it.error !== undefined) return { line: it.line, row: null, error: it.error }
          if (!isPlainObject(it.value)) return refuse(it.line, describeItem(it.value), 'expected a JSON object')
          const row = new ObjectRow(it.value, aliases)
          if (!row.understood()) return refuse(it.line, describeItem(it.value), `none of the keys of the ${fmt.title} format (${keys})`)
          check.understood++
          return { line: it.line, row, error: null }
        })
      }
    }
    let batch: ParsedRow<T>[] = []
    for await (const { version, rows } of withSniVersion(items(), picker, ctx.ref, (it, p) => { if (it.row) sampleSni(it.row, p) })) {
      for (const it of rows) {
        const bad = it.row === null ? null : it.row.check(limits)
        if (it.row === null) batch.push(rejection(file, it.line, null, null, it.error!))
        else if (bad !== null) batch.push(fromRowError(file, it.line, bad))
        else {
          const res = fmt.build(it.row, it.line, version, ctx)
          batch.push(res instanceof RowError ? fromRowError(file, it.line, res) : { ok: true, record: res })
        }
        if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
      }
    }
    check.assertUnderstood(file, fmt.title, keys)
    if (batch.length > 0) yield batch
  }
}

/** The location columns every project format shares (kommun, address, lat/lon or SWEREF99 TM x/y), validated. */
export function projectLocation (row: RowAccess, ctx: ParseContext): LocationFields | RowError {
  return buildLocation({
    kommun: row.get('kommun'), street: row.get('street'), postcode: row.get('postcode'), city: row.get('city'),
    lat: row.get('lat'), lon: row.get('lon'), x: row.get('x'), y: row.get('y'),
  }, ctx.ref, true, (n) => row.label(n))
}
