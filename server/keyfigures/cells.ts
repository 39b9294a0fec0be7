// Precomputed key-figure cells, refreshed inside each import transaction for the years it touched.
// The predicate here — an active company counted by its PRIMARY SNI code in its seat kommun — is the one
// the actor list uses too (server/actors/filters.ts); which code belongs to which branch is decided for both, when the
// cells are read, by definitions/branch-sql.ts, so the list and the figures cannot disagree.
import type { Tx } from '../db/client.js'

export const ACTIVE_COMPANY = 'active'

/**
 * Whose turnover and value added the public role cannot see per company: a sole trader's (server/actors/queries.ts
 * withholds them for the public). Disclosure control counts these contributors in every cell, because the public figures
 * of the others can be subtracted from a published sum (see formulas.ts, SUPPRESSION_TEXT). Employees and the size class
 * are shown per company to everyone, so no employee count is withheld.
 */
export const WITHHELD_FROM_PUBLIC = 'sole_trader'

/** Count, sum and largest of the withheld contributions to one measure. */
const withheld = (col: string) => `count(${col}) FILTER (WHERE ${WITHHELD_FROM_PUBLIC}), coalesce(sum(${col}) FILTER (WHERE ${WITHHELD_FROM_PUBLIC}), 0),
      max(${col}) FILTER (WHERE ${WITHHELD_FROM_PUBLIC})`

/** A company row's cell: the key of the kf_company_cell row it counts in (when active). */
export const companyCellKey = (t: string) => `coalesce(${t}.kommun_code, ''), ${t}.sni_version, coalesce(${t}.sni1, '')`
/** What a company row contributes to its cell: a written row whose values here did not change leaves every cell as it was. */
export const COMPANY_CELL_INPUTS = ['active', 'kommun_code', 'sni_version', 'sni1', 'employees', 'employees_est', 'turnover', 'value_added',
  WITHHELD_FROM_PUBLIC]

const COMPANY_CELL_COLS = `ref_year, kommun_code, sni_version, sni_code, companies, employees, employees_n,
      employees_exact_n, employees_max, turnover, turnover_n, turnover_max, value_added, value_added_n, value_added_max,
      turnover_withheld_n, turnover_withheld, turnover_withheld_max, value_added_withheld_n, value_added_withheld, value_added_withheld_max`

/** The cells (COMPANY_CELL_COLS) of the active companies of `from` that `where` selects. */
const companyCellsSelect = (from: string, where: string) => `SELECT ref_year, coalesce(kommun_code, ''), sni_version, coalesce(sni1, ''), count(*),
      coalesce(sum(employees_est), 0), count(employees_est), count(employees), max(employees_est),
      coalesce(sum(turnover), 0), count(turnover), max(turnover),
      coalesce(sum(value_added), 0), count(value_added), max(value_added),
      ${withheld('turnover')}, ${withheld('value_added')}
    FROM ${from} WHERE ${ACTIVE_COMPANY} AND ${where}
    GROUP BY ref_year, coalesce(kommun_code, ''), sni_version, coalesce(sni1, '')`

/**
 * Rebuilds the company cells of a year: all of them, or (`touched`: a table of kommun_code, sni_version, sni_code keys,
 * as companyCellKey gives them) only those, when the import knows every cell its writes changed. A refresh that changes
 * 1 % of the rows then aggregates those cells' rows, not the year's.
 */
export async function refreshCompanyCells (tx: Tx, year: number, touched?: string): Promise<void> {
  const only = touched ? ` AND (${companyCellKey('company')}) IN (SELECT kommun_code, sni_version, sni_code FROM ${touched})` : ''
  if (touched) {
    await tx.query(`DELETE FROM kf_company_cell k USING (SELECT DISTINCT kommun_code, sni_version, sni_code FROM ${touched}) t
      WHERE k.ref_year = $1 AND k.kommun_code = t.kommun_code AND k.sni_version = t.sni_version AND k.sni_code = t.sni_code`, [year])
  } else {
    await tx.query('DELETE FROM kf_company_cell WHERE ref_year = $1', [year])
  }
  await tx.query(`INSERT INTO kf_company_cell (${COMPANY_CELL_COLS}) ${companyCellsSelect('company', `ref_year = $1${only}`)}`, [year])
}

/**
 * A new year's cells built beside the live ones (ingest/pending-year.ts): `into` (a TEMP table made here on the first
 * call) takes the cells of the companies of `from` (the year's table before it is published) in the kommuns `kommuns`,
 * or, with null, those without a kommun, or with 'all' all of them. Called kommun group by kommun group, each its own short
 * statement, on the embedded database; a cell lies in one kommun, so no cell is split between two calls.
 */
export async function buildCompanyCells (q: Tx, from: string, into: string, kommuns: string[] | null | 'all'): Promise<void> {
  await q.query(`CREATE TEMP TABLE IF NOT EXISTS ${into} AS SELECT ${COMPANY_CELL_COLS} FROM kf_company_cell WITH NO DATA`)
  const where = kommuns === 'all' ? 'true' : kommuns ? 'kommun_code = ANY($1::text[])' : 'kommun_code IS NULL'
  await q.query(`INSERT INTO ${into} (${COMPANY_CELL_COLS}) ${companyCellsSelect(from, where)}`, Array.isArray(kommuns) ? [kommuns] : [])
}

/** Publishes a year's cells built by buildCompanyCells: the year's cells are replaced by them (in the import's transaction). */
export async function replaceCompanyCells (tx: Tx, year: number, from: string): Promise<void> {
  await tx.query('DELETE FROM kf_company_cell WHERE ref_year = $1', [year])
  await tx.query(`INSERT INTO kf_company_cell (${COMPANY_CELL_COLS}) SELECT ${COMPANY_CELL_COLS} FROM ${from}`)
}

export async function refreshWorkplaceCells (tx: Tx, year: number): Promise<void> {
  await tx.query('DELETE FROM kf_workplace_cell WHERE ref_year = $1', [year])
  await tx.query(`INSERT INTO kf_workplace_cell (ref_year, kommun_code, sni_version, sni_code, workplaces)
    SELECT ref_year, coalesce(kommun_code, ''), sni_version, coalesce(sni1, ''), count(*)
    FROM workplace WHERE ref_year = $1 AND active
    GROUP BY ref_year, coalesce(kommun_code, ''), sni_version, coalesce(sni1, '')`, [year])
}
