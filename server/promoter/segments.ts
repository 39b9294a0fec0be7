// Saved segments (a name + /api/actors filters) per organisation, and what changed in a segment since an import.
//
// How the change detection works, and why this way: the register keeps one snapshot per (source, reference year), which
// each import of that year overwrites in place (ingest/merge.ts); years sit side by side in the partitioned company
// table. So "the register as of import B" is not stored anywhere by itself. Rather than copy a year's state per import
// (a register-scale copy per batch), the merge writes the BEFORE image of every row it inserts, updates or removes into
// company_change, in the same statement and transaction as the change (nothing when nothing changed; a year's first bulk
// load writes nothing, the year had no rows). The state of year Y as of B is then
//   the current rows of Y written at or before B and not touched since  ∪  the oldest before-image of each row touched after B,
// and a segment's changes are the difference of its one predicate (actors/filters.ts) over that state and over today's.
// The log holds company columns under their own names, so the same predicate and the same list item apply to both.
import type { DbHandle } from '../db/client.js'
import { Params } from '../db/sql.js'
import { badRequest, forbidden, notFound } from '../errors.js'
import type { Principal } from '../auth/tokens.js'
import { branchJoin, whereClause, type ActorFilters } from '../actors/filters.js'
import { clean, personalParam, selectList, type ActorItem } from '../actors/queries.js'
import { toFilters, type ActorFilterQuery } from '../actors/resolve.js'

export interface Segment {
  id: number; name: string; filters: Record<string, unknown>; createdBy: string; createdAt: string; updatedAt: string
}

/** The organisation whose segments and notes a principal works with; a token of no organisation has none. */
export function organisationOf (p: Principal): number {
  if (p.organisationId === null) throw forbidden('segments and notes belong to an organisation: sign in with a token of one')
  return p.organisationId
}

const SEGMENT_COLS = `id, name, filters, created_by AS "createdBy", created_at::text AS "createdAt", updated_at::text AS "updatedAt"`

/** Segments hold company filters only: changes, notes and the CRM export are about firms. */
function checkFilters (filters: ActorFilterQuery): void {
  if ((filters.kind ?? 'company') !== 'company') throw badRequest('a segment holds company filters (kind: company)')
}

export async function createSegment (db: DbHandle, org: number, who: string, name: string, filters: ActorFilterQuery): Promise<{ id: number }> {
  checkFilters(filters)
  await toFilters(db, filters) // the checks no schema can express (definition exists, bbox order, dates)
  const { rows } = await db.query<{ id: number }>('INSERT INTO segment (organisation_id, name, filters, created_by) VALUES ($1, $2, $3, $4) RETURNING id',
    [org, name, JSON.stringify(filters), who])
  return rows[0]
}

export async function listSegments (db: DbHandle, org: number): Promise<Segment[]> {
  return (await db.query<Segment>(`SELECT ${SEGMENT_COLS} FROM segment WHERE organisation_id = $1 ORDER BY lower(name), id`, [org])).rows
}

/** One segment of the organisation; another organisation's segment is a 404, as if it did not exist. */
export async function getSegment (db: DbHandle, org: number, id: number): Promise<Segment> {
  const { rows } = await db.query<Segment>(`SELECT ${SEGMENT_COLS} FROM segment WHERE id = $1 AND organisation_id = $2`, [id, org])
  if (!rows[0]) throw notFound(`no segment ${id}`)
  return rows[0]
}

export async function updateSegment (db: DbHandle, org: number, id: number, patch: { name?: string; filters?: ActorFilterQuery }): Promise<Segment> {
  if (patch.filters) { checkFilters(patch.filters); await toFilters(db, patch.filters) }
  const { rowCount } = await db.query(`UPDATE segment SET name = coalesce($3, name), filters = coalesce($4::jsonb, filters), updated_at = now()
    WHERE id = $1 AND organisation_id = $2`, [id, org, patch.name ?? null, patch.filters ? JSON.stringify(patch.filters) : null])
  if (!rowCount) throw notFound(`no segment ${id}`)
  return getSegment(db, org, id)
}

export async function deleteSegment (db: DbHandle, org: number, id: number): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM segment WHERE id = $1 AND organisation_id = $2', [id, org])
  if (!rowCount) throw notFound(`no segment ${id}`)
}

/** The newest finished import batch (0 when none): what a visit has seen. */
export async function latestBatch (db: Pick<DbHandle, 'query'>): Promise<number> {
  const { rows } = await db.query<{ id: number | null }>("SELECT max(id) AS id FROM import_batch WHERE status = 'done'")
  return rows[0].id ?? 0
}

/** Records that `subject` has seen the segment as of the newest import. */
export async function markSeen (db: DbHandle, org: number, id: number, subject: string): Promise<{ seenBatchId: number }> {
  await getSegment(db, org, id)
  const seen = await latestBatch(db)
  await db.query(`INSERT INTO segment_visit (segment_id, subject, seen_batch_id) VALUES ($1, $2, $3)
    ON CONFLICT (segment_id, subject) DO UPDATE SET seen_batch_id = excluded.seen_batch_id, seen_at = now()`, [id, subject, seen])
  return { seenBatchId: seen }
}

export async function lastSeen (db: DbHandle, id: number, subject: string | null): Promise<number | null> {
  if (!subject) return null
  const { rows } = await db.query<{ b: number }>('SELECT seen_batch_id AS b FROM segment_visit WHERE segment_id = $1 AND subject = $2', [id, subject])
  return rows[0]?.b ?? null
}

/** `since=YYYY-MM-DD`: the changes of the imports finished on or after that day (UTC), i.e. since the last one before it. */
export async function batchBefore (db: DbHandle, day: string): Promise<number> {
  const d = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw badRequest('since is not a valid date (YYYY-MM-DD)')
  const { rows } = await db.query<{ id: number | null }>("SELECT max(id) AS id FROM import_batch WHERE status = 'done' AND finished_at < $1::timestamptz", [d.toISOString()])
  return rows[0].id ?? 0
}

export async function checkBatch (db: DbHandle, id: number): Promise<void> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM import_batch WHERE id = $1', [id])
  if (!rows[0]) throw notFound(`no import batch ${id}`)
  if (rows[0].status !== 'done') throw badRequest(`import batch ${id} did not complete (${rows[0].status}); it changed nothing`)
}

// ---- retention of the change log --------------------------------------------------------------------------------
// The change log holds copies of old register rows (sole traders' among them), so it is kept only as long as a promoter
// plausibly asks about: the rows written by imports that finished more than CHANGE_LOG_RETENTION_DAYS ago are deleted.
// Deleting the rows of batches ≤ H makes every question "since B" with B < H unanswerable (the before-images of the
// rows touched in (B, H] are gone, so those firms would read as new), so H — the horizon — is kept in `meta` and such a
// question is refused, or for "since my last visit" answered from the horizon on. The horizon only ever grows: making the
// period longer later does not bring pruned history back, and the refusal stays right.
const HORIZON_KEY = 'change_log_horizon'

/** The newest import batch whose change rows may have been pruned (0: nothing pruned yet). */
export async function changeLogHorizon (db: Pick<DbHandle, 'query'>): Promise<number> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [HORIZON_KEY])
  return rows[0] ? Number(rows[0].value) : 0
}

/** Deletes the change rows of the imports finished more than `retentionDays` ago; returns the horizon and how many rows went. */
export async function pruneChangeLog (db: DbHandle, retentionDays: number): Promise<{ horizon: number; deleted: number }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number | null }>(`SELECT max(id) AS id FROM import_batch
      WHERE status = 'done' AND finished_at < now() - make_interval(days => $1::int)`, [retentionDays])
    const old = await changeLogHorizon(tx)
    const horizon = Math.max(old, rows[0].id ?? 0)
    if (horizon === old) return { horizon, deleted: 0 }
    const { rowCount } = await tx.query('DELETE FROM company_change WHERE change_batch_id <= $1', [horizon])
    await tx.query(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [HORIZON_KEY, String(horizon)])
    return { horizon, deleted: rowCount }
  })
}

/**
 * The batch a "since" question is answered from: `since` itself while the change log still covers it; older than the
 * horizon, an explicit question (sinceImport, since=day) is refused, and "since my last visit" starts at the horizon.
 */
export async function answerableSince (db: DbHandle, since: number, explicit: boolean): Promise<number> {
  const horizon = await changeLogHorizon(db)
  if (since >= horizon) return since
  if (explicit) {
    throw badRequest(`the changes since import ${since} are no longer kept (the change log keeps the imports of the last CHANGE_LOG_RETENTION_DAYS days); ` +
      `the earliest import to compare with is ${horizon}`)
  }
  return horizon
}

/** What changed about a firm that stayed in the segment. */
export type ChangedField = 'branch' | 'kommun' | 'sizeClass' | 'legalForm'
export interface Before {
  sni1: string | null; group: string | null; category: string | null; kommunCode: string | null; sizeClass: string | null; legalForm: string | null
}
export type ChangeItem = ActorItem & {
  fields?: ChangedField[]; before?: Before; deregisteredOn?: string | null; gone?: boolean
}
export interface Changes {
  new: ChangeItem[]; closed: ChangeItem[]; changed: ChangeItem[]
  counts: { new: number; closed: number; changed: number }
  sinceImport: number; year: number; baselineYear: number | null; truncated: boolean
}

/** The company columns of the state relation: those of company_change, present in company too (db/schema/promoter.ts). */
const STATE_COLS = ['id', 'ref_year', 'orgnr', 'batch_id', 'source', 'name', 'legal_form', 'sole_trader', 'sni_version', 'sni', 'sni1',
  'kommun_code', 'lan_code', 'placement', 'street', 'co_address', 'postcode', 'city', 'geom', 'geom_public', 'location_precision', 'employees',
  'size_class', 'employees_est', 'registered_on', 'deregistered_on', 'active', 'marketing_opt_out', 'synthetic']
const cols = (alias: string) => STATE_COLS.map((c) => `${alias}.${c}`).join(', ')

/**
 * The year a segment's state as of batch B is read from: the segment's year when that year had company data by then,
 * else the newest earlier year that had (a new year's first import is compared with the year before); null when the
 * register held no companies at B (everything in the segment is then new).
 */
async function baselineYear (db: DbHandle, year: number, since: number): Promise<number | null> {
  const { rows } = await db.query<{ y: number | null }>(`SELECT max(ref_year) AS y FROM import_batch
    WHERE status = 'done' AND kind IN ('companies', 'enrichment') AND id <= $1 AND ref_year <= $2`, [since, year])
  return rows[0].y
}

/**
 * The segment's changes since import batch `since`: firms that entered it (new in the register or newly matching),
 * firms that closed (active in it then; deregistered, inactive or gone from the register now) and firms still there whose
 * branch, kommun, size class or legal form changed. Each firm is in one list at most; each list is capped at `limit`.
 */
export async function segmentChanges (db: DbHandle, filters: ActorFilterQuery, since: number, principal: Principal, limit = 1000): Promise<Changes> {
  const f: ActorFilters = await toFilters(db, filters)
  const by = await baselineYear(db, f.year, since)
  const ps = new Params()
  const B = by === null ? '' : ps.p(since) // (a parameter no statement uses has no type: only when there is a baseline)
  const Y = ps.p(f.year)
  // state of the baseline year as of B: untouched rows written by then, plus the oldest before-image of the touched ones
  const old = by === null
    ? `SELECT ${cols('c')} FROM company c WHERE false`
    : `SELECT ${cols('c')} FROM company c WHERE c.ref_year = ${ps.p(by)} AND c.batch_id <= ${B}::int
         AND NOT EXISTS (SELECT 1 FROM company_change h WHERE h.ref_year = c.ref_year AND h.orgnr = c.orgnr AND h.change_batch_id > ${B}::int)
       UNION ALL
       SELECT ${cols('h')} FROM (SELECT DISTINCT ON (h.orgnr) h.* FROM company_change h
         WHERE h.ref_year = ${ps.p(by)} AND h.change_batch_id > ${B}::int ORDER BY h.orgnr, h.change_batch_id, h.seq) h WHERE h.existed`
  const oldWhere = by === null ? 'false' : whereClause({ ...f, year: by }, ps)
  const nowWhere = whereClause(f, ps)
  const def = ps.p(f.definition)
  const personal = personalParam(ps, 'company', principal.role)
  const differs = {
    branch: 'o.sni_version IS DISTINCT FROM n.sni_version OR o.sni1 IS DISTINCT FROM n.sni1',
    kommun: 'o.kommun_code IS DISTINCT FROM n.kommun_code',
    sizeClass: 'o.size_class IS DISTINCT FROM n.size_class',
    legalForm: 'o.legal_form IS DISTINCT FROM n.legal_form',
  }
  // one row per firm and list: `src` is the row shown (today's, or the before-image for a firm gone from the register)
  const { rows } = await db.query<ChangeItem & { _change: string; _fields: string[] | null; _before: Before | null; _gone: boolean; _dereg: string | null; _n: number }>(`
    WITH old AS MATERIALIZED (${old}),
    om AS MATERIALIZED (SELECT t.* FROM old t WHERE ${oldWhere}),
    nm AS MATERIALIZED (SELECT t.orgnr FROM company t WHERE ${nowWhere}),
    ch AS (
      SELECT 'new' AS change, n.orgnr, false AS gone, NULL::text[] AS fields, NULL::text AS o_sni_version, NULL::text AS o_sni1,
        NULL::text AS o_kommun, NULL::text AS o_size, NULL::text AS o_legal
      FROM nm n WHERE NOT EXISTS (SELECT 1 FROM om o WHERE o.orgnr = n.orgnr)
      UNION ALL
      SELECT CASE WHEN o.active AND (n.orgnr IS NULL OR NOT n.active) THEN 'closed' ELSE 'changed' END, o.orgnr, n.orgnr IS NULL,
        array_remove(ARRAY[CASE WHEN ${differs.branch} THEN 'branch' END, CASE WHEN ${differs.kommun} THEN 'kommun' END,
          CASE WHEN ${differs.sizeClass} THEN 'sizeClass' END, CASE WHEN ${differs.legalForm} THEN 'legalForm' END], NULL),
        o.sni_version, o.sni1, o.kommun_code, o.size_class, o.legal_form
      FROM om o LEFT JOIN company n ON n.ref_year = ${Y} AND n.orgnr = o.orgnr
      WHERE (o.active AND (n.orgnr IS NULL OR NOT n.active))
         OR (n.orgnr IS NOT NULL AND (${differs.branch} OR ${differs.kommun} OR ${differs.sizeClass} OR ${differs.legalForm}))
    ),
    -- the count per list here, before the lists are cut to \`limit\` (a window in the outer SELECT would count the cut rows)
    numbered AS (SELECT ch.*, row_number() OVER (PARTITION BY ch.change ORDER BY ch.orgnr) AS n,
      count(*) OVER (PARTITION BY ch.change) AS total FROM ch)
    SELECT ${selectList('company', personal)}, x.change AS _change, x.fields AS _fields, x.gone AS _gone, t.deregistered_on::text AS _dereg,
      x.n::int AS _n, x.total::int AS _total,
      CASE WHEN x.change = 'changed' THEN json_build_object('sni1', x.o_sni1, 'group', ob.grp, 'category', ob.category,
        'kommunCode', x.o_kommun, 'sizeClass', x.o_size, 'legalForm', x.o_legal) END AS _before
    FROM numbered x
    JOIN LATERAL (
      SELECT ${cols('c')} FROM company c WHERE NOT x.gone AND c.ref_year = ${Y} AND c.orgnr = x.orgnr
      UNION ALL SELECT ${cols('o')} FROM om o WHERE x.gone AND o.orgnr = x.orgnr
    ) t ON true
    ${branchJoin('t', def)}
    LEFT JOIN LATERAL (SELECT m.grp, m.category FROM (SELECT s.sni_version, s.sni_code, c.code AS category, c.group_code AS grp
        FROM kkb_sni s JOIN kkb_category c ON c.definition_id = s.definition_id AND c.code = s.category_code WHERE s.definition_id = ${def}) m
      WHERE m.sni_version = x.o_sni_version AND m.sni_code = x.o_sni1) ob ON true
    WHERE x.n <= ${ps.p(limit + 1)}
    ORDER BY x.change, lower(t.name), t.orgnr`, ps.values)
  const out: Changes = { new: [], closed: [], changed: [], counts: { new: 0, closed: 0, changed: 0 }, sinceImport: since, year: f.year,
    baselineYear: by, truncated: false }
  for (const r of rows) {
    const change = r._change as 'new' | 'closed' | 'changed'
    out.counts[change] = (r as unknown as { _total: number })._total
    if (r._n > limit) { out.truncated = true; continue }
    const item: ChangeItem = clean(r)
    if (change === 'changed') { item.fields = (r._fields ?? []) as ChangedField[]; item.before = r._before! }
    if (change === 'closed') { item.gone = r._gone; item.deregisteredOn = r._dereg }
    for (const k of ['_change', '_fields', '_gone', '_dereg', '_n', '_total', '_before']) delete (item as unknown as Record<string, unknown>)[k]
    out[change].push(item)
  }
  return out
}
