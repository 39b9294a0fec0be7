// Set-based merge of a staged file into the register, inside the import transaction.
// Snapshot rule: one (source, reference year) is one snapshot. Rows are upserted on (ref_year, key); rows of the same
// snapshot that the new file no longer has are removed. Unchanged rows are not written at all, so a re-import changes nothing.
import type { Tx } from '../db/client.js'
import { publicPointSql, soleTraderSql } from './sole-trader.js'

export interface MergeCounts { imported: number; updated: number; unchanged: number; removed: number; unplaced: number; duplicates: number }
export interface MergeParams { batchId: number; file: string; year: number; source: string; synthetic: boolean }

/** Rejects the 2nd+ occurrence of a key within the file (the first is kept), reporting the first line. */
async function rejectDuplicates (tx: Tx, table: string, keyExpr: string, column: string, p: MergeParams): Promise<number> {
  // a hash aggregate finds the (rare) duplicated keys; only their rows are then looked at again
  await tx.query(`CREATE TEMP TABLE dup_lines ON COMMIT DROP AS
    WITH keys AS (SELECT ${keyExpr} AS key, min(line) AS first FROM ${table} GROUP BY 1 HAVING count(*) > 1)
    SELECT s.line, k.key, k.first FROM ${table} s JOIN keys k ON k.key = ${keyExpr.replace(/\b(provider|kommun_code|programme|sun_code|orgnr|workplace_id)\b/g, 's.$1')}
    WHERE s.line > k.first`)
  const { rowCount } = await tx.query(`INSERT INTO import_error (batch_id, file, line, "column", value, reason)
    SELECT $1, $2, line, $3, key, 'duplicate ' || $3 || ' in the file (first at line ' || first || '); the first row was kept' FROM dup_lines`,
  [p.batchId, p.file, column])
  if (rowCount) await tx.query(`DELETE FROM ${table} s USING dup_lines d WHERE s.line = d.line`)
  await tx.query('DROP TABLE dup_lines')
  return rowCount
}

/** The staged row's exact point, and the public point and precision that follow from it (see sole-trader.ts). */
const POINT = 'CASE WHEN s.lon IS NOT NULL AND s.lat IS NOT NULL THEN ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) END'
// education providers are organisations: never a sole trader
const EDU_PUBLIC = publicPointSql(POINT, 'false', { code: 'k.code', point: 'k.point' }, 's.location_precision')
const PUBLIC = publicPointSql('x.pt', 'x.sole', { code: 'k.code', point: 'k.point' }, 's.location_precision')

const count = async (tx: Tx, sql: string, params: unknown[] = []) => Number((await tx.query<{ n: number }>(sql, params)).rows[0].n)

/** The columns a company import owns; enrichment-only fields (description, liquidation) are kept unless supplied. */
const COMPANY_COLS = ['source', 'name', 'legal_form', 'sole_trader', 'sni_version', 'sni', 'sni1', 'kommun_code', 'lan_code',
  'placement', 'street', 'postcode', 'city', 'geom', 'geom_public', 'location_precision', 'employees', 'size_class',
  'employees_est', 'turnover', 'value_added', 'registered_on', 'deregistered_on', 'active', 'marketing_opt_out', 'synthetic']

const timing = process.env.KKB_IMPORT_TIMING === '1'
let t0 = 0
const lap = (name: string) => { if (timing) { const n = Date.now(); if (t0) process.stderr.write(`[merge] ${name}: ${n - t0} ms\n`); t0 = n } }

export async function mergeCompanies (tx: Tx, p: MergeParams): Promise<MergeCounts> {
  lap('')
  const duplicates = await rejectDuplicates(tx, 'stage_company', 'orgnr', 'orgnr', p)
  lap('duplicates')
  await tx.query('ANALYZE stage_company')
  lap('analyze staging')
  const partition = `company_y${Math.trunc(p.year)}`
  const { rows: part } = await tx.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [partition])
  const columns = `ref_year, orgnr, batch_id, ${COMPANY_COLS.join(', ')}, description, liquidation`
  const select = `SELECT $1::int, s.orgnr, $2::int, $3::text, s.name, s.legal_form, x.sole, s.sni_version, s.sni, s.sni[1], k.code, k.lan_code,
        CASE WHEN k.code IS NOT NULL THEN s.placement END, s.street, s.postcode, s.city,
        x.pt, ${PUBLIC.point}, ${PUBLIC.precision},
        s.employees, sc.code, coalesce(s.employees::real, sc.estimate), s.turnover, s.value_added,
        s.registered_on, s.deregistered_on, s.active, s.marketing_opt_out, $4::boolean, s.description, s.liquidation
      FROM stage_company s
      LEFT JOIN kommun k ON k.code = s.kommun_code
      LEFT JOIN legal_form lf ON lf.code = s.legal_form
      LEFT JOIN size_class sc ON sc.code = s.size_class
      CROSS JOIN LATERAL (SELECT ${soleTraderSql('s.orgnr', 'lf.natural_person')} AS sole, ${POINT} AS pt) x`
  const params = [p.year, p.batchId, p.source, p.synthetic]
  const staged = await count(tx, 'SELECT count(*)::int AS n FROM stage_company')
  const unplaced = await count(tx, 'SELECT count(*)::int AS n FROM stage_company s WHERE NOT EXISTS (SELECT 1 FROM kommun k WHERE k.code = s.kommun_code)')
  if (!part[0].exists) {
    // A year not yet in the register: load a fresh table without indexes, then attach it as the year's partition,
    // which builds its indexes in bulk. Other years stay readable throughout.
    await tx.query(`CREATE TABLE ${partition} (LIKE company INCLUDING DEFAULTS)`)
    // Rows are written in (kommun, branch) order: a region's or a branch-in-region's firms then sit on few adjacent
    // pages, so filtered lists and counts read a fraction of the heap (the register is read far more than written).
    await tx.query("SET LOCAL work_mem = '256MB'")
    const { rowCount } = await tx.query(`INSERT INTO ${partition} (${columns}) ${select}
      ORDER BY k.code, s.sni_version, s.sni[1]`, params)
    lap('bulk insert into a new partition')
    // index builds (trigram GIN above all) are much faster with room to sort in memory
    await tx.query("SET LOCAL maintenance_work_mem = '256MB'")
    await tx.query(`ALTER TABLE company ATTACH PARTITION ${partition} FOR VALUES IN (${Math.trunc(p.year)})`)
    lap('attach partition (bulk index build)')
    return { imported: rowCount, updated: 0, unchanged: staged - rowCount, removed: 0, unplaced, duplicates }
  }
  // The year exists: upsert. Unchanged rows are not written (the WHERE of DO UPDATE), so the affected rows are the
  // inserted plus the updated ones; the inserted ones are those whose (year, orgnr) was not there before.
  const existing = await count(tx, `SELECT count(*)::int AS n FROM stage_company s JOIN company c ON c.ref_year = $1 AND c.orgnr = s.orgnr`, [p.year])
  // The name-search GIN index takes new entries into its pending list; a large list is merged in bulk at the end
  // (gin_clean_pending_list below), much cheaper than many small merges during a register-scale upsert.
  await tx.query("SET LOCAL gin_pending_list_limit = '1GB'")
  const set = COMPANY_COLS.map((c) => `${c} = excluded.${c}`).join(', ')
  const changed = `(${COMPANY_COLS.map((c) => `c.${c}`).join(', ')}) IS DISTINCT FROM (${COMPANY_COLS.map((c) => `excluded.${c}`).join(', ')})
    OR (excluded.description IS NOT NULL AND excluded.description IS DISTINCT FROM c.description)
    OR (excluded.liquidation IS NOT NULL AND excluded.liquidation IS DISTINCT FROM c.liquidation)`
  const { rowCount: affected } = await tx.query(`
      INSERT INTO company AS c (${columns}) ${select}
      ON CONFLICT (ref_year, orgnr) DO UPDATE SET ${set}, batch_id = excluded.batch_id,
        description = coalesce(excluded.description, c.description), liquidation = coalesce(excluded.liquidation, c.liquidation)
      WHERE ${changed}`, params)
  lap('upsert')
  const removed = (await tx.query(`DELETE FROM company c WHERE c.source = $1 AND c.ref_year = $2
    AND NOT EXISTS (SELECT 1 FROM stage_company s WHERE s.orgnr = c.orgnr)`, [p.source, p.year])).rowCount
  await tx.query(`SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam WHERE i.indrelid = $1::regclass AND am.amname = 'gin'`, [partition])
  lap('remove + name index')
  const inserted = staged - existing
  return { imported: inserted, updated: affected - inserted, unchanged: existing - (affected - inserted), removed, unplaced, duplicates }
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

/**
 * Bolagsverket enrichment: joined on orgnr onto the companies of the same reference year. Rows that match no company
 * are kept as unclassified companies (no SNI), so nothing in the file is silently dropped.
 */
export async function mergeEnrichment (tx: Tx, p: MergeParams): Promise<MergeCounts> {
  const duplicates = await rejectDuplicates(tx, 'stage_enrichment', 'orgnr', 'orgnr', p)
  await tx.query('ANALYZE stage_enrichment')
  const { rowCount: updated } = await tx.query(`
    UPDATE company c SET name = coalesce(e.name, c.name), registered_on = coalesce(e.registered_on, c.registered_on),
      deregistered_on = e.deregistered_on, liquidation = e.liquidation, description = e.description,
      active = c.active AND e.deregistered_on IS NULL
    FROM stage_enrichment e
    WHERE c.ref_year = $1 AND c.orgnr = e.orgnr AND c.source <> $2
      AND (coalesce(e.name, c.name), coalesce(e.registered_on, c.registered_on), e.deregistered_on, e.liquidation, e.description,
           c.active AND e.deregistered_on IS NULL)
      IS DISTINCT FROM (c.name, c.registered_on, c.deregistered_on, c.liquidation, c.description, c.active)`, [p.year, p.source])
  const matched = await count(tx, `SELECT count(*)::int AS n FROM stage_enrichment e
    WHERE EXISTS (SELECT 1 FROM company c WHERE c.ref_year = $1 AND c.orgnr = e.orgnr AND c.source <> $2)`, [p.year, p.source])
  // Unmatched rows become unclassified companies of this source; placed by postcode like the SCB bulk file.
  await tx.query(`CREATE TEMP TABLE stage_company ON COMMIT DROP AS
    SELECT e.line, e.orgnr, e.name, NULL::text AS legal_form, ${soleTraderSql('e.orgnr')} AS sole_trader,
      '{}'::text[] AS sni, '2025'::text AS sni_version, e.kommun_code, e.placement,
      e.street, e.postcode, e.city, NULL::float8 AS lon, NULL::float8 AS lat, e.location_precision, NULL::int AS employees, NULL::text AS size_class,
      NULL::float8 AS turnover, NULL::float8 AS value_added, e.registered_on, e.deregistered_on, e.deregistered_on IS NULL AS active,
      NULL::bool AS marketing_opt_out, e.description, e.liquidation
    FROM stage_enrichment e
    WHERE NOT EXISTS (SELECT 1 FROM company c WHERE c.ref_year = $1 AND c.orgnr = e.orgnr AND c.source <> $2)`, [p.year, p.source])
  const own = await mergeCompanies(tx, p)
  return { imported: own.imported, updated: updated + own.updated, unchanged: own.unchanged + matched - updated,
    removed: own.removed, unplaced: own.unplaced, duplicates: duplicates + own.duplicates }
}

export async function mergeEducation (tx: Tx, p: MergeParams): Promise<MergeCounts> {
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
