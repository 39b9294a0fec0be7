// A new year's register file read by worker threads (#15).
// Read in one thread, a 1.3 M-line SCB bulk file kept that thread busy three to four times as long as the database's
// COPY of it (parse, check, build the row, write its CSV, order its block, encode it). Its records are its lines, so the
// work splits: the import's thread reads, decodes and splits the file, reads its header and picks its SNI version
// (LineSplitter), and sends the lines in jobs of ORDER_BLOCK_ROWS to the workers. A worker reads each line as the
// import's thread would (the format's row reader, e.g. scbBulkRowReader), makes the new year's row of it (direct-row.ts),
// orders the job's rows as one block (ByteBlock: BlockOrder's order, as UTF-8 bytes) and sends the block back (moved, not copied), with the
// organisation numbers' hashes and the job's rejections. The import's thread takes the results in the order it sent the
// jobs, so the rows, the rejections and the duplicate check see the file in its order, and writes the blocks to COPY.
import { isBlankLine } from './text.js'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { csvLinePlain } from './csv-out.js'
import { DIRECT_PLAIN, directYearRow, writeOrder, type CompanyLookups, type DirectParams } from './direct-row.js'
import { fingerprint } from './fingerprint.js'
import { ByteBlock } from './staging.js'
import type { CompanyRecord, ParsedRow, RefData, Rejection, SniVersion } from './types.js'

/** Reads one line of a file by its header's layout (a format's row reader). */
export type RowReader = (line: string, lineNo: number, version: SniVersion) => ParsedRow<CompanyRecord>

/** What every worker is started with: the format's layout and the code lists (structured-cloned once). */
export interface LineWorkerInit {
  format: 'scb-bulk'
  layout: unknown
  ref: RefData
  lookups: CompanyLookups
  params: DirectParams
}

/** Lines to read: `lines[0]` is line `lineNo` of the file (blank lines included, skipped as the parser skips them). */
export interface LineJob { lineNo: number; version: SniVersion; seed: number | null; lines: string[] }

export interface LineResult {
  /** the job's rows as COPY CSV in DIRECT_COLUMNS, ordered as one block (UTF-8) */
  block: Uint8Array
  /** each row's organisation number as KeyHashSet hashes it, in line order */
  hashes: Float64Array
  rows: number
  unplaced: number
  /** rejected lines and kept rows' notes (`note`), in line order */
  reports: Array<Rejection & { note?: true }>
}

/**
 * The worker's work on one job (line-worker.ts), in a function of its own so a test can run it in one thread: each
 * non-blank line read, its row made and written, the job's rows ordered as one block.
 */
export function readDirectJob (job: LineJob, read: RowReader, lookups: CompanyLookups, params: DirectParams): LineResult {
  const order = new ByteBlock()
  const hashes = new Float64Array(job.lines.length)
  const reports: LineResult['reports'] = []
  let rows = 0
  let unplaced = 0
  for (let k = 0; k < job.lines.length; k++) {
    const line = job.lines[k]
    if (isBlankLine(line)) continue
    const row = read(line, job.lineNo + k, job.version)
    if (!row.ok) { reports.push(row.rejection); continue }
    if (job.seed !== null) row.record.fp = fingerprint(line, job.seed)
    const values = directYearRow(row.record, lookups, params)
    if (values[10] === null) unplaced++
    hashes[rows++] = fingerprint(row.record.orgnr) + 1
    order.add(writeOrder(values), csvLinePlain(values, DIRECT_PLAIN))
    if (row.note) reports.push({ ...row.note, note: true })
  }
  return { block: order.bytes(), hashes: hashes.slice(0, rows), rows, unplaced, reports }
}

/**
 * Worker threads for an import, or 0 to read in the import's own thread: KKB_IMPORT_WORKERS when set, else one per core
 * besides the import's thread, up to three, and none on one core. The import's thread splits lines and writes COPY, and
 * the database needs a core for the COPY: on two cores one worker read the 1.3 M-line file as fast as two (12.5 s
 * against 12.3–13.9 s, from 17.8 s in one thread) for 170 MB less peak memory.
 */
export function lineWorkerCount (): number {
  const set = process.env.KKB_IMPORT_WORKERS
  if (set !== undefined && set !== '') {
    const n = Number(set)
    if (!Number.isInteger(n) || n < 0 || n > 16) throw new Error(`KKB_IMPORT_WORKERS must be a whole number from 0 to 16, not "${set}"`)
    return n
  }
  const cores = availableParallelism()
  return Math.max(0, Math.min(3, cores - 1))
}

/**
 * The worker's young generation (V8's default here, written down): 64 MB read the file no faster and held 200 MB more at
 * the peak; 8 MB no less. Its rows go to bytes as they are made (ByteBlock), so little of a job outlives a scavenge.
 */
const WORKER_YOUNG_MB = 16

/**
 * The workers of one import. `run` sends a job to the next worker in turn and resolves with its result; a worker that
 * fails (an exception, an exit) fails every job not yet answered. `close` ends them all.
 */
export class LineWorkers {
  private readonly workers: Worker[]
  private readonly waiting = new Map<number, { resolve: (r: LineResult) => void; reject: (e: Error) => void }>()
  private next = 0
  private ids = 0
  private failure: Error | null = null

  constructor (count: number, init: LineWorkerInit) {
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(BOOT, {
        eval: true,
        workerData: init,
        execArgv: [],
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      })
      w.on('message', (m: LineResult & { id: number; error?: string }) => {
        const p = this.waiting.get(m.id)
        if (p === undefined) return
        this.waiting.delete(m.id)
        if (m.error !== undefined) p.reject(new Error(m.error))
        else p.resolve(m)
      })
      w.on('error', (e) => this.fail(e))
      w.on('exit', (code) => { if (code !== 0) this.fail(new Error(`an import worker stopped (exit code ${code})`)) })
      return w
    })
  }

  run (job: LineJob): Promise<LineResult> {
    if (this.failure) return Promise.reject(this.failure)
    const id = ++this.ids
    const w = this.workers[this.next++ % this.workers.length]
    const p = new Promise<LineResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      w.postMessage({ id, ...job })
    })
    // (a job the import no longer waits for, after it failed or stopped, fails unheard: not an unhandled rejection)
    p.catch(() => {})
    return p
  }

  async close (): Promise<void> {
    this.failure ??= new Error('the import workers were closed')
    await Promise.all(this.workers.map((w) => w.terminate()))
    this.fail(this.failure)
  }

  private fail (e: Error): void {
    this.failure ??= e
    for (const p of this.waiting.values()) p.reject(this.failure)
    this.waiting.clear()
  }
}

/**
 * The worker's start: it is TypeScript, as the server is, so it registers tsx's loader first (resolved from this package,
 * not from the working directory; a worker does not inherit the loader its parent was started with on Node 20).
 */
const BOOT = `import(${JSON.stringify(tsxEsmApi())})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./line-worker.ts', import.meta.url).href)}) })`

/** tsx's ESM API (its package's `./esm/api` import entry): a require() of that name would give its CommonJS twin. */
function tsxEsmApi (): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> }
  return pathToFileURL(path.join(path.dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href
}
