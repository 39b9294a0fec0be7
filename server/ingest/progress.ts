// Progress of a running import, for the admin's progress bar (GET /api/imports/:id/events), readable from any app
// instance. The import is one transaction, so its import_batch row is invisible until it commits; progress therefore
// goes to import_progress on another connection of the pool (PostgreSQL), at most every PROGRESS_EVERY_MS.
// The embedded database has a single session, and the import's merge transaction holds it to its end (staging lets
// other statements in between, the transaction does not), so there progress is kept in this process's memory while
// the import runs (the embedded database serves one process anyway) and written to import_progress when it ends.
import type { DbHandle } from '../db/client.js'
import type { ImportCounts, Progress } from './run-import.js'

const PROGRESS_EVERY_MS = 500

export type ProgressStatus = 'running' | 'done' | 'failed' | 'cancelled'

export interface ImportProgress {
  id: number; kind: string; format: string; fileName: string; createdBy: string | null; status: ProgressStatus
  rows: number; bytes: number; totalBytes: number | null; startedAt: string; updatedAt: string; finishedAt: string | null
  counts: ImportCounts | null; message: string | null
}

/** This process's running imports (the only source on the embedded database while they run). */
const local = new Map<number, ImportProgress>()

const sharedDb = (db: DbHandle) => db.driver === 'pg'

async function save (db: DbHandle, p: ImportProgress): Promise<void> {
  await db.query(`INSERT INTO import_progress (batch_id, kind, format, file_name, created_by, status, rows, bytes, total_bytes, started_at, updated_at,
    finished_at, counts, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11, $12, $13)
    ON CONFLICT (batch_id) DO UPDATE SET status = excluded.status, rows = excluded.rows, bytes = excluded.bytes, updated_at = now(),
      finished_at = excluded.finished_at, counts = excluded.counts, message = excluded.message`,
  [p.id, p.kind, p.format, p.fileName, p.createdBy, p.status, p.rows, p.bytes, p.totalBytes, p.startedAt, p.finishedAt,
    p.counts ? JSON.stringify(p.counts) : null, p.message])
}

export interface ProgressTracker {
  /** the first record is readable (from another connection too): announce the import's id after this */
  recorded: Promise<void>
  update (p: Progress): void
  finish (status: Exclude<ProgressStatus, 'running'>, counts: ImportCounts | null, message: string | null): Promise<void>
}

/** Starts recording an import's progress under its batch id. Writes never fail the import (a lost update is logged). */
export interface ProgressStart { id: number; kind: string; format: string; fileName: string; createdBy: string | null; totalBytes: number }

export function trackProgress (db: DbHandle, start: ProgressStart,
  log: (err: unknown) => void = () => {}): ProgressTracker {
  const now = new Date().toISOString()
  const p: ImportProgress = { ...start, status: 'running', rows: 0, bytes: 0, startedAt: now, updatedAt: now, finishedAt: null, counts: null, message: null }
  local.set(p.id, p)
  let last = 0
  let writing: Promise<void> = sharedDb(db) ? save(db, p).catch(log) : Promise.resolve()
  return {
    recorded: writing,
    update (u) {
      Object.assign(p, { rows: u.rows, bytes: u.bytes, updatedAt: new Date().toISOString() })
      if (!sharedDb(db) || Date.now() - last < PROGRESS_EVERY_MS) return
      last = Date.now()
      const snapshot = { ...p }
      writing = writing.then(() => save(db, snapshot)).catch(log)
    },
    async finish (status, counts, message) {
      Object.assign(p, { status, counts, message, finishedAt: new Date().toISOString(), updatedAt: new Date().toISOString() })
      if (status === 'done' && p.totalBytes) p.bytes = p.totalBytes
      await writing
      await save(db, p).catch(log)
      local.delete(p.id)
    },
  }
}

/** An import's progress: from the database (any instance's import), or this process's memory while an embedded-database
 *  import holds the only session. Undefined when unknown. */
export async function readProgress (db: DbHandle, id: number): Promise<ImportProgress | undefined> {
  const mine = local.get(id)
  if (mine && !sharedDb(db)) return { ...mine }
  const { rows } = await db.query<ImportProgress>(`SELECT batch_id AS id, kind, format, file_name AS "fileName", created_by AS "createdBy", status,
    rows::float8 AS rows, bytes::float8 AS bytes, total_bytes::float8 AS "totalBytes", started_at AS "startedAt", updated_at AS "updatedAt",
    finished_at AS "finishedAt", counts, message FROM import_progress WHERE batch_id = $1`, [id])
  const r = rows[0]
  if (!r) return mine ? { ...mine } : undefined
  const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString())
  return { ...r, startedAt: iso(r.startedAt)!, updatedAt: iso(r.updatedAt)!, finishedAt: iso(r.finishedAt) }
}

/** Rows per second and the seconds left, from bytes read so far (the file size is known, the row count is not). */
export function rate (p: ImportProgress, nowMs = Date.now()): { rowsPerSecond: number; etaSeconds: number | null; fraction: number | null } {
  const end = p.finishedAt ? Date.parse(p.finishedAt) : nowMs
  const secs = Math.max(0.001, (end - Date.parse(p.startedAt)) / 1000)
  const fraction = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : null
  const etaSeconds = p.status !== 'running' ? 0 : fraction && fraction > 0 ? Math.round(secs * (1 - fraction) / fraction) : null
  return { rowsPerSecond: Math.round(p.rows / secs), etaSeconds, fraction }
}
