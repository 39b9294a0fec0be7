// The whole import path against a real database: counts, report, idempotent re-import, years side by side, atomic failure.
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { runImport, ImportError } from '../../server/ingest/run-import.js'
import { refreshCompanyCells } from '../../server/keyfigures/cells.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { createToken } from '../../server/auth/tokens.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { tileOf } from '../../server/tiles/tile-math.js'
import { decode } from '../tiles/helpers.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest')
const BULK = path.join(FIXTURES, 'scb_bulkfil_JE_20260601T065839_76.txt')
let db: DbHandle
let app: FastifyInstance
let dir: string
const reportDir = () => path.join(dir, 'reports')
const snapshot = async () => (await db.query<{ s: string }>(`SELECT coalesce(string_agg(md5(c::text), ',' ORDER BY c.ref_year, c.orgnr), '') AS s
  FROM (SELECT ref_year, orgnr, name, legal_form, sole_trader, sni, kommun_code, geom_public, employees, active, batch_id FROM company) c`)).rows[0].s

beforeAll(async () => {
  db = await openTestDb('base')
  app = await buildTestApp(db)
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-import-'))
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('SCB bulk file (ISO-8859-1, TAB, no quoting)', () => {
  it('imports with exact counts, keeps good rows and reports every bad line', async () => {
    const r = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: BULK, reportDir: reportDir() })
    expect(r.year).toBe(2026) // from the file name's date
    expect(r.sniVersion).toBe('2007')
    expect(r.counts).toEqual({ read: 10, imported: 5, updated: 0, unchanged: 0, rejected: 5, unplaced: 1, removed: 0 })
    const report = parse(readFileSync(r.report!), { columns: true }) as Array<{ file: string; line: string; column: string; reason: string }>
    expect(report.map((x) => [Number(x.line), x.column])).toEqual([[5, 'PeOrgNr'], [6, ''], [7, 'Ng2'], [8, 'JurForm'], [9, 'RegDatKtid']])
    expect(report.every((x) => x.file === path.basename(BULK))).toBe(true)
    const stored = (await db.query<{ line: number; reason: string }>('SELECT line, reason FROM import_error WHERE batch_id = $1 ORDER BY line', [r.batchId])).rows
    expect(stored.map((x) => x.line)).toEqual([5, 6, 7, 8, 9])
    const sole = (await db.query<{ sole_trader: boolean; name: string; location_precision: string }>(
      "SELECT sole_trader, name, location_precision FROM company WHERE legal_form = '10'")).rows[0]
    expect(sole).toEqual({ sole_trader: true, name: 'Åsa "Lillan" Öberg', location_precision: 'kommun' })
    const kf = (await app.inject('/api/key-figures?level=riket&branch=all&year=2026')).json().rows[0]
    expect(kf.companiesAll).toBe(4) // 5 imported, one inactive (FtgStat 9)
  })

  it('stores the precision the parser computed: a firm placed by postcode or postort is "postcode", a sole trader "kommun"; the tiles stack both at the kommun point', async () => {
    const rows = (await db.query<{ orgnr: string; placement: string; precision: string; sole: boolean; exact: boolean; kommun: string; lon: number; lat: number }>(`
      SELECT c.orgnr, c.placement, c.location_precision AS precision, c.sole_trader AS sole, c.geom IS NOT NULL AS exact, c.kommun_code AS kommun,
        ST_X(k.point) AS lon, ST_Y(k.point) AS lat
      FROM company c JOIN kommun k ON k.code = c.kommun_code WHERE c.ref_year = 2026 ORDER BY c.orgnr`)).rows
    const byPostcode = rows.filter((r) => !r.sole && !r.exact && (r.placement === 'postcode' || r.placement === 'postort'))
    expect(byPostcode.length).toBeGreaterThan(0)
    for (const r of byPostcode) expect(r.precision, r.orgnr).toBe('postcode')
    for (const r of rows.filter((x) => x.sole)) expect(r.precision, r.orgnr).toBe('kommun')
    for (const r of byPostcode) {
      const [x, y] = tileOf(r.lon, r.lat, 12)
      const res = await app.inject(`/api/tiles/actors/12/${x}/${y}.mvt?year=2026&status=all`)
      expect(res.statusCode, res.body).toBe(200)
      const features = decode(res.rawPayload)
      const stack = features.find((f) => f.props.kommun === r.kommun)
      expect(stack?.props.cluster, r.orgnr).toBe(true) // in its kommun's stack, not a point of its own
      expect(features.every((f) => f.props.precision !== 'postcode')).toBe(true)
    }
  })

  it('re-importing the same file changes nothing', async () => {
    const before = await snapshot()
    const version = (await app.inject('/api/health')).json().dataVersion
    const r = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: BULK, reportDir: reportDir() })
    expect(r.counts).toEqual({ read: 10, imported: 0, updated: 0, unchanged: 5, rejected: 5, unplaced: 1, removed: 0 })
    expect(await snapshot()).toBe(before)
    expect((await app.inject('/api/health')).json().dataVersion).toBe(version)
  })

  it('imports the .zip as published, with the same result', async () => {
    const before = await snapshot()
    const r = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: path.join(FIXTURES, 'scb_bulkfil.zip'), year: 2026, reportDir: reportDir() })
    expect(r.counts.unchanged).toBe(5)
    expect(await snapshot()).toBe(before)
  })

  it('keeps a second reference year side by side and links companies across years by organisation number', async () => {
    const r = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: BULK, year: 2025, reportDir: reportDir() })
    expect(r.counts.imported).toBe(5)
    const years = (await db.query<{ y: number; n: number }>('SELECT ref_year AS y, count(*)::int AS n FROM company GROUP BY 1 ORDER BY 1')).rows
    expect(years).toEqual([{ y: 2025, n: 5 }, { y: 2026, n: 5 }])
    const id = (await db.query<{ id: number }>("SELECT id FROM company WHERE ref_year = 2026 AND legal_form = '49' ORDER BY id LIMIT 1")).rows[0].id
    const detail = (await app.inject(`/api/actors/${id}`)).json()
    expect(detail.years.map((y: { year: number }) => y.year)).toEqual([2025, 2026])
  })

  it('replaces a snapshot: a row gone from the new file is removed, a changed row is updated', async () => {
    const lines = iconv.decode(readFileSync(BULK), 'latin1').split(/\r?\n/).filter(Boolean)
    // drop the Norwegian association's row, change the name on line 2
    const changed = lines.filter((l) => !l.includes('Norsk')).map((l, i) => (i === 1 ? l.replace('ATELJÉ "BLÅ DÖRREN" AB\tAteljé "Blå Dörren" AB', 'ATELJÉ "BLÅ DÖRREN" AB\tAteljé Blå Dörren Ny AB') : l))
    const file = path.join(dir, 'scb_bulkfil_JE_20260601T065839_77.txt')
    writeFileSync(file, iconv.encode(changed.join('\r\n') + '\r\n', 'latin1'))
    const r = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: file, reportDir: reportDir() })
    expect(r.counts).toMatchObject({ read: 9, imported: 0, updated: 1, unchanged: 3, removed: 1, rejected: 5, unplaced: 0 })
  })
})

describe('own CSV format', () => {
  const header = 'orgnr;name;legal_form;sni1;sni2;sni_version;kommun;employees;size_class;turnover_ksek;lat;lon'
  it('reports duplicates, checksum errors, unknown codes and absurd values, keeping the good rows', async () => {
    const file = path.join(dir, 'firms.csv')
    const org = (nine: string) => nine + luhnCheckDigit(nine)
    writeFileSync(file, [header,
      '5560360793;Volvo Kultur AB;49;90010;;2007;0180;12;;1 234,5;59,33;18,06',
      '5560360794;Bad Checksum AB;49;90010;;2007;0180;1;;;;',
      `${org('556567890')};Okänd SNI AB;49;99999;;2007;0180;1;;;;`,
      `${org('556987654')};Okänd Kommun AB;49;90010;;2007;9999;1;;;;`,
      '5560360793;Dubblett AB;49;90010;;2007;0180;1;;;;',
      `${org('556123456')};Negativ AB;49;90010;;2007;0180;-4;;;;`,
      `${org('556000000')};Bara Klass AB;49;71110;;2007;0880;;4;;;`,
    ].join('\r\n') + '\r\n')
    const r = await runImport(db, { kind: 'companies', format: 'csv', filePath: file, year: 2030, reportDir: reportDir() })
    const report = parse(readFileSync(r.report!), { columns: true }) as Array<{ line: string; column: string; reason: string }>
    expect(r.counts.read).toBe(7)
    expect(r.counts.rejected).toBe(report.length)
    expect(r.counts.imported + r.counts.rejected).toBe(7)
    expect(report.find((x) => x.line === '6')?.reason).toMatch(/duplicate orgnr.*first at line 2/)
    expect(report.map((x) => Number(x.line))).toEqual([3, 4, 5, 6, 7])
    expect(r.counts).toMatchObject({ imported: 2, rejected: 5 })
    const est = (await db.query<{ employees: number | null; size_class: string; employees_est: number }>(
      'SELECT employees, size_class, employees_est FROM company WHERE orgnr = $1', [org('556000000')])).rows[0]
    expect(est).toEqual({ employees: null, size_class: '4', employees_est: 14.5 }) // estimate from the size class, flagged by employees = null
    const volvo = (await db.query<{ turnover: number; employees: number; size_class: string }>("SELECT turnover, employees, size_class FROM company WHERE orgnr = '5560360793' AND ref_year = 2030")).rows[0]
    expect(volvo).toEqual({ turnover: 1234.5, employees: 12, size_class: '4' })
  })

  it('a refresh rebuilds only the key-figure cells its writes changed, and they equal a full rebuild', async () => {
    const org = (nine: string) => nine + luhnCheckDigit(nine)
    const firm = (n: number, name: string, sni: string, kommun: string, employees: string, turnover: string) =>
      `${org(String(557100000 + n))};${name};49;${sni};;2007;${kommun};${employees};;${turnover};;`
    const first = [firm(1, 'Ett AB', '90010', '0180', '3', '100'), firm(2, 'Två AB', '90010', '0180', '5', '200'),
      firm(3, 'Tre AB', '59110', '0180', '1', '50'), firm(4, 'Fyra AB', '59110', '1280', '8', '900'),
      firm(5, 'Fem AB', '90020', '1280', '2', ''), firm(6, 'Sex AB', '90020', '1480', '4', '10')]
    const write = (name: string, rows: string[]) => { const f = path.join(dir, name); writeFileSync(f, [header, ...rows].join('\r\n') + '\r\n'); return f }
    await runImport(db, { kind: 'companies', format: 'csv', filePath: write('cells-1.csv', first), year: 2031, reportDir: reportDir() })
    const cells = async () => (await db.query('SELECT * FROM kf_company_cell WHERE ref_year = 2031 ORDER BY kommun_code, sni_version, sni_code')).rows
    // renamed (no cell changes), moved to another kommun, turnover changed, employees changed, removed, added
    const second = [firm(1, 'Ett Nytt Namn AB', '90010', '0180', '3', '100'), firm(2, 'Två AB', '90010', '1280', '5', '200'),
      firm(3, 'Tre AB', '59110', '0180', '1', '75'), firm(4, 'Fyra AB', '59110', '1280', '9', '900'),
      firm(7, 'Sju AB', '90020', '1480', '1', '5')]
    const r = await runImport(db, { kind: 'companies', format: 'csv', filePath: write('cells-2.csv', second), year: 2031, reportDir: reportDir() })
    expect(r.counts).toMatchObject({ imported: 1, updated: 4, unchanged: 0, removed: 2 })
    const incremental = await cells()
    expect(incremental.reduce((n, c) => n + Number(c.companies), 0)).toBe(5)
    await db.transaction((tx) => refreshCompanyCells(tx, 2031))
    expect(await cells()).toEqual(incremental)
    // an unchanged file writes nothing and leaves the cells as they were
    const again = await runImport(db, { kind: 'companies', format: 'csv', filePath: write('cells-3.csv', second), year: 2031, reportDir: reportDir() })
    expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 5, removed: 0 })
    expect(await cells()).toEqual(incremental)
  })

  it('a failed import leaves the database exactly as it was and is logged as failed', async () => {
    const before = await snapshot()
    const file = path.join(dir, 'broken.csv')
    writeFileSync(file, 'namn;kommun\nNågon;0180\n') // no orgnr column: the file is unusable
    await expect(runImport(db, { kind: 'companies', format: 'csv', filePath: file, reportDir: reportDir() })).rejects.toBeInstanceOf(ImportError)
    expect(await snapshot()).toBe(before)
    const last = (await db.query<{ status: string; message: string }>('SELECT status, message FROM import_batch ORDER BY id DESC LIMIT 1')).rows[0]
    expect(last.status).toBe('failed')
    expect(last.message).toMatch(/orgnr/)
  })
})

describe('HTTP imports', () => {
  it('needs the admin token, streams the upload and returns counts and a downloadable report', async () => {
    const body = readFileSync(BULK)
    const url = '/api/imports?kind=companies&format=scb-bulk&year=2027&fileName=scb_bulkfil_JE_20260601T065839_76.txt'
    expect((await app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/octet-stream' } })).statusCode).toBe(401)
    const promoter = (await createToken(db, 'p', 'promoter')).token
    expect((await app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${promoter}` } })).statusCode).toBe(403)
    const r = await app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(r.statusCode).toBe(201)
    const res = r.json()
    expect(res.counts).toMatchObject({ read: 10, imported: 5, rejected: 5 })
    const errs = await app.inject({ url: res.report, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    const rows = parse(errs.body, { bom: true, columns: true }) as Array<{ line: string }>
    expect(rows.map((x) => Number(x.line))).toEqual([5, 6, 7, 8, 9])
    expect((await app.inject({ url: res.report })).statusCode).toBe(401)
    const log = (await app.inject({ url: '/api/imports', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()
    expect(log[0]).toMatchObject({ id: res.batchId, status: 'done', year: 2027 })
  })

  it('rejects an unsupported format/kind pair and a broken file with a clear 4xx', async () => {
    const h = { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN_TOKEN}` }
    expect((await app.inject({ method: 'POST', url: '/api/imports?kind=workplaces&format=scb-bulk', payload: 'x', headers: h })).statusCode).toBe(400)
    const bad = await app.inject({ method: 'POST', url: '/api/imports?kind=companies&format=csv', payload: 'namn\nx\n', headers: h })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.code).toBe('IMPORT_FAILED')
    const empty = await app.inject({ method: 'POST', url: '/api/imports?kind=companies&format=csv', payload: '', headers: h })
    expect(empty.statusCode).toBe(400)
  })
})

export { copyFileSync }

describe('demo data', () => {
  it('the first real import replaces all synthetic rows, in the same transaction', { timeout: 180_000 }, async () => {
    const demo = await openTestDb('demo')
    try {
      const before = (await demo.query<{ n: number }>('SELECT count(*)::int AS n FROM company WHERE synthetic')).rows[0].n
      expect(before).toBeGreaterThan(1000)
      const r = await runImport(demo, { kind: 'companies', format: 'scb-bulk', filePath: BULK, reportDir: reportDir() })
      expect(r.counts.imported).toBe(5)
      const after = (await demo.query<{ syn: number; all: number; cells: number }>(`SELECT
        (SELECT count(*)::int FROM company WHERE synthetic) AS syn, (SELECT count(*)::int FROM company) AS all,
        (SELECT coalesce(sum(companies), 0)::int FROM kf_company_cell WHERE ref_year IN (2024, 2025)) AS cells`)).rows[0]
      expect(after).toEqual({ syn: 0, all: 5, cells: 0 })
      expect((await demo.query<{ n: number }>('SELECT count(*)::int AS n FROM education_provider WHERE synthetic')).rows[0].n).toBe(0)
    } finally { await demo.close() }
  })
})
