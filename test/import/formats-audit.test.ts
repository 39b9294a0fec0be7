// Acceptance audit of the real-format importers with files written from shared/research/real-formats.md alone (not
// from the parsers or the other fixtures). SYNTHETIC data: names, addresses and numbers are invented.
// SCB's bulk file: Windows-1252, TAB, no quoting, CRLF, a trailing TAB on every line, the documented 34 columns.
// Bolagsverket's: UTF-8, `;`, every value quoted, inner quotes not doubled, one row per identity and name-protection
// number. AFR: nested camelCase objects. Checked: the c/o address each supplies; the same end state whichever of SCB and
// Bolagsverket is imported first; a company SCB's file no longer has becomes Bolagsverket's own again (never active).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { makeZip } from '../ingest/zip-writer.js'

const org = (nine: string) => nine + luhnCheckDigit(nine)
const FILM = org('556677889') // an AB in both files; Bolagsverket deregistered it
const SOLE = org('640161234') // a sole trader (samordningsnummer-like, invented): SCB one row, Bolagsverket two names
const MUSEUM = org('769000005') // an economic association only SCB has

// the column order as documented (real-formats.md, "columns, in order")
const SCB_COLUMNS = ('ForAndrTyp COAdress Foretagsnamn FtgStat Gatuadress JEStat JurForm Namn Ng1 Ng2 Ng3 Ng4 Ng5 PeOrgNr PostNr PostOrt ' +
  'RegDatKtid Reklamsparrtyp mCOAdress mForetagsnamn mFtgStat mGatuadress mJEStat mJurForm mNamn mNg1 mNg2 mNg3 mNg4 mNg5 mPostNr mPostOrt ' +
  'mRegDatKtid mReklamsparrtyp').split(' ')
const scbLine = (v: Record<string, string>) => SCB_COLUMNS.map((c) => v[c] ?? (c.startsWith('m') ? '1' : '')).join('\t') + '\t\r\n'
const SCB_ROWS = {
  film: { PeOrgNr: '16' + FILM, Foretagsnamn: 'Filmbolaget Ek’s AB', Namn: 'Filmbolaget Ek’s AB', COAdress: 'c/o Ström', FtgStat: '1', JEStat: '1', JurForm: '49',
    Gatuadress: 'Storgatan 1', PostNr: '11122', PostOrt: 'STOCKHOLM', Ng1: '59110', Ng2: '74200', RegDatKtid: '20190315', Reklamsparrtyp: '1' },
  sole: { PeOrgNr: '19' + SOLE, Foretagsnamn: 'Foto Fiktivsson', Namn: 'Fiktivsson, Fiktiv', FtgStat: '1', JEStat: '1', JurForm: '10',
    Gatuadress: 'Hemvägen 3', PostNr: '22100', PostOrt: 'LUND', Ng1: '74200', RegDatKtid: '20100401', Reklamsparrtyp: '1' },
  museum: { PeOrgNr: '16' + MUSEUM, Foretagsnamn: 'Bygdemuseet ek. för.', Namn: 'Bygdemuseet ek. för.', FtgStat: '1', JEStat: '1', JurForm: '51',
    Gatuadress: 'Museivägen 7', PostNr: '90325', PostOrt: 'UMEÅ', Ng1: '91210', RegDatKtid: '20050607', Reklamsparrtyp: '2' },
}
const scbZip = (rows: Record<string, string>[]) => makeZip([{ name: 'scb_bulkfil_JE_20260601T065839_76.txt',
  data: iconv.encode(scbLine(Object.fromEntries(SCB_COLUMNS.map((c) => [c, c]))) + rows.map(scbLine).join(''), 'win1252') }])

const BV_HEADER = 'organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;' +
  'avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress'
const bvLine = (...v: string[]) => v.map((x) => `"${x}"`).join(';') + '\n'
const BV = makeZip([{ name: 'bolagsverket_bulkfil.txt', data: Buffer.from(BV_HEADER + '\n' +
  bvLine(`${FILM}$ORGNR-IDORG`, '1', 'SE-LAND', 'Filmbolaget Ek AB$FORETAGSNAMN-ORGNAM$2019-03-15|Oak Films$FORNAMN_FRSPRAK-ORGNAM$2019-03-15', 'AB-ORGFO',
    '2026-05-01', 'KKAV-AVORG', '|KKAVOV-AVSLAVOMFO$2025-03-11|KK-AVOMFO$2024-06-05', '2019-03-15', 'Film på 35" och "dokumentärer"',
    'Storgatan 1$c/o Ström$STOCKHOLM$11122$SE-LAND') +
    bvLine(`19${SOLE}$PERSON-IDORG`, '1', 'SE-LAND', 'Foto Fiktivsson$FORETAGSNAMN-ORGNAM$2010-04-01', 'E-ORGFO', '', '', '', '2010-04-01', 'Fotografering',
      'Hemvägen 3$c/o Ek$LUND$22100$SE-LAND') +
      bvLine(`19${SOLE}$PERSON-IDORG`, '2', 'SE-LAND', 'Fiktivssons Bildbyrå$FORETAGSNAMN-ORGNAM$2015-06-01', 'E-ORGFO', '', '', '', '2015-06-01', 'Bildbyrå', '')),
}])

let db: DbHandle
let dir: string
const file = (name: string, data: string | Buffer) => { const p = path.join(dir, name); writeFileSync(p, data); return p }
const run = (format: 'scb-bulk' | 'bolagsverket' | 'scb-api', name: string, data: string | Buffer, year: number) =>
  runImport(db, { kind: 'companies', format, filePath: file(name, data), year, reportDir: path.join(dir, 'reports') })
const COLS = `orgnr, source, sources, name, legal_form, sni, kommun_code, street, co_address, registered_on::text AS reg, deregistered_on::text AS dereg,
  active, description, liquidation`
const rows = (year: number) => db.query(`SELECT ${COLS} FROM company WHERE ref_year = $1 ORDER BY orgnr`, [year]).then((r) => r.rows)
const counted = (year: number) => db.query<{ n: number }>('SELECT coalesce(sum(companies), 0)::int AS n FROM kf_company_cell WHERE ref_year = $1', [year])
  .then((r) => r.rows[0].n)

beforeAll(async () => { db = await openTestDb('base'); dir = mkdtempSync(path.join(tmpdir(), 'kkb-audit-')) })
afterAll(async () => { await db?.close() })

describe('SCB and Bolagsverket, files as documented, in either order', () => {
  const all = [SCB_ROWS.film, SCB_ROWS.sole, SCB_ROWS.museum]
  it('reaches the same register whichever file comes first, and re-imports change nothing', async () => {
    // 2026: SCB first; 2027: Bolagsverket first
    expect((await run('scb-bulk', 'scb_bulkfil.zip', scbZip(all), 2026)).counts).toMatchObject({ read: 3, imported: 3, rejected: 0 })
    expect((await run('bolagsverket', 'bolagsverket_bulkfil.zip', BV, 2026)).counts).toMatchObject({ read: 3, imported: 3, rejected: 0 })
    expect((await run('bolagsverket', 'bolagsverket_bulkfil.zip', BV, 2027)).counts).toMatchObject({ read: 3, imported: 3, rejected: 0 })
    expect((await run('scb-bulk', 'scb_bulkfil.zip', scbZip(all), 2027)).counts).toMatchObject({ read: 3, rejected: 0 })
    for (const y of [2026, 2027]) {
      expect((await run('scb-bulk', 'scb_bulkfil.zip', scbZip(all), y)).counts).toMatchObject({ updated: 0, unchanged: 3, removed: 0 })
      expect((await run('bolagsverket', 'bolagsverket_bulkfil.zip', BV, y)).counts).toMatchObject({ updated: 0, unchanged: 3, removed: 0 })
    }
    const y26 = await rows(2026)
    expect(await rows(2027)).toEqual(y26)
    expect(y26).toEqual([
      // SCB's name, branch and c/o address; Bolagsverket's deregistration (inactive), proceedings and description
      { orgnr: FILM, source: 'scb-bulk', sources: null, name: 'Filmbolaget Ek’s AB', legal_form: '49', sni: ['59110', '74200'], kommun_code: '0180', street: 'Storgatan 1',
        co_address: 'c/o Ström', reg: '2019-03-15', dereg: '2026-05-01', active: false, description: 'Film på 35" och "dokumentärer"',
        liquidation: 'KKAVOV-AVSLAVOMFO$2025-03-11|KK-AVOMFO$2024-06-05' },
      // SCB has no c/o for the sole trader: Bolagsverket's fills the gap, in either order
      { orgnr: SOLE, source: 'scb-bulk', sources: null, name: 'Foto Fiktivsson', legal_form: '10', sni: ['74200'], kommun_code: '1281', street: 'Hemvägen 3',
        co_address: 'c/o Ek', reg: '2010-04-01', dereg: null, active: true, description: 'Fotografering', liquidation: null },
      { orgnr: MUSEUM, source: 'scb-bulk', sources: null, name: 'Bygdemuseet ek. för.', legal_form: '51', sni: ['91210'], kommun_code: '2480', street: 'Museivägen 7',
        co_address: null, reg: '2005-06-07', dereg: null, active: true, description: null, liquidation: null },
    ].sort((a, b) => a.orgnr.localeCompare(b.orgnr)))
    expect(await counted(2026)).toBe(2)
    expect(await counted(2027)).toBe(2)
  })

  it('a company SCB\'s file no longer has becomes Bolagsverket\'s own again (never active), whichever came first', async () => {
    for (const y of [2026, 2027]) {
      const s = await run('scb-bulk', 'scb_bulkfil.zip', scbZip([SCB_ROWS.museum]), y)
      expect(s.counts).toMatchObject({ read: 1, imported: 0, updated: 0, unchanged: 1, removed: 2 })
      // the next Bolagsverket import finds its own companies as they should be: nothing of its changed
      expect((await run('bolagsverket', 'bolagsverket_bulkfil.zip', BV, y)).counts).toMatchObject({ imported: 0, updated: 0, unchanged: 3 })
    }
    const y26 = await rows(2026)
    expect(await rows(2027)).toEqual(y26)
    expect(y26.filter((r) => r.orgnr !== MUSEUM)).toEqual([
      { orgnr: FILM, source: 'bolagsverket', sources: null, name: 'Filmbolaget Ek AB', legal_form: null, sni: [], kommun_code: '0180', street: 'Storgatan 1',
        co_address: 'c/o Ström', reg: '2019-03-15', dereg: '2026-05-01', active: false, description: 'Film på 35" och "dokumentärer"',
        liquidation: 'KKAVOV-AVSLAVOMFO$2025-03-11|KK-AVOMFO$2024-06-05' },
      { orgnr: SOLE, source: 'bolagsverket', sources: null, name: 'Foto Fiktivsson', legal_form: null, sni: [], kommun_code: '1281', street: 'Hemvägen 3',
        co_address: 'c/o Ek', reg: '2010-04-01', dereg: null, active: false, description: 'Fotografering', liquidation: null },
    ].sort((a, b) => a.orgnr.localeCompare(b.orgnr)))
    // the sole trader is no longer an active KKB actor: only the museum is counted
    expect(await counted(2026)).toBe(1)
    expect(await counted(2027)).toBe(1)
    // and back in SCB's file: SCB's again, counted again
    for (const y of [2026, 2027]) {
      expect((await run('scb-bulk', 'scb_bulkfil.zip', scbZip(all), y)).counts).toMatchObject({ read: 3, unchanged: 1, removed: 0 })
    }
    expect(await rows(2027)).toEqual(await rows(2026))
    expect(await counted(2026)).toBe(2)
  })
})

describe('a company two SCB sources supplied', () => {
  const afr = (orgnrs: string[]) => orgnrs.map((o) => JSON.stringify({ peOrgNr: '16' + o, namn: `AFR ${o}`, kommunSate: '0180', lanSate: '01',
    postAdress: { gatuAdress: 'Storgatan 1', coAdress: '', postNr: '11122', postOrt: 'STOCKHOLM' }, anstKl: '3', ftgStat: '1', jurform: '49',
    reklamSparrTyp: 1, naringsgrenar: [{ rangordning: 1, naringsgren: '59110', andelProcent: 100, avdelningsKod: 'J' }] })).join('\n') + '\n'
  const Y = 2031
  const row = async (o: string) => (await db.query('SELECT source, sources, active FROM company WHERE ref_year = $1 AND orgnr = $2', [Y, o])).rows[0]
  it('stays while either has it, and is removed when neither has it any more', async () => {
    await run('scb-bulk', 'scb_bulkfil.zip', scbZip([SCB_ROWS.film, SCB_ROWS.museum]), Y)
    await run('scb-api', 'afr.ndjson', afr([FILM, MUSEUM]), Y)
    expect(await row(FILM)).toEqual({ source: 'scb-api', sources: ['scb-bulk', 'scb-api'], active: true })
    // gone from the bulk file: the API's alone now
    expect((await run('scb-bulk', 'scb_bulkfil.zip', scbZip([SCB_ROWS.museum]), Y)).counts).toMatchObject({ removed: 1, unchanged: 1 })
    expect(await row(FILM)).toEqual({ source: 'scb-api', sources: null, active: true })
    // and gone from the API's: removed (it used to stay, active, for ever)
    expect((await run('scb-api', 'afr.ndjson', afr([MUSEUM]), Y)).counts).toMatchObject({ removed: 1, unchanged: 1 })
    expect(await row(FILM)).toBeUndefined()
    expect((await run('scb-api', 'afr.ndjson', afr([MUSEUM]), Y)).counts).toMatchObject({ removed: 0, updated: 0, unchanged: 1 })
    expect((await run('scb-bulk', 'scb_bulkfil.zip', scbZip([SCB_ROWS.museum]), Y)).counts).toMatchObject({ removed: 0, updated: 0, unchanged: 1 })
  })
})

describe('the c/o address SCB supplies', () => {
  it('is kept from the bulk file (COAdress), AFR objects (postAdress.coAdress) and the certificate API (COAdress)', async () => {
    await run('scb-bulk', 'scb_bulkfil.zip', scbZip([SCB_ROWS.film]), 2028)
    const co = async (y: number) => (await db.query<{ co: string | null }>('SELECT co_address AS co FROM company WHERE ref_year = $1', [y])).rows.map((r) => r.co)
    expect(await co(2028)).toEqual(['c/o Ström'])
    await run('scb-api', 'afr.ndjson', JSON.stringify({ peOrgNr: '16' + FILM, orgNr: FILM, namn: 'Filmbolaget Ek’s AB',
      postAdress: { gatuAdress: 'Storgatan 1', coAdress: 'c/o Lind', postNr: '11122', postOrt: 'STOCKHOLM' }, kommunSate: '0180', lanSate: '01',
      anstKl: '3', ftgStat: '1', jurform: '49', reklamSparrTyp: 1, regDat: '2019-03-14T23:00:00.000Z',
      naringsgrenar: [{ rangordning: 1, naringsgren: '59110', andelProcent: 100, avdelningsKod: 'J' }] }) + '\n', 2029)
    expect(await co(2029)).toEqual(['c/o Lind'])
    await run('scb-api', 'foretag.json', JSON.stringify([{ PeOrgNr: '16' + FILM, Företagsnamn: 'Filmbolaget Ek’s AB', COAdress: 'c/o Berg',
      PostAdress: 'Storgatan 1', PostNr: '11122', PostOrt: 'STOCKHOLM', 'Säteskommun, kod': '0180', 'Företagsstatus, kod': '1',
      'Juridisk form, kod': '49', 'Bransch_1, kod': '59110', 'Bransch_2, kod': '     ' }]), 2030)
    expect(await co(2030)).toEqual(['c/o Berg'])
  })
})

describe('a file in the wrong format', () => {
  const xlsx = async () => {
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Tabell 3').addRow(['Utbildningsanordnare administrativ enhet', 'Beslut'])
    return Buffer.from(await wb.xlsx.writeBuffer())
  }
  const scb = () => scbZip([SCB_ROWS.film])
  const cases: [string, string, 'companies' | 'education', string, () => Promise<Buffer> | Buffer, RegExp][] = [
    ['Bolagsverket\'s file as SCB\'s', 'bolagsverket_bulkfil.zip', 'companies', 'scb-bulk', () => BV,
      /missing mandatory columns PeOrgNr, Namn .*this looks like Bolagsverket's bulk file: import it with the format bolagsverket$/],
    ['SCB\'s file as Bolagsverket\'s', 'scb_bulkfil.zip', 'companies', 'bolagsverket', scb, /this looks like SCB's bulk file: import it with the format scb-bulk$/],
    ['SCB\'s file as our CSV', 'scb_bulkfil.zip', 'companies', 'csv', scb, /this looks like SCB's bulk file: import it with the format scb-bulk$/],
    ['an XLSX as CSV', 'lista.xlsx', 'companies', 'csv', xlsx, /this is an Excel workbook \(XLSX\), not a text file; expected a CSV file \(csv\)/],
    ['an XLSX as SCB\'s file', 'lista.xlsx', 'companies', 'scb-bulk', xlsx, /an Excel workbook \(XLSX\), not a text file; expected SCB's bulk file \(scb-bulk/],
    ['an old XLS as CSV', 'lista.xls', 'education', 'csv', () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), /Excel 97–2003 workbook \(XLS\)/],
    ['an empty file', 'scb_bulkfil.txt', 'companies', 'scb-bulk', () => Buffer.alloc(0), /file is empty/],
    ['a zip without a text file', 'bolagsverket_bulkfil.zip', 'companies', 'bolagsverket',
      () => makeZip([{ name: 'readme.pdf', data: Buffer.from('%PDF-1.4') }]), /found 0 \(readme\.pdf\); expected Bolagsverket's bulk file/],
    ['a truncated zip', 'scb_bulkfil.zip', 'companies', 'scb-bulk', () => scb().subarray(0, 60), /not a readable zip file .*; expected SCB's bulk file/],
    ['a zipped register file as MYH\'s workbook', 'resultat.xlsx', 'education', 'myh', scb, /not an Excel \(XLSX\) file \(no worksheets\); expected MYH's/],
  ]
  it.each(cases)('%s fails naming the format it expected, and the register stays as it was', async (_, name, kind, format, data, message) => {
    const before = await db.query('SELECT ref_year, orgnr, source, name, active FROM company ORDER BY 1, 2')
    await expect(runImport(db, { kind, format: format as never, filePath: file(name, await data()), year: 2026, reportDir: path.join(dir, 'reports') }))
      .rejects.toThrow(message)
    expect((await db.query('SELECT ref_year, orgnr, source, name, active FROM company ORDER BY 1, 2')).rows).toEqual(before.rows)
  })

  it('over HTTP: a 4xx with the same message, and the server goes on answering', async () => {
    const app = await buildTestApp(db)
    try {
      const res = await app.inject({ method: 'POST', url: '/api/imports?kind=companies&format=scb-bulk&year=2026',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/octet-stream' }, payload: BV })
      expect(res.statusCode).toBe(422)
      expect(res.json().error.message).toMatch(/import it with the format bolagsverket$/)
      const xl = await app.inject({ method: 'POST', url: '/api/imports?kind=companies&format=csv&year=2026',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/octet-stream' }, payload: await xlsx() })
      expect(xl.statusCode).toBe(422)
      expect(xl.json().error.message).toMatch(/Excel workbook \(XLSX\)/)
      expect((await app.inject({ url: '/api/regions?level=lan' })).statusCode).toBe(200)
    } finally {
      await app.close()
    }
  })
})
