// Traces of imports that never finished. An import changes what readers see in one transaction, so a killed process
// leaves the database as it was (but for a new year's rows built beside the register, dropped here), and no row in the
// import log. Each running import therefore keeps a small marker file in the report
// directory; the next start (server or CLI) turns the markers of dead processes into 'aborted' rows of the import log
// and removes the upload they name (it may hold personal identity numbers).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { DbHandle } from '../db/client.js'
import { dropLeftoverPendingYears } from './pending-year.js'

export interface JournalEntry {
  pid: number
  host: string
  kind: string
  format: string
  source: string
  file: string
  year: number
  startedAt: string
  createdBy: string | null
  /** an uploaded file to remove if the import never finishes */
  upload: string | null
}

const PREFIX = '.running-'
/** Markers written by this process and not yet removed (a recovery in the same process must leave them alone). */
const live = new Set<string>()
let seq = 0

export function openJournal (reportDir: string, e: Omit<JournalEntry, 'pid' | 'host' | 'startedAt'>): () => void {
  mkdirSync(reportDir, { recursive: true })
  const file = path.join(reportDir, `${PREFIX}${process.pid}-${++seq}.json`)
  writeFileSync(file, JSON.stringify({ ...e, pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }))
  live.add(file)
  return () => { live.delete(file); rmSync(file, { force: true }) }
}

function alive (pid: number): boolean {
  if (pid === process.pid) return false // our own pid at start-up: a marker of an earlier process that had the same pid
  try { process.kill(pid, 0); return true } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM' }
}

/** Records every import whose process died (status 'aborted') and removes its marker and upload. Returns how many. */
export async function recoverAbortedImports (db: DbHandle, reportDir: string, log: (m: string) => void = () => {}): Promise<number> {
  // a new year's rows being built beside the register when the process died (pending-year.ts): never published
  for (const t of await dropLeftoverPendingYears(db)) log(`removed ${t}: a new year's rows of an import that never finished`)
  if (!existsSync(reportDir)) return 0
  let n = 0
  for (const name of readdirSync(reportDir)) {
    if (!name.startsWith(PREFIX)) continue
    const file = path.join(reportDir, name)
    if (live.has(file)) continue
    let e: JournalEntry
    try { e = JSON.parse(readFileSync(file, 'utf8')) as JournalEntry } catch { rmSync(file, { force: true }); continue }
    if (e.host !== os.hostname() || alive(e.pid)) continue // another machine's, or still running
    await db.query(`INSERT INTO import_batch (kind, format, source, file_name, ref_year, status, started_at, finished_at, message, created_by)
      VALUES ($1, $2, $3, $4, $5, 'aborted', $6, now(), $7, $8)`,
    [e.kind, e.format, e.source, e.file, e.year, e.startedAt,
      `the import process (pid ${e.pid}) ended before the import finished (killed or crashed); nothing was changed`, e.createdBy])
    if (e.upload) rmSync(e.upload, { force: true })
    rmSync(file, { force: true })
    log(`import of ${e.file} started ${e.startedAt} never finished (process ${e.pid} ended): recorded as aborted`)
    n++
  }
  return n
}
