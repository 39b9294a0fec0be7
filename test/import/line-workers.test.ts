// A new year's SCB bulk file read by worker threads (ingest/line-workers.ts, PostgreSQL) leaves what the import's own
// thread leaves (KKB_IMPORT_WORKERS=0): the same rows, cells, counts and report, the same refusal past the row bound, and
// a repeated organisation number still sends the file through staging. The file spans several of the workers' jobs, with
// rejected, blank, over-long and non-ASCII lines among its rows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport, ORDER_BLOCK_ROWS, type ImportOptions } from '../../server/ingest/run-import.js'
import { BlockOrder, ByteBlock } from '../../server/ingest/staging.js'
import { lineWorkerCount } from '../../server/ingest/line-workers.js'
import { SCB_BULK_COLUMNS, bulkRow, withCheck } from '../ingest/scb-bulk-content.js'
import { driverName, useTestApp } from '../helpers/db.js'

const ctx = useTestApp('base')
const onPg = driverName() === 'postgres'
let dir: string
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'kkb-workers-')) })
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }) })

const PLACES: Array<[string, string]> = [['11122', 'STOCKHOLM'], ['62150', 'VISBY'], ['', 'KIRUNA'], ['', 'OSLO'], ['41106', 'GÖTEBORG']]
const SNI = ['90030', '74201', '59110', '90010', '58110']
const orgnr = (i: number) => withCheck(`5566${String(i).padStart(5, '0')}`)
/** Line i + 2 of the file (the header is line 1): a company, or now and then a line to reject, a blank or an over-long one. */
function line (i: number): string {
  if (i % 4999 === 17) return ''
  if (i === 20_001) return bulkRow({ PeOrgNr: '16' + orgnr(i), Namn: 'Lång rad AB', Gatuadress: 'x'.repeat(3000) })
  const [post, city] = PLACES[i % PLACES.length]
  const org = i % 997 === 5 ? orgnr(i).slice(0, 9) + String((Number(orgnr(i)[9]) + 1) % 10) : orgnr(i)
  return bulkRow({ PeOrgNr: '16' + org, Namn: `Företaget ${i} "Ateljé" AB`, JurForm: i % 7 === 0 ? '10' : '49', FtgStat: i % 11 === 0 ? '9' : '1',
    Gatuadress: `Gatan ${i}`, PostNr: post, PostOrt: city, Ng1: SNI[i % SNI.length], Ng2: i % 3 === 0 ? SNI[(i + 1) % SNI.length] : '',
    Ng3: i % 1231 === 7 ? '85520' : '', RegDatKtid: i % 4 === 0 ? '20190415' : '', Reklamsparrtyp: i % 2 === 0 ? '1' : '2', COAdress: i % 9 === 0 ? 'c/o Någon, "Hem"' : '' })
}
const LINES = 2 * ORDER_BLOCK_ROWS + 5000
function write (name: string, extra: string[] = []): string {
  const p = path.join(dir, name)
  writeFileSync(p, [SCB_BULK_COLUMNS.join('\t'), ...Array.from({ length: LINES }, (_, i) => line(i)), ...extra].join('\n') + '\n')
  return p
}
const opts = (filePath: string, year: number, o: Partial<ImportOptions> = {}): ImportOptions => ({ kind: 'companies', format: 'scb-bulk', filePath,
  year, source: 'workers-test', reportDir: path.join(dir, 'reports'), limits: { maxLineChars: 2000 }, ...o })
/** an import with KKB_IMPORT_WORKERS set as given (the workers' count is read at each import) */
async function importWith (workers: number, o: ImportOptions) {
  const before = process.env.KKB_IMPORT_WORKERS
  process.env.KKB_IMPORT_WORKERS = String(workers)
  try { return await runImport(ctx.db, o) } finally {
    if (before === undefined) delete process.env.KKB_IMPORT_WORKERS
    else process.env.KKB_IMPORT_WORKERS = before
  }
}

const COLUMNS = `orgnr, source, sni1, name, legal_form, sole_trader, sni_version, sni, kommun_code, lan_code, placement, street, postcode,
  city, ST_AsEWKT(geom_public) AS geom_public, location_precision, employees, size_class, employees_est, registered_on, deregistered_on,
  active, marketing_opt_out, synthetic, co_address, source_fp`
const rowsOf = async (year: number) => (await ctx.db.query<Record<string, unknown>>(
  `SELECT ${COLUMNS} FROM company WHERE ref_year = $1 ORDER BY orgnr`, [year])).rows
const cellsOf = async (year: number) => (await ctx.db.query<Record<string, unknown>>(
  'SELECT * FROM kf_company_cell WHERE ref_year = $1 ORDER BY kommun_code, sni_version, sni_code', [year])).rows.map(({ ref_year: _, ...c }) => c)
const errorsOf = async (batchId: number) => (await ctx.db.query<Record<string, unknown>>(
  'SELECT line, "column", value, reason FROM import_error WHERE batch_id = $1 ORDER BY line, reason', [batchId])).rows
/** which path wrote the year: a year written straight from the file has the indexes built on its pending table */
const writtenStraight = async (year: number) => (await ctx.db.query<{ n: string }>('SELECT indexname AS n FROM pg_indexes WHERE tablename = $1',
  [`company_y${year}`])).rows.every((r) => r.n.startsWith('company_pending_'))

describe('a new year read by worker threads', () => {
  it.skipIf(!onPg)('holds the same rows, cells, counts and report as one read in the import\'s thread', async () => {
    const file = write('bulk.txt')
    const one = await importWith(0, opts(file, 2061))
    const two = await importWith(2, opts(file, 2062))
    expect(two.counts).toEqual(one.counts)
    expect(two.sniVersion).toBe(one.sniVersion)
    // (what the comparison covers: rows, rejections of each kind, blanks not read, an over-long line)
    const blanks = Array.from({ length: LINES }, (_, i) => i).filter((i) => i % 4999 === 17).length
    expect(one.counts.read).toBe(LINES - blanks)
    expect(one.counts.rejected).toBeGreaterThan(40)
    expect(one.counts.rejected).toBeLessThan(100)
    expect(one.counts.imported).toBe(one.counts.read - one.counts.rejected)
    expect(await writtenStraight(2061)).toBe(true)
    expect(await writtenStraight(2062)).toBe(true)
    const a = await rowsOf(2061)
    expect(a).toHaveLength(one.counts.imported)
    expect(await rowsOf(2062)).toEqual(a)
    expect(a.find((r) => r.co_address !== null)).toMatchObject({ co_address: 'c/o Någon, "Hem"' })
    expect(await cellsOf(2062)).toEqual(await cellsOf(2061))
    const errors = await errorsOf(one.batchId)
    expect(await errorsOf(two.batchId)).toEqual(errors)
    expect(errors.map((e) => e.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/checksum/), 'unknown SNI code "85520" for SNI 2007',
      expect.stringMatching(/^line is 3\d{3} characters long/)]))
    expect(errors.find((e) => /characters long/.test(e.reason as string))!.line).toBe(20_001 + 2)
    // each job's rows in the write order (kommun, SNI version, branch): a kommun's firms in one run per block
    const keys = (await ctx.db.query<{ k: string }>(`SELECT coalesce(kommun_code, '~') || '|' || sni_version || '|' || coalesce(sni1, '') AS k
      FROM company WHERE ref_year = 2062 ORDER BY id LIMIT 1000`)).rows.map((r) => r.k)
    expect(keys).toEqual([...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)))
  })

  it.skipIf(!onPg)('an organisation number given twice sends the file through staging, which reports it, as in one thread', async () => {
    const file = write('twice.txt', [line(100).replace('Företaget 100', 'Dubbletten')])
    const one = await importWith(0, opts(file, 2063))
    const two = await importWith(1, opts(file, 2064))
    expect(two.counts).toEqual(one.counts)
    expect(one.counts.rejected).toBe((await errorsOf(one.batchId)).length)
    expect((await errorsOf(two.batchId)).filter((e) => /^duplicate /.test(e.reason as string))).toHaveLength(1)
    expect(await writtenStraight(2064)).toBe(false)
    expect(await rowsOf(2064)).toEqual(await rowsOf(2063))
    expect((await ctx.db.query("SELECT 1 FROM pg_class WHERE relname ~ '^company_pending_[0-9]+$'")).rows).toEqual([])
  })

  it.skipIf(!onPg)('a file past the row bound is refused at the same line, and nothing is left behind', async () => {
    const file = write('bound.txt')
    const bound = { maxLineChars: 2000, maxRows: ORDER_BLOCK_ROWS + 10 }
    const e0 = await importWith(0, opts(file, 2065, { limits: bound })).catch((e: Error) => e)
    const e1 = await importWith(2, opts(file, 2066, { limits: bound })).catch((e: Error) => e)
    expect((e0 as Error).message).toMatch(/more than .* at line \d+; the import was refused/)
    expect((e1 as Error).message).toBe((e0 as Error).message)
    expect((await ctx.db.query("SELECT 1 FROM pg_class WHERE relname ~ '^company_pending_[0-9]+$' OR relname IN ('company_y2065', 'company_y2066')")).rows).toEqual([])
  })

  it('a block written as bytes holds the rows in BlockOrder\'s order', () => {
    const keys = ['0180|2007|90030', '1480|2007|59110', '\uffff|2007|', '0180|2007|59110', '0980|2025|90030']
    const rows = Array.from({ length: 3000 }, (_, i) => [keys[(i * 7) % keys.length], `${i},Åsa "Ö" ${'é'.repeat(i % 5)},${keys[(i * 7) % keys.length]}\n`] as const)
    const strings = new BlockOrder(Infinity)
    const bytes = new ByteBlock()
    for (const [k, l] of rows) { strings.add(k, l); bytes.add(k, l) }
    expect(Buffer.from(bytes.bytes()).toString('utf8')).toBe(strings.flush())
    expect(new ByteBlock().bytes()).toHaveLength(0)
  })

  it('KKB_IMPORT_WORKERS sets the workers\' count, and a value that is not one is refused', () => {
    const before = process.env.KKB_IMPORT_WORKERS
    try {
      process.env.KKB_IMPORT_WORKERS = '2'
      expect(lineWorkerCount()).toBe(2)
      process.env.KKB_IMPORT_WORKERS = 'many'
      expect(() => lineWorkerCount()).toThrow(/KKB_IMPORT_WORKERS must be a whole number/)
    } finally {
      if (before === undefined) delete process.env.KKB_IMPORT_WORKERS
      else process.env.KKB_IMPORT_WORKERS = before
    }
  })
})
