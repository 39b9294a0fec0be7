// Which (SNI version, SNI code) belongs to which category and group of a definition: the ONE place this is written as
// SQL. The key-figure cells (keyfigures/compute.ts), the actor list's branch filters and its group/category columns
// (actors/filters.ts) are all built from these fragments, so the list behind a number counts the same companies.
// An actor or a cell belongs to a branch by its PRIMARY code (sni1 / sni_code) and the code's SNI version.

/**
 * The mapping rows of one definition: (sni_version, sni_code, share, category, grp), plus category_name and group_name
 * when `names` is set. A plain subquery (no aggregate, no DISTINCT), so the planner pulls it up into the query around it
 * and the branch filters keep their semi-join on the (ref_year, sni_version, sni1) index.
 */
export function branchMap (definition: string, opts: { names?: boolean } = {}): string {
  return opts.names
    ? `SELECT s.sni_version, s.sni_code, s.share, c.code AS category, c.group_code AS grp, c.name AS category_name, g.name AS group_name
      FROM kkb_sni s JOIN kkb_category c ON c.definition_id = s.definition_id AND c.code = s.category_code
      JOIN kkb_group g ON g.definition_id = c.definition_id AND g.code = c.group_code
      WHERE s.definition_id = ${definition}`
    : `SELECT s.sni_version, s.sni_code, s.share, c.code AS category, c.group_code AS grp
      FROM kkb_sni s JOIN kkb_category c ON c.definition_id = s.definition_id AND c.code = s.category_code
      WHERE s.definition_id = ${definition}`
}

/** The join condition between mapping rows `m` and a (version, code) pair, e.g. mapsCode('m', 'x.sni_version', 'x.sni_code'). */
export const mapsCode = (m: string, version: string, code: string) => `${m}.sni_version = ${version} AND ${m}.sni_code = ${code}`

/**
 * Predicate: the pair (version, code) belongs to the definition, restricted to the given groups/categories (SQL array
 * parameters) when set. A semi-join `(version, code) IN (…)`, which the planner answers from the actors' index.
 */
export function inBranches (version: string, code: string, definition: string, only: { groups?: string; categories?: string } = {}): string {
  const conds = [only.groups && `m.grp = ANY(${only.groups}::text[])`, only.categories && `m.category = ANY(${only.categories}::text[])`]
    .filter(Boolean)
  return `(${version}, ${code}) IN (SELECT m.sni_version, m.sni_code FROM (${branchMap(definition)}) m${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''})`
}

/**
 * LEFT JOIN LATERAL giving alias `b` the branch of the actor `alias` by its primary code: b.category, b.grp,
 * b.category_name, b.group_name (all null outside the definition).
 */
export function branchOf (alias: string, definition: string): string {
  return `LEFT JOIN LATERAL (SELECT m.category, m.grp, m.category_name, m.group_name FROM (${branchMap(definition, { names: true })}) m
      WHERE ${mapsCode('m', `${alias}.sni_version`, `${alias}.sni1`)}) b ON true`
}
