// Browser sessions, in the database so that any app instance behind a load balancer can serve any request (no sticky
// sessions). The session id is 256 random bits, given to the browser once as an HttpOnly cookie and stored only as its
// SHA-256; each session has its own CSRF secret, which the page must send back in X-CSRF-Token with every change.
import { randomBytes } from 'node:crypto'
import type { DbHandle } from '../db/client.js'
import { hashToken } from './tokens.js'

export const SESSION_COOKIE = 'kkb_session'
/** last_seen_at is written at most this often per session (not on every request) */
const TOUCH_EVERY_S = 60

export interface Session { subject: string; csrf: string; expiresAt: string }

export async function createSession (db: DbHandle, subject: string, ttlMs: number): Promise<Session & { id: string }> {
  const id = randomBytes(32).toString('base64url')
  const csrf = randomBytes(32).toString('base64url')
  // expired sessions are removed as new ones are made: the table stays small without a timer
  await db.query('DELETE FROM session WHERE expires_at < now()')
  const { rows } = await db.query<{ expires_at: string }>(`INSERT INTO session (id_hash, subject, csrf, expires_at)
    VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond') RETURNING expires_at::text`, [hashToken(id), subject, csrf, ttlMs])
  return { id, subject, csrf, expiresAt: new Date(rows[0].expires_at).toISOString() }
}

/** The live session with this id, or null (unknown, ended or expired). */
export async function findSession (db: DbHandle, id: string): Promise<Session | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null
  const { rows } = await db.query<{ subject: string; csrf: string; expires_at: string; stale: boolean }>(`SELECT subject, csrf, expires_at::text,
    last_seen_at < now() - $2 * interval '1 second' AS stale FROM session WHERE id_hash = $1 AND expires_at > now()`, [hashToken(id), TOUCH_EVERY_S])
  const r = rows[0]
  if (!r) return null
  if (r.stale) await db.query('UPDATE session SET last_seen_at = now() WHERE id_hash = $1', [hashToken(id)])
  return { subject: r.subject, csrf: r.csrf, expiresAt: new Date(r.expires_at).toISOString() }
}

export async function endSession (db: DbHandle, id: string): Promise<void> {
  await db.query('DELETE FROM session WHERE id_hash = $1', [hashToken(id)])
}

/** The session id from a Cookie header, if any. */
export function sessionIdFrom (cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The Set-Cookie value: HttpOnly, SameSite=Strict, Secure when the page was served over TLS. */
export function sessionCookie (id: string, opts: { secure: boolean; maxAgeS: number }): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(opts.maxAgeS))}${opts.secure ? '; Secure' : ''}`
}
