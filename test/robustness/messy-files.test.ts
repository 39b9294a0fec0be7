// Import robustness with real messy files through runImport into a copy of the base fixture: the project CSV and the
// SCB bulk format in every encoding and line-ending variant, broken quotes, wrong column counts, duplicates, bad
// checksums, unknown codes, Swedish number formats, negative values, empty and header-only files.
// For each file: every bad row is in the report file and in import_error with line, column, value and reason (the
// same rows in both), every good row is kept (counted in company), and a failed import changes nothing.
// The 20–30 MB memory test and the optional 100 MB file are in big-file.test.ts (runtime budget per file).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import type { DbHandle } from '../../server/db/client.js'
import { ImportError, runImport } from '../../server/ingest/run-import.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { openTestDb } from '../helpers/db.js'
import { SCB_BULK_COLUMNS, bulkRow } from '../ingest/scb-bulk-content.js'

let db: DbHandle
let dir: string
beforeAll(async () => {
  db = await openTestDb('base')
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-messy-'))
})
afterAll(async () => { await db?.close(); if (dir) rmSync(dir, { recursive: true, force: true }) })

/** A Luhn-valid organisation number (legal person: 3rd digit ≥ 2), unique per case and row. */
const org = (c: number, i: number) => { const p = `55${20 + c}${String(i).padStart(5, '0')}`; return p + luhnCheckDigit(p) }
const badCheck = (c: number, i: number) => { const o = org(c, i); return o.slice(0, 9) + String((Number(o[9]) + 1) % 10) }

interface Bad { line: number; column: string; value?: string; reason?: RegExp }
interface Case {
  name: string
  format: 'csv' | 'scb-bulk'
  file: string // file name (scb-bulk: the date in it gives the SNI version tie-break)
  bytes: Buffer
  good: number
  bad: Bad[]
  /** expected stored names (sorted by orgnr), when the case is about decoding */
  names?: string[]
  /** expected [turnover, employees] per stored row (sorted by orgnr) */
  values?: Array<[number | null, number | null]>
}

const H = 'orgnr;name;legal_form;sni1;kommun;employees;turnover_ksek'
const row = (o: string, name: string, extra: Partial<{ lf: string; sni: string; kommun: string; emp: string; turnover: string }> = {}) =>
  [o, name, extra.lf ?? '49', extra.sni ?? '90010', extra.kommun ?? '0180', extra.emp ?? '3', extra.turnover ?? '1200'].join(';')
const lines = (ls: string[], eol = '\r\n') => ls.join(eol) + eol
const NAMES = ['Åsa Öberg Ljud & Bild AB', 'Ärlig Ängel Förlag AB', 'Café Übersättning – Scen AB']

function csvCases (): Case[] {
  let c = 0
  const k = () => c++
  const out: Case[] = []
  const named = (n: number) => NAMES.map((nm, i) => row(org(n, i), nm))
  let n = k(); out.push({ name: 'UTF-8 without BOM, CRLF', format: 'csv', file: 'utf8.csv', bytes: Buffer.from(lines([H, ...named(n)])), good: 3, bad: [], names: NAMES })
  n = k(); out.push({ name: 'UTF-8 with BOM', format: 'csv', file: 'utf8-bom.csv', bytes: Buffer.from('\ufeff' + lines([H, ...named(n)])), good: 3, bad: [], names: NAMES })
  n = k(); out.push({ name: 'Windows-1252 (Excel "CSV (semikolonavgränsad)")', format: 'csv', file: 'cp1252.csv', bytes: iconv.encode(lines([H, ...named(n)]), 'win1252'), good: 3, bad: [], names: NAMES })
  n = k(); out.push({
    name: 'mixed line endings (CRLF, LF, CR) with a bad row: line numbers stay physical', format: 'csv', file: 'eol.csv',
    bytes: Buffer.from(`${H}\r\n${row(org(n, 0), 'Ett AB')}\n${row(org(n, 1), 'Två AB')}\r${row(badCheck(n, 2), 'Fel AB')}\r\n${row(org(n, 3), 'Fyra AB')}\n`),
    good: 3, bad: [{ line: 4, column: 'orgnr', value: badCheck(n, 2), reason: /check|luhn|checksum/i }],
  })
  n = k(); out.push({
    name: 'broken quotes: unclosed, closed wrongly; a quote inside an unquoted value is kept; quoted separators work', format: 'csv', file: 'quotes.csv',
    bytes: Buffer.from(lines([H,
      row(org(n, 0), 'Bra AB'),
      `${org(n, 1)};"Oavslutat citat AB;49;90010;0180;1;100`,
      row(org(n, 2), 'Efter Citatet AB'),
      `${org(n, 3)};"Fel"stängt AB;49;90010;0180;1;100`,
      row(org(n, 4), 'Teater "Tåget" AB'),
      `${org(n, 5)};"Semi;kolon AB";49;90010;0180;1;"1 234,5"`,
    ])),
    good: 4, bad: [{ line: 3, column: 'name', reason: /quote/i }, { line: 5, column: 'name', reason: /quote/i }],
  })
  n = k(); out.push({
    name: 'extra and missing columns', format: 'csv', file: 'columns.csv',
    bytes: Buffer.from(lines([H, row(org(n, 0), 'Bra AB'), row(org(n, 1), 'Extra AB') + ';överskott', row(org(n, 2), 'Saknas AB').split(';').slice(0, 5).join(';'), row(org(n, 3), 'Bra Igen AB')])),
    good: 2, bad: [{ line: 3, column: '', reason: /column|field/i }, { line: 4, column: '', reason: /column|field/i }],
  })
  n = k(); out.push({
    name: 'duplicated orgnr within the file: the first row is kept', format: 'csv', file: 'dups.csv',
    bytes: Buffer.from(lines([H, row(org(n, 0), 'Först AB'), row(org(n, 1), 'Annan AB'), row(org(n, 0), 'Dubblett AB'), row(`${org(n, 0).slice(0, 6)}-${org(n, 0).slice(6)}`, 'Dubblett Med Streck AB')])),
    good: 2, bad: [{ line: 4, column: 'orgnr', reason: /duplicate orgnr.*first at line 2/ }, { line: 5, column: 'orgnr', reason: /duplicate orgnr.*first at line 2/ }],
    names: ['Först AB', 'Annan AB'],
  })
  n = k(); out.push({
    name: 'invalid checksums and malformed numbers', format: 'csv', file: 'checksums.csv',
    bytes: Buffer.from(lines([H, row(org(n, 0), 'Bra AB'), row(badCheck(n, 1), 'Fel Siffra AB'), row('123', 'Kort AB'), row('5560360793x', 'Bokstav AB'), row(org(n, 4), 'Bra Två AB')])),
    good: 2, bad: [{ line: 3, column: 'orgnr', value: badCheck(n, 1) }, { line: 4, column: 'orgnr', value: '123' }, { line: 5, column: 'orgnr', value: '5560360793x' }],
  })
  n = k(); out.push({
    name: 'unknown SNI code, kommun code and kommun name', format: 'csv', file: 'codes.csv',
    bytes: Buffer.from(lines([H, row(org(n, 0), 'Bra AB'), row(org(n, 1), 'Okänd SNI AB', { sni: '99999' }), row(org(n, 2), 'Okänd Kommun AB', { kommun: '9999' }),
      row(org(n, 3), 'Påhittad Ort AB', { kommun: 'Atlantis' }), row(org(n, 4), 'Göteborg Med Namn AB', { kommun: 'Göteborg' }), row(org(n, 5), 'Okänd Form AB', { lf: '77' })])),
    good: 2, bad: [{ line: 3, column: 'sni1', value: '99999', reason: /unknown SNI/ }, { line: 4, column: 'kommun', value: '9999' }, { line: 5, column: 'kommun', value: 'Atlantis' },
      { line: 7, column: 'legal_form', value: '77' }],
  })
  n = k(); out.push({
    name: 'decimal comma, spaces and non-breaking spaces in numbers; ambiguous and non-numeric values rejected', format: 'csv', file: 'numbers.csv',
    bytes: Buffer.from(lines([H, row(org(n, 0), 'Komma AB', { turnover: '1 234,5', emp: '2,5' }), row(org(n, 1), 'Nbsp AB', { turnover: '12\u00a0000', emp: '1 200' }),
      row(org(n, 2), 'Punkt AB', { turnover: '1234.5' }), row(org(n, 3), 'Tvetydig AB', { turnover: '1.234,5' }), row(org(n, 4), 'Text AB', { emp: '12x' })])),
    good: 3, bad: [{ line: 5, column: 'turnover_ksek', value: '1.234,5' }, { line: 6, column: 'employees', value: '12x' }],
    values: [[1234.5, 3], [12000, 1200], [1234.5, 3]], // [turnover, employees]: 2,5 employees (an annual average) rounds into the integer column
  })
  n = k(); out.push({
    name: 'negative and absurd employees', format: 'csv', file: 'employees.csv',
    bytes: Buffer.from(lines([H, row(org(n, 0), 'Bra AB', { emp: '0' }), row(org(n, 1), 'Negativ AB', { emp: '-4' }), row(org(n, 2), 'Absurd AB', { emp: '9999999' }), row(org(n, 3), 'Tom AB', { emp: '' })])),
    good: 2, bad: [{ line: 3, column: 'employees', value: '-4' }, { line: 4, column: 'employees', value: '9999999' }],
  })
  k(); out.push({ name: 'header only: 0 rows, no error', format: 'csv', file: 'header.csv', bytes: Buffer.from(H + '\r\n'), good: 0, bad: [] })
  n = k(); out.push({
    name: 'blank lines and separator-only rows are skipped, not rejected', format: 'csv', file: 'blank.csv',
    bytes: Buffer.from(lines([H, '', row(org(n, 0), 'Bra AB'), ';;;;;;', '   ', row(org(n, 1), 'Bra Två AB')])), good: 2, bad: [],
  })
  return out
}

const BULK_FILE = 'scb_bulkfil_JE_20240601T065839_76.txt' // reference year 2024 → SNI 2007 on a tie
const B = SCB_BULK_COLUMNS.join('\t')
const brow = (o: string, name: string, extra: Record<string, string> = {}) =>
  bulkRow({ PeOrgNr: '16' + o, Namn: name.toUpperCase(), Foretagsnamn: name, FtgStat: '1', JEStat: '1', JurForm: '49', Gatuadress: 'Storgatan 1',
    PostNr: '111 22', PostOrt: 'STOCKHOLM', Ng1: '90030', RegDatKtid: '20190415', Reklamsparrtyp: '1', ...extra })

function bulkCases (): Case[] {
  let c = 40
  const k = () => c++
  const out: Case[] = []
  const named = (n: number) => NAMES.filter((x) => !x.includes('–')).map((nm, i) => brow(org(n, i), nm)) // Latin-1 has no en dash
  const latinNames = NAMES.filter((x) => !x.includes('–'))
  let n = k(); out.push({ name: 'SCB bulk: ISO-8859-1, CRLF (as published)', format: 'scb-bulk', file: BULK_FILE, bytes: iconv.encode(lines([B, ...named(n)]), 'latin1'), good: 2, bad: [], names: latinNames })
  n = k(); out.push({ name: 'SCB bulk: UTF-8 without BOM', format: 'scb-bulk', file: BULK_FILE, bytes: Buffer.from(lines([B, ...named(n)], '\n')), good: 2, bad: [], names: latinNames })
  n = k(); out.push({ name: 'SCB bulk: UTF-8 with BOM', format: 'scb-bulk', file: BULK_FILE, bytes: Buffer.from('\ufeff' + lines([B, ...named(n)])), good: 2, bad: [], names: latinNames })
  n = k(); out.push({
    name: 'SCB bulk: Windows-1252 (€ and en dash)', format: 'scb-bulk', file: BULK_FILE,
    bytes: iconv.encode(lines([B, brow(org(n, 0), 'Scen – Ljud € AB'), brow(org(n, 1), 'Ölands Å AB')]), 'win1252'), good: 2, bad: [], names: ['Scen – Ljud € AB', 'Ölands Å AB'],
  })
  n = k(); out.push({
    name: 'SCB bulk: mixed line endings, no quoting, wrong column counts, duplicates, checksums, unknown codes', format: 'scb-bulk', file: BULK_FILE,
    bytes: iconv.encode(`${B}\r\n${brow(org(n, 0), '"Teater Tåget')}\n${brow(org(n, 1), 'Kort Rad AB').split('\t').slice(0, 33).join('\t')}\r` +
      `${brow(org(n, 2), 'Lång Rad AB')}\textra\r\n${brow(org(n, 3), 'Svansflik AB')}\t\r\n${brow(badCheck(n, 4), 'Felsiffra AB')}\n` +
      `${brow(org(n, 5), 'Okänd SNI AB', { Ng1: '99999' })}\n${brow(org(n, 6), 'Okänd Form AB', { JurForm: '77' })}\n${brow(org(n, 0), 'Dubblett AB')}\n` +
      `${brow(org(n, 8), 'Okänt Postnr AB', { PostNr: '00000', PostOrt: 'INGENSTANS' })}\r\n${brow(org(n, 9), 'Datumfel AB', { RegDatKtid: '20230230' })}\r\n`, 'latin1'),
    good: 3,
    bad: [{ line: 3, column: '', reason: /expected 34, found 33/ }, { line: 4, column: '', reason: /expected 34, found 35/ }, { line: 6, column: 'PeOrgNr' },
      { line: 7, column: 'Ng1', value: '99999' }, { line: 8, column: 'JurForm', value: '77' }, { line: 9, column: 'orgnr', reason: /duplicate orgnr.*first at line 2/ },
      { line: 11, column: 'RegDatKtid', value: '20230230' }],
    names: ['"Teater Tåget', 'Svansflik AB', 'Okänt Postnr AB'],
  })
  k(); out.push({ name: 'SCB bulk: header only', format: 'scb-bulk', file: BULK_FILE, bytes: iconv.encode(B + '\r\n', 'latin1'), good: 0, bad: [] })
  return out
}

/** Everything an import may change, except the import log itself (a failed import is logged there on purpose). */
const fingerprint = async () => (await db.query<{ s: string }>(`SELECT
    (SELECT count(*) || ':' || coalesce(md5(string_agg(md5(c::text), ',' ORDER BY c.id)), '') FROM company c) || '|' ||
    (SELECT count(*) FROM import_error) || '|' ||
    (SELECT count(*) || ':' || coalesce(md5(string_agg(md5(k::text), ',' ORDER BY k::text)), '') FROM kf_company_cell k) || '|' ||
    (SELECT coalesce(string_agg(key || '=' || value, ',' ORDER BY key), '') FROM meta WHERE key NOT LIKE '%cache%') AS s`)).rows[0].s

async function importCase (cse: Case, i: number) {
  const sub = path.join(dir, `case-${i}`)
  const filePath = path.join(dir, `${i}-${cse.file}`)
  writeFileSync(filePath, cse.bytes)
  const source = `messy-${i}`
  const r = await runImport(db, { kind: 'companies', format: cse.format, filePath, fileName: cse.file, year: 2030, source, reportDir: sub })
  return { r, source }
}

async function check (cse: Case, i: number) {
  const { r, source } = await importCase(cse, i)
  const what = cse.name
  expect(r.counts.rejected, what).toBe(cse.bad.length)
  expect(r.counts.imported, what).toBe(cse.good)
  expect(r.counts.read, what).toBe(cse.good + cse.bad.length)
  // every good row is kept
  const stored = (await db.query<{ name: string }>('SELECT name FROM company WHERE source = $1 ORDER BY orgnr', [source])).rows
  expect(stored.length, what).toBe(cse.good)
  if (cse.names) expect(stored.map((x) => x.name), what).toEqual(cse.names)
  if (cse.values) {
    const v = (await db.query<{ turnover: number | null; employees: number | null }>('SELECT turnover, employees FROM company WHERE source = $1 ORDER BY orgnr', [source])).rows
    expect(v.map((x) => [x.turnover === null ? null : Number(x.turnover), x.employees]), what).toEqual(cse.values)
  }
  // every bad row: in the report file and in import_error, the same rows, with line, column, value and reason
  const db_ = (await db.query<{ file: string; line: number; column: string | null; value: string | null; reason: string }>(
    'SELECT file, line, "column", value, reason FROM import_error WHERE batch_id = $1 ORDER BY line, id', [r.batchId])).rows
  expect(db_.length, what).toBe(cse.bad.length)
  if (!cse.bad.length) { expect(r.report, what).toBeNull(); return }
  type ReportRow = { file: string; line: string; column: string; value: string; reason: string }
  const report = parse(readFileSync(r.report!), { columns: true, bom: true }) as ReportRow[]
  expect(report.map((x) => [Number(x.line), x.column, x.value, x.reason]), what)
    .toEqual(db_.map((x) => [x.line, x.column ?? '', x.value ?? '', x.reason]))
  expect(report.map((x) => [Number(x.line), x.column]), what).toEqual(cse.bad.map((b) => [b.line, b.column]))
  cse.bad.forEach((b, j) => {
    const got = report[j]
    expect(got.file, what).toBe(cse.file)
    expect(got.reason.length, `${what} line ${b.line}`).toBeGreaterThan(3)
    if (b.reason) expect(got.reason, `${what} line ${b.line}`).toMatch(b.reason)
    if (b.value !== undefined) expect(got.value, `${what} line ${b.line}`).toBe(b.value)
    else expect(got.value.length, `${what} line ${b.line}: the value (or the raw line) is reported`).toBeGreaterThan(0)
  })
}

describe('project CSV (companies)', () => {
  const cases = csvCases()
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_n, cse, i) => { await check(cse, i) })
})

describe('SCB bulk file (companies)', () => {
  const cases = bulkCases()
  it.each(cases.map((c, i) => [c.name, c, 100 + i] as const))('%s', async (_n, cse, i) => { await check(cse, i) })
})

describe('whole-file errors: a clear message, nothing changed', () => {
  const failing: Array<[string, 'csv' | 'scb-bulk', Buffer, RegExp]> = [
    ['empty CSV file', 'csv', Buffer.alloc(0), /empty/i],
    ['empty SCB bulk file', 'scb-bulk', Buffer.alloc(0), /empty/i],
    ['CSV with only a BOM', 'csv', Buffer.from('\ufeff'), /empty|header|orgnr/i],
    ['CSV without the mandatory orgnr column', 'csv', Buffer.from('namn;kommun\r\nNågon AB;0180\r\n'), /orgnr/],
    ['CSV naming a column twice', 'csv', Buffer.from(`orgnr;name;name\r\n${org(90, 1)};A;B\r\n`), /twice|duplicate/i],
    ['SCB bulk without PeOrgNr', 'scb-bulk', iconv.encode(SCB_BULK_COLUMNS.slice(1).join('\t') + '\r\nx\r\n', 'latin1'), /PeOrgNr/],
    ['binary garbage', 'csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), /./],
  ]
  it.each(failing.map((f, i) => [...f, i] as const))('%s', async (name, format, bytes, message, i) => {
    const before = await fingerprint()
    const filePath = path.join(dir, `fail-${i}.${format === 'csv' ? 'csv' : 'txt'}`)
    writeFileSync(filePath, bytes)
    const err = await runImport(db, { kind: 'companies', format, filePath, year: 2030, source: `fail-${i}`, reportDir: path.join(dir, 'fail') }).then(() => null, (e) => e)
    expect(err, name).toBeInstanceOf(ImportError)
    expect((err as Error).message, name).toMatch(/nothing was changed/)
    expect((err as Error).message, name).toMatch(message)
    expect(await fingerprint(), name).toBe(before)
    const last = (await db.query<{ status: string; message: string }>('SELECT status, message FROM import_batch ORDER BY id DESC LIMIT 1')).rows[0]
    expect(last.status).toBe('failed')
  })
})
