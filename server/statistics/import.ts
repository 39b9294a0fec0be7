// `npm run import -- statistics FILE --format json-stat|csv` and POST /api/imports?kind=statistics: reads a statistical
// table (JSON-stat 2.0 or SCB's CSV download), recognises its dimensions, and stores it in one transaction that
// replaces a table with the same id. Anything not understood is refused with its reason; nothing is imported empty.
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import iconv from 'iconv-lite'
import type { DbHandle } from '../db/client.js'
import { ImportError } from '../ingest/import-error.js'
import { detectEncoding } from '../ingest/text.js'
import { bumpDataVersion, dataChanged } from '../meta/data-version.js'
import { recognise, type RegionNames } from './dimensions.js'
import { parseJsonStat } from './jsonstat.js'
import { parseScbCsv } from './scb-csv.js'
import { removeSyntheticTables, storeTable, type StoreCounts, type StoredTable } from './store.js'
import type { ParsedTable } from './table.js'

export const STATISTICS_FORMATS = ['json-stat', 'csv'] as const
export type StatisticsFormat = (typeof STATISTICS_FORMATS)[number]
/** A statistical table is read whole: far larger than any table the statistical database hands out. */
export const MAX_TABLE_BYTES = 256 * 1024 * 1024

export interface StatisticsImportOptions {
  format: string
  filePath: string
  /** name to report (an upload's original name) */
  fileName?: string
  /** table id; default the publisher's (JSON-stat extension.px.tableid), else derived from the title */
  table?: string
  /** provenance; default the file's own source, else "SCB, statistikdatabasen" */
  source?: string
  createdBy?: string
  /** a synthetic table (the demo's): its batch is marked synthetic, and the first real table import removes it */
  synthetic?: boolean
}

export interface StatisticsImportResult extends StoreCounts {
  batchId: number; kind: 'statistics'; format: StatisticsFormat; file: string; table: StoredTable
  dimensions: Array<{ id: string; kind: string | null; categories: number }>; fixed: string[]; seconds: number
}

export function checkStatisticsFormat (format: string): asserts format is StatisticsFormat {
  if (!STATISTICS_FORMATS.includes(format as StatisticsFormat)) throw new ImportError(`format "${format}" is not supported for statistics (use ${STATISTICS_FORMATS.join(', ')})`)
}

const TABLE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

function decode (bytes: Buffer): string {
  const enc = detectEncoding(bytes.subarray(0, 1 << 20), 'windows1252', bytes.length <= 1 << 20)
  if (enc === 'utf16le' || enc === 'utf16be') return iconv.decode(bytes, enc === 'utf16le' ? 'utf16le' : 'utf16-be')
  return enc === 'windows1252' || enc === 'latin1' ? iconv.decode(bytes, enc) : bytes.toString('utf8').replace(/^\ufeff/, '')
}

export function parseTableFile (format: StatisticsFormat, bytes: Buffer, file: string): ParsedTable {
  if (!bytes.length) throw new ImportError('the file is empty')
  const text = decode(bytes)
  return format === 'json-stat' ? parseJsonStat(text) : parseScbCsv(text, file)
}

async function regionNames (db: DbHandle): Promise<RegionNames> {
  const { rows: k } = await db.query<{ code: string; name: string }>('SELECT code, name FROM kommun')
  const { rows: l } = await db.query<{ code: string; name: string }>('SELECT code, name FROM lan')
  return { kommun: new Map(k.map((r) => [r.code, r.name])), lan: new Map(l.map((r) => [r.code, r.name])) }
}

export async function runStatisticsImport (db: DbHandle, o: StatisticsImportOptions): Promise<StatisticsImportResult> {
  const started = Date.now()
  const file = o.fileName ?? path.basename(o.filePath)
  const format = o.format
  let batchId: number | undefined
  try {
    checkStatisticsFormat(format)
    if (o.table !== undefined && !TABLE_ID.test(o.table)) throw new ImportError('table id: letters, digits, "_", "." and "-", at most 64 characters')
    if (statSync(o.filePath).size > MAX_TABLE_BYTES) throw new ImportError(`the file is larger than ${MAX_TABLE_BYTES} bytes`)
    const bytes = readFileSync(o.filePath)
    const parsed = parseTableFile(format, bytes, file)
    if (!parsed.cells.length) throw new ImportError('the table has no cells')
    const table = recognise(parsed, await regionNames(db))
    const id = o.table ?? parsed.id ?? `t-${createHash('sha256').update(parsed.title).digest('hex').slice(0, 12)}`
    if (!TABLE_ID.test(id)) throw new ImportError(`the table id "${id}" from the file is not usable; give one (--table / ?table=)`)
    const meta: StoredTable = { id, title: parsed.title, source: o.source ?? parsed.source ?? 'SCB, statistikdatabasen', updated: parsed.updated, unit: parsed.unit }
    const counts = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>(`INSERT INTO import_batch (kind, format, source, file_name, file_sha256, status, created_by, synthetic)
        VALUES ('statistics', $1, $2, $3, $4, 'running', $5, $6) RETURNING id`,
      [format, id, file, createHash('sha256').update(bytes).digest('hex'), o.createdBy ?? null, !!o.synthetic])
      batchId = rows[0].id
      // real figures replace the demo's: as with the register, the first real import removes the synthetic tables
      if (!o.synthetic) await removeSyntheticTables(tx)
      const c = await storeTable(tx, table, { ...meta, format, fileName: file, batchId })
      await tx.query(`UPDATE import_batch SET status = 'done', finished_at = now(), counts = $2, message = $3 WHERE id = $1`,
        [batchId, JSON.stringify({ read: c.cells, imported: c.cells, missing: c.missing }), `${meta.title} (${c.replaced ? 'replaced' : 'new'})`])
      await bumpDataVersion(tx)
      return c
    })
    dataChanged() // this process's caches re-read the version now; other processes within a second
    return {
      batchId: batchId!, kind: 'statistics', format, file, table: meta, ...counts,
      dimensions: table.dimensions.map((d) => ({ id: d.id, kind: d.kind, categories: d.categories.length })),
      fixed: Object.keys(table.fixed), seconds: (Date.now() - started) / 1000,
    }
  } catch (err) {
    const message = (err as Error).message
    const { rows } = await db.query<{ id: number }>(`INSERT INTO import_batch (kind, format, source, file_name, status, finished_at, message, created_by)
      VALUES ('statistics', $1, $2, $3, 'failed', now(), $4, $5) RETURNING id`,
    [String(format).slice(0, 40), o.table ?? 'statistics', file, message.slice(0, 2000), o.createdBy ?? null]).catch(() => ({ rows: [] as { id: number }[] }))
    throw new ImportError(`import of ${file} failed, nothing was changed: ${message}`, rows[0]?.id)
  }
}
