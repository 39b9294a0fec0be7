// The audit log: who signed in or out, imported, exported, created or revoked what, and when. One writer for every
// route; a token never goes in here (only the token's id and name).
import type { DbHandle } from '../db/client.js'
import { Params } from '../db/sql.js'
import type { Principal } from './tokens.js'

export type AuditAction = 'sign-in' | 'sign-in-failed' | 'sign-out' | 'token.create' | 'token.revoke' | 'import' | 'import.report' | 'export'

export async function audit (db: DbHandle, who: Principal, action: AuditAction | string, target: string | null, details?: unknown): Promise<void> {
  await db.query('INSERT INTO audit_log (actor, role, organisation_id, action, target, details) VALUES ($1, $2, $3, $4, $5, $6)',
    [who.name, who.role, who.organisationId, action, target, details === undefined ? null : JSON.stringify(details)])
}

/** An export: the export log (what, how many rows) and the audit log, under the name of whoever asked. */
export async function recordExport (db: DbHandle, who: Principal, route: string, format: string, filters: unknown, rowCount: number): Promise<void> {
  await db.query('INSERT INTO export_log (who, role, route, format, filters, row_count) VALUES ($1, $2, $3, $4, $5, $6)',
    [who.who, who.role, route, format, JSON.stringify(filters), rowCount])
  await audit(db, who, 'export', route, { format, filters, rowCount })
}

/** The export log, newest first (the admin's GET /api/exports). */
export async function listExports (db: DbHandle, limit: number) {
  return (await db.query(`SELECT id, at::text, who, role, route, format, filters, row_count AS "rowCount"
    FROM export_log ORDER BY id DESC LIMIT $1`, [limit])).rows
}

export interface AuditQuery { limit: number; before?: number; action?: string; actor?: string; since?: string; until?: string }
export interface AuditEntry {
  id: number; at: string; actor: string; role: string; organisation: string | null; action: string; target: string | null; details: unknown
}

/** Newest first, keyset-paged by id (`before` = the last id of the previous page). */
export async function listAudit (db: DbHandle, q: AuditQuery): Promise<{ items: AuditEntry[]; next: number | null }> {
  const ps = new Params()
  const where: string[] = []
  if (q.before) where.push(`a.id < ${ps.p(q.before)}`)
  if (q.action) where.push(`a.action = ${ps.p(q.action)}`)
  if (q.actor) where.push(`a.actor = ${ps.p(q.actor)}`)
  if (q.since) where.push(`a.at >= ${ps.p(q.since)}::timestamptz`)
  if (q.until) where.push(`a.at < ${ps.p(q.until)}::timestamptz`)
  const { rows } = await db.query<AuditEntry>(`SELECT a.id::int AS id, a.at::text, a.actor, a.role, o.name AS organisation, a.action, a.target, a.details
    FROM audit_log a LEFT JOIN organisation o ON o.id = a.organisation_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY a.id DESC LIMIT ${ps.p(q.limit + 1)}`, ps.values)
  const more = rows.length > q.limit
  const items = rows.slice(0, q.limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() }))
  return { items, next: more ? items[items.length - 1].id : null }
}
