// A new reference year on PostgreSQL, written straight from the file (#15).
// The general path parses the file into a staging table and then builds the year's rows from it with one INSERT …
// SELECT (merge.ts COMPANY_SELECT): every row is written twice, and the second write waits for the parse to end. A new
// year on PostgreSQL needs neither: the parser's records become the year's rows here, in the same process, and are
// COPYed into the year's pending table (pending-year.ts) while the file is still being read, so the database writes
// each row once, on the other core, as the floor's COPY does: frozen (COPY FREEZE, in the transaction that makes the
// table), two cheap indexes kept up to date meanwhile (WHILE_READ). Then the other indexes are built on a connection of
// their own while the session adds up the year's cells (finishDirectYear), and the import's transaction only attaches
// the table and copies the cells in.
//
// It is taken only where COMPANY_SELECT has nothing to add from the database but four small code lists: the year is new,
// Bolagsverket has no registration for it (else the general path joins them in), no demo data is to be removed first,
// and no organisation number comes twice (a file where one does is read again through staging, whose merge reports the
// duplicates: directYearRow never sees a row that the general path would reject). The row rule is COMPANY_SELECT's,
// written a second time in TypeScript beside it; test/import/direct-year.test.ts imports the same files through both
// paths and finds the same rows.
//
// The general path writes a year's rows sorted by kommun and branch (a region's firms on adjacent pages, so a region's
// list, count or tile reads a fraction of the year). Sorting the whole file here would hold the COPY back until it was
// read; the rows are written in blocks of ORDER_BLOCK_ROWS instead, each in that order (BlockOrder): a kommun's firms in
// one run per block. Stockholm's firms in a 1.3 M-row year: on 37 400 of 40 000 pages in file order, on 3 150 in blocks
// of 32 000 rows, on 3 180 sorted whole (a count of its active firms: 90–350 ms warm in file order, 25–35 ms else).
import type { DbHandle, Session, Tx } from '../db/client.js'
import { buildCompanyCells } from '../keyfigures/cells.js'
import { analyzesParentAlone, holdPendingTable, pendingTableDdl, pendingYearTable, type PendingYear } from './pending-year.js'
import type { StagingSpec } from './staging.js'
import type { CompanyRecord } from './types.js'
import { DIRECT_COLUMNS, DIRECT_PLAIN, directYearRow, writeOrder, type CompanyLookups, type DirectParams } from './direct-row.js'

export async function companyLookups (q: Pick<Tx, 'query'>): Promise<CompanyLookups> {
  const kommun = new Map<string, { lan: string; point: string | null }>()
  for (const r of (await q.query<{ code: string; lan: string; point: string | null }>('SELECT code, lan_code AS lan, point::text AS point FROM kommun')).rows) {
    kommun.set(r.code, { lan: r.lan, point: r.point })
  }
  const naturalPerson = new Map<string, boolean>()
  for (const r of (await q.query<{ code: string; np: boolean | null }>('SELECT code, natural_person AS np FROM legal_form')).rows) {
    naturalPerson.set(r.code, r.np ?? false)
  }
  const sizeEstimate = new Map<string, number | null>()
  for (const r of (await q.query<{ code: string; est: number | null }>('SELECT code, estimate AS est FROM size_class')).rows) {
    sizeEstimate.set(r.code, r.est === null ? null : Number(r.est))
  }
  return { kommun, naturalPerson, sizeEstimate }
}

/**
 * Whether a company import of `year` may be written straight into a new year, as far as the register goes: the year is
 * not there and Bolagsverket has no registration for it (see the head of this file; the demo data is the caller's).
 */
export async function canWriteDirect (q: Pick<Tx, 'query'>, year: number): Promise<boolean> {
  const { rows } = await q.query<{ year: boolean; reg: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS year,
    EXISTS (SELECT 1 FROM company_registration WHERE ref_year = $2) AS reg`, [`company_y${Math.trunc(year)}`, Math.trunc(year)])
  return !rows[0].year && !rows[0].reg
}

/**
 * The staging spec that writes a new year's rows into its pending table instead of a staging table; `rows` and
 * `unplaced` count what it wrote, `laterIndexes` are the statements of the indexes built after the rows (the others
 * are in its DDL). The session holds the table (holdPendingTable) until it ends.
 */
export interface DirectYear {
  table: string; rows: number; unplaced: number; laterIndexes: string[]
  /** what directYearRow reads besides the record (line-workers.ts makes the rows in worker threads with them) */
  lookups: CompanyLookups; params: DirectParams
}

export async function directYearSpec (s: Session, p: DirectParams): Promise<StagingSpec<CompanyRecord> & DirectYear> {
  const lookups = await companyLookups(s)
  const table = pendingYearTable(p.batchId)
  await holdPendingTable(s, p.batchId)
  const indexes = await registerIndexes(s, table)
  const spec = {
    table,
    rows: 0,
    unplaced: 0,
    lookups,
    params: p,
    laterIndexes: indexes.filter((i) => !WHILE_READ.includes(i.name)).map((i) => i.create),
    ddl: [pendingTableDdl(table, p.year, false), ...indexes.filter((i) => WHILE_READ.includes(i.name)).map((i) => i.create)].join(';\n'),
    columns: DIRECT_COLUMNS,
    plain: DIRECT_PLAIN,
    orderKey: writeOrder,
    row: (r: CompanyRecord) => {
      const row = directYearRow(r, lookups, p)
      spec.rows++
      if (row[10] === null) spec.unplaced++
      return row
    },
  }
  return spec
}

/**
 * The register's indexes (the parent's, by name), each as the statement that builds it on `table`: the attach then
 * attaches it instead of building one.
 */
async function registerIndexes (q: Pick<Tx, 'query'>, table: string): Promise<Array<{ name: string; create: string }>> {
  // (an index that backs a constraint, the primary key, is made as that constraint: the attach takes only such an index for it)
  const { rows } = await q.query<{ name: string; def: string; con: string | null }>(`SELECT i.indexname AS name, i.indexdef AS def,
      pg_get_constraintdef(c.oid) AS con
    FROM pg_indexes i LEFT JOIN pg_constraint c ON c.conrelid = 'public.company'::regclass AND c.conname = i.indexname AND c.contype IN ('p', 'u')
    WHERE i.schemaname = 'public' AND i.tablename = 'company' ORDER BY i.indexname`)
  return rows.map(({ name, def, con }) => {
    const own = `${table}_${name.replace(/^company_/, '')}`
    return {
      name,
      create: con !== null
        ? `ALTER TABLE ${table} ADD CONSTRAINT ${own} ${con}`
        : def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+/, (_m, u: string | undefined) => `CREATE ${u ?? ''}INDEX ${own} ON public.${table}`),
    }
  })
}

/**
 * The indexes kept up to date while the file is read, instead of built after it: the database's core waits for the
 * parser much of that time, and these two cost it about what building them afterwards would (measured at 1.3 M rows,
 * each on its own: row ids and kommun 1.1 s of insertions each against 1.0–1.1 s of build; branch and län-branch 3.3 s
 * against 1.9–2.3 s, orgnr, name, the map's GiST and the trigram GIN two to ten times their build). With the branch
 * index too (and the demo-row index) the file took 5 s longer to read, for 4 s less of building: slower in all, three
 * runs each; with the län-branch index as well, 10 s longer. Their names are the parent's.
 */
const WHILE_READ = ['company_pkey', 'company_year_kommun_idx']

/**
 * The new year's table, written: its other indexes (the register's, as the attach would build them: one after another,
 * room to sort in memory) are built on a connection of their own while the session adds up the year's key-figure cells
 * into a TEMP table; then its statistics (or after the commit, see analyzeRegister). The import's transaction is left
 * with attaching it (the indexes match the register's: attached, not built) and copying the cells in. A failure leaves
 * the table to the import's cleanup (dropPendingYear).
 */
export async function finishDirectYear (db: DbHandle, s: Session, d: DirectYear, year: number): Promise<PendingYear> {
  const cells = 'stage_year_cells'
  await Promise.all([
    db.transaction(async (tx) => {
      await tx.query("SET LOCAL maintenance_work_mem = '256MB'")
      for (const create of d.laterIndexes) await tx.query(create)
    }),
    buildCompanyCells(s, d.table, cells, 'all'),
  ])
  // (after the indexes: ANALYZE gathers the statistics of the expression indexes' values only once they exist; where the
  // parent cannot be analysed alone, its ANALYZE after the commit analyses this table too: analyzeRegister)
  if (await analyzesParentAlone(s)) await s.query(`ANALYZE ${d.table}`)
  return { table: d.table, year, rows: d.rows, indexed: true, cells }
}
