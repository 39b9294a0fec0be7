// The one writer of rejected-rows reports (file, line, column, value, reason), from import_error: the report file an
// import leaves for the CLI, and GET /api/imports/:id/errors. Every text cell is neutralised against formula injection
// (server/csv/neutralise.ts); the line number, and values that are plain numbers ("-4"), are written as they are.
import type { DbHandle } from '../db/client.js'
import { importErrorPages } from './error-pages.js'
import { neutraliseFormula } from '../csv/neutralise.js'
import { csvLine } from './csv-out.js'
import type { Rejection } from './types.js'

export const REPORT_COLUMNS = ['file', 'line', 'column', 'value', 'reason']

const PLAIN_NUMBER = /^[+-]?\d[\d\s.,]*$/
const cell = (v: string | null) => (v === null || PLAIN_NUMBER.test(v) ? v : neutraliseFormula(v))

/** One report line. NUL bytes (a cause of rejection themselves) are shown as ␀: a text column cannot store them. */
export function reportLine (r: Rejection): string {
  return csvLine([cell(r.file), r.line, cell(r.column), cell(r.value === null ? null : r.value.replaceAll('\u0000', '␀')), cell(r.reason)])
}

/**
 * Streams the rejections of a batch, in line order, to `write` (false = the reader went away: stop). Page by page
 * (error-pages.ts: a short keyset query each), so neither a million rows nor a database connection is held meanwhile.
 */
export async function writeErrorReport (db: Pick<DbHandle, 'query'>, batchId: number, write: (chunk: string) => Promise<boolean>,
  opts: { bom?: boolean } = {}): Promise<void> {
  if (!await write((opts.bom ? '\ufeff' : '') + csvLine(REPORT_COLUMNS))) return
  for await (const page of importErrorPages(db, batchId)) {
    if (!await write(page.map(reportLine).join(''))) return
  }
}
