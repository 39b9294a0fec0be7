// Bearer tokens: random, shown once, stored only as a SHA-256 hash. The admin token comes from ADMIN_TOKEN.
// A token proves an identity (name, role, län scope, organisation); what a request may do follows from that identity
// (server/auth/identity.ts), whether the token came as a bearer header or was exchanged for a session cookie.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { DbHandle } from '../db/client.js'
import { badRequest } from '../errors.js'

export type Role = 'public' | 'promoter' | 'curator' | 'admin'
export const TOKEN_ROLES = ['promoter', 'curator', 'admin'] as const
export type TokenRole = typeof TOKEN_ROLES[number]

/** Who is asking: the one request identity every route reads (req.principal). */
export interface Principal {
  role: Role
  /** for logs and the import/export logs: `role:id:name` */
  who: string
  /** the name shown in the UI and written to the audit log */
  name: string
  /** län codes a curator may edit (empty for the other roles) */
  lan: string[]
  organisationId: number | null
  organisation: string | null
  /** the identity behind a session (`token:<id>`, `admin-env:<hash>`); null for the public */
  subject: string | null
}

export const PUBLIC: Principal = { role: 'public', who: 'public', name: 'public', lan: [], organisationId: null, organisation: null, subject: null }

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function newToken (): string {
  return `kkb_${randomBytes(32).toString('base64url')}`
}

/** Constant-time comparison of two secrets of any length (compares their hashes). */
export function safeEqual (a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}

export interface TokenOptions {
  /** län codes (2 digits); required, non-empty, for a curator; not allowed for other roles */
  lan?: string[]
  /** organisation name; created when new (names compare case-insensitively) */
  organisation?: string | null
}

/** Checks a curator's scope: every code a län of the reference data, at least one. */
async function checkScope (db: DbHandle, role: TokenRole, lan: string[]): Promise<string[]> {
  const codes = [...new Set(lan)].sort()
  if (role !== 'curator') {
    if (codes.length) throw badRequest(`lan: only a curator token has a län scope (role ${role})`)
    return []
  }
  if (!codes.length) throw badRequest('lan: a curator token needs at least one län code, e.g. ["18"]')
  const bad = codes.filter((c) => !/^\d{2}$/.test(c))
  if (bad.length) throw badRequest(`lan: not a 2-digit län code: ${bad.join(', ')}`)
  const { rows } = await db.query<{ code: string }>('SELECT code FROM lan WHERE code = ANY($1::text[])', [codes])
  const known = new Set(rows.map((r) => r.code))
  const unknown = codes.filter((c) => !known.has(c))
  if (unknown.length) throw badRequest(`lan: no such län: ${unknown.join(', ')}`)
  return codes
}

/** The id of the organisation with this name (case-insensitive), created when new. */
export async function organisationId (db: DbHandle, name: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(`INSERT INTO organisation (name) VALUES ($1)
    ON CONFLICT ((lower(name))) DO UPDATE SET name = organisation.name RETURNING id`, [name.trim()])
  return rows[0].id
}

export interface CreatedToken { id: number; token: string; name: string; role: TokenRole; lan: string[]; organisation: string | null }

export async function createToken (db: DbHandle, name: string, role: TokenRole, opts: TokenOptions = {}): Promise<CreatedToken> {
  const lan = await checkScope(db, role, opts.lan ?? [])
  const org = opts.organisation?.trim() || null
  const orgId = org ? await organisationId(db, org) : null
  const token = newToken()
  const { rows } = await db.query<{ id: number }>('INSERT INTO api_token (name, role, token_hash, lan, organisation_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [name, role, hashToken(token), lan, orgId])
  return { id: rows[0].id, token, name, role, lan, organisation: org }
}

/** Revokes a token and ends every session signed in with it. */
export async function revokeToken (db: DbHandle, id: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query('UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id])
    if (!r.rowCount) return false
    await tx.query('DELETE FROM session WHERE subject = $1', [`token:${id}`])
    return true
  })
}

export interface TokenInfo { id: number; name: string; role: string; lan: string[]; organisation: string | null; created_at: string; revoked_at: string | null }

export async function listTokens (db: DbHandle): Promise<TokenInfo[]> {
  return (await db.query<TokenInfo>(`SELECT t.id, t.name, t.role, t.lan, o.name AS organisation, t.created_at::text, t.revoked_at::text
    FROM api_token t LEFT JOIN organisation o ON o.id = t.organisation_id ORDER BY t.id`)).rows
}

export async function tokenInfo (db: DbHandle, id: number): Promise<TokenInfo | undefined> {
  return (await listTokens(db)).find((t) => t.id === id)
}
