// THE visibility rule of curated entries, in one place. The actor list, its count and exports, the tiles and the curated
// key figures all filter with curatedVisible(), and mask person fields with personField(); so a figure counts exactly
// what the same role can list (test/curated/curated.test.ts checks that for every role).
//
// - admin: everything. A curator: everything in the kommuner of their län (to edit it), elsewhere what the public sees.
// - public and promoter: published entries only; a `person` entry only with recorded consent (consent_fields not null),
//   and then only its consented fields (name, type, subtype and kommun are what any consent shows).
import type { Params } from '../db/sql.js'
import type { Principal, Role } from '../auth/tokens.js'

/** What the rule needs of the requester; part of the actor filters (and so of the tile cache key). */
export interface Viewer { role: Role; lan: string[] }

export const viewerOf = (p: Pick<Principal, 'role' | 'lan'>): Viewer => ({ role: p.role, lan: p.role === 'curator' ? [...p.lan].sort() : [] })

/** SQL boolean: the viewer sees this entry in full (admin, or a curator of its län). */
export function fullAccessSql (v: Viewer, ps: Params, t = 't'): string {
  if (v.role === 'admin') return 'true'
  if (v.role === 'curator' && v.lan.length) return `(${t}.lan_code = ANY(${ps.p(v.lan)}::text[]))`
  return 'false'
}

/** SQL boolean: the viewer may see this entry at all. */
export function curatedVisible (v: Viewer, ps: Params, t = 't'): string {
  const open = `(${t}.published AND (${t}.type <> 'person' OR ${t}.consent_fields IS NOT NULL))`
  const full = fullAccessSql(v, ps, t)
  return full === 'false' ? open : full === 'true' ? 'true' : `(${full} OR ${open})`
}

/** SQL: a field of the entry as the viewer may see it (null when it is a person's field outside the consent). */
export function personField (v: Viewer, ps: Params, field: string, col: string, t = 't'): string {
  const full = fullAccessSql(v, ps, t)
  if (full === 'true') return col
  return `CASE WHEN ${t}.type <> 'person' OR ${full} OR ${ps.p(field)}::text = ANY(${t}.consent_fields) THEN ${col} END`
}

/** May this principal change entries in this län? (create, edit, import, delete, restore; both ends of a move) */
export const mayEdit = (p: Pick<Principal, 'role' | 'lan'>, lanCode: string): boolean =>
  p.role === 'admin' || (p.role === 'curator' && p.lan.includes(lanCode))
