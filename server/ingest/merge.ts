// Set-based merge of a staged file into the register, inside the import transaction.
// Snapshot rule: one (source, reference year) is one snapshot. Rows are upserted on (ref_year, key); rows of the same
// snapshot that the new file no longer has are removed. Unchanged rows are not written at all, so a re-import changes nothing.
import type { Tx } from '../db/client.js'
import { publicPointSql, soleTraderSql } from './sole-trader.js'
import { insertEntry } from '../curated/entries.js'
import { COMPANY_CELL_INPUTS, companyCellKey } from '../keyfigures/cells.js'
import type { CuratedFields } from '../curated/validate.js'
import { buildPendingYear, pendingYearTable, publishPendingYear, type PendingYear } from './pending-year.js'

export interface MergeCounts {
  imported: number; updated: number; unchanged: number; removed: number; unplaced: number; duplicates: number
  /** applications kept that are not programmes (not granted), for formats that publish decisions (MYH) */
  notGranted?: number
  /** companies: a table of the key-figure cells the merge changed (when it knows them all); without it, all are rebuilt */
  touchedCells?: string
  /** companies, a new year built in chunks: a table of all its key-figure cells, ready to be copied in (replaceCompanyCells) */
  cells?: string
}
export interface MergeParams {
  batchId: number; file: string; year: number; source: string; synthetic: boolean; createdBy?: string
  /** companies: a refresh left lines out (refresh.ts): `rest` holds the orgnr of the year's other rows, `count` and
   * `unplaced` count the rows left out, `version` is the data version the match was made at */
  skipped?: { rest: string; count: number; unplaced: number; version: string | null }
  /** companies: staging saw no key twice (the duplicates check is skipped) */
  unique?: boolean
}

/** Rejects the 2nd+ occurrence of a key within the file (the first is kept), reporting the first line. */
async function rejectDuplicates (tx: Tx, table: string, keyExpr: string, column: string, p: MergeParams): Promise<number> {
  await findDuplicates(tx, table, keyExpr)
  return recordDuplicates(tx, column, p)
}

/**
 * The first half of rejectDuplicates, which writes nothing anyone reads (it may run before the import's transaction):
 * the 2nd+ occurrences of a key leave the staging table and wait in dup_lines for recordDuplicates.
 */
async function findDuplicates (q: Tx, table: string, keyExpr: string): Promise<void> {
  // a hash aggregate finds the (rare) duplicated keys; only their rows are then looked at again
  await q.query(`CREATE TEMP TABLE dup_lines AS
    WITH keys AS (SELECT ${keyExpr} AS key, min(line) AS first FROM ${table} GROUP BY 1 HAVING count(*) > 1)
    SELECT s.line, k.key, k.first FROM ${table} s JOIN keys k ON k.key = ${keyExpr.replace(/\b(provider|kommun_code|programme|sun_code|orgnr|workplace_id|protection_no)\b/g, 's.$1')}
    WHERE s.line > k.first`)
  await q.query(`DELETE FROM ${table} s USING dup_lines d WHERE s.line = d.line`)
}

/** The rows findDuplicates took out, as rejected rows of the batch (in the import's transaction). */
async function recordDuplicates (tx: Tx, column: string, p: MergeParams): Promise<number> {
  const { rowCount } = await tx.query(`INSERT INTO import_error (batch_id, file, line, "column", value, reason)
    SELECT $1, $2, line, $3, key, 'duplicate ' || $3 || ' in the file (first at line ' || first || '); the first row was kept' FROM dup_lines`,
  [p.batchId, p.file, column])
  await tx.query('DROP TABLE dup_lines')
  return rowCount
}

/** The staged row's exact point, and the public point and precision that follow from it (see sole-trader.ts). */
const POINT = 'CASE WHEN s.lon IS NOT NULL AND s.lat IS NOT NULL THEN ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) END'
// education providers are organisations: never a sole trader
const EDU_PUBLIC = publicPointSql(POINT, 'false', { code: 'k.code', point: 'k.point' }, 's.location_precision')
const PUBLIC = publicPointSql('x.pt', 'x.sole', { code: 'k.code', point: 'k.point' }, 's.location_precision')

const count = async (tx: Tx, sql: string, params: unknown[] = []) => Number((await tx.query<{ n: number }>(sql, params)).rows[0].n)

/** The columns of a company row that its sources supply (source, sources, sni1 and batch_id follow from them). */
const COMPANY_COLS = ['name', 'legal_form', 'sole_trader', 'sni_version', 'sni', 'kommun_code', 'lan_code',
  'placement', 'street', 'postcode', 'city', 'geom', 'geom_public', 'location_precision', 'employees', 'size_class',
  'employees_est', 'turnover', 'value_added', 'registered_on', 'deregistered_on', 'active', 'marketing_opt_out', 'synthetic',
  'description', 'liquidation', 'co_address']

/**
 * Sources own their fields. A row imported from one source alone is that source's: a re-import rewrites it whole.
 * Once several company sources supplied it (`sources`), a source never overwrites what another supplied: the
 * higher-ranked source's value stands where it has one, the other's fills the gaps, whichever is imported last, so
 * re-importing an unchanged file of either changes nothing. SCB's register API (AFR, with seat kommun and size class)
 * ranks above SCB's bulk file (placed by postcode only), a user's own files below both, and Bolagsverket's companies
 * (no branch, known only to Bolagsverket) lowest. Bolagsverket's own facts live in company_registration (see
 * mergeEnrichment) and are taken into every row whatever its source: the deregistration date, the ongoing proceedings
 * and the business description.
 */
export const sourceRankSql = (src: string) =>
  `(CASE ${src} WHEN 'scb-api' THEN 3 WHEN 'scb-bulk' THEN 2 WHEN '${BOLAGSVERKET}' THEN 0 ELSE 1 END)`
export const BOLAGSVERKET = 'bolagsverket'
// (Bolagsverket's name in `sources` does not make a row shared: its facts come from company_registration whoever owns the row)
const own = (c: string) => `coalesce(${c}.sources, ARRAY[${c}.source]) <@ ARRAY[$3::text, '${BOLAGSVERKET}']`
const top = (c: string) => `${sourceRankSql('$3::text')} >= ${sourceRankSql(`${c}.source`)}`
/** the value a column takes on conflict (c = the stored row, x = this import's: `excluded` in the upsert) */
function mergedValue (col: string, c = 'c', x = 'excluded'): string {
  const OWN = own(c); const TOP = top(c)
  if (col === 'sni') {
    return `CASE WHEN ${OWN} THEN ${x}.sni WHEN ${TOP} THEN coalesce(nullif(${x}.sni, '{}'), ${c}.sni) ELSE coalesce(nullif(${c}.sni, '{}'), ${x}.sni) END`
  }
  if (col === 'sni_version') {
    // the version of whichever codes were kept
    return `CASE WHEN ${OWN} THEN ${x}.sni_version WHEN ${TOP} THEN CASE WHEN ${x}.sni <> '{}' OR ${c}.sni = '{}' THEN ${x}.sni_version ELSE ${c}.sni_version END
      ELSE CASE WHEN ${c}.sni <> '{}' OR ${x}.sni = '{}' THEN ${c}.sni_version ELSE ${x}.sni_version END END`
  }
  return `CASE WHEN ${OWN} THEN ${x}.${col} WHEN ${TOP} THEN coalesce(${x}.${col}, ${c}.${col}) ELSE coalesce(${c}.${col}, ${x}.${col}) END`
}
/** the company sources other than `src` (and Bolagsverket) that supplied the row c */
const otherSources = (c: string, src: string) => `array_remove(array_remove(coalesce(${c}.sources, ARRAY[${c}.source]), ${src}::text), '${BOLAGSVERKET}')`
const supplied = (c: string, src: string) => `${src}::text = ANY(coalesce(${c}.sources, ARRAY[${c}.source]))`
/**
 * A company row made Bolagsverket's own again, from its registration `r` (the same values as mergeEnrichment's own
 * companies: no branch, never active). Its kommun is left to Bolagsverket's next import, which places it by its
 * postcode: the row is in no key figure, active list or tile meanwhile.
 */
const BOLAGSVERKET_OWN_SET = `source = '${BOLAGSVERKET}', sources = NULL, name = r.name, legal_form = NULL, sni_version = '2025', sni = '{}',
  sni1 = NULL, kommun_code = NULL, lan_code = NULL, placement = NULL, street = r.street, postcode = r.postcode, city = r.city,
  co_address = r.co_address, geom = NULL, geom_public = NULL, location_precision = NULL, employees = NULL, size_class = NULL,
  employees_est = NULL, turnover = NULL, value_added = NULL, registered_on = r.registered_on, deregistered_on = r.deregistered_on,
  active = false, marketing_opt_out = NULL, description = r.description, liquidation = r.proceedings, source_fp = NULL`
const mergedSource = (c = 'c') => `CASE WHEN ${top(c)} THEN $3::text ELSE ${c}.source END`
const mergedSources = (c = 'c') => `CASE WHEN ${own(c)} THEN ${c}.sources WHEN $3::text = ANY(coalesce(${c}.sources, ARRAY[${c}.source])) THEN ${c}.sources
  ELSE coalesce(${c}.sources, ARRAY[${c}.source]) || $3::text END`
/** true when the upsert would change the stored row c with this import's row x (the one test for the prefilter and the upsert) */
const companyChanged = (c = 'c', x = 'excluded') => `(${COMPANY_COLS.map((k) => `${c}.${k}`).join(', ')}, ${c}.source, ${c}.sources)
    IS DISTINCT FROM (${COMPANY_COLS.map((k) => mergedValue(k, c, x)).join(', ')}, ${mergedSource(c)}, ${mergedSources(c)})`

/** The company columns kept in the change log (company_change): what the actor predicate and the list item read. */
const CHANGE_COLS = ['id', 'ref_year', 'orgnr', 'batch_id', 'source', 'name', 'legal_form', 'sole_trader', 'sni_version', 'sni', 'sni1',
  'kommun_code', 'lan_code', 'placement', 'street', 'co_address', 'postcode', 'city', 'geom', 'geom_public', 'location_precision', 'employees',
  'size_class', 'employees_est', 'registered_on', 'deregistered_on', 'active', 'marketing_opt_out', 'synthetic']

/**
 * INSERT of the before images of the rows a data-modifying CTE `cte` (RETURNING orgnr) wrote in year `year`: the join
 * reads company in the statement's snapshot, i.e. before the write; no row there means the write inserted it.
 */
const logBefore = (cte: string, batch: string, year: string) => `INSERT INTO company_change (change_batch_id, existed, ${CHANGE_COLS.join(', ')})
  SELECT ${batch}::int, o.orgnr IS NOT NULL, ${CHANGE_COLS.map((c) => c === 'orgnr' ? `${cte}.orgnr` : c === 'ref_year' ? `${year}::int` : `o.${c}`).join(', ')}
  FROM ${cte} LEFT JOIN company o ON o.ref_year = ${year}::int AND o.orgnr = ${cte}.orgnr`

const timing = process.env.KKB_IMPORT_TIMING === '1'
let t0 = 0
const lap = (name: string) => { if (timing) { const n = Date.now(); if (t0) process.stderr.write(`[merge] ${name}: ${n - t0} ms\n`); t0 = n } }

/**
 * A new year's companies prepared before the import's transaction (prepareCompanies), for mergeCompanies to publish:
 * the duplicates taken out of the staging table (their rejections wait in dup_lines), the counts, and the year's rows
 * built beside the register (pending-year.ts).
 */
export interface CompanyPlan {
  staged: number
  unplaced: number
  pending: PendingYear
}

export interface PrepareOptions {
  /** the year's rows in chunks of about this many rows, each its own statement (see pending-year.ts) */
  chunkRows?: number
  /** called between chunks (a cancellation check) */
  between?: () => void
}

/**
 * The invisible part of a new year's company merge: on the embedded database the import runs it before its
 * transaction, statement by statement, so public reads are answered in between (one session for everyone). Undefined
 * when the year is already there (a refresh merges in its transaction). What it found holds until the transaction:
 * imports run one at a time there (DbHandle.session).
 */
export async function prepareCompanies (q: Tx, p: MergeParams, o: PrepareOptions = {}): Promise<CompanyPlan | undefined> {
  if (await yearExists(q, p.year)) return undefined
  if (!p.unique) await findDuplicates(q, 'stage_company', 'orgnr')
  lap('duplicates')
  const { staged, unplaced } = await stagedCounts(q)
  const pending = await buildNewYear(q, p, o)
  lap('new year\'s rows, indexes and cells beside the register')
  return { staged, unplaced, pending }
}

const yearExists = async (q: Tx, year: number) =>
  (await q.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`company_y${Math.trunc(year)}`])).rows[0].exists

const stagedCounts = async (q: Tx) => (await q.query<{ staged: number; unplaced: number }>(`SELECT count(*)::int AS staged,
    count(*) FILTER (WHERE k.code IS NULL)::int AS unplaced FROM stage_company s LEFT JOIN kommun k ON k.code = s.kommun_code`)).rows[0]

/**
 * A year not yet in the register: its rows go into a table of their own, attached as the year's partition by the
 * import's transaction; other years stay readable throughout.
 * Rows are written in (kommun, branch) order: a region's or a branch-in-region's firms then sit on few adjacent
 * pages, so filtered lists and counts read a fraction of the heap (the register is read far more than written).
 * One sort key in byte order (COLLATE "C"): the codes are digits, so it groups them as three keys in the locale's
 * order would, at half the cost of the sort (abbreviated keys, one memcmp per tie; unplaced rows come last).
 */
const buildNewYear = (q: Tx, p: MergeParams, o: PrepareOptions = {}) => buildPendingYear(q, {
  table: pendingYearTable(p.batchId), year: p.year, columns: COMPANY_INSERT_COLS, select: COMPANY_SELECT,
  params: [p.year, p.batchId, p.source, p.synthetic], orderBy: `(k.code || '|' || s.sni_version || '|' || coalesce(s.sni[1], '')) COLLATE "C"`,
  chunkRows: o.chunkRows, between: o.between,
})

const COMPANY_INSERT_COLS = `ref_year, orgnr, batch_id, source, sni1, ${COMPANY_COLS.join(', ')}, source_fp`
/** A company row of each staged row ($1 year, $2 batch, $3 source, $4 synthetic). Bolagsverket's facts
 * (company_registration) are taken into every row: a deregistration makes it inactive. */
const COMPANY_SELECT = `SELECT $1::int, s.orgnr, $2::int, $3::text, s.sni[1], s.name, s.legal_form, x.sole, s.sni_version, s.sni, k.code, k.lan_code,
        CASE WHEN k.code IS NOT NULL THEN s.placement END, s.street, s.postcode, s.city,
        x.pt, ${PUBLIC.point}, ${PUBLIC.precision},
        s.employees, sc.code, coalesce(s.employees::real, sc.estimate), s.turnover, s.value_added,
        coalesce(s.registered_on, r.registered_on), coalesce(r.deregistered_on, s.deregistered_on), s.active AND r.deregistered_on IS NULL,
        s.marketing_opt_out, $4::boolean,
        CASE WHEN r.orgnr IS NOT NULL THEN r.description ELSE s.description END,
        CASE WHEN r.orgnr IS NOT NULL THEN r.proceedings ELSE s.liquidation END, coalesce(s.co_address, r.co_address), s.fp
      FROM stage_company s
      LEFT JOIN company_registration r ON r.ref_year = $1 AND r.orgnr = s.orgnr
      LEFT JOIN kommun k ON k.code = s.kommun_code
      LEFT JOIN legal_form lf ON lf.code = s.legal_form
      LEFT JOIN size_class sc ON sc.code = s.size_class
      CROSS JOIN LATERAL (SELECT ${soleTraderSql('s.orgnr', 'lf.natural_person')} AS sole, ${POINT} AS pt) x`

/** The merge of the staged companies, in the import's transaction (`plan`: a new year prepareCompanies built before it). */
export async function mergeCompanies (tx: Tx, p: MergeParams, plan?: CompanyPlan): Promise<MergeCounts> {
  lap('')
  if (plan) {
    const duplicates = p.unique ? 0 : await recordDuplicates(tx, 'orgnr', p)
    await publishPendingYear(tx, plan.pending)
    lap('attach partition')
    return { imported: plan.pending.rows, updated: 0, unchanged: plan.staged - plan.pending.rows, removed: 0, unplaced: plan.unplaced, duplicates,
      cells: plan.pending.cells }
  }
  // the hash aggregates and joins over a register-scale file stay in memory instead of spilling in batches to disk
  await tx.query("SET LOCAL work_mem = '256MB'")
  const duplicates = p.unique ? 0 : await rejectDuplicates(tx, 'stage_company', 'orgnr', 'orgnr', p)
  lap('duplicates')
  const partition = `company_y${Math.trunc(p.year)}`
  const columns = COMPANY_INSERT_COLS
  const select = COMPANY_SELECT
  const params = [p.year, p.batchId, p.source, p.synthetic]
  const { staged, unplaced } = await stagedCounts(tx)
  if (!await yearExists(tx, p.year)) {
    // (here in one statement, the indexes built in bulk when the table is attached)
    const pending = await buildNewYear(tx, p)
    lap('bulk insert into a new partition')
    await publishPendingYear(tx, pending)
    lap('attach partition (bulk index build)')
    return { imported: pending.rows, updated: 0, unchanged: staged - pending.rows, removed: 0, unplaced, duplicates }
  }
  // A refresh that left out the lines whose fingerprint is their stored row's (refresh.ts): only the year's other rows
  // (REST_KEYS, found by the refresh's one join of the file's keys with the year) are compared below; the left-out ones
  // are neither changed nor gone. That match holds if no other import committed since it was made: the data version is
  // the same, and is held (locked) until this transaction ends.
  let yearRows = 'SELECT * FROM company WHERE ref_year = $1'
  let skipped = 0; let skippedUnplaced = 0
  if (p.skipped) {
    const { rows: v } = await tx.query<{ value: string }>("SELECT value FROM meta WHERE key = 'data_version' FOR UPDATE")
    if ((v[0]?.value ?? null) !== p.skipped.version) {
      throw new Error('the register changed while the file was read (another import committed); nothing was changed, import the file again')
    }
    skipped = p.skipped.count; skippedUnplaced = p.skipped.unplaced
    yearRows = `SELECT c.* FROM company c JOIN ${p.skipped.rest} k ON k.orgnr = c.orgnr WHERE c.ref_year = $1`
  }
  // (statistics of the staged keys: the planner's choice for the joins with the year's rows below; only the key, the
  // other columns' statistics cost more than they tell)
  await tx.query('ANALYZE stage_company (orgnr)')
  lap('analyze staging')
  // The year exists. First, read-only, the rows that are new or would change (a hash join of the file with the year):
  // only those are written, so a refresh that changes 1 % of the rows writes (and locks, and logs) 1 % of them. The upsert
  // keeps its own test, the same one: the prefilter decides nothing the upsert would not.
  // A row this source alone supplied (most of them) takes the file's values whole: compared column by column, without
  // the per-column source ranking that companyChanged spells out for rows several sources supplied.
  // The same pass finds this source's rows the file no longer has (`gone`, to be removed): one join of the file with the
  // year, not a second one for the removal.
  await tx.query(`CREATE TEMP TABLE stage_write ON COMMIT DROP AS
    SELECT e.*, o.orgnr IS NOT NULL AS existed, CASE WHEN e.orgnr IS NULL THEN o.orgnr END AS gone
    FROM (${select}) AS e(${columns})
    FULL JOIN (${yearRows}) o ON o.orgnr = e.orgnr
    WHERE CASE WHEN e.orgnr IS NULL THEN CASE WHEN $3 = '${BOLAGSVERKET}' THEN o.source = $3 AND o.sources IS NULL ELSE ${supplied('o', '$3')} END
      WHEN o.orgnr IS NULL THEN true
      WHEN ${own('o')}
      THEN (${COMPANY_COLS.map((k) => `o.${k}`).join(', ')}, o.source) IS DISTINCT FROM (${COMPANY_COLS.map((k) => `e.${k}`).join(', ')}, ${mergedSource('o')})
      ELSE ${companyChanged('o', 'e')} END`, params)
  // (true row counts for the planner: the joins below look the few written rows up by index)
  await tx.query('ANALYZE stage_write')
  const inserted = await count(tx, 'SELECT count(*)::int AS n FROM stage_write WHERE NOT existed AND gone IS NULL')
  lap('rows to write')
  // The name-search GIN index takes new entries into its pending list; a large list is merged in bulk at the end
  // (gin_clean_pending_list below), much cheaper than many small merges during a register-scale upsert.
  await tx.query("SET LOCAL gin_pending_list_limit = '1GB'")
  const set = COMPANY_COLS.map((c) => `${c} = ${mergedValue(c)}`).join(', ')
  // The key-figure cells the writes change (kf_touch, see refreshCompanyCells): a written row's cell before and after,
  // when what it contributes to a cell changed (a renamed firm changes none).
  await tx.query('CREATE TEMP TABLE kf_touch (kommun_code text, sni_version text, sni_code text) ON COMMIT DROP')
  const inputs = (t: string) => `(${COMPANY_CELL_INPUTS.map((c) => `${t}.${c}`).join(', ')})`
  // The change log (company_change, see db/schema/promoter.ts) gets the BEFORE image of every row written: every
  // statement of a WITH sees the same snapshot, so the joins below read the rows as they were before the upsert.
  const affected = await count(tx, `
      WITH up AS (
        INSERT INTO company AS c (${columns}) SELECT ${columns} FROM stage_write WHERE gone IS NULL
        ON CONFLICT (ref_year, orgnr) DO UPDATE SET ${set}, sni1 = (${mergedValue('sni')})[1], source = ${mergedSource()},
          sources = ${mergedSources()}, batch_id = excluded.batch_id, source_fp = excluded.source_fp
        WHERE ${companyChanged()}
        RETURNING c.*),
      logged AS (${logBefore('up', '$2', '$1')}),
      touched AS (INSERT INTO kf_touch
        SELECT ${companyCellKey('up')} FROM up LEFT JOIN company o ON o.ref_year = $1 AND o.orgnr = up.orgnr
          WHERE o.orgnr IS NULL OR ${inputs('o')} IS DISTINCT FROM ${inputs('up')}
        UNION ALL
        SELECT ${companyCellKey('o')} FROM up JOIN company o ON o.ref_year = $1 AND o.orgnr = up.orgnr
          WHERE ${inputs('o')} IS DISTINCT FROM ${inputs('up')})
      SELECT count(*)::int AS n FROM up`, [p.year, p.batchId, p.source])
  lap('upsert')
  // a row read again but not written (its line changed in nothing the row holds, or its fingerprint was cleared) takes its
  // line's fingerprint, so the next refresh leaves that line out (a row of this source alone only: see refresh.ts)
  await tx.query(`UPDATE company c SET source_fp = s.fp FROM stage_company s WHERE c.ref_year = $1 AND c.orgnr = s.orgnr
    AND c.source = $2 AND c.sources IS NULL AND s.fp IS NOT NULL AND c.source_fp IS DISTINCT FROM s.fp`, [p.year, p.source])
  // A row this file no longer has, that this source supplied:
  // - another company source supplied it too: it stays, theirs now (what they supplied is not this file's to remove;
  //   their next import rewrites it whole);
  // - else, Bolagsverket has it (company_registration): it becomes Bolagsverket's own company again, as if Bolagsverket's
  //   file had been imported without this source's (whichever of the two came first);
  // - else it is removed.
  // (a row handed over loses its fingerprint: it holds values of this source, which the other's next import rewrites)
  const handedOver = await count(tx, `WITH left_ AS (UPDATE company c SET batch_id = $3, source_fp = NULL,
        source = (SELECT x FROM unnest(${otherSources('c', '$1')}) x ORDER BY ${sourceRankSql('x')} DESC, x LIMIT 1),
        sources = CASE WHEN cardinality(${otherSources('c', '$1')}) > 1 THEN ${otherSources('c', '$1')} END
      FROM stage_write w
      WHERE w.gone IS NOT NULL AND c.ref_year = $2 AND c.orgnr = w.gone AND ${supplied('c', '$1')} AND cardinality(${otherSources('c', '$1')}) > 0
      RETURNING c.*),
    logged AS (${logBefore('left_', '$3', '$2')})
    SELECT count(*)::int AS n FROM left_`, [p.source, p.year, p.batchId])
  const returned = await count(tx, `WITH back AS (UPDATE company c SET ${BOLAGSVERKET_OWN_SET}, batch_id = $3
      FROM stage_write w JOIN company_registration r ON r.ref_year = $2 AND r.orgnr = w.gone
      WHERE w.gone IS NOT NULL AND c.ref_year = $2 AND c.orgnr = w.gone AND ${supplied('c', '$1')} AND cardinality(${otherSources('c', '$1')}) = 0
        AND r.name IS NOT NULL RETURNING c.*),
    logged AS (${logBefore('back', '$3', '$2')}),
    touched AS (INSERT INTO kf_touch SELECT ${companyCellKey('o')} FROM back JOIN company o ON o.ref_year = $2 AND o.orgnr = back.orgnr
      UNION ALL SELECT ${companyCellKey('back')} FROM back)
    SELECT count(*)::int AS n FROM back`, [p.source, p.year, p.batchId])
  const removed = await count(tx, `WITH gone AS (DELETE FROM company c USING stage_write w
      WHERE w.gone IS NOT NULL AND c.ref_year = $2 AND c.orgnr = w.gone AND ${supplied('c', '$1')} AND cardinality(${otherSources('c', '$1')}) = 0
        AND NOT EXISTS (SELECT 1 FROM company_registration r WHERE r.ref_year = $2 AND r.orgnr = c.orgnr AND r.name IS NOT NULL)
      RETURNING c.*),
    logged AS (INSERT INTO company_change (change_batch_id, existed, ${CHANGE_COLS.join(', ')})
      SELECT $3, true, ${CHANGE_COLS.map((c) => `gone.${c}`).join(', ')} FROM gone),
    touched AS (INSERT INTO kf_touch SELECT ${companyCellKey('gone')} FROM gone)
    SELECT count(*)::int AS n FROM gone`, [p.source, p.year, p.batchId])
  await tx.query(`SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam WHERE i.indrelid = $1::regclass AND am.amname = 'gin'`, [partition])
  lap('remove + name index')
  const existing = staged - inserted
  return { imported: inserted, updated: affected - inserted, unchanged: existing - (affected - inserted) + skipped,
    removed: removed + returned + handedOver, unplaced: unplaced + skippedUnplaced, duplicates,
    touchedCells: 'kf_touch' }
}

/** Drops company partitions left empty (after the demo data is removed), so the next import of that year is a bulk load. */
export async function dropEmptyCompanyPartitions (tx: Tx): Promise<void> {
  const { rows } = await tx.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'company'::regclass`)
  for (const { name } of rows) {
    if (!/^company_y\d{4}$/.test(name)) continue
    const { rows: any } = await tx.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${name}) AS any`)
    if (!any[0].any) await tx.query(`DROP TABLE ${name}`)
  }
}

const WORKPLACE_COLS = ['orgnr', 'source', 'name', 'sole_trader', 'sni_version', 'sni', 'sni1', 'kommun_code', 'lan_code', 'placement',
  'street', 'postcode', 'city', 'geom', 'geom_public', 'location_precision', 'employees', 'size_class', 'employees_est', 'active', 'synthetic']

export async function mergeWorkplaces (tx: Tx, p: MergeParams): Promise<MergeCounts> {
  const duplicates = await rejectDuplicates(tx, 'stage_workplace', 'workplace_id', 'workplace_id', p)
  await tx.query('ANALYZE stage_workplace')
  const before = await count(tx, 'SELECT count(*)::int AS n FROM workplace WHERE source = $1 AND ref_year = $2', [p.source, p.year])
  const set = WORKPLACE_COLS.map((c) => `${c} = excluded.${c}`).join(', ')
  const { rows } = await tx.query<{ inserted: number; updated: number }>(`
    WITH up AS (
      INSERT INTO workplace AS w (ref_year, workplace_id, batch_id, ${WORKPLACE_COLS.join(', ')})
      SELECT $1, s.workplace_id, $2, s.orgnr, $3, s.name, x.sole, s.sni_version, s.sni, s.sni[1], k.code, k.lan_code,
        CASE WHEN k.code IS NOT NULL THEN s.placement END, s.street, s.postcode, s.city,
        x.pt, ${PUBLIC.point}, ${PUBLIC.precision},
        s.employees, sc.code, coalesce(s.employees::real, sc.estimate), s.active, $4
      FROM stage_workplace s
      LEFT JOIN kommun k ON k.code = s.kommun_code
      LEFT JOIN size_class sc ON sc.code = s.size_class
      -- a workplace of a sole trader (the owner's orgnr is a personal identity number) is personal data too
      CROSS JOIN LATERAL (SELECT ${soleTraderSql('s.orgnr')} AS sole, ${POINT} AS pt) x
      ON CONFLICT (ref_year, workplace_id) DO UPDATE SET ${set}, batch_id = excluded.batch_id
      WHERE (${WORKPLACE_COLS.map((c) => `w.${c}`).join(', ')}) IS DISTINCT FROM (${WORKPLACE_COLS.map((c) => `excluded.${c}`).join(', ')})
      RETURNING (xmax = 0) AS ins)
    SELECT count(*) FILTER (WHERE ins)::int AS inserted, count(*) FILTER (WHERE NOT ins)::int AS updated FROM up`,
  [p.year, p.batchId, p.source, p.synthetic])
  const staged = await count(tx, 'SELECT count(*)::int AS n FROM stage_workplace')
  const unplaced = await count(tx, 'SELECT count(*)::int AS n FROM stage_workplace s WHERE NOT EXISTS (SELECT 1 FROM kommun k WHERE k.code = s.kommun_code)')
  const { inserted, updated } = rows[0]
  // Nothing of this snapshot existed before: nothing to remove. Otherwise fresh statistics first, so the planner sees the
  // rows just written and picks a hash anti-join (stale ones gave a nested loop: minutes at register scale).
  if (before > 0 && inserted + updated > 10_000) await tx.query('ANALYZE workplace')
  const removed = before === 0 ? 0 : (await tx.query(`DELETE FROM workplace w WHERE w.source = $1 AND w.ref_year = $2
    AND NOT EXISTS (SELECT 1 FROM stage_workplace s WHERE s.workplace_id = w.workplace_id)`, [p.source, p.year])).rowCount
  return { imported: inserted, updated, unchanged: staged - inserted - updated, removed, unplaced, duplicates }
}

const REG_COLS = ['name', 'names', 'legal_form_text', 'registered_on', 'deregistered_on', 'deregistration_reason', 'proceedings',
  'description', 'street', 'co_address', 'postcode', 'city', 'country']

/**
 * Bolagsverket's bulk file: one row per organisation and name-protection number. Its facts per organisation go into
 * company_registration (Bolagsverket's alone), every name into company_name, the ongoing proceedings into
 * company_event; the companies of the year from other sources take its deregistration date, proceedings and
 * description (never their names or SNI: those are SCB's). An organisation no other source has is kept as a company
 * of this source, without a branch and never active: the file holds ≈1.8 M historic registrations, not KKB actors.
 * Counts are per file row: imported = its organisation is new in the registrations, updated = its registration changed.
 */
export async function mergeEnrichment (tx: Tx, p: MergeParams): Promise<MergeCounts> {
  const duplicates = await rejectDuplicates(tx, 'stage_enrichment', "orgnr || '/' || coalesce(protection_no::text, '')", 'namnskyddslopnummer', p)
  await tx.query('ANALYZE stage_enrichment')
  // One registration per organisation: a registration still in force (any row without a deregistration date) is, and
  // its firm name is the name; the names of all its rows are kept.
  await tx.query(`CREATE TEMP TABLE stage_reg ON COMMIT DROP AS
    WITH agg AS (
      SELECT e.orgnr, bool_or(e.deregistered_on IS NULL) AS in_force, max(e.deregistered_on) AS last_dereg,
        jsonb_agg(n.x || jsonb_build_object('protectionNo', e.protection_no) ORDER BY e.protection_no NULLS FIRST, e.line, n.i)
          FILTER (WHERE n.x IS NOT NULL) AS names
      FROM stage_enrichment e LEFT JOIN LATERAL jsonb_array_elements(e.names) WITH ORDINALITY n(x, i) ON true
      GROUP BY e.orgnr)
    SELECT DISTINCT ON (e.orgnr) e.line, e.orgnr, e.name, coalesce(a.names, '[]'::jsonb) AS names, e.legal_form_text, e.registered_on,
      CASE WHEN a.in_force THEN NULL ELSE a.last_dereg END AS deregistered_on,
      CASE WHEN a.in_force THEN NULL ELSE e.deregistration_reason END AS deregistration_reason,
      e.proceedings, e.events, e.description, e.street, e.co_address, e.postcode, e.city, e.country, e.kommun_code, e.placement,
      e.location_precision
    FROM stage_enrichment e JOIN agg a ON a.orgnr = e.orgnr
    ORDER BY e.orgnr, e.deregistered_on IS NOT NULL, e.protection_no NULLS FIRST, e.line`)
  await tx.query('ANALYZE stage_reg')
  // Bolagsverket's own record: written only where it changed; the organisations whose record changed are noted
  await tx.query('CREATE TEMP TABLE reg_changed (orgnr text PRIMARY KEY, ins boolean) ON COMMIT DROP')
  await tx.query(`WITH up AS (
      INSERT INTO company_registration AS r (ref_year, orgnr, batch_id, ${REG_COLS.join(', ')})
      SELECT $1, s.orgnr, $2, ${REG_COLS.map((c) => `s.${c}`).join(', ')} FROM stage_reg s
      ON CONFLICT (ref_year, orgnr) DO UPDATE SET ${REG_COLS.map((c) => `${c} = excluded.${c}`).join(', ')}, batch_id = excluded.batch_id
      WHERE (${REG_COLS.map((c) => `r.${c}`).join(', ')}) IS DISTINCT FROM (${REG_COLS.map((c) => `excluded.${c}`).join(', ')})
      RETURNING r.orgnr, (xmax = 0) AS ins)
    INSERT INTO reg_changed SELECT orgnr, ins FROM up`, [p.year, p.batchId])
  const { rowCount: removed } = await tx.query(`WITH gone AS (DELETE FROM company_registration r WHERE r.ref_year = $1
      AND NOT EXISTS (SELECT 1 FROM stage_reg s WHERE s.orgnr = r.orgnr) RETURNING r.orgnr)
    INSERT INTO reg_changed SELECT orgnr, NULL FROM gone`, [p.year])
  // names and events of the changed organisations are rewritten
  await tx.query('DELETE FROM company_name n USING reg_changed c WHERE n.ref_year = $1 AND n.orgnr = c.orgnr', [p.year])
  await tx.query(`INSERT INTO company_name (ref_year, orgnr, name, kind, protection_no, registered_on)
    SELECT $1, s.orgnr, x.name, x.kind, x."protectionNo", x."registeredOn"
    FROM stage_reg s JOIN reg_changed c ON c.orgnr = s.orgnr
    CROSS JOIN LATERAL jsonb_to_recordset(s.names) AS x(name text, kind text, "protectionNo" int, "registeredOn" date)`, [p.year])
  await tx.query('DELETE FROM company_event v USING reg_changed c WHERE v.ref_year = $1 AND v.orgnr = c.orgnr', [p.year])
  await tx.query(`INSERT INTO company_event (ref_year, orgnr, code, date)
    SELECT $1, s.orgnr, x.code, x.date FROM stage_reg s JOIN reg_changed c ON c.orgnr = s.orgnr
    CROSS JOIN LATERAL jsonb_to_recordset(s.events) AS x(code text, date date)`, [p.year])
  // the other sources' companies take Bolagsverket's facts (the same rule as mergeCompanies' select)
  // (the rows written go into the change log like mergeCompanies' upsert)
  await tx.query(`WITH up AS (UPDATE company c SET deregistered_on = coalesce(r.deregistered_on, c.deregistered_on),
      active = c.active AND r.deregistered_on IS NULL, description = r.description, liquidation = r.proceedings,
      registered_on = coalesce(c.registered_on, r.registered_on), co_address = coalesce(c.co_address, r.co_address), source_fp = NULL
    FROM stage_reg r
    WHERE c.ref_year = $1 AND c.orgnr = r.orgnr AND c.source <> $2
      AND (coalesce(r.deregistered_on, c.deregistered_on), c.active AND r.deregistered_on IS NULL, r.description, r.proceedings,
           coalesce(c.registered_on, r.registered_on), coalesce(c.co_address, r.co_address))
      IS DISTINCT FROM (c.deregistered_on, c.active, c.description, c.liquidation, c.registered_on, c.co_address)
    RETURNING c.orgnr)
    ${logBefore('up', '$3', '$1')}`, [p.year, p.source, p.batchId])
  // A row whose registration changed or went, written above or not, is read in full by its own source's next refresh
  // (fingerprint.ts): its merge takes Bolagsverket's facts by rules this update does not repeat exactly
  await tx.query(`UPDATE company c SET source_fp = NULL FROM reg_changed g WHERE c.ref_year = $1 AND c.orgnr = g.orgnr
    AND c.source_fp IS NOT NULL`, [p.year])
  // The organisations no other source has: companies of this source, unclassified and never active
  await tx.query(`CREATE TEMP TABLE stage_company ON COMMIT DROP AS
    SELECT e.line, e.orgnr, e.name, NULL::text AS legal_form, ${soleTraderSql('e.orgnr')} AS sole_trader,
      '{}'::text[] AS sni, '2025'::text AS sni_version, e.kommun_code, e.placement,
      e.street, e.postcode, e.city, NULL::float8 AS lon, NULL::float8 AS lat, e.location_precision, NULL::int AS employees, NULL::text AS size_class,
      NULL::float8 AS turnover, NULL::float8 AS value_added, e.registered_on, e.deregistered_on, false AS active,
      NULL::bool AS marketing_opt_out, e.description, e.proceedings AS liquidation, e.co_address, NULL::bigint AS fp
    FROM stage_reg e
    WHERE e.name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM company c WHERE c.ref_year = $1 AND c.orgnr = e.orgnr AND c.source <> $2)`, [p.year, p.source])
  const own = await mergeCompanies(tx, p)
  const rows = await tx.query<{ imported: number; updated: number; staged: number }>(`SELECT
      count(*) FILTER (WHERE c.ins)::int AS imported, count(*) FILTER (WHERE NOT c.ins)::int AS updated, count(*)::int AS staged
    FROM stage_enrichment e LEFT JOIN reg_changed c ON c.orgnr = e.orgnr`)
  const { imported, updated, staged } = rows.rows[0]
  return { imported, updated, unchanged: staged - imported - updated, removed: removed ?? 0, unplaced: own.unplaced, duplicates: duplicates + own.duplicates }
}

export async function mergeEducation (tx: Tx, p: MergeParams): Promise<MergeCounts> {
  // Applications with their decision (MYH): every one kept as an application (a snapshot of this source and year); only
  // granted ones go on as programmes, the supply. The others are neither programmes nor rejected rows.
  const { rowCount: applications } = await tx.query(`INSERT INTO education_application (ref_year, source, batch_id, reference, provider,
      programme, kommun_code, area, sun_code, decision, decision_text, places_applied, places_granted)
    SELECT $1, $2, $3, s.reference, s.provider, s.programme, k.code, s.area, s.sun_code, s.decision, s.decision_text, s.places_applied,
      s.places_granted FROM stage_education s LEFT JOIN kommun k ON k.code = s.kommun_code WHERE s.decision IS NOT NULL ORDER BY s.line`,
  [p.year, p.source, p.batchId])
  let notGranted: number | undefined
  if (applications) {
    await tx.query('DELETE FROM education_application WHERE ref_year = $1 AND source = $2 AND batch_id <> $3', [p.year, p.source, p.batchId])
    notGranted = (await tx.query("DELETE FROM stage_education WHERE decision <> 'granted'")).rowCount
  }
  const counts = await mergeProgrammes(tx, p)
  return notGranted === undefined ? counts : { ...counts, notGranted }
}

async function mergeProgrammes (tx: Tx, p: MergeParams): Promise<MergeCounts> {
  const duplicates = await rejectDuplicates(tx, 'stage_education',
    `lower(provider) || '|' || coalesce(kommun_code, '') || '|' || lower(coalesce(programme, '')) || '|' || coalesce(sun_code, '')`, 'programme', p)
  // Providers: one row per (name, kommun); their attributes come from the provider's first line in the file.
  await tx.query(`CREATE TEMP TABLE stage_provider ON COMMIT DROP AS
    SELECT DISTINCT ON (lower(provider), coalesce(kommun_code, '')) provider, provider_type, kommun_code, placement, street, postcode, city, lon, lat,
      location_precision, url
    FROM stage_education ORDER BY lower(provider), coalesce(kommun_code, ''), line`)
  const before = await count(tx, `SELECT count(*)::int AS n FROM education_programme pr JOIN education_provider ep ON ep.id = pr.provider_id
    WHERE ep.source = $1 AND ep.ref_year = $2`, [p.source, p.year])
  // Snapshot semantics, compared by content: unchanged programmes are recognised and counted, then the snapshot is rewritten.
  const unchanged = await count(tx, `SELECT count(*)::int AS n FROM stage_education s WHERE EXISTS (
      SELECT 1 FROM education_programme pr JOIN education_provider ep ON ep.id = pr.provider_id
      WHERE ep.source = $1 AND ep.ref_year = $2 AND lower(ep.name) = lower(s.provider) AND ep.kommun_code IS NOT DISTINCT FROM s.kommun_code
        AND ep.provider_type = s.provider_type AND pr.name IS NOT DISTINCT FROM s.programme AND pr.sun_code IS NOT DISTINCT FROM s.sun_code
        AND pr.places IS NOT DISTINCT FROM s.places AND pr.applicants IS NOT DISTINCT FROM s.applicants AND pr.start_year IS NOT DISTINCT FROM s.start_year
        AND ep.url IS NOT DISTINCT FROM s.url AND ep.street IS NOT DISTINCT FROM s.street
        AND CASE WHEN s.lon IS NULL THEN ep.location_precision IS DISTINCT FROM 'address'
                 ELSE ep.location_precision = 'address' AND ST_X(ep.geom) = s.lon AND ST_Y(ep.geom) = s.lat END)`, [p.source, p.year])
  const existing = await count(tx, `SELECT count(*)::int AS n FROM stage_education s WHERE EXISTS (
      SELECT 1 FROM education_programme pr JOIN education_provider ep ON ep.id = pr.provider_id
      WHERE ep.source = $1 AND ep.ref_year = $2 AND lower(ep.name) = lower(s.provider) AND ep.kommun_code IS NOT DISTINCT FROM s.kommun_code
        AND pr.name IS NOT DISTINCT FROM s.programme AND pr.sun_code IS NOT DISTINCT FROM s.sun_code)`, [p.source, p.year])
  const staged = await count(tx, 'SELECT count(*)::int AS n FROM stage_education')
  if (unchanged === staged && before === staged) {
    return { imported: 0, updated: 0, unchanged, removed: 0, unplaced: await unplacedEducation(tx), duplicates }
  }
  await tx.query('DELETE FROM education_provider WHERE source = $1 AND ref_year = $2', [p.source, p.year])
  await tx.query(`INSERT INTO education_provider (ref_year, source, batch_id, name, provider_type, kommun_code, lan_code, placement,
      street, postcode, city, geom, location_precision, url, synthetic)
    SELECT $1, $2, $3, s.provider, s.provider_type, k.code, k.lan_code, CASE WHEN k.code IS NOT NULL THEN s.placement END,
      s.street, s.postcode, s.city, ${EDU_PUBLIC.point}, ${EDU_PUBLIC.precision}, s.url, $4
    FROM stage_provider s LEFT JOIN kommun k ON k.code = s.kommun_code`, [p.year, p.source, p.batchId, p.synthetic])
  await tx.query(`INSERT INTO education_programme (provider_id, name, sun_code, places, applicants, start_year)
    SELECT ep.id, s.programme, s.sun_code, s.places, s.applicants, s.start_year FROM stage_education s
    JOIN education_provider ep ON ep.source = $1 AND ep.ref_year = $2 AND lower(ep.name) = lower(s.provider)
      AND ep.kommun_code IS NOT DISTINCT FROM (SELECT k.code FROM kommun k WHERE k.code = s.kommun_code)
    ORDER BY s.line`, [p.source, p.year])
  return { imported: staged - existing, updated: existing - unchanged, unchanged, removed: Math.max(0, before - existing),
    unplaced: await unplacedEducation(tx), duplicates }
}

const unplacedEducation = (tx: Tx) => count(tx,
  'SELECT count(*)::int AS n FROM stage_education s WHERE NOT EXISTS (SELECT 1 FROM kommun k WHERE k.code = s.kommun_code)')

/**
 * A staff list adds curated entries (with a history row each, action 'import'). A row equal in name, type and kommun to
 * an entry already there is left as it is (unchanged): importing the same list twice does not double it.
 */
export async function mergeCurated (tx: Tx, p: MergeParams): Promise<MergeCounts> {
  const { rows } = await tx.query<{ line: number; fields: CuratedFields; exists: boolean }>(`SELECT s.line, s.fields,
      EXISTS (SELECT 1 FROM curated_entry e WHERE lower(e.name) = lower(s.fields->>'name') AND e.type = s.fields->>'type'
        AND e.kommun_code = s.fields->>'kommun') AS exists
    FROM stage_curated s ORDER BY s.line`)
  const seen = new Set<string>()
  let imported = 0; let unchanged = 0
  for (const r of rows) {
    const key = `${r.fields.name.toLowerCase()}|${r.fields.type}|${r.fields.kommun}`
    if (r.exists || seen.has(key)) { unchanged++; continue }
    seen.add(key)
    if (r.fields.source === null) r.fields.source = p.file
    await insertEntry(tx, r.fields, p.createdBy ?? 'import', 'import', p.synthetic)
    imported++
  }
  return { imported, updated: 0, unchanged, removed: 0, unplaced: 0, duplicates: 0 }
}
