// "Suggest a missing place": anyone may suggest one; it waits in a queue the curators of its län (and admins) see, and
// becomes an unpublished entry when a curator accepts it (the curator then checks and publishes it).
import type { DbHandle } from '../db/client.js'
import { badRequest, forbidden, notFound } from '../errors.js'
import type { Principal } from '../auth/tokens.js'
import { loadRefData } from '../reference/ref-data.js'
import { createEntry } from './entries.js'
import { readEntry } from './validate.js'
import { mayEdit } from './visibility.js'

export async function suggest (db: DbHandle, raw: Record<string, unknown>): Promise<{ id: number; status: string }> {
  const r = readEntry({ ...raw, published: false, consent: null }, loadRefData(), 'public')
  if (!r.fields) throw badRequest(`invalid suggestion: ${r.problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, { problems: r.problems })
  if (r.fields.type === 'person') throw badRequest('a person cannot be suggested by others (their consent is needed): suggest places and organisations')
  const f = r.fields
  const contact = typeof raw.contact === 'string' ? raw.contact.trim().slice(0, 200) || null : null
  const { rows } = await db.query<{ id: number }>(`INSERT INTO curated_suggestion (name, type, subtype, kommun_code, lan_code, street, city, website, description, contact)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id::int AS id`,
  [f.name, f.type, f.subtype, f.kommun, loadRefData().kommuner.get(f.kommun)!.lanCode, f.street, f.city, f.website, f.description, contact])
  return { id: rows[0].id, status: 'pending' }
}

/** The queue of the principal's län (all län for an admin). The contact is shown to them only. */
export async function listSuggestions (db: DbHandle, who: Principal, status: string) {
  const lan = who.role === 'admin' ? null : who.lan
  const { rows } = await db.query(`SELECT s.id::int AS id, s.at::text, s.name, s.type, s.subtype, s.kommun_code AS "kommunCode", s.lan_code AS "lanCode",
      k.name AS "kommunName", s.street, s.city, s.website, s.description, s.contact, s.status, s.decided_by AS "decidedBy", s.entry_id::int AS "entryId"
    FROM curated_suggestion s LEFT JOIN kommun k ON k.code = s.kommun_code
    WHERE s.status = $1 AND ($2::text[] IS NULL OR s.lan_code = ANY($2::text[])) ORDER BY s.id`, [status, lan])
  return { items: rows.map((r) => ({ ...r, at: new Date((r as { at: string }).at).toISOString() })) }
}

export async function decideSuggestion (db: DbHandle, who: Principal, id: number, accept: boolean) {
  const { rows } = await db.query<Record<string, string | null>>(`SELECT name, type, subtype, kommun_code AS kommun, lan_code AS lan, street, city, website,
    description, status FROM curated_suggestion WHERE id = $1`, [id])
  const s = rows[0]
  if (!s) throw notFound(`no suggestion ${id}`)
  if (!mayEdit(who, s.lan!)) throw forbidden(`suggestion ${id} is in län ${s.lan}, outside your scope`)
  if (s.status !== 'pending') throw badRequest(`suggestion ${id} is already ${s.status}`)
  // claimed first: two curators deciding at once make one decision (and one entry), the other is told it is decided
  const status = accept ? 'accepted' : 'rejected'
  const claimed = await db.query(`UPDATE curated_suggestion SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND status = 'pending'
    RETURNING id`, [id, status, who.name])
  if (!claimed.rows.length) throw badRequest(`suggestion ${id} was decided meanwhile`)
  let entryId: number | null = null
  if (accept) {
    try {
      const e = await createEntry(db, who, { ...s, published: false, source: 'förslag från allmänheten' })
      entryId = e.id as number
    } catch (err) {
      // no entry: the suggestion waits again
      await db.query(`UPDATE curated_suggestion SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE id = $1`, [id])
      throw err
    }
    await db.query('UPDATE curated_suggestion SET entry_id = $2 WHERE id = $1', [id, entryId])
  }
  return { id, status, entryId }
}
