// Actor list, detail and export cursors over companies, workplaces and education providers.
// Personal data of sole traders is masked IN SQL, so no code path (list, search, GeoJSON, export) can leak it.
import type { DbHandle } from '../db/client.js'
import { badRequest, notFound } from '../errors.js'
import { Params } from '../db/sql.js'
import { branchJoin, hasBranch, likeEscape, seesPersonalData, TABLE, whereClause, type ActorFilters, type ActorKind } from './filters.js'
import { personField, type Viewer } from '../curated/visibility.js'
import type { Role } from '../auth/tokens.js'

export interface ActorItem {
  id: number; kind: ActorKind; orgnr?: string; name: string; legalForm: string | null; sni: string[]; sniVersion: string | null
  group: string | null; category: string | null; kommunCode: string | null; lanCode: string | null
  employees: number | null; sizeClass: string | null; lon: number | null; lat: number | null; locationPrecision: string | null
  soleTrader: boolean; street?: string | null; postcode?: string | null; city: string | null; registeredOn: string | null
  marketingOptOut?: boolean | null; providerType?: string; synthetic: boolean
  /** curated entries */
  type?: string; subtype?: string | null; website?: string | null; published?: boolean
}

/** SQL boolean for "this role sees sole traders' personal data" (education has none, so no parameter). */
export const personalParam = (ps: Params, kind: ActorKind, role: Role) => (!hasBranch(kind) ? 'false' : `${ps.p(seesPersonalData(role))}::boolean`)

export type SortKey = 'id' | 'name' | 'employees' | 'registered' | 'relevance'
export interface ListOptions { role: Role; sort: SortKey; desc: boolean; limit: number; cursor?: string }

/** SELECT list for one actor kind; `personal` is a boolean SQL parameter placeholder. */
export function selectList (kind: ActorKind, personal: string, curated?: { viewer?: Viewer; ps: Params }): string {
  if (kind === 'curated') {
    // a person's fields outside their consent are withheld in SQL (server/curated/visibility.ts), the point falls back
    // to the public one (the kommun's point) unless the point itself is consented
    const v = curated?.viewer ?? { role: 'public' as Role, lan: [] }
    const ps = curated!.ps
    const f = (field: string, col: string) => personField(v, ps, field, col)
    const pt = `coalesce(${f('point', 't.geom')}, t.geom_public)`
    return `t.id, 'curated' AS kind, ${f('orgnr', 't.orgnr')} AS orgnr, t.name, NULL::text AS "legalForm", '{}'::text[] AS sni,
      NULL::text AS "sniVersion", t.groups[1] AS "group", NULL::text AS category, t.kommun_code AS "kommunCode", t.lan_code AS "lanCode",
      NULL::int AS employees, NULL::text AS "sizeClass", ST_X(${pt}) AS lon, ST_Y(${pt}) AS lat,
      CASE WHEN ${f('point', 't.geom')} IS NOT NULL THEN t.location_precision ELSE 'kommun' END AS "locationPrecision",
      false AS "soleTrader", ${f('street', 't.street')} AS street, ${f('postcode', 't.postcode')} AS postcode, ${f('city', 't.city')} AS city,
      t.opened_on::text AS "registeredOn", NULL::bool AS "marketingOptOut", NULL::text AS "providerType", t.synthetic,
      t.type, t.subtype, ${f('website', 't.website')} AS website, t.published`
  }
  if (kind === 'education') {
    return `t.id, 'education' AS kind, NULL::text AS orgnr, t.name, NULL::text AS "legalForm", '{}'::text[] AS sni, NULL::text AS "sniVersion",
      NULL::text AS "group", NULL::text AS category, t.kommun_code AS "kommunCode", t.lan_code AS "lanCode", NULL::int AS employees,
      NULL::text AS "sizeClass", ST_X(t.geom) AS lon, ST_Y(t.geom) AS lat, t.location_precision AS "locationPrecision",
      false AS "soleTrader", t.street, t.postcode, t.city, NULL::text AS "registeredOn", NULL::bool AS "marketingOptOut",
      t.provider_type AS "providerType", t.synthetic`
  }
  const company = kind === 'company'
  // A sole trader's address is the person's home: street, postcode and postort (a village of one or two sole traders is
  // more precise than the kommun) are hidden like the exact point, which falls back to the public generalised one.
  const mask = (col: string) => `CASE WHEN t.sole_trader AND NOT ${personal} THEN NULL ELSE ${col} END`
  const pt = `CASE WHEN ${personal} AND t.geom IS NOT NULL THEN t.geom ELSE t.geom_public END`
  return `t.id, '${kind}' AS kind, ${mask('t.orgnr')} AS orgnr, t.name, ${company ? 't.legal_form' : 'NULL::text'} AS "legalForm",
    t.sni, t.sni_version AS "sniVersion", b.grp AS "group", b.category, t.kommun_code AS "kommunCode", t.lan_code AS "lanCode",
    t.employees, t.size_class AS "sizeClass", ST_X(${pt}) AS lon, ST_Y(${pt}) AS lat,
    CASE WHEN ${personal} AND t.geom IS NOT NULL THEN 'address' ELSE t.location_precision END AS "locationPrecision",
    t.sole_trader AS "soleTrader", ${mask('t.street')} AS street, ${mask('t.postcode')} AS postcode, ${mask('t.city')} AS city,
    ${company ? 't.registered_on::text' : 'NULL::text'} AS "registeredOn",
    ${company ? `CASE WHEN ${personal} THEN t.marketing_opt_out END` : 'NULL::bool'} AS "marketingOptOut", NULL::text AS "providerType", t.synthetic`
}

const SORT_SQL: Record<Exclude<SortKey, 'relevance'>, string> = {
  id: 't.id', name: 'lower(t.name)', employees: 'coalesce(t.employees_est, -1)', registered: "coalesce(t.registered_on, '0001-01-01'::date)",
}
/** The lower-cased name in byte order: one order on every server and locale, and the order of the name index. */
const NAME_KEY = 'lower(t.name) COLLATE "C"'
/**
 * Name search relevance: names that start with the text, then names with a word that starts with it, then the rest
 * (containing it, or similar for the typo-tolerant fallback); alphabetical within each. One text key ('0' || name …)
 * so the page can be cut with a keyset cursor, and the first tier is an ordered range of the name index.
 */
/**
 * Relevance of a typo-tolerant match: trigram word similarity, best first (a zero-padded text key, so the cursor stays
 * text as for the other tiers), then the name. pg_trgm is in both databases (the `<%` filter and the name index use it).
 */
const fuzzyRelevanceSql = (q: string) => `(to_char(1000 - round(word_similarity(${q}, lower(t.name)) * 1000), 'FM0000') || lower(t.name)) COLLATE "C"`
const relevanceSql = (q: string) => `((CASE WHEN lower(t.name) LIKE ${q} || '%' THEN '0' WHEN lower(t.name) LIKE '% ' || ${q} || '%' THEN '1' ELSE '2' END)
  || lower(t.name)) COLLATE "C"`

export function encodeCursor (v: unknown, id: number): string { return Buffer.from(JSON.stringify([v, id])).toString('base64url') }

const isText = (v: unknown) => typeof v === 'string' && !v.includes('\u0000')
/** A real date as either driver returns it: '2024-05-01' (pg parses dates as text) or a JSON Date '2024-05-01T00:00:00.000Z'. */
function isDate (v: unknown): boolean {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z)?$/.test(v)) return false
  const day = new Date(`${v.slice(0, 10)}T00:00:00Z`)
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === v.slice(0, 10) // not 2024-02-30
}
/**
 * What the sort value in a cursor must be for each sort key: the keyset condition casts it (CURSOR_CAST), so a value of
 * another type (a tampered cursor such as [["x"],1]) would fail in the database as a 500 instead of a 400 here.
 */
const CURSOR_VALUE: Record<SortKey, (v: unknown) => boolean> = {
  id: (v) => Number.isSafeInteger(v),
  employees: (v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e38, // real
  registered: isDate,
  name: isText,
  relevance: isText,
}

function decodeCursor (c: string, sort: SortKey): [unknown, number] {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'))
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[1]) && CURSOR_VALUE[sort](v[0])) return v as [unknown, number]
  } catch { /* fall through */ }
  throw badRequest('invalid cursor')
}

/**
 * FROM … WHERE … for a filter set; shared by list, count, export and tiles. The branch join (alias b: group and
 * category names) is only for output columns; the filters never need it (branch filters are a semi-join).
 */
export function fromWhere (f: ActorFilters, ps: Params, withBranch = true): string {
  const join = !hasBranch(f.kind) || !withBranch ? '' : branchJoin('t', ps.p(f.definition))
  return `FROM ${TABLE[f.kind]} t ${join} WHERE ${whereClause(f, ps)}`
}

export async function countActors (db: Pick<DbHandle, 'query'>, f: ActorFilters, cap?: number): Promise<number> {
  const ps = new Params()
  const sql = cap === undefined ? `SELECT count(*)::int AS n ${fromWhere(f, ps, false)}`
    : `SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere(f, ps, false)} LIMIT ${cap + 1}) x`
  const { rows } = await db.query<{ n: number }>(sql, ps.values)
  return rows[0].n
}

/**
 * A name search counts its matches exactly up to this many, then reports `totalExact: false` (as search engines do):
 * counting every "Johansson" in the register costs more than the page. /api/actors/count is always exact.
 */
export const SEARCH_COUNT_CAP = 1000

export function clean (r: ActorItem): ActorItem {
  if (r.orgnr === null) delete r.orgnr
  if (r.kind !== 'education') delete r.providerType
  if (r.kind !== 'curated') { delete r.type; delete r.subtype; delete r.website; delete r.published }
  if (r.marketingOptOut === null) delete r.marketingOptOut
  return r
}

type PageRow = ActorItem & { _sort: unknown }
interface PageKey { select: string; order: string; after?: string; where?: string }

/**
 * One page in two steps: the ids in order (narrow rows to sort), then the output columns for just those rows.
 * `key` gives the sort key (its value goes into the cursor), the ORDER BY expression and the keyset condition.
 */
async function pageRows (db: DbHandle, f: ActorFilters, o: ListOptions, key: (ps: Params) => PageKey): Promise<PageRow[]> {
  const ps = new Params()
  const personal = personalParam(ps, f.kind, o.role)
  const k = key(ps)
  const dir = o.desc ? 'DESC' : 'ASC'
  const extra = [k.where, k.after].filter(Boolean).map((c) => ` AND ${c}`).join('')
  const page = `SELECT t.id, t.ref_year, ${k.select} AS _sort ${fromWhere(f, ps, false)}${extra}
    ORDER BY ${k.order} ${dir}, t.id ${dir} LIMIT ${ps.p(o.limit + 1)}`
  const join = !hasBranch(f.kind) ? '' : branchJoin('t', ps.p(f.definition))
  const { rows } = await db.query<PageRow>(`SELECT ${selectList(f.kind, personal, { viewer: f.viewer, ps })}, k._sort FROM (${page}) k
    JOIN ${TABLE[f.kind]} t ON t.id = k.id AND t.ref_year = k.ref_year ${join} ORDER BY k._sort ${dir}, k.id ${dir}`, ps.values)
  return rows
}

const CURSOR_CAST: Record<SortKey, string> = { id: '::bigint', employees: '::real', registered: '::date', name: '::text', relevance: '::text' }

export async function listActors (db: DbHandle, f: ActorFilters, o: ListOptions):
Promise<{ items: ActorItem[]; total: number; totalExact: boolean; nextCursor: string | null }> {
  const sort: SortKey = o.sort === 'relevance' && !f.q ? 'id' : o.sort
  if (f.kind === 'curated' && (sort === 'employees' || sort === 'registered')) throw badRequest(`curated entries cannot be sorted by ${sort} (use id, name or relevance)`)
  const cursor = o.cursor ? decodeCursor(o.cursor, sort) : undefined
  const cmp = o.desc ? '<' : '>'
  // the count runs beside the page (a second pooled connection on PostgreSQL)
  const cap = f.q ? SEARCH_COUNT_CAP : undefined
  const counting = countActors(db, f, cap)
  counting.catch(() => {}) // awaited below; never an unhandled rejection if the page query fails first
  let rows: PageRow[] | undefined
  if (sort === 'relevance' && f.kind === 'company' && !o.desc && f.qMode !== 'fuzzy' && (!cursor || String(cursor[0]).startsWith('0'))) {
    // First tier alone, straight off the name index (companies have one); when it fills the page, nothing else needs
    // ranking. Elsewhere the trigram index finds the matches and they are ranked.
    const prefix = likeEscape(f.q!.toLowerCase()) + '%'
    rows = await pageRows(db, { ...f, q: undefined }, o, (ps) => ({
      select: `('0' || ${NAME_KEY}) COLLATE "C"`, order: NAME_KEY, where: `${NAME_KEY} LIKE ${ps.p(prefix)}`,
      after: cursor && `(${NAME_KEY}, t.id) > (substr(${ps.p(cursor[0])}::text, 2), ${ps.p(cursor[1])}::bigint)`,
    }))
    if (rows.length <= o.limit) rows = undefined
  }
  rows ??= await pageRows(db, f, o, (ps) => {
    const expr = sort !== 'relevance' ? SORT_SQL[sort]
      : f.qMode === 'fuzzy' ? fuzzyRelevanceSql(ps.p(f.q!.toLowerCase())) : relevanceSql(ps.p(likeEscape(f.q!.toLowerCase())))
    return { select: expr, order: expr, after: cursor && `(${expr}, t.id) ${cmp} (${ps.p(cursor[0])}${CURSOR_CAST[sort]}, ${ps.p(cursor[1])}::bigint)` }
  })
  const total = await counting
  const more = rows.length > o.limit
  const items = rows.slice(0, o.limit)
  const last = items[items.length - 1]
  const nextCursor = more && last ? encodeCursor(last._sort, last.id) : null
  for (const r of items) delete (r as { _sort?: unknown })._sort
  return { items: items.map(clean), total: Math.min(total, cap ?? Infinity), totalExact: cap === undefined || total <= cap, nextCursor }
}

/** The list with name search: exact substring matches first; only when there are none, typo-tolerant matches. */
export async function searchActors (db: DbHandle, f: ActorFilters, o: ListOptions) {
  if (!f.q || f.qMode) return { ...(await listActors(db, f, o)), match: f.q ? f.qMode! : null }
  const contains = await listActors(db, { ...f, qMode: 'contains' }, o)
  if (contains.total > 0 || o.cursor) return { ...contains, match: 'contains' as const }
  return { ...(await listActors(db, { ...f, qMode: 'fuzzy' }, o)), match: 'fuzzy' as const }
}

export async function getActor (db: DbHandle, kind: ActorKind, id: number, role: Role, definition: string) {
  const ps = new Params()
  const personal = personalParam(ps, kind, role)
  const join = kind === 'education' ? '' : branchJoin('t', ps.p(definition))
  const extra = kind === 'company'
    ? `, CASE WHEN t.sole_trader AND NOT ${personal} THEN NULL ELSE t.turnover END AS turnover,
       CASE WHEN t.sole_trader AND NOT ${personal} THEN NULL ELSE t.value_added END AS "valueAdded",
       t.deregistered_on::text AS "deregisteredOn", t.active, t.description, t.liquidation, t.placement, t.ref_year AS "refYear",
       t.source, t.batch_id AS "batchId", b.group_name AS "groupName", b.category_name AS "categoryName", lf.title_sv AS "legalFormName"`
    : kind === 'workplace'
      ? `, t.workplace_id AS "workplaceId", CASE WHEN t.sole_trader AND NOT ${personal} THEN NULL ELSE t.orgnr END AS "ownerOrgnr",
         t.active, t.placement, t.ref_year AS "refYear", t.source, t.batch_id AS "batchId", b.group_name AS "groupName", b.category_name AS "categoryName"`
      : ', t.provider_type AS "providerType", t.url, t.ref_year AS "refYear", t.source, t.batch_id AS "batchId"'
  const lfJoin = kind === 'company' ? 'LEFT JOIN legal_form lf ON lf.code = t.legal_form' : ''
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${selectList(kind, personal)}${extra} FROM ${TABLE[kind]} t ${join} ${lfJoin} WHERE t.id = ${ps.p(id)}`, ps.values)
  const a = rows[0]
  if (!a) throw notFound(`no ${kind} ${id}`)
  clean(a as unknown as ActorItem)
  for (const k of ['ownerOrgnr', 'turnover', 'valueAdded']) if (a[k] === null && a.soleTrader) delete a[k]
  if (kind !== 'education') {
    a.sniCodes = (await db.query(`SELECT u.code, u.rank::int, n.title_sv AS title FROM unnest($1::text[]) WITH ORDINALITY u(code, rank)
      LEFT JOIN sni n ON n.version = $2 AND n.code = u.code ORDER BY u.rank`, [a.sni, a.sniVersion])).rows
  }
  if (kind === 'company') {
    a.workplaces = (await db.query(`SELECT w.id, w.workplace_id AS "workplaceId", w.name, w.kommun_code AS "kommunCode", w.employees,
        w.sni1 AS sni, ST_X(CASE WHEN $3 THEN coalesce(w.geom, w.geom_public) ELSE w.geom_public END) AS lon,
        ST_Y(CASE WHEN $3 THEN coalesce(w.geom, w.geom_public) ELSE w.geom_public END) AS lat
      FROM workplace w WHERE w.orgnr = $1 AND w.ref_year = $2 ORDER BY w.workplace_id`,
    [(await db.query<{ orgnr: string }>('SELECT orgnr FROM company WHERE id = $1', [id])).rows[0].orgnr, a.refYear, seesPersonalData(role)])).rows
    a.years = (await db.query(`SELECT c2.ref_year AS year, c2.id, c2.employees, c2.sni1 AS sni FROM company c1 JOIN company c2 ON c2.orgnr = c1.orgnr
      WHERE c1.id = $1 ORDER BY c2.ref_year`, [id])).rows
  }
  if (kind === 'education') {
    a.programmes = (await db.query(`SELECT pr.name, pr.sun_code AS "sunCode", s.title_sv AS "sunTitle", pr.places, pr.start_year AS "startYear"
      FROM education_programme pr LEFT JOIN sun_field s ON s.code = pr.sun_code WHERE pr.provider_id = $1 ORDER BY pr.id`, [id])).rows
  }
  if (a.batchId) {
    a.importBatch = (await db.query(`SELECT id, format, source, file_name AS "fileName", finished_at::text AS "importedAt", synthetic
      FROM import_batch WHERE id = $1`, [a.batchId])).rows[0] ?? null
  }
  return a
}

/**
 * All matching actors in pages of short keyset queries (id order), in constant memory on both drivers. No connection or
 * transaction is held between pages: the caller writes a page to a client that may be slow before asking for the next,
 * and a slow client must not block the single embedded connection or fill the pool. Every row comes once (ids are
 * unique and increasing); the caller checks that no import committed in between (see actors/export.ts exportActors).
 * `excludeOptedOut` drops companies with marketing opt-out (reklamspärr) for the roles that export for outreach.
 */
export async function * streamActors (db: Pick<DbHandle, 'query'>, f: ActorFilters, role: Role,
  opts: { excludeOptedOut: boolean; pageSize?: number }): AsyncGenerator<ActorItem[]> {
  const size = opts.pageSize ?? 2000
  let after = 0
  for (;;) {
    const ps = new Params()
    const personal = personalParam(ps, f.kind, role)
    // the page's ids first (an ordered range of the primary key), then the output columns and branch for those rows only
    let ids = `SELECT t.id, t.ref_year ${fromWhere(f, ps, false)} AND t.id > ${ps.p(after)}::bigint`
    if (opts.excludeOptedOut && f.kind === 'company') ids += ' AND t.marketing_opt_out IS NOT TRUE'
    const join = !hasBranch(f.kind) ? '' : branchJoin('t', ps.p(f.definition))
    const { rows } = await db.query<ActorItem>(`SELECT ${selectList(f.kind, personal, { viewer: f.viewer, ps })} FROM (${ids} ORDER BY t.id LIMIT ${size}) k
      JOIN ${TABLE[f.kind]} t ON t.id = k.id AND t.ref_year = k.ref_year ${join} ORDER BY t.id`, ps.values)
    if (!rows.length) return
    after = rows[rows.length - 1].id
    yield rows.map(clean)
    if (rows.length < size) return
  }
}
