// One import = one session: the file is parsed and staged into a TEMP table statement by statement (invisible to
// everyone else; on the embedded database, whose one session everyone shares, public reads run between the
// statements), then one transaction: batch record, rejected rows, set-based merge, key-figure refresh, data version
// bump. On the embedded database a company import prepares its merge before that transaction, as invisibly (a new year's
// rows are built beside the register in chunks: pending-year.ts), and the transaction publishes it. On PostgreSQL a new
// year skips staging: written straight from the file into its own table, which the transaction attaches (direct-year.ts).
// Either all of that commits or none of it does (a crash, kill -9 or a cancellation leaves the previous state). Bad rows never
// stop an import: each goes to import_error with the batch (file, line, column, value, reason); the report file is written
// from there. Bounds (limits.ts) keep a hostile file from costing more than a clear refusal.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import path from 'node:path'
import type { DbHandle, Session, Tx } from '../db/client.js'
import { bumpDataVersion, dataChanged } from '../meta/data-version.js'
import { refreshCompanyCells, refreshWorkplaceCells, replaceCompanyCells } from '../keyfigures/cells.js'
import { loadRefData } from '../reference/ref-data.js'
import { csvLine, csvLinePlain } from './csv-out.js'
import { writeErrorReport } from './error-report.js'
import { checkImport, importParser, keyReader, lineSplitter, referenceYearFromFileName, type ImportFormat, type ImportKind, type ParserKind } from './formats/index.js'
import { openJournal } from './journal.js'
import { isBlankLine } from './text.js'
import { describeLimit, withDefaults, type ImportLimits } from './limits.js'
import { dropEmptyCompanyPartitions, mergeCompanies, mergeCurated, mergeEducation, mergeEnrichment, mergeWorkplaces, prepareCompanies, type CompanyPlan,
  type MergeCounts, type MergeParams } from './merge.js'
import { analyzeRegister, dropPendingYear } from './pending-year.js'
import { canWriteDirect, directYearSpec, finishDirectYear, type DirectYear } from './direct-year.js'
import { removeSyntheticTables } from '../statistics/store.js'
import { BlockOrder, companyStaging, curatedStaging, educationStaging, enrichmentStaging, workplaceStaging, type StagingSpec } from './staging.js'
import type { ParseContext, ParsedRow, Parser, Rejection, SniVersion } from './types.js'
import { KeyHashSet } from './fingerprint.js'
import { LineWorkers, lineWorkerCount, type LineJob, type LineResult } from './line-workers.js'
import { dbReferenceDigest, firstPass, hasFingerprints, refDataDigest, REST_KEYS } from './refresh.js'
import { ImportError } from './import-error.js'

/** Each kind of records has its staging table and its merge. */
const STAGING: Record<ParserKind, StagingSpec<never>> = {
  companies: companyStaging, workplaces: workplaceStaging, education: educationStaging, enrichment: enrichmentStaging, curated: curatedStaging,
}
const MERGE: Record<ParserKind, (tx: Tx, p: MergeParams) => Promise<MergeCounts>> = {
  companies: mergeCompanies, workplaces: mergeWorkplaces, education: mergeEducation, enrichment: mergeEnrichment, curated: mergeCurated,
}

export type { ImportKind, ImportFormat } from './formats/index.js'

export interface ImportCounts {
  read: number; imported: number; updated: number; unchanged: number; rejected: number; unplaced: number; removed: number
  /** applications kept that are not programmes (not granted): files that publish decisions (MYH) only */
  notGranted?: number
}
export interface ImportResult {
  batchId: number; kind: ImportKind; format: ImportFormat; file: string; year: number; sniVersion: SniVersion | null
  source: string; counts: ImportCounts; report: string | null; changed: boolean; seconds: number
  /** rows kept after a value was cleaned (NUL bytes removed from a Bolagsverket value); each is noted in the report */
  cleaned: number
  /** rejected rows past the report limit (IMPORT_MAX_REPORT_MB): counted in `rejected`, not recorded in the report */
  unrecorded: number
  /** lines a refresh did not read in full, their fingerprint being their stored row's (fingerprint.ts): counted unchanged */
  skipped: number
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
  /** bounds (default DEFAULT_IMPORT_LIMITS; the server and CLI pass the configured ones) */
  limits?: Partial<ImportLimits>
  /** aborting it cancels the import: everything rolls back and the import log says 'cancelled' with the reason */
  signal?: AbortSignal
  /** called with the batch id once the import has one (it can be cancelled from then on) */
  onStart?: (batchId: number) => void
  /** filePath is an upload: removed by the next start if this process dies during the import */
  upload?: boolean
  /** curated imports by a curator: the län their rows may lie in (others are rejected rows) */
  scope?: string[]
}

export { ImportError }

class ImportCancelled extends Error {}
/** A file written straight into a new year's table (stageFile's `straight`) holds a key twice: it is to be read again through staging. */
class ReadAgain extends Error {}

/** checkImport (formats/index.ts) with the import's own error type (the CLI and the route report its message). */
export function checkKindFormat (kind: string, format: string): asserts kind is ImportKind {
  try { checkImport(kind, format) } catch (e) { throw new ImportError((e as Error).message) }
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
  const { parserKind: kind, parser } = importParser(o.kind, o.format)
  const source = o.source ?? o.format
  const totalBytes = statSync(o.filePath).size
  const limits = withDefaults(o.limits)
  mkdirSync(o.reportDir, { recursive: true })
  const closeJournal = openJournal(o.reportDir,
    { kind, format: o.format, source, file, year, createdBy: o.createdBy ?? null, upload: o.upload ? o.filePath : null })
  let batchId: number | undefined
  let reportPath: string | null = null
  const cancelled = () => { if (o.signal?.aborted) throw new ImportCancelled(String(o.signal.reason ?? 'cancelled')) }
  let spoolPath: string | null = null
  /**
   * A new year built beside the register was analysed then (where the server can analyse the parent alone); the parent's
   * own statistics (its sample across the years, which the planner reads for joins on company) are refreshed after the
   * commit (analyzeRegister), so the transaction stays short. Statistics are not data: readers meanwhile plan with the
   * old ones, and a failure there (or a crash before it) costs a plan, never the import.
   */
  let analyzeParent = false
  let plan: CompanyPlan | undefined
  try {
    const result = await db.session(async (session) => {
      // the batch id first (a sequence value: nothing to roll back), so staging, progress and cancel can name the import
      const { rows } = await session.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('import_batch', 'id'))::int AS id")
      const id = rows[0].id
      batchId = id
      o.onStart?.(id)
      reportPath = path.join(o.reportDir, `import-${id}-errors.csv`)
      // (named by this process too: two databases' imports may share a data folder, e.g. test runs side by side, and their
      // batch ids then repeat; a spool opened under another import's name would empty it)
      spoolPath = path.join(o.reportDir, `.import-${id}-${process.pid}-${randomBytes(4).toString('hex')}-rejections.csv`)
      // a new year on PostgreSQL is written straight into its table (direct-year.ts); any other import is staged
      const direct = await directYear(session, id)
      let hash = createHash('sha256')
      phase('start')
      let staged: StageResult
      try {
        staged = await stage(direct ?? STAGING[kind] as StagingSpec<unknown>, direct !== null)
      } catch (e) {
        if (!(e instanceof ReadAgain)) throw e
        // an organisation number came twice: the file is read again through staging, whose merge reports the duplicates
        // (the new year's table goes with the rollback of the transaction it was made in)
        await session.query('ROLLBACK')
        hash = createHash('sha256')
        staged = await stage(STAGING[kind] as StagingSpec<unknown>, false)
      }
      phase(direct && staged.unique ? 'parse + COPY into the new year\'s table' : 'parse + COPY into staging')
      cancelled()
      const params: MergeParams = { batchId: id, file, year, source, synthetic: !!o.synthetic, createdBy: o.createdBy,
        ...(staged.refresh ? { skipped: staged.refresh } : {}), ...(staged.unique ? { unique: true } : {}) }
      if (direct && staged.unique) {
        plan = { staged: direct.rows, unplaced: direct.unplaced, pending: await finishDirectYear(db, session, direct, year) }
        phase('the new year\'s indexes, and its cells meanwhile')
      } else {
        plan = await prepareOutside(session, params)
      }
      cancelled()
      return session.transaction((tx) => mergeStaged(tx, params, staged, hash, spoolPath!))

      /**
       * The file into the staging table, or straight into a new year's table (`straight`), made and written in one
       * transaction: its rows are written frozen (copyCsv), and a failure leaves no table behind.
       */
      async function stage (spec: StagingSpec<unknown>, straight: boolean): Promise<StageResult> {
        if (straight) await session.query('BEGIN')
        await session.query(spec.ddl)
        const out = await stageFile(session, o, year, parser as Parser<unknown>, spec, id, hash, totalBytes, limits, cancelled, spoolPath!, straight)
        if (straight) await session.query('COMMIT')
        return out
      }
    })
    /** The direct path's spec when this import writes a new year straight into its table (direct-year.ts), else null. */
    async function directYear (session: Session, batchId: number) {
      if (db.driver !== 'pg' || kind !== 'companies') return null
      // (real data over the demo: the transaction removes the demo first, then builds the year from staging)
      if ((!o.synthetic && await hasSyntheticData(session)) || !await canWriteDirect(session, year)) return null
      return directYearSpec(session, { year, batchId, source, synthetic: !!o.synthetic }) as Promise<StagingSpec<unknown> & DirectYear>
    }
    /**
     * On the embedded database a company import of a new year builds the year before its transaction (merge.ts
     * prepareCompanies): statement by statement, the rows in chunks, with public reads answered in between; the
     * transaction is left with publishing them. Not when the import removes the demo data first (once, in its
     * transaction: what is prepared depends on it). A refresh of a year merges in its transaction (its writes update the
     * year's rows in place). On PostgreSQL the transaction does it all (MVCC lets reads through, and a crash leaves
     * nothing), but a new year written straight into its table (directYear) is only attached there.
     */
    async function prepareOutside (session: Session, params: MergeParams): Promise<CompanyPlan | undefined> {
      if (db.driver !== 'pglite' || kind !== 'companies') return undefined
      if (!o.synthetic && await hasSyntheticData(session)) return undefined
      // (set for the session, which the readers between the statements share: a bound on sort memory, not an allocation)
      await session.query("SET work_mem = '256MB'")
      try {
        return await prepareCompanies(session, params, { chunkRows: PENDING_CHUNK_ROWS, between: cancelled })
      } finally {
        await session.query('RESET work_mem')
      }
    }
    async function mergeStaged (tx: Tx, params: MergeParams, staged: StageResult, hash: ReturnType<typeof createHash>, spoolPath: string) {
      const { batchId } = params
      await tx.query(`INSERT INTO import_batch (id, kind, format, source, file_name, ref_year, status, synthetic, created_by)
        VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8)`,
      [batchId, kind, o.format, source, file, year, !!o.synthetic, o.createdBy ?? null])
      // the rejected rows, spooled while staging, join the batch in its transaction
      if (staged.rejected + staged.cleaned > 0) {
        await tx.copyCsv('import_error', ['batch_id', 'file', 'line', '"column"', 'value', 'reason'], readText(spoolPath))
      }
      // Real data replaces the demo data: the first non-synthetic import removes every synthetic row, in this transaction.
      // (a staff list replaces the synthetic curated entries only: the demo register stays until real register data comes)
      // (a new year prepared before the transaction: there was none then, and imports run one at a time there)
      const demoYears = o.synthetic || plan ? [] : o.kind === 'curated' ? await removeSyntheticCurated(tx) : await removeSyntheticData(tx)
      const merged = plan ? await mergeCompanies(tx, params, plan) : await MERGE[kind](tx, params)
      phase('merge')
      cancelled()
      const changed = merged.imported + merged.updated + merged.removed > 0 || demoYears.length > 0
      if (changed) {
        // fresh statistics for the planner after a large change (autovacuum may be off or late); it samples, but reads every
        // partition: not for a refresh that changed a few percent of a year's rows (their statistics stay as good)
        const table = { companies: 'company', workplaces: 'workplace', education: 'education_provider', curated: 'curated_entry' }[o.kind]
        const written = merged.imported + merged.updated + merged.removed
        // (a new year built beside: its partition was analysed then, the parent is after the commit, see analyzeParent)
        if (written > 10_000 && written * 10 > merged.unchanged) {
          if (plan) analyzeParent = true
          else await tx.query(`ANALYZE ${table}`)
        }
        const years = new Set([...demoYears, ...(o.kind === 'education' || o.kind === 'curated' ? [] : [year])])
        for (const y of years) {
          // a new year built in chunks brings all its cells; otherwise only the cells the merge changed, when it knows
          // them (not after the demo data went)
          if (o.kind === 'companies' && y === year && merged.cells) await replaceCompanyCells(tx, y, merged.cells)
          else if (o.kind === 'companies' || demoYears.includes(y)) await refreshCompanyCells(tx, y, demoYears.includes(y) ? undefined : merged.touchedCells)
          if (o.kind === 'workplaces' || demoYears.includes(y)) await refreshWorkplaceCells(tx, y)
        }
        await bumpDataVersion(tx)
      }
      phase('refresh key-figure cells')
      cancelled()
      const counts: ImportCounts = {
        read: staged.read + staged.skipped, imported: merged.imported, updated: merged.updated, unchanged: merged.unchanged,
        rejected: staged.rejected + merged.duplicates, unplaced: merged.unplaced, removed: merged.removed,
        ...(merged.notGranted !== undefined ? { notGranted: merged.notGranted } : {}),
      }
      const { cleaned, unrecorded } = staged
      // the report: written once, from import_error, by the writer GET /api/imports/:id/errors uses too
      if (counts.rejected + cleaned > 0) await writeReportFile(tx, batchId, reportPath!)
      else reportPath = null
      const logged = { ...counts, ...(cleaned ? { cleaned } : {}), ...(unrecorded ? { unrecorded } : {}) }
      await tx.query(`UPDATE import_batch SET status = 'done', finished_at = now(), counts = $2, sni_version = $3, file_sha256 = $4
        WHERE id = $1`, [batchId, JSON.stringify(logged), staged.sniVersion, hash.digest('hex')])
      return { counts, changed, sniVersion: staged.sniVersion, cleaned, unrecorded, skipped: staged.skipped }
    }
    dataChanged() // this process's caches re-read the version now; other processes within a second
    if (analyzeParent) await analyzeRegister(db).catch(() => {}) // see analyzeParent
    return { batchId: batchId!, kind: o.kind, format: o.format, file, year, sniVersion: result.sniVersion, source,
      counts: result.counts, report: reportPath, changed: result.changed, seconds: (Date.now() - started) / 1000,
      cleaned: result.cleaned, unrecorded: result.unrecorded, skipped: result.skipped }
  } catch (err) {
    // The transaction rolled back: record the failure (or the cancellation) on its own so the import log shows it.
    if (reportPath) rmSync(reportPath, { force: true })
    // a new year's rows built before the transaction go too (the table is the year's partition only once it committed)
    if (batchId !== undefined) await dropPendingYear(db, batchId).catch(() => {})
    const cancel = err instanceof ImportCancelled || (o.signal?.aborted ?? false)
    const message = cancel ? `cancelled: ${String(o.signal?.reason ?? (err as Error).message)}` : (err as Error).message
    const { rows } = await db.query<{ id: number }>(`INSERT INTO import_batch (kind, format, source, file_name, ref_year, status, finished_at, message, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $8) RETURNING id`,
    [kind, o.format, source, file, year, cancel ? 'cancelled' : 'failed', message.slice(0, 2000), o.createdBy ?? null])
      .catch(() => ({ rows: [] as { id: number }[] }))
    if (cancel) throw new ImportError(`import of ${file} was ${message}; nothing was changed`, rows[0]?.id, true)
    throw new ImportError(`import of ${file} failed, nothing was changed: ${message}`, rows[0]?.id)
  } finally {
    if (spoolPath) rmSync(spoolPath, { force: true })
    closeJournal()
  }
}

/**
 * Rows per ordered block of a new year written straight from the file (direct-year.ts): ~4 MB of COPY text held at a
 * time; a kommun's firms lie in one run of pages per block (~80 at 1.3 M rows: Stockholm's on ~3 200 of 40 000 pages, as
 * in a year sorted whole).
 */
export const ORDER_BLOCK_ROWS = 16_000

/** Characters of text per job of the worker threads at most (line-workers.ts): ~4 times a job of 16 000 register lines. */
const JOB_MAX_CHARS = 8 << 20

/**
 * Rows per chunk of a new year built before the transaction (embedded database): each chunk is one statement that
 * holds the one session, about 50–150 ms at this size with the register's indexes kept up to date (measured with
 * scripts/measure-import-reads.ts); smaller chunks cost more statements for little gain.
 */
export const PENDING_CHUNK_ROWS = 2000

/** Whether any demo (synthetic) register data is there, which the first real import removes. */
async function hasSyntheticData (q: Pick<Tx, 'query'>): Promise<boolean> {
  const { rows } = await q.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM company WHERE synthetic)
    OR EXISTS (SELECT 1 FROM workplace WHERE synthetic) OR EXISTS (SELECT 1 FROM education_provider WHERE synthetic) AS any`)
  return rows[0].any
}

async function writeReportFile (tx: Tx, batchId: number, reportPath: string): Promise<void> {
  const out = createWriteStream(reportPath)
  try {
    await writeErrorReport(tx, batchId, async (chunk) => { if (!out.write(chunk)) await once(out, 'drain'); return true })
  } finally {
    out.end()
    await once(out, 'close')
  }
}

/** Deletes all synthetic (demo) rows; returns the reference years whose key-figure cells must be rebuilt. */
async function removeSyntheticData (tx: Tx): Promise<number[]> {
  if (!await hasSyntheticData(tx)) return []
  const { rows } = await tx.query<{ y: number }>(`SELECT DISTINCT ref_year AS y FROM company WHERE synthetic
    UNION SELECT DISTINCT ref_year FROM workplace WHERE synthetic`)
  await tx.query('DELETE FROM company WHERE synthetic')
  await tx.query('DELETE FROM workplace WHERE synthetic')
  await tx.query('DELETE FROM education_provider WHERE synthetic')
  await removeSyntheticTables(tx) // the demo's occupation table goes with the demo register
  await dropEmptyCompanyPartitions(tx)
  await tx.query("INSERT INTO meta (key, value) VALUES ('demo_removed_at', now()::text) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
  return rows.map((r) => r.y)
}

/** The first real staff list removes the synthetic curated entries (their history stays); no cells to rebuild. */
async function removeSyntheticCurated (tx: Tx): Promise<number[]> {
  const { rowCount } = await tx.query('DELETE FROM curated_entry WHERE synthetic')
  if (rowCount) await tx.query("INSERT INTO meta (key, value) VALUES ('curated_demo_removed_at', now()::text) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
  return []
}

interface StageResult {
  read: number; rejected: number; cleaned: number; unrecorded: number; sniVersion: SniVersion | null
  /** lines a refresh did not read in full: their fingerprint is their stored row's (see fingerprint.ts) */
  skipped: number
  /** companies: no organisation number was staged twice (else, or when not known, the merge looks for duplicates) */
  unique: boolean
  /** a refresh that left lines out: what the merge needs to know of them (MergeParams.skipped) */
  refresh?: NonNullable<MergeParams['skipped']>
}

/**
 * Parses the file into the staging table (COPY, outside the transaction). Rejected rows and notes go to import_error,
 * their one home: spooled to a temporary file while the COPY holds the connection, copied in by the import's
 * transaction. The spool stops at the report limit; what is past it is counted (unrecorded) and one last row says so.
 * `straight`: the rows go straight into a new year's table (direct-year.ts), where a key seen twice throws ReadAgain.
 */
async function stageFile (tx: Tx, o: ImportOptions, year: number, parser: Parser<unknown>, spec: StagingSpec<unknown>, batchId: number,
  hash: ReturnType<typeof createHash>, totalBytes: number, limits: ImportLimits, cancelled: () => void, spoolPath: string,
  straight = false): Promise<StageResult> {
  const ref = loadRefData()
  const file = o.fileName ?? path.basename(o.filePath)
  const source = o.source ?? o.format
  const ctx = { file, ref, sniVersion: o.sniVersion ?? 'auto' as const, limits, scope: o.scope, importedBy: o.createdBy, year: o.year } as ParseContext
  const out: StageResult = { read: 0, rejected: 0, cleaned: 0, unrecorded: 0, sniVersion: null, skipped: 0, unique: false }
  // the companies' keys seen (hashes in a typed array, ≈12 bytes a key): when none was staged twice, the merge need not
  // look for duplicates (a GROUP BY of the whole file: seconds at register scale)
  const keysSeen = kindOf(o) === 'companies' ? new KeyHashSet() : null
  let twice = false
  // Formats whose lines have fingerprints (fingerprint.ts): every row is stored with its line's; a refresh of a year
  // that has them first reads only keys and fingerprints, then parses the lines that changed (the second pass below)
  const keys = keyReader(o.kind, o.format)
  let lastTick = 0
  if (keys) {
    ctx.fingerprint = { context: JSON.stringify([o.format, source, !!o.synthetic, limits, refDataDigest(ref), await dbReferenceDigest(tx)]) }
    if (await hasFingerprints(tx, year, source)) {
      let keyedBytes = 0
      const open = () => {
        const input = createReadStream(o.filePath, { highWaterMark: 1 << 20 })
        input.on('data', (b) => { keyedBytes += b.length })
        return keys(input, ctx)
      }
      const first = await firstPass(tx, open, year, source, (rows) => {
        cancelled()
        if (rows > limits.maxRows) throw new Error(`${file}: more than ${describeLimit.rows(limits)}; the import was refused`)
        const now = Date.now()
        if (o.onProgress && now - lastTick > 250) { lastTick = now; o.onProgress({ rows, bytes: keyedBytes, totalBytes }) }
      })
      phase('first pass')
      if (first.parse !== null) {
        ctx.fingerprint.only = first.parse
        out.skipped = first.skipped
        out.refresh = { rest: REST_KEYS, count: first.skipped, unplaced: first.skippedUnplaced, version: first.version }
      }
    }
  }
  let bytes = 0
  const input = createReadStream(o.filePath, { highWaterMark: 1 << 20 })
  input.on('data', (b) => { bytes += b.length; hash.update(b) })
  const spool = createWriteStream(spoolPath)
  let spooled = 0
  let firstUnrecorded = 0
  const record = async (r: Rejection): Promise<void> => {
    if (out.unrecorded > 0 || spooled > limits.maxReportBytes) {
      if (out.unrecorded++ === 0) firstUnrecorded = r.line
      return
    }
    const line = `${batchId},${storedLine(r)}`
    spooled += line.length
    if (!spool.write(line)) await once(spool, 'drain')
  }
  // (rows keyed for order are written in ordered blocks: BlockOrder)
  const blocks = spec.orderKey ? new BlockOrder(ORDER_BLOCK_ROWS) : null
  async function * csvChunks (): AsyncGenerator<string> {
    for await (const batch of parser(input, ctx) as AsyncIterable<ParsedRow<unknown>[]>) {
      cancelled()
      let chunk = ''
      for (const row of batch) {
        if (++out.read > limits.maxRows) {
          const at = row.ok ? (row.record as { line: number }).line : row.rejection.line
          throw new Error(`${file}: more than ${describeLimit.rows(limits)} at line ${at}; the import was refused`)
        }
        if (row.ok) {
          if (keysSeen !== null && !twice && keysSeen.addSeen((row.record as { orgnr: string }).orgnr)) {
            twice = true
            if (straight) throw new ReadAgain()
          }
          const values = spec.row(row.record)
          const line = spec.plain ? csvLinePlain(values, spec.plain) : csvLine(values)
          if (blocks === null) chunk += line
          else chunk += blocks.add(spec.orderKey!(values), line) ?? ''
          if (!out.sniVersion) out.sniVersion = (row.record as { sniVersion?: SniVersion }).sniVersion ?? null
          if (row.note) { out.cleaned++; await record(row.note) }
        } else {
          out.rejected++
          await record(row.rejection)
        }
      }
      const now = Date.now()
      // (a refresh's second pass reads the lines the first did not leave out: its progress was the first pass's)
      if (o.onProgress && out.skipped === 0 && now - lastTick > 250) { lastTick = now; o.onProgress({ rows: out.read, bytes, totalBytes }) }
      if (chunk) yield chunk
    }
    const rest = blocks?.flush()
    if (rest) yield rest
    o.onProgress?.({ rows: out.read + out.skipped, bytes: totalBytes, totalBytes })
  }
  /**
   * A new year's file whose records are its lines, read by worker threads (line-workers.ts): this thread splits the file
   * and sends its lines in jobs of ORDER_BLOCK_ROWS; each job comes back as one ordered block of the year's rows. The
   * results are taken in the order the jobs went out, so the counts, the rejections and the duplicate check see the file
   * in its order, as csvChunks does.
   */
  async function * workerBlocks (lines: NonNullable<ReturnType<typeof lineSplitter>>, count: number): AsyncGenerator<Uint8Array> {
    const direct = spec as unknown as DirectYear
    let workers: LineWorkers | null = null
    const sent: Array<{ result: Promise<LineResult>; before: Rejection[]; version: SniVersion }> = []
    let job: (LineJob & { before: Rejection[] }) | null = null
    let jobChars = 0
    const send = () => {
      if (job === null) return
      const { before, ...lineJob } = job
      sent.push({ result: workers!.run(lineJob), before, version: job.version })
      job = null
    }
    const take = async (): Promise<Uint8Array> => {
      const { result, before, version } = sent.shift()!
      const r = await result
      for (const b of before) await record(b)
      for (const x of r.reports) {
        if (x.note) out.cleaned++
        else out.rejected++
        await record(x)
      }
      // (an organisation number twice: the file is read again through staging, see ReadAgain)
      for (let k = 0; k < r.hashes.length; k++) if (keysSeen!.addSeenHash(r.hashes[k])) throw new ReadAgain()
      direct.rows += r.rows
      direct.unplaced += r.unplaced
      if (!out.sniVersion && r.rows > 0) out.sniVersion = version
      return r.block
    }
    try {
      for await (const b of lines.split(input, ctx)) {
        cancelled()
        workers ??= new LineWorkers(count, { format: lines.format, layout: b.layout, ref, lookups: direct.lookups, params: direct.params })
        // every row counts against the bound, as csvChunks counts them: the over-long lines' rejections and the others
        out.read += b.before.length
        out.rejected += b.before.length
        let chars = 0
        for (let k = 0; k < b.lines.length; k++) {
          const line = b.lines[k]
          chars += line.length
          if (isBlankLine(line)) continue
          if (++out.read > limits.maxRows) throw new Error(`${file}: more than ${describeLimit.rows(limits)} at line ${b.lineNo + k}; the import was refused`)
        }
        if (job !== null && (job.version !== b.version || job.lineNo + job.lines.length !== b.lineNo)) send()
        if (job === null) {
          job = { lineNo: b.lineNo, version: b.version, seed: b.seed, lines: b.lines, before: b.before }
          jobChars = chars
        } else {
          job.lines = job.lines.concat(b.lines)
          job.before.push(...b.before)
          jobChars += chars
        }
        // (a job of long lines goes sooner: a worker holds a few jobs' text, not ORDER_BLOCK_ROWS lines of a megabyte)
        if (job.lines.length >= ORDER_BLOCK_ROWS || jobChars >= JOB_MAX_CHARS) send()
        // (two jobs a worker: one read while the other's result waits; memory stays a few blocks)
        while (sent.length >= 2 * count) yield await take()
        const now = Date.now()
        if (o.onProgress && now - lastTick > 250) { lastTick = now; o.onProgress({ rows: out.read, bytes, totalBytes }) }
      }
      send()
      while (sent.length > 0) yield await take()
      o.onProgress?.({ rows: out.read, bytes: totalBytes, totalBytes })
    } finally {
      await workers?.close()
    }
  }
  const lines = straight ? lineSplitter(o.kind, o.format) : null
  const workerCount = lines === null ? 0 : lineWorkerCount()
  try {
    await tx.copyCsv(spec.table, spec.columns, lines !== null && workerCount > 0 ? workerBlocks(lines, workerCount) : csvChunks(), { freeze: straight })
    out.unique = keysSeen !== null && !twice
    if (out.unrecorded > 0) {
      const note = `report truncated: it reached ${describeLimit.report(limits)}; ${out.unrecorded} further rejected rows, ` +
        `from line ${firstUnrecorded} on, were counted but not recorded`
      spool.write(`${batchId},${storedLine({ file, line: firstUnrecorded, column: null, value: null, reason: note })}`)
    }
    spool.end()
    await once(spool, 'close')
  } finally {
    if (!spool.closed) { spool.destroy(); await once(spool, 'close').catch(() => {}) }
  }
  return out
}

/** A rejection as a COPY line for import_error (NUL bytes, which a text column cannot hold, shown as ␀). */
const storedLine = (r: Rejection) => csvLine([r.file, r.line, r.column, r.value === null ? null : r.value.replaceAll('\u0000', '␀'), r.reason.replaceAll('\u0000', '␀')])

async function * readText (file: string): AsyncGenerator<string> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) yield chunk as string
}

/** The kind of records an import's parser yields (a Bolagsverket file yields enrichments, not companies). */
const kindOf = (o: ImportOptions) => importParser(o.kind, o.format).parserKind
