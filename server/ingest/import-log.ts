// The import log (import_batch) as the admin API reads it.
import type { DbHandle } from '../db/client.js'
import { readProgress } from './progress.js'

export interface ImportLogEntry {
  id: number; kind: string; format: string; source: string; fileName: string; sha256: string | null; year: number | null
  sniVersion: string | null; status: string; synthetic: boolean; startedAt: string; finishedAt: string | null
  counts: Record<string, number> | null; message: string | null; createdBy: string | null
}

const SELECT = `SELECT id, kind, format, source, file_name AS "fileName", file_sha256 AS "sha256", ref_year AS year,
      sni_version AS "sniVersion", status, synthetic, started_at::text AS "startedAt", finished_at::text AS "finishedAt", counts, message,
      created_by AS "createdBy" FROM import_batch`

export async function listImports (db: DbHandle, limit: number): Promise<ImportLogEntry[]> {
  return (await db.query<ImportLogEntry>(`${SELECT} ORDER BY id DESC LIMIT $1`, [limit])).rows
}

export async function importEntry (db: DbHandle, id: number): Promise<ImportLogEntry | undefined> {
  return (await db.query<ImportLogEntry>(`${SELECT} WHERE id = $1`, [id])).rows[0]
}

export async function importExists (db: DbHandle, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM import_batch WHERE id = $1', [id])).rows.length > 0
}

/** Whether this import (of this kind) was run by `who` (a curator follows and reads the reports of their own staff lists
 *  only). A running import's import_batch row is invisible until its transaction commits (and on the embedded database the
 *  query would wait for it), so its progress record, written beside the import from its start, answers first. */
export async function importedBy (db: DbHandle, id: number, who: string, kind: string): Promise<boolean> {
  const running = await readProgress(db, id)
  if (running) return running.createdBy === who && running.kind === kind
  return (await db.query('SELECT 1 FROM import_batch WHERE id = $1 AND created_by = $2 AND kind = $3', [id, who, kind])).rows.length > 0
}
