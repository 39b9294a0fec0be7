// A refresh of a year (the same source's file again, some rows changed) reads in full only the lines whose fingerprint
// differs from their stored row's (server/ingest/fingerprint.ts). It must leave exactly the register a fresh import of
// the new file leaves, report the same rejected rows, and never leave out a line that changed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import type { DbHandle } from '../../server/db/client.js'
import { runImport, type ImportResult } from '../../server/ingest/run-import.js'
import { openTestDb } from '../helpers/db.js'
import { SCB_BULK_COLUMNS, bulkRow, withCheck } from '../ingest/scb-bulk-content.js'

const YEAR = 2026
let dir: string
let refreshed: DbHandle
let fresh: DbHandle

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-refresh-'))
  refreshed = await openTestDb('base')
  fresh = await openTestDb('base')
})
afterAll(async () => { await refreshed?.close(); await fresh?.close() })

const POST = [['11122', 'STOCKHOLM'], ['41111', 'GÖTEBORG'], ['62150', 'VISBY'], ['99999', 'INGENSTANS']]
const SNI = ['90030', '74201', '59110', '90010', '74202']
/** A valid row i (synthetic firm): every column the parser reads has a value. */
const row = (i: number, over: Partial<Record<string, string>> = {}) => bulkRow({
  PeOrgNr: '16' + withCheck(String(556100000 + i)), Namn: `FIRMA ${i} AB`, Foretagsnamn: `Firma ${i} AB`, FtgStat: i % 7 === 0 ? '9' : '1',
  JEStat: '1', JurForm: '49', Gatuadress: `Gatan ${i}`, PostNr: POST[i % POST.length][0], PostOrt: POST[i % POST.length][1],
  Ng1: SNI[i % SNI.length], Ng2: i % 3 === 0 ? SNI[(i + 1) % SNI.length] : '', RegDatKtid: `2010${String(1 + (i % 12)).padStart(2, '0')}15`,
  Reklamsparrtyp: i % 2 ? '1' : '2', ...over,
})
const write = (name: string, lines: string[]) => {
  const file = path.join(dir, name)
  writeFileSync(file, iconv.encode([SCB_BULK_COLUMNS.join('\t'), ...lines].join('\r\n') + '\r\n', 'latin1'))
  return file
}
const importFile = (db: DbHandle, filePath: string) =>
  runImport(db, { kind: 'companies', format: 'scb-bulk', filePath, year: YEAR, sniVersion: '2007', reportDir: path.join(dir, 'reports') })

/** Every company row of the year as the register holds it (all columns but the row id, the batch and the fingerprint). */
const companies = async (db: DbHandle) => (await db.query<{ r: string }>(`SELECT (to_jsonb(c) - 'id' - 'batch_id' - 'source_fp')::text AS r
  FROM company c WHERE ref_year = $1 ORDER BY orgnr`, [YEAR])).rows.map((x) => x.r)
const report = (r: ImportResult) => r.report === null ? [] : (parse(readFileSync(r.report), { columns: true }) as Array<Record<string, string>>)
  .map((x) => `${x.line}|${x.column}|${x.value}|${x.reason}`)

const N = 60
const BAD_SNI = row(1000, { Ng1: '12345' }) // rejected: unknown SNI code, in both files unchanged
const original = [...Array.from({ length: N }, (_, i) => row(i)), BAD_SNI, row(1001).slice(0, -3)]

describe('refresh of a year by fingerprint', () => {
  it('leaves the same register and the same report as a fresh import of the new file, reading only the changed lines', async () => {
    const first = await importFile(refreshed, write('scb_a.txt', original))
    expect(first.counts).toMatchObject({ read: N + 2, imported: N, rejected: 2 })
    expect(first.skipped).toBe(0) // a new year: read in full

    const changed = original.slice()
    changed[3] = row(3, { Foretagsnamn: 'Firma 3 Nytt Namn AB' })
    changed[4] = row(4, { Ng1: '90010', Ng2: '' })
    changed[5] = row(5, { FtgStat: '9' })
    changed[6] = row(6, { PostNr: '41111', PostOrt: 'GÖTEBORG' })
    changed[8] = row(8, { JurForm: '10' }) // a sole trader now (its point becomes the kommun's)
    changed[9] = row(9, { RegDatKtid: '20200101' })
    changed[10] = row(10, { Reklamsparrtyp: '1' })
    changed[11] = row(11, { Ng1: '99999' }) // now rejected: its stored row goes, as after a fresh import
    changed.splice(20, 1) // row 20 gone from the file: removed
    changed.push(row(500)) // new
    changed.push(row(30)) // row 30 twice (the same line): the second is a duplicate, the first unchanged
    changed.push(row(31, { Namn: 'ANNAN' })) // row 31 twice, different lines
    const file = write('scb_b.txt', changed)

    const r = await importFile(refreshed, file)
    const f = await importFile(fresh, file)
    expect(await companies(refreshed)).toEqual(await companies(fresh))
    expect(report(r)).toEqual(report(f))
    expect(r.counts).toEqual({
      read: f.counts.read, imported: 1, updated: 7, unchanged: f.counts.imported - 8, rejected: f.counts.rejected, unplaced: f.counts.unplaced, removed: 2,
    })
    // left out: every valid line but the 8 changed or new ones and the 4 lines of the two keys held twice
    // (N rows, less the one gone and the one now rejected, the 7 changed and the 2 keys held twice)
    expect(r.skipped).toBe(N - 2 - 7 - 2)
    // the bad row unchanged since the last import is reported again: each import's report is complete in itself
    expect(report(r).some((x) => x.startsWith(`${changed.indexOf(BAD_SNI) + 2}|Ng1|12345|`))).toBe(true)

    // and again: nothing changed now, every line left out but the ones that cannot be (rejected, keys held twice)
    const again = await importFile(refreshed, file)
    expect(again.counts).toMatchObject({ imported: 0, updated: 0, removed: 0, unchanged: f.counts.imported })
    expect(again.skipped).toBe(f.counts.imported - 2)
    expect(await companies(refreshed)).toEqual(await companies(fresh))
  })

  it('reads in full every line that changed in any column, even one the register does not keep', async () => {
    // (a fifth of the rows changed: under the share above which a refresh reads every line anyway)
    const base = Array.from({ length: SCB_BULK_COLUMNS.length * 5 }, (_, i) => row(2000 + i))
    await importFile(refreshed, write('scb_c.txt', base))
    // one column of one row changed per row: one character, in every column of the file
    const changed = base.map((l, i) => {
      if (i % 5) return l
      const f = l.split('\t')
      const c = i / 5
      f[c] = SCB_BULK_COLUMNS[c] === 'PeOrgNr' ? f[c] : f[c] === '' ? ' ' : f[c].slice(0, -1) + (f[c].endsWith('1') ? '2' : '1')
      return f.join('\t')
    })
    const file = write('scb_d.txt', changed)
    const r = await importFile(refreshed, file)
    const f = await importFile(fresh, file)
    // every changed line was read in full (the PeOrgNr one is unchanged: its key is the row)
    expect(r.skipped).toBe(base.length - (SCB_BULK_COLUMNS.length - 1))
    expect(await companies(refreshed)).toEqual(await companies(fresh))
    expect(report(r)).toEqual(report(f))
    expect(r.counts.rejected).toBe(f.counts.rejected)
  })

  it('reads a line in full again once Bolagsverket\'s facts of its row changed or went', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => row(4000 + i))
    const scb = write('scb_f.txt', lines)
    const orgnr = withCheck(String(556100000 + 4003))
    const bvFile = (dereg: string, name: string) => {
      const q = (...f: string[]) => f.map((x) => `"${x}"`).join(';')
      const p = path.join(dir, name)
      writeFileSync(p, ['"organisationsidentitet";"namnskyddslopnummer";"registreringsland";"organisationsnamn";"organisationsform";"avregistreringsdatum";' +
        '"avregistreringsorsak";"pagandeAvvecklingsEllerOmstruktureringsforfarande";"registreringsdatum";"verksamhetsbeskrivning";"postadress"',
      q(`${orgnr}$ORGNR-IDORG`, '', 'SE-LAND', 'Firma 4003 AB$FORETAGSNAMN-ORGNAM$2010-04-15', 'AB-ORGFO', dereg, dereg ? 'AVREG-KONK' : '', '', '2010-04-15', 'Film.', 'Gatan 1$$LUND$22100$SE-LAND'),
      ].join('\r\n') + '\r\n')
      return p
    }
    const bv = (file: string) => runImport(refreshed, { kind: 'companies', format: 'bolagsverket', filePath: file, year: YEAR, reportDir: path.join(dir, 'reports') })
    const state = async () => (await refreshed.query<{ active: boolean; deregistered_on: string | null; description: string | null }>(
      'SELECT active, deregistered_on::text, description FROM company WHERE ref_year = $1 AND orgnr = $2', [YEAR, orgnr])).rows[0]
    await importFile(refreshed, scb)
    await bv(bvFile('2026-03-01', 'bolagsverket_a.txt'))
    expect(await state()).toEqual({ active: false, deregistered_on: '2026-03-01', description: 'Film.' })
    // that row's line is read again, and the merge keeps Bolagsverket's facts
    const again = await importFile(refreshed, scb)
    expect(again.skipped).toBe(19)
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 20 })
    expect((await importFile(refreshed, scb)).skipped).toBe(20) // and left out once it was read
    // Bolagsverket's record goes (a file without it): the row is read again, and SCB's line alone decides it again
    await bv(bvFile('', 'bolagsverket_b.txt'))
    const other = withCheck(String(556100000 + 4004))
    writeFileSync(path.join(dir, 'bolagsverket_c.txt'), readFileSync(path.join(dir, 'bolagsverket_b.txt'), 'utf8').replaceAll(orgnr, other))
    await bv(path.join(dir, 'bolagsverket_c.txt'))
    const after = await importFile(refreshed, scb)
    expect(after.skipped).toBe(18) // both rows whose registration changed
    const f = await importFile(fresh, scb)
    expect(f.counts.imported + f.counts.unchanged + f.counts.updated).toBe(20)
    const one = async (db: DbHandle, o: string) => (await db.query<{ r: string }>(`SELECT (to_jsonb(c) - 'id' - 'batch_id' - 'source_fp')::text AS r
      FROM company c WHERE ref_year = $1 AND orgnr = $2`, [YEAR, o])).rows[0].r
    expect(await one(refreshed, orgnr)).toEqual(await one(fresh, orgnr))
  })

  it('reads every line in full when what the rows depend on besides the lines changed (here the synthetic flag)', async () => {
    const file = write('scb_e.txt', Array.from({ length: 20 }, (_, i) => row(3000 + i)))
    await importFile(refreshed, file)
    expect((await importFile(refreshed, file)).skipped).toBe(20)
    const synthetic = await runImport(refreshed, { kind: 'companies', format: 'scb-bulk', filePath: file, year: YEAR, sniVersion: '2007', synthetic: true, reportDir: path.join(dir, 'reports') })
    expect(synthetic.skipped).toBe(0)
    expect(synthetic.counts.updated).toBe(20) // now synthetic rows
  })
})
