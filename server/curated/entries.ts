// Curated entries: create, read, change, delete and restore, each with its history row, in one transaction. Scope (which
// län a curator may change) is checked here for both ends of a change, so a curator can neither edit nor move an entry
// outside their län. What a reader may see is server/curated/visibility.ts.
import type { DbHandle, Tx } from '../db/client.js'
import { ApiError, badRequest, forbidden, notFound } from '../errors.js'
import { Params } from '../db/sql.js'
import type { Principal } from '../auth/tokens.js'
import { loadRefData } from '../reference/ref-data.js'
import { bumpDataVersion } from '../meta/data-version.js'
import { publicPointSql } from '../ingest/sole-trader.js'
import { curatedVisible, fullAccessSql, mayEdit, personField, viewerOf } from './visibility.js'
import { FIELD_NAMES, readEntry, type CuratedFields, type Problem } from './validate.js'

type Q = Pick<Tx, 'query'>

export const invalidEntry = (problems: Problem[]) => badRequest(`invalid entry: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, { problems })

const outOfScope = (p: Principal, kommun: string, lan: string, why = '') =>
  forbidden(`${p.role === 'curator' ? `your curator scope is län ${p.lan.join(', ')}` : 'curators and admins only'}; ${why}kommun ${kommun} is in län ${lan}`)

const lanOf = (kommun: string) => loadRefData().kommuner.get(kommun)!.lanCode
const kommunLabel = (code: string) => `${code} ${loadRefData().kommuner.get(code)?.name ?? ''}`.trim()

/** The kommun whose legal boundary (Lantmäteriet, sea included) holds the point; null outside every kommun. */
export async function kommunAt (q: Q, lat: number, lon: number): Promise<string | null> {
  const { rows } = await q.query<{ code: string }>(`SELECT code FROM kommun
    WHERE ST_Intersects(coalesce(geom_detail, geom), ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)) ORDER BY code LIMIT 1`, [lon, lat])
  return rows[0]?.code ?? null
}

/**
 * A moved point decides the kommun (a curator drags an entry across a border: the entry now lies in the other kommun),
 * unless the same change names another kommun on purpose, which then must hold the point. Returns the fields with
 * the kommun of the point, or throws 400 for a point in no kommun or one that contradicts the kommun given.
 */
type Placed = { fields: CuratedFields; warning?: string }
async function placeMovedPoint (q: Q, cur: CuratedFields, f: CuratedFields, patch: Record<string, unknown>): Promise<Placed> {
  if (f.lat === null || f.lon === null || (f.lat === cur.lat && f.lon === cur.lon)) return { fields: f }
  const at = await kommunAt(q, f.lat, f.lon)
  if (!at) throw invalidEntry([{ field: 'lat', value: `${f.lat},${f.lon}`, reason: 'the point lies in no Swedish kommun' }])
  const named = 'kommun' in patch && f.kommun !== cur.kommun
  if (named && f.kommun !== at) {
    throw invalidEntry([{ field: 'kommun', value: f.kommun, reason: `the point ${f.lat},${f.lon} lies in kommun ${kommunLabel(at)}, not in ${kommunLabel(f.kommun)}` }])
  }
  if (at === f.kommun) return { fields: f }
  return { fields: { ...f, kommun: at }, warning: `the point moved the entry from kommun ${kommunLabel(f.kommun)} to ${kommunLabel(at)}: check its address` }
}

/** The stored row → the editable fields (history snapshots, restore, PATCH merging). */
const FIELDS_SQL = `t.name, t.type, t.subtype, t.groups, t.definition, t.kommun_code AS kommun, t.street, t.postcode, t.city,
  ST_Y(t.geom) AS lat, ST_X(t.geom) AS lon, t.orgnr, t.website, t.description, t.attributes, t.opened_on::text AS "openedOn",
  t.closed_on::text AS "closedOn", t.source, t.published, t.consent`

async function current (q: Q, id: number, lock = false): Promise<(CuratedFields & { version: number; lan: string }) | null> {
  const { rows } = await q.query<CuratedFields & { version: number; lan: string }>(
    `SELECT ${FIELDS_SQL}, t.version, t.lan_code AS lan FROM curated_entry t WHERE t.id = $1${lock ? ' FOR UPDATE' : ''}`, [id])
  return rows[0] ?? null
}

/** The public point: exact only when the entry is not a person, or the person consented to show it (sole-trader rule). */
const PUBLIC = publicPointSql('t.geom', "(t.type = 'person' AND NOT coalesce('point' = ANY(t.consent_fields), false))", { code: 'k.code', point: 'k.point' }, "'kommun'")
export async function refreshPublicPoints (q: Q, where: string, values: unknown[]): Promise<void> {
  await q.query(`UPDATE curated_entry t SET geom_public = ${PUBLIC.point}, location_precision = ${PUBLIC.precision}
    FROM kommun k WHERE k.code = t.kommun_code AND ${where}`, values)
}

const COLUMNS = ['name', 'type', 'subtype', 'groups', 'definition', 'kommun_code', 'lan_code', 'street', 'postcode', 'city', 'geom', 'orgnr', 'website',
  'description', 'attributes', 'opened_on', 'closed_on', 'source', 'published', 'consent', 'consent_fields']
function values (f: CuratedFields, ps: Params): string[] {
  return [ps.p(f.name), ps.p(f.type), ps.p(f.subtype), `${ps.p(f.groups)}::text[]`, ps.p(f.definition), ps.p(f.kommun), ps.p(lanOf(f.kommun)),
    ps.p(f.street), ps.p(f.postcode), ps.p(f.city),
    f.lon === null ? 'NULL' : `ST_SetSRID(ST_MakePoint(${ps.p(f.lon)}::float8, ${ps.p(f.lat)}::float8), 4326)`,
    ps.p(f.orgnr), ps.p(f.website), ps.p(f.description), `${ps.p(JSON.stringify(f.attributes))}::jsonb`, `${ps.p(f.openedOn)}::date`,
    `${ps.p(f.closedOn)}::date`, ps.p(f.source), ps.p(f.published), `${ps.p(f.consent ? JSON.stringify(f.consent) : null)}::jsonb`,
    `${ps.p(f.consent ? f.consent.fields : null)}::text[]`]
}

function diff (before: Partial<CuratedFields> | null, after: Partial<CuratedFields> | null): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {}
  for (const k of FIELD_NAMES) {
    const o = before?.[k] ?? null
    const n = after?.[k] ?? null
    if (JSON.stringify(o) !== JSON.stringify(n)) out[k] = { old: o, new: n }
  }
  return out
}

const snapshot = (f: CuratedFields | null) => (f ? Object.fromEntries(FIELD_NAMES.map((k) => [k, f[k] ?? null])) : null)

async function record (q: Q, id: number, version: number, who: Principal | string, action: string, before: CuratedFields | null, after: CuratedFields | null) {
  await q.query('INSERT INTO curated_history (entry_id, version, who, action, changes, snapshot) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)',
    [id, version, typeof who === 'string' ? who : who.name, action, JSON.stringify(diff(before, after)), JSON.stringify(snapshot(after ?? before))])
}

/** Warnings that do not stop a write: an organisation number that is already a register company. */
async function warnings (q: Q, f: CuratedFields): Promise<string[]> {
  if (!f.orgnr) return []
  const { rows } = await q.query<{ name: string }>('SELECT name FROM company WHERE orgnr = $1 ORDER BY ref_year DESC LIMIT 1', [f.orgnr])
  return rows[0] ? [`orgnr ${f.orgnr} is the register company "${rows[0].name}": this entry duplicates it unless it is another place of it`] : []
}

/** Inserts one checked entry and its history row (create or import); returns the id. */
export async function insertEntry (q: Q, f: CuratedFields, who: Principal | string, action: 'create' | 'import', synthetic = false): Promise<number> {
  const ps = new Params()
  const name = typeof who === 'string' ? who : who.name
  const { rows } = await q.query<{ id: number }>(`INSERT INTO curated_entry (${COLUMNS.join(', ')}, synthetic, created_by, updated_by)
    VALUES (${values(f, ps).join(', ')}, ${ps.p(synthetic)}, ${ps.p(name)}, ${ps.p(name)}) RETURNING id::int AS id`, ps.values)
  const id = rows[0].id
  await refreshPublicPoints(q, 't.id = $1', [id])
  await record(q, id, 1, who, action, null, f)
  return id
}

export async function createEntry (db: DbHandle, who: Principal, raw: Record<string, unknown>) {
  const r = readEntry(raw, loadRefData(), who.name)
  if (!r.fields) throw invalidEntry(r.problems)
  const f = r.fields
  if (!mayEdit(who, lanOf(f.kommun))) throw outOfScope(who, f.kommun, lanOf(f.kommun))
  const out = await db.transaction(async (tx) => {
    const id = await insertEntry(tx, f, who, 'create')
    await bumpDataVersion(tx)
    return { id, warnings: await warnings(tx, f) }
  })
  return { ...(await getEntry(db, who, out.id)), id: out.id, warnings: out.warnings }
}

/** The entry as this principal may see it: 404 when they may not (unpublished, or a person without consent). */
export async function getEntry (db: Pick<DbHandle, 'query'>, who: Pick<Principal, 'role' | 'lan'>, id: number): Promise<Record<string, unknown>> {
  const v = viewerOf(who)
  const ps = new Params()
  const f = (field: string, col: string) => personField(v, ps, field, col)
  const full = fullAccessSql(v, ps)
  const pt = `coalesce(${f('point', 't.geom')}, t.geom_public)`
  const { rows } = await db.query<Record<string, unknown>>(`SELECT t.id::int AS id, 'curated' AS kind, t.name, t.type, t.subtype, t.groups, t.definition,
      t.kommun_code AS "kommunCode", t.lan_code AS "lanCode", kn.name AS "kommunName",
      ${f('street', 't.street')} AS street, ${f('postcode', 't.postcode')} AS postcode, ${f('city', 't.city')} AS city,
      ST_X(${pt}) AS lon, ST_Y(${pt}) AS lat, CASE WHEN ${f('point', 't.geom')} IS NOT NULL THEN 'address' ELSE 'kommun' END AS "locationPrecision",
      ${f('orgnr', 't.orgnr')} AS orgnr, ${f('website', 't.website')} AS website, ${f('description', 't.description')} AS description,
      CASE WHEN t.type <> 'person' OR ${full} THEN t.attributes ELSE '{}'::jsonb END AS attributes,
      t.opened_on::text AS "openedOn", t.closed_on::text AS "closedOn", t.source, t.published,
      CASE WHEN ${full} THEN t.consent END AS consent, t.synthetic, t.version,
      CASE WHEN ${full} THEN t.created_by END AS "createdBy", t.created_at::text AS "createdAt",
      CASE WHEN ${full} THEN t.updated_by END AS "updatedBy", t.updated_at::text AS "updatedAt", ${full} AS editable
    FROM curated_entry t LEFT JOIN kommun kn ON kn.code = t.kommun_code
    WHERE t.id = ${ps.p(id)} AND ${curatedVisible(v, ps)}`, ps.values)
  if (!rows[0]) throw notFound(`no curated entry ${id}`)
  const e = rows[0]
  for (const k of ['createdAt', 'updatedAt']) e[k] = new Date(e[k] as string).toISOString()
  for (const k of Object.keys(e)) if (e[k] === null && ['consent', 'createdBy', 'updatedBy'].includes(k)) delete e[k]
  return e
}

/** Writes new fields over an entry (update or restore): scope of the old and the new place, history, data version. */
async function rewrite (db: DbHandle, who: Principal, id: number, next: (cur: CuratedFields) => CuratedFields, action: 'update' | 'restore', expectVersion?: number,
  patch?: Record<string, unknown>) {
  const out = await db.transaction(async (tx) => {
    const cur = await current(tx, id, true)
    if (!cur) throw notFound(`no curated entry ${id}`)
    if (!mayEdit(who, cur.lan)) throw outOfScope(who, cur.kommun, cur.lan)
    if (expectVersion !== undefined && expectVersion !== cur.version) {
      throw new ApiError(409, 'CONFLICT', `entry ${id} is at version ${cur.version}, not ${expectVersion}: someone changed it meanwhile; reload and edit again`)
    }
    // an edit that moves the point takes the point's kommun (a restore brings back a kommun and point that belonged together)
    const placed = patch ? await placeMovedPoint(tx, cur, next(cur), patch) : { fields: next(cur) }
    const f = placed.fields
    if (!mayEdit(who, lanOf(f.kommun))) {
      throw outOfScope(who, kommunLabel(f.kommun), lanOf(f.kommun), placed.warning ? 'the point was moved into another kommun: ' : '')
    }
    const moved = placed.warning ? [placed.warning] : []
    if (!Object.keys(diff(cur, f)).length) return { changed: false, warnings: await warnings(tx, f) }
    const ps = new Params()
    const vals = values(f, ps)
    await tx.query(`UPDATE curated_entry SET ${COLUMNS.map((c, i) => `${c} = ${vals[i]}`).join(', ')}, version = version + 1,
      updated_by = ${ps.p(who.name)}, updated_at = now() WHERE id = ${ps.p(id)}`, ps.values)
    await refreshPublicPoints(tx, 't.id = $1', [id])
    await record(tx, id, cur.version + 1, who, action, cur, f)
    await bumpDataVersion(tx)
    return { changed: true, warnings: [...moved, ...await warnings(tx, f)] }
  })
  return { ...(await getEntry(db, who, id)), warnings: out.warnings, changed: out.changed }
}

export async function updateEntry (db: DbHandle, who: Principal, id: number, patch: Record<string, unknown>) {
  const unknown = Object.keys(patch).filter((k) => k !== 'version' && !(FIELD_NAMES as string[]).includes(k))
  if (unknown.length) throw badRequest(`unknown fields: ${unknown.join(', ')}`)
  const { version, ...rest } = patch
  return rewrite(db, who, id, (cur) => {
    const merged: Record<string, unknown> = { ...cur, ...rest }
    // a changed consent is recorded anew (by whom, when); an unchanged one keeps its record
    if ('consent' in rest && rest.consent && typeof rest.consent === 'object') {
      const c = rest.consent as { fields?: unknown }
      const same = cur.consent && JSON.stringify([...(Array.isArray(c.fields) ? c.fields : [])].sort()) === JSON.stringify(cur.consent.fields)
      merged.consent = same ? cur.consent : { fields: c.fields }
    }
    const r = readEntry(merged, loadRefData(), who.name)
    if (!r.fields) throw invalidEntry(r.problems)
    return r.fields
  }, 'update', typeof version === 'number' ? version : undefined, rest)
}

export async function restoreEntry (db: DbHandle, who: Principal, id: number, version: number) {
  const { rows } = await db.query<{ snapshot: Record<string, unknown>; action: string }>(
    'SELECT snapshot, action FROM curated_history WHERE entry_id = $1 AND version = $2 ORDER BY id DESC LIMIT 1', [id, version])
  if (!rows[0]) throw notFound(`entry ${id} has no version ${version}`)
  const exists = await db.query('SELECT 1 FROM curated_entry WHERE id = $1', [id])
  if (!exists.rows.length) return undeleteEntry(db, who, id, rows[0].snapshot)
  return rewrite(db, who, id, () => {
    const r = readEntry(rows[0].snapshot, loadRefData(), who.name)
    if (!r.fields) throw invalidEntry(r.problems)
    return r.fields
  }, 'restore')
}

/** Restoring a deleted entry brings it back under its old id. */
async function undeleteEntry (db: DbHandle, who: Principal, id: number, snap: Record<string, unknown>) {
  const r = readEntry(snap, loadRefData(), who.name)
  if (!r.fields) throw invalidEntry(r.problems)
  const f = r.fields
  if (!mayEdit(who, lanOf(f.kommun))) throw outOfScope(who, f.kommun, lanOf(f.kommun))
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ v: number }>('SELECT max(version)::int AS v FROM curated_history WHERE entry_id = $1', [id])
    const version = (rows[0]?.v ?? 0) + 1
    const ps = new Params()
    await tx.query(`INSERT INTO curated_entry (id, ${COLUMNS.join(', ')}, version, created_by, updated_by) OVERRIDING SYSTEM VALUE
      VALUES (${ps.p(id)}, ${values(f, ps).join(', ')}, ${ps.p(version)}, ${ps.p(who.name)}, ${ps.p(who.name)})`, ps.values)
    await refreshPublicPoints(tx, 't.id = $1', [id])
    await record(tx, id, version, who, 'restore', null, f)
    await bumpDataVersion(tx)
  })
  return { ...(await getEntry(db, who, id)), warnings: [], changed: true }
}

export async function deleteEntry (db: DbHandle, who: Principal, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const cur = await current(tx, id, true)
    if (!cur) throw notFound(`no curated entry ${id}`)
    if (!mayEdit(who, cur.lan)) throw outOfScope(who, cur.kommun, cur.lan)
    await tx.query('DELETE FROM curated_entry WHERE id = $1', [id])
    await record(tx, id, cur.version + 1, who, 'delete', cur, null)
    await bumpDataVersion(tx)
  })
}

/** The history, newest first: for curators of the entry's län and admins (it names who changed what). */
export async function entryHistory (db: DbHandle, who: Principal, id: number) {
  const { rows: last } = await db.query<{ kommun: string }>(
    `SELECT snapshot->>'kommun' AS kommun FROM curated_history WHERE entry_id = $1 ORDER BY version DESC, id DESC LIMIT 1`, [id])
  if (!last[0]) throw notFound(`no curated entry ${id}`)
  const lan = lanOf(last[0].kommun)
  if (!mayEdit(who, lan)) throw outOfScope(who, last[0].kommun, lan)
  const { rows } = await db.query<Record<string, unknown>>(`SELECT version, at::text, who, action, changes, snapshot FROM curated_history
    WHERE entry_id = $1 ORDER BY version DESC, id DESC`, [id])
  return { id, items: rows.map((r) => ({ ...r, at: new Date(r.at as string).toISOString() })) }
}
