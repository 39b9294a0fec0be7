// A new reference year's companies, built beside the live register and published at once (#20).
// Readers reach companies through the partitioned table `company` only, and a year's key figures through
// kf_company_cell: a table that is not (yet) a partition of company, and cells in a TEMP table, are invisible to them.
// So the year's rows are written into such a table (company_pending_<batch>, with the register's indexes and a CHECK
// that proves the partition bound) in chunks, each its own statement, and its cells are aggregated likewise; the
// import's transaction then only renames and attaches the table (its indexes match the parent's: attached, not built)
// and copies the cells in. On the embedded database, whose one session everyone shares, public reads are answered
// between the chunks and see the old data until that short transaction commits.
// A failure before the transaction leaves a pending table behind: the import drops it (dropPendingYear), and so does the
// next start after a crash (dropLeftoverPendingYears). On PostgreSQL the build runs inside the import's transaction
// (MVCC lets reads through anyway; nothing is left behind by a crash), in one piece, indexes built in bulk at the attach.
import type { Tx } from '../db/client.js'
import { buildCompanyCells } from '../keyfigures/cells.js'

export const PENDING_PREFIX = 'company_pending_'
export const pendingYearTable = (batchId: number) => `${PENDING_PREFIX}${Math.trunc(batchId)}`

export interface PendingYear {
  table: string
  year: number
  rows: number
  /** built with the register's indexes (chunked); otherwise the attach builds them */
  indexed: boolean
  /** the year's key-figure cells, a TEMP table (chunked build only; otherwise they are computed once it is attached) */
  cells?: string
}

export interface BuildYear {
  table: string
  year: number
  /** the column list and the SELECT of the company rows from the staging table `stage_company s` (merge.ts) */
  columns: string
  select: string
  params: unknown[]
  /** the SELECT's sort key: rows are written in (kommun, branch) order (see mergeCompanies) */
  orderBy: string
  /** chunks of about this many rows, each its own statement; without it one statement */
  chunkRows?: number
  /** called between chunks (a cancellation check) */
  between?: () => void
}

/** A staging row's place in the write order, as an expression the staging table is indexed on (chunk bounds). */
const STAGE_KEY = `((coalesce(kommun_code, '') || '|' || coalesce(sni_version, '') || '|' || coalesce(sni[1], '')) COLLATE "C")`
const stageKey = (alias: string) => STAGE_KEY.replace(/\b(kommun_code|sni_version|sni)\b/g, `${alias}.$1`)

/** Pending tables of imports running in this process (a start-up recovery in the same process must leave them alone). */
const live = new Set<string>()

/**
 * The advisory-lock class of pending tables (the batch id is the second key). On PostgreSQL an import's session holds
 * the lock while its pending table exists outside a transaction (direct-year.ts), and the session's end releases it
 * (db/client.ts), so another process's start-up recovery can tell a live import's table from a dead one's.
 */
export const PENDING_LOCK = 0x4b4b42

export async function holdPendingTable (s: Pick<Tx, 'query'>, batchId: number): Promise<void> {
  live.add(pendingYearTable(batchId))
  await s.query('SELECT pg_advisory_lock($1, $2)', [PENDING_LOCK, Math.trunc(batchId)])
}

/** A pending table: the register's columns (and indexes, when `indexed`) and a CHECK that proves the partition bound. */
export const pendingTableDdl = (table: string, year: number, indexed: boolean) =>
  `CREATE TABLE ${table} (LIKE company INCLUDING DEFAULTS${indexed ? ' INCLUDING INDEXES' : ''}, CONSTRAINT ${table}_year CHECK (ref_year = ${Math.trunc(year)}))`

export async function buildPendingYear (q: Tx, b: BuildYear): Promise<PendingYear> {
  const y = Math.trunc(b.year)
  live.add(b.table)
  const chunked = b.chunkRows !== undefined
  await q.query(pendingTableDdl(b.table, y, chunked))
  if (!chunked) {
    const { rowCount } = await q.query(`INSERT INTO ${b.table} (${b.columns}) ${b.select} ORDER BY ${b.orderBy}`, b.params)
    return { table: b.table, year: y, rows: rowCount, indexed: false }
  }
  // Chunks are ranges of the write order's key, so together they write the rows in the same order one statement would
  // (a staging row's kommun is its code as given; a code the kommun table lacks is unplaced, written within its range).
  await q.query(`CREATE INDEX stage_company_key ON stage_company (${STAGE_KEY})`)
  await q.query('ANALYZE stage_company')
  const { rows: keys } = await q.query<{ key: string; kommun: string | null; n: number }>(`SELECT ${stageKey('s')} AS key,
    s.kommun_code AS kommun, count(*)::int AS n FROM stage_company s GROUP BY 1, 2 ORDER BY 1`)
  const ranges = chunks(keys, b.chunkRows!).map((c) => [c[0].key, c[c.length - 1].key])
  let rows = 0
  for (const [lo, hi] of ranges) {
    b.between?.()
    const n = b.params.length
    const { rowCount } = await q.query(`INSERT INTO ${b.table} (${b.columns}) ${b.select}
      WHERE ${stageKey('s')} BETWEEN $${n + 1} AND $${n + 2} ORDER BY ${b.orderBy}`, [...b.params, lo, hi])
    rows += rowCount
  }
  b.between?.()
  await q.query(`ANALYZE ${b.table}`)
  // the cells, kommun by kommun (a cell lies in one kommun), then those of the companies without one
  const cells = 'stage_year_cells'
  const byKommun = new Map<string, number>()
  for (const k of keys) if (k.kommun !== null) byKommun.set(k.kommun, (byKommun.get(k.kommun) ?? 0) + k.n)
  const groups = chunks([...byKommun].map(([kommun, n]) => ({ kommun, n })), b.chunkRows! * 4).map((c) => c.map((k) => k.kommun))
  for (const g of [...groups, null]) {
    b.between?.()
    await buildCompanyCells(q, b.table, cells, g)
  }
  return { table: b.table, year: y, rows, indexed: true, cells }
}

/** Consecutive runs of items with about `size` rows each (an item larger than that is a run of its own). */
function chunks<T extends { n: number }> (items: T[], size: number): T[][] {
  const out: T[][] = []
  let run: T[] = []
  let n = 0
  for (const it of items) {
    if (run.length && n + it.n > size) { out.push(run); run = []; n = 0 }
    run.push(it)
    n += it.n
  }
  if (run.length) out.push(run)
  return out
}

/** In the import's transaction: the pending table becomes the year's partition (its indexes attached, or built now). */
export async function publishPendingYear (tx: Tx, p: PendingYear): Promise<void> {
  const partition = `company_y${p.year}`
  // index builds (trigram GIN above all) are much faster with room to sort in memory
  if (!p.indexed) await tx.query("SET LOCAL maintenance_work_mem = '256MB'")
  await tx.query(`ALTER TABLE ${p.table} RENAME TO ${partition}`)
  live.delete(p.table)
  // (the CHECK, true of every row as it was written, proves the partition constraint: ATTACH then skips its scan of the rows)
  await tx.query(`ALTER TABLE company ATTACH PARTITION ${partition} FOR VALUES IN (${p.year})`)
  await tx.query(`ALTER TABLE ${partition} DROP CONSTRAINT ${p.table}_year`) // the partition constraint says the same now
}

/**
 * Whether the server can analyse a partitioned table's own statistics alone (ANALYZE ONLY: PostgreSQL 18 and later, the
 * embedded database among them). Before 18, ANALYZE of the parent analyses every partition too.
 */
export async function analyzesParentAlone (q: Pick<Tx, 'query'>): Promise<boolean> {
  const { rows } = await q.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v")
  return rows[0].v >= 180000
}

/**
 * The register's own statistics, after a new year was attached: the parent's sample across the years, which the planner
 * reads for a join on company (without them it takes 200 distinct organisation numbers, and plans a refresh's join of
 * 13 000 keys as 1.3 M rows). Where ANALYZE has no ONLY, the partitions are analysed again with it (a new year's table
 * was left to this then: see finishDirectYear).
 */
export async function analyzeRegister (q: Pick<Tx, 'query'>): Promise<void> {
  await q.query(await analyzesParentAlone(q) ? 'ANALYZE ONLY company' : 'ANALYZE company')
}

/** After a failed import: its pending table, if one was left (outside the transaction that failed). */
export async function dropPendingYear (q: Pick<Tx, 'query'>, batchId: number): Promise<void> {
  const table = pendingYearTable(batchId)
  await q.query(`DROP TABLE IF EXISTS ${table}`)
  live.delete(table)
}

/** At start-up: the pending tables of imports that never finished (the process died while building one). */
export async function dropLeftoverPendingYears (q: Pick<Tx, 'query'>): Promise<string[]> {
  const { rows } = await q.query<{ name: string }>(`SELECT c.relname AS name FROM pg_class c
    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relname LIKE '${PENDING_PREFIX}%'
      AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)`)
  const names = rows.map((r) => r.name).filter((n) => /^company_pending_\d+$/.test(n) && !live.has(n))
  const dropped: string[] = []
  for (const n of names) {
    // (a table whose lock another session holds is a live import's, in another process: one statement takes and frees it)
    const batch = Number(n.slice(PENDING_PREFIX.length))
    const { rows: free } = await q.query<{ free: boolean }>(`SELECT CASE WHEN pg_try_advisory_lock($1, $2) THEN pg_advisory_unlock($1, $2)
      ELSE false END AS free`, [PENDING_LOCK, batch])
    if (!free[0].free) continue
    await q.query(`DROP TABLE IF EXISTS ${n}`)
    dropped.push(n)
  }
  return dropped
}
