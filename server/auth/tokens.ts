// Bearer tokens: random, shown once, stored only as a SHA-256 hash. The admin token comes from ADMIN_TOKEN.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { DbHandle } from '../db/client.js'

export type Role = 'public' | 'promoter' | 'admin'
export interface Principal { role: Role; who: string }

export const PUBLIC: Principal = { role: 'public', who: 'public' }

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function newToken (): string {
  return `kkb_${randomBytes(32).toString('base64url')}`
}

/** Constant-time comparison of two secrets of any length (compares their hashes). */
export function safeEqual (a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}

export async function createToken (db: DbHandle, name: string, role: Exclude<Role, 'public'>): Promise<{ id: number; token: string }> {
  const token = newToken()
  const { rows } = await db.query<{ id: number }>('INSERT INTO api_token (name, role, token_hash) VALUES ($1, $2, $3) RETURNING id',
    [name, role, hashToken(token)])
  return { id: rows[0].id, token }
}

export async function revokeToken (db: DbHandle, id: number): Promise<boolean> {
  const r = await db.query('UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id])
  return r.rowCount > 0
}

export async function listTokens (db: DbHandle) {
  return (await db.query<{ id: number; name: string; role: string; created_at: string; revoked_at: string | null }>(
    'SELECT id, name, role, created_at::text, revoked_at::text FROM api_token ORDER BY id')).rows
}

/** Resolves a bearer token to a principal; null when the token is unknown or revoked. */
export async function resolveToken (db: DbHandle, token: string, adminToken?: string): Promise<Principal | null> {
  if (adminToken && safeEqual(token, adminToken)) return { role: 'admin', who: 'admin (ADMIN_TOKEN)' }
  const { rows } = await db.query<{ id: number; name: string; role: Role }>(
    'SELECT id, name, role FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL', [hashToken(token)])
  return rows[0] ? { role: rows[0].role, who: `${rows[0].role}:${rows[0].id}:${rows[0].name}` } : null
}
