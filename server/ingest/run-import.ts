// One import = one transaction: batch record, staging COPY, set-based merge, key-figure refresh, data version bump.
// Either all of it commits or none of it does (a crash or kill -9 leaves the previous state). Bad rows never stop
// an import: each goes to the report (file, line, column, value, reason) and to import_error with the batch.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import path from 'node:path'
import { Transform } from 'node:stream'
import type { DbHandle, Tx } from '../db/client.js'
import { bumpDataVersion } from '../meta/data-info.js'
import { refreshCompanyCells, refreshWorkplaceCells } from '../keyfigures/cells.js'
import { forgetDataVersion } from '../keyfigures/compute.js'
import { loadRefData } from '../reference/ref-data.js'
import { csvLine } from './csv-out.js'
import { getParser, referenceYearFromFileName } from './formats/index.js'
import { dropEmptyCompanyPartitions, mergeCompanies, mergeEducation, mergeEnrichment, mergeWorkplaces, type MergeCounts, type MergeParams } from './merge.js'
import { companyStaging, educationStaging, enrichmentStaging, workplaceStaging, type StagingSpec } from './staging.js'
import type { ParsedRow, Rejection, SniVersion } from './types.js'

export type ImportKind = 'companies' | 'workplaces' | 'education'
export type ImportFormat = 'scb-bulk' | 'scb-api' | 'bolagsverket' | 'csv' | 'json'
export const IMPORT_FORMATS: Record<ImportKind, ImportFormat[]> = {
  companies: ['scb-bulk', 'scb-api', 'bolagsverket', 'csv'],
  workplaces: ['scb-api', 'csv'],
  education: ['csv', 'json'],
}

export interface ImportCounts { read: number; imported: number; updated: number; unchanged: number; rejected: number; unplaced: number; removed: number }
export interface ImportResult {
  batchId: number; kind: ImportKind; format: ImportFormat; file: string; year: number; sniVersion: SniVersion | null
  source: string; counts: ImportCounts; report: string | null; changed: boolean; seconds: number
}
export interface Progress { rows: number; bytes: number; totalBytes: number }

export interface ImportOptions {
  kind: ImportKind
  format: ImportFormat
  filePath: string
  /** name to report (an upload's original name); default: the file's base name */
  fileName?: string
  year?: number
  sniVersion?: SniVersion | 'auto'
  /** snapshot key with the year; default: the format */
  source?: string
  synthetic?: boolean
  createdBy?: string
  reportDir: string
  onProgress?: (p: Progress) => void
}

export class ImportError extends Error {
  constructor (message: string, public batchId?: number) { super(message) }
}

export function checkKindFormat (kind: string, format: string): asserts kind is ImportKind {
  const formats = IMPORT_FORMATS[kind as ImportKind]
  if (!formats) throw new ImportError(`unknown import kind "${kind}" (companies, workplaces, education, definition)`)
  if (!formats.includes(format as ImportFormat)) throw new ImportError(`format "${format}" is not supported for ${kind} (use ${formats.join(', ')})`)
}

export function defaultYear (filePath: string, fileName?: string): number {
  return referenceYearFromFileName(fileName ?? path.basename(filePath)) ?? statSync(filePath).mtime.getFullYear()
}

/** KKB_IMPORT_TIMING=1 prints the time of each phase to stderr (used to tune the import at register scale). */
const timing = process.env.KKB_IMPORT_TIMING === '1'
let phaseStart = 0
const phase = (name: string) => {
  if (!timing) return
  const now = Date.now()
  if (phaseStart) process.stderr.write(`[import] ${name}: ${now - phaseStart} ms\n`)
  phaseStart = now
}

export async function runImport (db: DbHandle, o: ImportOptions): Promise<ImportResult> {
  checkKindFormat(o.kind, o.format)
  const started = Date.now()
  const file = o.fileName ?? path.basename(o.filePath)
  const year = o.year ?? defaultYear(o.filePath, o.fileName)
  const enrichment = o.kind === 'companies' && o.format === 'bolagsverket'
  const source = o.source ?? o.format
  const totalBytes = statSync(o.filePath).size
  mkdirSync(o.reportDir, { recursive: true })
  let batchId: number | undefined
  let reportPath: string | null = null
  try {
    const result = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>(`INSERT INTO import_batch (kind, format, source, file_name, ref_year, status, synthetic, created_by)
        VALUES ($1, $2, $3, $4, $5, 'running', $6, $7) RETURNING id`,
      [enrichment ? 'enrichment' : o.kind, o.format, source, file, year, !!o.synthetic, o.createdBy ?? null])
      batchId = rows[0].id
      reportPath = path.join(o.reportDir, `import-${batchId}-errors.csv`)
      const spec = (enrichment ? enrichmentStaging : { companies: companyStaging, workplaces: workplaceStaging, education: educationStaging }[o.kind]) as StagingSpec<unknown>
      await tx.query(spec.ddl)
      const report = createWriteStream(reportPath)
      report.write(csvLine(['file', 'line', 'column', 'value', 'reason']))
      const hash = createHash('sha256')
      phase('start')
      const staged = await stageFile(tx, o, spec, enrichment, report, hash, totalBytes)
      phase('parse + COPY into staging')
      report.end()
      await once(report, 'finish')
      if (staged.rejected > 0) {
        await tx.copyCsv('import_error', ['batch_id', 'file', 'line', '"column"', 'value', 'reason'],
          prefixLines(createReadStream(reportPath), `${batchId},`))
      }
      // Real data replaces the demo data: the first non-synthetic import removes every synthetic row, in this transaction.
      const demoYears = o.synthetic ? [] : await removeSyntheticData(tx)
      const params: MergeParams = { batchId, file, year, source, synthetic: !!o.synthetic }
      const merged: MergeCounts = enrichment ? await mergeEnrichment(tx, params)
        : o.kind === 'companies' ? await mergeCompanies(tx, params)
          : o.kind === 'workplaces' ? await mergeWorkplaces(tx, params) : await mergeEducation(tx, params)
      phase('merge')
      if (merged.duplicates > 0) await rewriteReport(tx, batchId, reportPath) // add the duplicates found in SQL, in line order
      const changed = merged.imported + merged.updated + merged.removed > 0 || demoYears.length > 0
      if (changed) {
        // fresh statistics for the planner after a large change (autovacuum may be off or late); cheap: it samples
        const table = { companies: 'company', workplaces: 'workplace', education: 'education_provider' }[o.kind]
        if (merged.imported + merged.updated + merged.removed > 10_000) await tx.query(`ANALYZE ${table}`)
        const years = new Set([...demoYears, ...(o.kind === 'education' ? [] : [year])])
        for (const y of years) {
          if (o.kind === 'companies' || demoYears.includes(y)) await refreshCompanyCells(tx, y)
          if (o.kind === 'workplaces' || demoYears.includes(y)) await refreshWorkplaceCells(tx, y)
        }
        await bumpDataVersion(tx)
      }
      phase('refresh key-figure cells')
      const counts: ImportCounts = {
        read: staged.read, imported: merged.imported, updated: merged.updated, unchanged: merged.unchanged,
        rejected: staged.rejected + merged.duplicates, unplaced: merged.unplaced, removed: merged.removed,
      }
      await tx.query(`UPDATE import_batch SET status = 'done', finished_at = now(), counts = $2, sni_version = $3, file_sha256 = $4
        WHERE id = $1`, [batchId, JSON.stringify(counts), staged.sniVersion, hash.digest('hex')])
      return { counts, changed, sniVersion: staged.sniVersion }
    })
    forgetDataVersion()
    if (result.counts.rejected === 0 && reportPath) reportPath = null
    return { batchId: batchId!, kind: o.kind, format: o.format, file, year, sniVersion: result.sniVersion, source,
      counts: result.counts, report: reportPath, changed: result.changed, seconds: (Date.now() - started) / 1000 }
  } catch (err) {
    // The transaction rolled back: record the failure on its own so the import log shows it.
    const message = (err as Error).message
    const { rows } = await db.query<{ id: number }>(`INSERT INTO import_batch (kind, format, source, file_name, ref_year, status, finished_at, message, created_by)
      VALUES ($1, $2, $3, $4, $5, 'failed', now(), $6, $7) RETURNING id`,
    [enrichment ? 'enrichment' : o.kind, o.format, source, file, year, message.slice(0, 2000), o.createdBy ?? null]).catch(() => ({ rows: [] as { id: number }[] }))
    throw new ImportError(`import of ${file} failed, nothing was changed: ${message}`, rows[0]?.id)
  }
}

/** Deletes all synthetic (demo) rows; returns the reference years whose key-figure cells must be rebuilt. */
async function removeSyntheticData (tx: Tx): Promise<number[]> {
  const { rows } = await tx.query<{ y: number }>(`SELECT DISTINCT ref_year AS y FROM company WHERE synthetic
    UNION SELECT DISTINCT ref_year FROM workplace WHERE synthetic`)
  const { rows: edu } = await tx.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM education_provider WHERE synthetic) AS any')
  if (!rows.length && !edu[0].any) return []
  await tx.query('DELETE FROM company WHERE synthetic')
  await tx.query('DELETE FROM workplace WHERE synthetic')
  await tx.query('DELETE FROM education_provider WHERE synthetic')
  await dropEmptyCompanyPartitions(tx)
  await tx.query("INSERT INTO meta (key, value) VALUES ('demo_removed_at', now()::text) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
  return rows.map((r) => r.y)
}

interface StageResult { read: number; rejected: number; sniVersion: SniVersion | null }

async function stageFile (tx: Tx, o: ImportOptions, spec: StagingSpec<unknown>, enrichment: boolean, report: WriteStream,
  hash: ReturnType<typeof createHash>, totalBytes: number): Promise<StageResult> {
  const parser = getParser(enrichment ? 'enrichment' : o.kind, o.format as never)
  const ref = loadRefData()
  let bytes = 0
  const input = createReadStream(o.filePath, { highWaterMark: 1 << 20 })
  input.on('data', (b) => { bytes += b.length; hash.update(b) })
  const out: StageResult = { read: 0, rejected: 0, sniVersion: null }
  let lastTick = 0
  async function * csvChunks (): AsyncGenerator<string> {
    for await (const batch of parser(input, { file: o.fileName ?? path.basename(o.filePath), ref, sniVersion: o.sniVersion ?? 'auto' }) as AsyncIterable<ParsedRow<unknown>[]>) {
      let chunk = ''
      let rejects = ''
      for (const row of batch) {
        out.read++
        if (row.ok) {
          chunk += csvLine(spec.row(row.record))
          if (!out.sniVersion) out.sniVersion = (row.record as { sniVersion?: SniVersion }).sniVersion ?? null
        } else {
          out.rejected++
          rejects += rejectionLine(row.rejection)
        }
      }
      if (rejects && !report.write(rejects)) await once(report, 'drain')
      const now = Date.now()
      if (o.onProgress && now - lastTick > 250) { lastTick = now; o.onProgress({ rows: out.read, bytes, totalBytes }) }
      if (chunk) yield chunk
    }
    o.onProgress?.({ rows: out.read, bytes: totalBytes, totalBytes })
  }
  await tx.copyCsv(spec.table, spec.columns, csvChunks())
  return out
}

/** Rewrites the report file from import_error (all rejections of the batch, in line order). */
async function rewriteReport (tx: Tx, batchId: number, reportPath: string): Promise<void> {
  const out = createWriteStream(reportPath)
  out.write(csvLine(['file', 'line', 'column', 'value', 'reason']))
  await tx.query('DECLARE rep NO SCROLL CURSOR FOR SELECT file, line, "column", value, reason FROM import_error WHERE batch_id = $1 ORDER BY line, id', [batchId])
  for (;;) {
    const { rows } = await tx.query<Rejection>('FETCH 10000 FROM rep')
    if (!rows.length) break
    if (!out.write(rows.map(rejectionLine).join(''))) await once(out, 'drain')
  }
  await tx.query('CLOSE rep')
  out.end()
  await once(out, 'finish')
}

const rejectionLine = (r: Rejection) => csvLine([r.file, r.line, r.column, r.value, r.reason])

/** Re-reads the report (skipping its header) with the batch id prepended, for COPY into import_error. */
async function * prefixLines (input: NodeJS.ReadableStream, prefix: string): AsyncGenerator<string> {
  let rest = ''
  let header = true
  const out: string[] = []
  const splitter = new Transform({ readableObjectMode: true, transform (c, _e, done) { done(null, c.toString('utf8')) } })
  input.pipe(splitter)
  for await (const chunk of splitter as AsyncIterable<string>) {
    // Report lines may contain quoted newlines; CSV rows start at line starts that begin a record. Simplest safe rule:
    // the report writer quotes every value with a newline, so only prefix lines that start a record (tracked by quote parity).
    rest += chunk
    let start = 0
    let inQuotes = false
    for (let i = 0; i < rest.length; i++) {
      const ch = rest[i]
      if (ch === '"') inQuotes = !inQuotes
      else if (ch === '\n' && !inQuotes) {
        const line = rest.slice(start, i + 1)
        if (header) header = false
        else out.push(prefix + line)
        start = i + 1
      }
    }
    rest = rest.slice(start)
    if (out.length) { yield out.join(''); out.length = 0 }
  }
  if (rest) yield prefix + rest
}
