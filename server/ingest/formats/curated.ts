// Staff lists of curated entries (issue #16): CSV (delimiter and encoding detected as for every project CSV) or XLSX
// (the first worksheet, header in row 1). Columns name, type, subtype, kommun are required; optional orgnr, street,
// postcode, city, lat, lon (or SWEREF 99 TM x/y), website, description, group, published, consent, source.
// A row is read by the same function as the API's JSON (server/curated/validate.ts); a row outside the importing
// curator's län is a rejected row with its line and reason, never a failed import.
import type { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { ParseContext, ParsedRow, Parser } from '../types.js'
import type { CuratedFields } from '../../curated/validate.js'
import { readEntry } from '../../curated/validate.js'
import { CoordinateInvalid, clip, parseCoordinates } from '../validate.js'
import { BATCH_SIZE, LOCATION_SPECS, RowError, aliasIndex, fromRowError, mapHeader, rejection, type ColumnSpec } from './common.js'
import { projectCsv, type ProjectFormat, type RowAccess } from './project.js'

export interface CuratedRecord { line: number; fields: CuratedFields }

export const CURATED_COLUMNS: ColumnSpec[] = [
  { name: 'name', aliases: ['namn', 'benamning', 'benämning'] },
  { name: 'type', aliases: ['typ'] },
  { name: 'subtype', aliases: ['undertyp', 'kategori', 'sub_type'] },
  ...LOCATION_SPECS,
  { name: 'orgnr', aliases: ['organisationsnummer', 'org_nr', 'orgnummer'] },
  { name: 'website', aliases: ['webbplats', 'hemsida', 'webb', 'url'] },
  { name: 'description', aliases: ['beskrivning'] },
  { name: 'group', aliases: ['grupp', 'groups', 'branschgrupp', 'kkb_grupp'] },
  { name: 'published', aliases: ['publicerad', 'publicera'] },
  { name: 'consent', aliases: ['samtycke'] },
  { name: 'source', aliases: ['kalla', 'källa'] },
]
const MANDATORY = ['name', 'type', 'subtype', 'kommun']

/** One row → a record, or the row's problems as one rejection (each named with its column). */
export function buildCurated (row: RowAccess, line: number, ctx: ParseContext): CuratedRecord | RowError {
  const coords = parseCoordinates(row.get('lat'), row.get('lon'), row.get('x'), row.get('y'))
  if (coords instanceof CoordinateInvalid) return new RowError(row.label(coords.column), coords.value, coords.reason)
  const raw: Record<string, unknown> = {}
  for (const c of ['name', 'type', 'subtype', 'kommun', 'street', 'postcode', 'city', 'orgnr', 'website', 'description', 'group', 'published', 'consent', 'source']) {
    raw[c] = row.get(c)
  }
  if (coords) { raw.lat = coords.lat; raw.lon = coords.lon }
  const r = readEntry(raw, ctx.ref, ctx.importedBy ?? 'import')
  if (!r.fields) {
    const col = r.problems.length === 1 ? row.label(r.problems[0].field === 'groups' ? 'group' : r.problems[0].field) : null
    return new RowError(col, r.problems.length === 1 ? r.problems[0].value : null, r.problems.map((p) => `${row.label(p.field === 'groups' ? 'group' : p.field)}: ${p.reason}`).join('; '))
  }
  const lan = ctx.ref.kommuner.get(r.fields.kommun)!.lanCode
  if (ctx.scope && !ctx.scope.includes(lan)) {
    return new RowError(row.label('kommun'), row.get('kommun') || r.fields.kommun, `kommun ${r.fields.kommun} is in län ${lan}, outside your curator scope (län ${ctx.scope.join(', ')})`)
  }
  return { line, fields: r.fields }
}

const FORMAT: ProjectFormat<CuratedRecord> = {
  specs: CURATED_COLUMNS, mandatory: MANDATORY, hasSni: false, title: 'curated csv',
  build: (row, line, _v, ctx) => buildCurated(row, line, ctx),
}

export const curatedCsv: Parser<CuratedRecord> = projectCsv(FORMAT)

/** A cell as text: numbers as written, dates as YYYY-MM-DD, links by their text, formulas by their result. */
function cellText (v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>
    if ('result' in o) return cellText(o.result as ExcelJS.CellValue)
    if ('text' in o) return typeof o.text === 'string' ? o.text : cellText(o.text as ExcelJS.CellValue)
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text: string }>).map((t) => t.text).join('')
    if ('error' in o) return ''
    return ''
  }
  return String(v)
}

const MAX_XLSX_BYTES = 50 * 1024 * 1024

export const curatedXlsx: Parser<CuratedRecord> = async function * (input: Readable, ctx: ParseContext): AsyncGenerator<ParsedRow<CuratedRecord>[]> {
  const { file } = ctx
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of input) {
    size += (c as Buffer).length
    if (size > MAX_XLSX_BYTES) throw new Error(`${file}: an XLSX staff list over ${MAX_XLSX_BYTES / 1024 / 1024} MB is not a staff list; the import was refused`)
    chunks.push(c as Buffer)
  }
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer)
  } catch (e) {
    throw new Error(`${file}: not a readable XLSX workbook (${(e as Error).message})`, { cause: e })
  }
  const ws = wb.worksheets[0]
  if (!ws) throw new Error(`${file}: the workbook has no worksheet`)
  const header = ws.getRow(1)
  const names: string[] = []
  for (let i = 1; i <= header.cellCount; i++) names.push(cellText(header.getCell(i).value).trim())
  const hm = mapHeader(names, aliasIndex(CURATED_COLUMNS), MANDATORY, file)
  const values: string[] = []
  const row: RowAccess = {
    get: (n) => { const i = hm.index.get(n); return i === undefined ? '' : (values[i] ?? '').trim() },
    label: (n) => hm.label.get(n) ?? n,
  }
  let batch: ParsedRow<CuratedRecord>[] = []
  for (let r = 2; r <= ws.rowCount; r++) {
    const x = ws.getRow(r)
    values.length = 0
    for (let i = 1; i <= names.length; i++) values.push(cellText(x.getCell(i).value))
    if (values.every((v) => v.trim() === '')) continue
    const long = values.findIndex((v) => v.length > 10_000)
    if (long >= 0) { batch.push(rejection(file, r, names[long] ?? null, clip(values[long]), 'value too long (over 10 000 characters)')); continue }
    const res = buildCurated(row, r, ctx)
    batch.push(res instanceof RowError ? fromRowError(file, r, res) : { ok: true, record: res })
    if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
  }
  if (batch.length) yield batch
}
