// Reads SCB's CSV download of a statistical-database table ("Kommaavgränsad med rubrik" and its semicolon and tab
// variants, and the API's format=csv): an optional title line, a header row, one row per combination of the stub
// dimensions, then either one value column per year ("2022", or the contents and year: "Anställda 16-64 år 2022")
// or, in the long layout, a year column ("år") and the value in the last column. Category texts carry their codes
// ("0114 Upplands Väsby", "2651 Bildkonstnärer m.fl."); ".." marks a missing or protected cell; footnotes after a
// blank line are ignored. Decimal commas are read in semicolon and tab files.
import { parse } from 'csv-parse/sync'
import { ImportError } from '../ingest/import-error.js'
import { detectDelimiter } from '../ingest/text.js'
import { kindOf } from './dimensions.js'
import { MISSING_SYMBOLS, type Dimension, type ParsedTable, type RawCell } from './table.js'

const YEAR_IN_HEADER = /(?:^|\s)((?:19|20)\d{2})$/
const NUMBER = /^-?\d+(\.\d+)?$/
/** SCB's "–" (also "-"): nothing to report, i.e. zero. Not a missing cell. */
const NOTHING = new Set(['-', '–'])

function refuse (message: string): never { throw new ImportError(`CSV: ${message}`) }

export function parseScbCsv (text: string, file: string): ParsedTable {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/)
  let i = 0
  while (i < lines.length && !lines[i].trim()) i++
  let title: string | null = null
  const first = lines[i] !== undefined ? parse(lines[i], { delimiter: detectDelimiter(lines[i]), relax_quotes: true })[0] as string[] : []
  if (first && first.length === 1 && first[0].trim()) { // "med rubrik": the title, then a blank line
    title = first[0].trim()
    i++
    while (i < lines.length && !lines[i].trim()) i++
  }
  if (i >= lines.length) refuse('no header row')
  const headerLine = i + 1
  const delimiter = detectDelimiter(lines[i])
  let records: Array<{ record: string[]; info: { lines: number } }>
  try {
    records = parse(lines.slice(i).join('\n'), { delimiter, relax_column_count: true, info: true, trim: true }) as never
  } catch (e) {
    refuse(`${(e as Error).message}`)
  }
  const header = records[0].record
  if (header.length < 2) refuse(`line ${headerLine}: the header has ${header.length} column; a table needs at least one dimension and one value column`)
  // data rows end at the first blank row; what follows is SCB's footnotes
  const rows: Array<{ line: number; cells: string[] }> = []
  for (const r of records.slice(1)) {
    if (r.record.every((x) => x === '')) break
    rows.push({ line: headerLine + r.info.lines - 1, cells: r.record })
  }
  if (!rows.length) refuse('the table has no data rows')

  // Stub (dimension) columns come first: a recognised name, or text that is neither a value nor a year heading.
  const isValueText = (s: string) => { const v = s.replace(/[\s\u00a0\u202f]/g, ''); return NUMBER.test(v.replace(',', '.')) || MISSING_SYMBOLS.has(v) || NOTHING.has(v) }
  let nStub = 0
  for (; nStub < header.length; nStub++) {
    const h = header[nStub]
    const known = kindOf({ id: h, label: h, categories: [] }) !== null
    if (known) continue
    if (YEAR_IN_HEADER.test(h) || rows.every((r) => isValueText(r.cells[nStub] ?? ''))) break
  }
  if (nStub === 0) refuse(`line ${headerLine}: no dimension columns before the values`)
  const stubKinds = header.slice(0, nStub).map((h) => kindOf({ id: h, label: h, categories: [] }))
  const timeCol = stubKinds.indexOf('time')
  let valueCols = header.slice(nStub).map((h, k) => ({ col: nStub + k, header: h }))
  if (timeCol < 0) {
    // wide layout: every value column names its year, optionally after the contents
    const bad = valueCols.filter((v) => !YEAR_IN_HEADER.test(v.header))
    if (!valueCols.length || bad.length) refuse(`line ${headerLine}: column "${bad[0]?.header ?? ''}" has no year; value columns must be headed by their year, or the table needs a year column ("år")`)
  } else if (!valueCols.length) {
    // long layout with the value as the last stub-looking column: take the last column as the value
    nStub = header.length - 1
    valueCols = [{ col: nStub, header: header[nStub] }]
  }

  const dims: Dimension[] = header.slice(0, nStub).map((h) => ({ id: h, label: h, categories: [] }))
  const index = dims.map(() => new Map<string, number>())
  const add = (d: number, text: string): number => {
    let k = index[d].get(text)
    if (k === undefined) { k = dims[d].categories.length; dims[d].categories.push({ code: text, label: text }); index[d].set(text, k) }
    return k
  }
  // wide layout: the time (and contents) of each value column come from its header
  let contentsDim = -1
  const colAt: Array<{ time: number; contents: number }> = []
  if (timeCol < 0) {
    const timeDim = dims.push({ id: 'Tid', label: 'år', categories: [] }) - 1
    index.push(new Map())
    const contentsLabels = valueCols.map((v) => v.header.replace(YEAR_IN_HEADER, '').trim())
    if (contentsLabels.some((c) => c)) { contentsDim = dims.push({ id: 'ContentsCode', label: 'tabellinnehåll', categories: [] }) - 1; index.push(new Map()) }
    for (let k = 0; k < valueCols.length; k++) {
      colAt.push({ time: add(timeDim, YEAR_IN_HEADER.exec(valueCols[k].header)![1]), contents: contentsDim >= 0 ? add(contentsDim, contentsLabels[k] || title || 'värde') : -1 })
    }
  } else if (valueCols.length > 1 || valueCols[0].header) {
    contentsDim = dims.push({ id: 'ContentsCode', label: 'tabellinnehåll', categories: [] }) - 1
    index.push(new Map())
    for (const v of valueCols) colAt.push({ time: -1, contents: add(contentsDim, v.header || title || 'värde') })
  }

  const decimalComma = delimiter !== ','
  const cells: RawCell[] = []
  for (const r of rows) {
    if (r.cells.length !== header.length) refuse(`${file} line ${r.line}: ${r.cells.length} fields, the header has ${header.length}`)
    const stub = header.slice(0, nStub).map((_, d) => add(d, r.cells[d]))
    for (let k = 0; k < valueCols.length; k++) {
      const raw = r.cells[valueCols[k].col].replace(/[\s\u00a0\u202f]/g, '')
      const at = [...stub]
      if (timeCol < 0) at.push(colAt[k].time)
      if (contentsDim >= 0) at.push(colAt[k].contents)
      if (MISSING_SYMBOLS.has(raw)) { cells.push({ at, value: null, status: raw }); continue }
      if (NOTHING.has(raw)) { cells.push({ at, value: 0, status: raw }); continue }
      const num = decimalComma ? raw.replace(',', '.') : raw
      if (!NUMBER.test(num)) refuse(`${file} line ${r.line}, column "${valueCols[k].header}": "${r.cells[valueCols[k].col]}" is not a number or ".."`)
      cells.push({ at, value: Number(num), status: null })
    }
  }
  const seen = new Set<string>()
  for (const c of cells) {
    const key = c.at.join('|')
    if (seen.has(key)) refuse(`the same combination of categories appears twice (${c.at.map((k, d) => dims[d].categories[k].code).join(', ')})`)
    seen.add(key)
  }
  return { id: null, title: title ?? file, source: null, updated: null, unit: null, dimensions: dims, cells }
}
