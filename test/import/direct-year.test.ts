// A new year written straight from the file (ingest/direct-year.ts, PostgreSQL) holds the same rows as one built from
// staging by COMPANY_SELECT (merge.ts). The same companies are imported twice: once as they are (on PostgreSQL: the
// direct path) and once with one organisation number given twice at the end, which sends the file
// through staging (the duplicate is rejected). Every column of every row, and the key-figure
// cells, must agree: sole traders by number and by legal form, exact points made public or not, postcode and kommun
// precision, unplaced rows, decimal employees, size classes, dates, flags, c/o and descriptions.
// On the embedded database both imports take the staging path; the comparison still holds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { runImport, type ImportOptions } from '../../server/ingest/run-import.js'
import { dropLeftoverPendingYears, holdPendingTable, PENDING_LOCK, pendingTableDdl, pendingYearTable } from '../../server/ingest/pending-year.js'
import { directYearRow, pointHex, type CompanyLookups } from '../../server/ingest/direct-row.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { BlockOrder } from '../../server/ingest/staging.js'
import { driverName, useTestApp } from '../helpers/db.js'

const ctx = useTestApp('base')
const onPg = driverName() === 'postgres'
let dir: string
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'kkb-direct-')) })
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }) })

const HEADER = 'orgnr;name;legal_form;sni1;sni2;kommun;street;postcode;city;employees;size_class;turnover_ksek;value_added_ksek;registered;deregistered;active;marketing_optout;lat;lon;co;description'
const KOMMUNS: Array<[string, number, number]> = [['0180', 59.33, 18.06], ['1480', 57.71, 11.97], ['1280', 55.6, 13.0], ['0380', 59.86, 17.64], ['0880', 56.66, 16.36]]
const legal = (i: number) => { const p = `5591${String(i).padStart(5, '0')}`; return p + luhnCheckDigit(p) }
const personal = (i: number) => { const p = `8001${String(10 + (i % 18)).padStart(2, '0')}${String(i).padStart(3, '0')}`; return p + luhnCheckDigit(p) }

/** 80 companies, eight kinds over and over, their kommuns out of file order */
function lines (): string[] {
  return Array.from({ length: 80 }, (_, i) => {
    const [kommun, lat, lon] = KOMMUNS[(i * 3) % KOMMUNS.length]
    const kind = i % 8
    const orgnr = kind === 1 ? personal(i) : legal(i)
    const f: Record<string, string> = { orgnr, name: `Direktföretaget ${i} "Ateljé" AB`, legal_form: kind === 2 ? '10' : kind === 1 ? '' : '49',
      sni1: ['90010', '59110', '58110', '74101'][i % 4], sni2: i % 3 === 0 ? '90020' : '', kommun, street: `Gatan ${i}`, postcode: '', city: '' }
    if (kind === 0 || kind === 1 || kind === 2) { f.lat = String(lat + i / 1000); f.lon = String(lon + i / 997) }
    if (kind === 3) { f.kommun = ''; f.postcode = '11122'; f.city = 'Stockholm' }
    if (kind === 4) { f.kommun = ''; f.street = '' }
    if (kind === 5) f.employees = '2,5'
    if (kind === 6) { f.size_class = '3'; f.active = '0'; f.deregistered = '2023-05-01' }
    if (kind === 7) { f.marketing_optout = '1'; f.co = 'c/o Någon'; f.description = '"Film; ljud, ""och"" bild"'; f.turnover_ksek = '1 200,5'; f.value_added_ksek = '-30' }
    if (i % 5 === 0) f.registered = '2001-02-03'
    return HEADER.split(';').map((h) => f[h] ?? '').join(';')
  })
}

function write (name: string, body: string[]): string {
  const p = path.join(dir, name)
  writeFileSync(p, [HEADER, ...body].join('\n') + '\n')
  return p
}
const opts = (filePath: string, year: number, o: Partial<ImportOptions> = {}): ImportOptions =>
  ({ kind: 'companies', format: 'csv', filePath, year, source: 'direct-test', reportDir: path.join(dir, 'reports'), ...o })

const COLUMNS = `orgnr, source, sni1, name, legal_form, sole_trader, sni_version, sni, kommun_code, lan_code, placement, street, postcode,
  city, geom, geom_public, location_precision, employees, size_class, employees_est, turnover, value_added, registered_on, deregistered_on,
  active, marketing_opt_out, synthetic, description, liquidation, sources, co_address, source_fp`
const rowsOf = async (year: number) => (await ctx.db.query<Record<string, unknown>>(
  `SELECT ${COLUMNS}, ST_AsEWKT(geom) AS geom, ST_AsEWKT(geom_public) AS geom_public FROM company WHERE ref_year = $1 ORDER BY orgnr`, [year])).rows
const cellsOf = async (year: number) => (await ctx.db.query<Record<string, unknown>>(
  'SELECT * FROM kf_company_cell WHERE ref_year = $1 ORDER BY kommun_code, sni_version, sni_code', [year])).rows.map(({ ref_year: _, ...c }) => c)
/** each row's write-order key (kommun, SNI version, main branch; rows without a kommun last), in the order of its id */
const writeKeys = async (year: number) => (await ctx.db.query<{ k: string }>(`SELECT coalesce(kommun_code, '~') || '|' || sni_version || '|' ||
  coalesce(sni1, '') AS k FROM company WHERE ref_year = $1 ORDER BY id`, [year])).rows.map((r) => r.k)
const idOrder = async (year: number) => (await ctx.db.query<{ orgnr: string }>('SELECT orgnr FROM company WHERE ref_year = $1 ORDER BY id', [year])).rows.map((r) => r.orgnr)

describe('a new year written straight from the file', () => {
  it('holds the same rows and cells as one built from staging, and a key given twice sends the file through staging', async () => {
    const body = lines()
    const direct = await runImport(ctx.db, opts(write('direct.csv', body), 2051))
    const twice = await runImport(ctx.db, opts(write('twice.csv', [...body, body[17].replace('Direktföretaget 17', 'Dubbletten')]), 2052))
    expect(direct.counts).toEqual({ read: 80, imported: 80, updated: 0, unchanged: 0, rejected: 0, unplaced: 10, removed: 0 })
    expect(twice.counts).toEqual({ ...direct.counts, read: 81, rejected: 1 })

    const a = await rowsOf(2051)
    const b = await rowsOf(2052)
    expect(a).toHaveLength(80)
    expect(b).toEqual(a)
    // the values the comparison covers (so a column both paths got wrong alike would still show here)
    const byOrg = new Map(a.map((r) => [r.orgnr as string, r]))
    const at = (i: number) => byOrg.get(i % 8 === 1 ? personal(i) : legal(i))!
    expect(at(0)).toMatchObject({ sole_trader: false, location_precision: 'address', kommun_code: '0180', lan_code: '01' })
    expect(at(0).geom_public).toBe(at(0).geom)
    expect(at(1)).toMatchObject({ sole_trader: true, location_precision: 'kommun' })
    expect(at(1).geom_public).not.toBe(at(1).geom)
    expect(at(2)).toMatchObject({ sole_trader: true, legal_form: '10', location_precision: 'kommun' })
    expect(at(3)).toMatchObject({ kommun_code: '0180', location_precision: 'postcode', placement: 'postcode' })
    expect(at(4)).toMatchObject({ kommun_code: null, lan_code: null, geom_public: null, location_precision: null, placement: null })
    expect(at(5)).toMatchObject({ employees: 3, size_class: '2', employees_est: 3 })
    expect(at(6)).toMatchObject({ size_class: '3', employees: null, employees_est: 7, active: false })
    expect(at(7)).toMatchObject({ marketing_opt_out: true, co_address: 'c/o Någon', description: 'Film; ljud, "och" bild', turnover: 1200.5, value_added: -30 })
    expect(await cellsOf(2052)).toEqual(await cellsOf(2051))

    // both wrote the rows in the same order, by kommun and branch (a file this small is one block), not in file order
    const keys = await writeKeys(2051)
    expect(keys).toEqual(await writeKeys(2052))
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    expect(await idOrder(2051)).not.toEqual(body.map((l) => l.split(';')[0]))
    // which path each took: on PostgreSQL the year written straight from the file has the indexes built on its pending
    // table; the one built from staging, those its attach built
    const indexNames = async (t: string) => (await ctx.db.query<{ n: string }>('SELECT indexname AS n FROM pg_indexes WHERE tablename = $1', [t])).rows.map((r) => r.n)
    if (onPg) {
      expect((await indexNames('company_y2051')).every((n) => n.startsWith('company_pending_'))).toBe(true)
      expect((await indexNames('company_y2052')).every((n) => n.startsWith('company_y2052_'))).toBe(true)
    }
    // each year has the register's indexes, once (an index built beside the one its constraint needs would be a second copy)
    const indexes = async (t: string) => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = $1', [t])).rows[0].n
    expect(await indexes('company_y2051')).toBe(await indexes('company'))
    expect(await indexes('company_y2052')).toBe(await indexes('company'))
    expect((await ctx.db.query("SELECT 1 FROM pg_constraint WHERE conrelid = 'company_y2051'::regclass AND contype = 'p'")).rows).toHaveLength(1)
    const left = await ctx.db.query("SELECT 1 FROM pg_class WHERE relname ~ '^company_pending_[0-9]+$'")
    expect(left.rows).toEqual([])
  })

  it('a large new year leaves the register with its own statistics, which the planner reads for joins on company', async () => {
    await ctx.db.query('DELETE FROM pg_statistic WHERE starelid = \'company\'::regclass') // (as after a new year before the fix: none)
    const body = Array.from({ length: 12_000 }, (_, i) => [legal(10_000 + i), `Statistikföretaget ${i} AB`, '49', '90010', '', KOMMUNS[i % 5][0]].join(';') + ';'.repeat(15))
    await runImport(ctx.db, opts(write('large.csv', body), 2055))
    const { rows } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stats
      WHERE tablename = 'company' AND inherited AND attname IN ('orgnr', 'kommun_code')`)
    expect(rows[0].n).toBe(2)
  })

  it('a failure while the file is read leaves no table and no year behind', async () => {
    const body = lines()
    const bad = write('bad.csv', body)
    const controller = new AbortController()
    let seen = 0
    await expect(runImport(ctx.db, opts(bad, 2053, {
      signal: controller.signal,
      onProgress: () => { if (++seen === 1) controller.abort('test') },
      limits: { maxRows: 40 },
    }))).rejects.toThrow(/nothing was changed/)
    expect((await ctx.db.query("SELECT 1 FROM pg_class WHERE relname ~ '^company_pending_[0-9]+$' OR relname = 'company_y2053'")).rows).toEqual([])
  })

  it('the row rule: an exact point is written as PostGIS writes it', async () => {
    const { rows } = await ctx.db.query<{ hex: string }>('SELECT ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)::text AS hex', [18.0649123456789, 59.3326])
    expect(pointHex(18.0649123456789, 59.3326)).toBe(rows[0].hex)
    const l: CompanyLookups = { kommun: new Map([['0180', { lan: '01', point: 'P' }]]), naturalPerson: new Map([['10', true], ['49', false]]), sizeEstimate: new Map([['2', 2.5]]) }
    const rec = { line: 2, orgnr: legal(1), name: 'X', legalForm: '49', soleTrader: false, sni: ['90010'], sniVersion: '2025' as const, kommunCode: '9999',
      placement: 'seat' as const, street: null, postcode: null, city: null, lon: null, lat: null, locationPrecision: 'kommun' as const, employees: null, sizeClass: '2',
      turnover: null, valueAdded: null, registeredOn: null, deregisteredOn: null, active: true, marketingOptOut: null, description: null, liquidation: null }
    // a kommun code the database does not have: unplaced, as COMPANY_SELECT's join leaves it
    const row = directYearRow(rec, l, { year: 2050, batchId: 1, source: 's', synthetic: false })
    expect(row.slice(10, 13)).toEqual([null, null, null])
    expect(row.slice(17, 19)).toEqual([null, null])
    expect(row[21]).toBe(2.5)
  })
})

describe('rows written in ordered blocks', () => {
  it('gives each block in key order, rows of one key in the order they came, and the rest at the end', () => {
    const b = new BlockOrder(4)
    const out = [b.add('0180|2025|90010', 'a\n'), b.add('\uffff||', 'u\n'), b.add('0114|2025|', 'b\n'), b.add('0180|2025|90010', 'c\n'),
      b.add('0114|2025|', 'd\n'), b.flush(), b.flush()]
    expect(out).toEqual([null, null, null, 'b\na\nc\nu\n', null, 'd\n', ''])
  })
})

describe.runIf(onPg)('a pending table of an import in another process', () => {
  it('is left alone by a start-up recovery while that import holds it, and removed once it is gone', async () => {
    const batch = 990_001
    const table = pendingYearTable(batch)
    const { rows } = await ctx.db.query<{ db: string }>('SELECT current_database() AS db')
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${rows[0].db}`
    const other = new pg.Client({ connectionString: url.toString() })
    await other.connect()
    try {
      await other.query(pendingTableDdl(table, 2054, false))
      await other.query('SELECT pg_advisory_lock($1, $2)', [PENDING_LOCK, batch])
      expect(await dropLeftoverPendingYears(ctx.db)).toEqual([])
      expect((await ctx.db.query('SELECT to_regclass($1) AS t', [table])).rows[0]).toEqual({ t: table })
    } finally {
      await other.end()
    }
    expect(await dropLeftoverPendingYears(ctx.db)).toEqual([table])
    // (holdPendingTable takes the same lock: a table this process holds is left alone too)
    await ctx.db.session(async (s) => {
      await s.query(pendingTableDdl(table, 2054, false))
      await holdPendingTable(s, batch)
      expect(await dropLeftoverPendingYears(ctx.db)).toEqual([])
      await s.query(`DROP TABLE ${table}`)
    })
  })
})
