// How an identity is proven, kept apart from the session layer: a bearer token (scripts, and the sign-in form) resolves
// to a Principal and a `subject` (a stable name of that identity); a session stores only the subject and resolves it again
// on every request, so a revoked token or a changed ADMIN_TOKEN ends its sessions. An identity provider would add one
// more kind of subject here and nothing else.
import type { DbHandle } from '../db/client.js'
import { hashToken, safeEqual, type Principal, type Role } from './tokens.js'

const ADMIN_ENV_NAME = 'admin (ADMIN_TOKEN)'
const adminEnvSubject = (adminToken: string) => `admin-env:${hashToken(adminToken).slice(0, 16)}`

function adminPrincipal (adminToken: string): Principal {
  return { role: 'admin', who: ADMIN_ENV_NAME, name: ADMIN_ENV_NAME, lan: [], organisationId: null, organisation: null, subject: adminEnvSubject(adminToken) }
}

interface TokenRow { id: number; name: string; role: Role; lan: string[]; organisation_id: number | null; organisation: string | null }

const TOKEN_SQL = `SELECT t.id, t.name, t.role, t.lan, t.organisation_id, o.name AS organisation
  FROM api_token t LEFT JOIN organisation o ON o.id = t.organisation_id WHERE t.revoked_at IS NULL AND `

function tokenPrincipal (r: TokenRow): Principal {
  return { role: r.role, who: `${r.role}:${r.id}:${r.name}`, name: r.name, lan: r.lan ?? [], organisationId: r.organisation_id,
    organisation: r.organisation, subject: `token:${r.id}` }
}

/** Resolves a bearer token to a principal; null when the token is unknown or revoked. */
export async function identityOfToken (db: DbHandle, token: string, adminToken?: string): Promise<Principal | null> {
  if (adminToken && safeEqual(token, adminToken)) return adminPrincipal(adminToken)
  const { rows } = await db.query<TokenRow>(`${TOKEN_SQL} t.token_hash = $1`, [hashToken(token)])
  return rows[0] ? tokenPrincipal(rows[0]) : null
}

/** Resolves a session's subject to the principal it stands for now; null when that identity is gone (revoked). */
export async function identityOfSubject (db: DbHandle, subject: string, adminToken?: string): Promise<Principal | null> {
  const [kind, id] = subject.split(':')
  if (kind === 'admin-env') return adminToken && subject === adminEnvSubject(adminToken) ? adminPrincipal(adminToken) : null
  if (kind === 'token' && /^\d+$/.test(id)) {
    const { rows } = await db.query<TokenRow>(`${TOKEN_SQL} t.id = $1`, [Number(id)])
    return rows[0] ? tokenPrincipal(rows[0]) : null
  }
  return null
}
