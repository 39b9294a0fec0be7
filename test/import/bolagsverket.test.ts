// Bolagsverket's bulk file as published, through the whole import path beside SCB's bulk file and SCB's key API (AFR):
// exact counts; sources own their fields (a re-import of one never overwrites what another supplied; an unchanged file
// reports updated: 0); companies known only to Bolagsverket kept but never active; a sole trader's further names found
// by name search.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { searchActors } from '../../server/actors/queries.js'
import { openTestDb } from '../helpers/db.js'
import { SCB_BULK_COLUMNS, bulkRow, withCheck } from '../ingest/scb-bulk-content.js'
import { BV_HEADER, bvRow } from '../ingest/bolagsverket-content.js'
import { makeZip } from '../ingest/zip-writer.js'

const YEAR = 2026
const AB = withCheck('556677889') // in SCB's file and Bolagsverket's
const FILM = withCheck('556111222') // in SCB's file and Bolagsverket's, deregistered by Bolagsverket
const SOLE = withCheck('850312123') // sole trader: SCB has one row, Bolagsverket two name-protection numbers
const HIST = withCheck('556000004') // known only to Bolagsverket, deregistered long ago
const ONLY = withCheck('556000012') // known only to Bolagsverket, in force, in liquidation

let db: DbHandle
let dir: string
const reportDir = () => path.join(dir, 'reports')
const file = (name: string, data: string | Buffer) => { const p = path.join(dir, name); writeFileSync(p, data); return p }
const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows

const scbFile = (ab = 'Ateljé Blå AB') => file(`scb_bulkfil_JE_${YEAR}0601T065839_76.txt`, [
  SCB_BULK_COLUMNS.join('\t'),
  bulkRow({ PeOrgNr: '16' + AB, Namn: ab, FtgStat: '1', JEStat: '1', JurForm: '49', Gatuadress: 'Storgatan 1', PostNr: '39231', PostOrt: 'KALMAR', Ng1: '90030', RegDatKtid: '20190415', Reklamsparrtyp: '1' }),
  bulkRow({ PeOrgNr: '16' + FILM, Namn: 'Filmbolaget Ö AB', FtgStat: '1', JEStat: '1', JurForm: '49', PostNr: '41111', PostOrt: 'GÖTEBORG', Ng1: '59110', RegDatKtid: '20150630', Reklamsparrtyp: '1' }),
  bulkRow({ PeOrgNr: '19' + SOLE, Namn: 'Åsa Öberg', FtgStat: '1', JEStat: '1', JurForm: '10', PostNr: '62150', PostOrt: 'VISBY', Ng1: '74202', RegDatKtid: '20200101', Reklamsparrtyp: '2' }),
].map((l) => l + '\t\r\n').join(''))

const BV_ROWS = [
  BV_HEADER, // 1
  bvRow(`${AB}$ORGNR-IDORG`, '1', 'SE-LAND', 'Ateljé "Blå Dörren" AB$FORETAGSNAMN-ORGNAM$2019-04-15', 'AB-ORGFO', '', '', '', '2019-04-15', 'Konstnärlig verksamhet; utställningar av 24" tavlor', 'Storgatan 1$$KALMAR$39231$SE-LAND'), // 2
  bvRow(`${FILM}$ORGNR-IDORG`, '1', 'SE-LAND', 'Filmbolaget Ö AB$FORETAGSNAMN-ORGNAM$2015-06-30', 'AB-ORGFO', '2026-03-01', 'KKAV-AVORG', '|KK-AVOMFO$2025-11-05', '2015-06-30', '', '$$GÖTEBORG$41111$SE-LAND'), // 3
  bvRow(`19${SOLE}$PERSON-IDORG`, '1', 'SE-LAND', 'Åsa Öbergs Foto$FORETAGSNAMN-ORGNAM$2020-01-01', 'E-ORGFO', '2023-05-01', 'AVREG-AVORG', '', '2020-01-01', '', '$$VISBY$62150$SE-LAND'), // 4
  bvRow(`19${SOLE}$PERSON-IDORG`, '2', 'SE-LAND', 'Gotlands Bildbyrå$FORETAGSNAMN-ORGNAM$2021-06-01', 'E-ORGFO', '', '', '', '2021-06-01', '', '$$VISBY$62150$SE-LAND'), // 5
  bvRow(`19${SOLE}$PERSON-IDORG`, '2', 'SE-LAND', 'Dubblett$FORETAGSNAMN-ORGNAM$2021-06-01', 'E-ORGFO', '', '', '', '2021-06-01', '', ''), // 6: duplicate
  bvRow(`${HIST}$ORGNR-IDORG`, '1', 'SE-LAND', 'Gammal Handel\u0000 AB$FORETAGSNAMN-ORGNAM$1990-01-01', 'AB-ORGFO', '1999-12-31', 'AVREG-AVORG', '', '1990-01-01', '', 'Box 1$$STOCKHOLM$11122$SE-LAND'), // 7: NUL
  bvRow(`${ONLY}$ORGNR-IDORG`, '1', 'SE-LAND', 'Ny Förening "Ljuspunkten"$FORETAGSNAMN-ORGNAM$2024-01-01|Ljuspunkten Scen$SARS_FORNAMN-ORGNAM$2024-02-01$scen', 'EK-ORGFO', '', '', '|LI-AVOMFO$2026-04-01', '2024-01-01', '', 'Gatan 2$$LUND$22100$SE-LAND'), // 8
  bvRow(`${withCheck('556000020')}$ORGNR-IDORG`, '1', 'SE-LAND', 'Kort'), // 9: too few columns
]
const bvFile = (rows = BV_ROWS) => file('bolagsverket_bulkfil.zip', makeZip([{ name: 'bolagsverket_bulkfil.txt', data: Buffer.from(rows.join('\n') + '\n') }]))

const company = (orgnr: string) => q(`SELECT name, source, active, sni1, kommun_code, size_class, registered_on::text AS reg, deregistered_on::text AS dereg,
  description, liquidation FROM company WHERE ref_year = $1 AND orgnr = $2`, [YEAR, orgnr]).then((r) => r[0])

beforeAll(async () => { db = await openTestDb('base'); dir = mkdtempSync(path.join(tmpdir(), 'kkb-bv-')) })
afterAll(async () => { await db?.close() })

describe('Bolagsverket beside SCB', () => {
  it('imports the published file onto SCB\'s companies: one row per identity and name-protection number', async () => {
    const s = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: scbFile(), year: YEAR, reportDir: reportDir() })
    expect(s.counts).toEqual({ read: 3, imported: 3, updated: 0, unchanged: 0, rejected: 0, unplaced: 0, removed: 0 })

    const b = await runImport(db, { kind: 'companies', format: 'bolagsverket', filePath: bvFile(), year: YEAR, reportDir: reportDir() })
    expect(b.counts).toEqual({ read: 8, imported: 6, updated: 0, unchanged: 0, rejected: 2, unplaced: 0, removed: 0 })
    expect(b.cleaned).toBe(1)
    const errors = await q<{ line: number; reason: string }>('SELECT line, reason FROM import_error WHERE batch_id = $1 ORDER BY line', [b.batchId])
    expect(errors.map((e) => e.line)).toEqual([6, 7, 9])
    expect(errors[0].reason).toMatch(/^duplicate namnskyddslopnummer in the file \(first at line 5\)/)
    expect(errors[1].reason).toBe('1 NUL byte(s) removed; the row was imported')
    expect(errors[2].reason).toBe('wrong number of columns: expected 11, found 4')

    // SCB's rows keep SCB's name and branch; Bolagsverket's facts are taken in
    expect(await company(AB)).toEqual({ name: 'Ateljé Blå AB', source: 'scb-bulk', active: true, sni1: '90030', kommun_code: '0880', size_class: null,
      reg: '2019-04-15', dereg: null, description: 'Konstnärlig verksamhet; utställningar av 24" tavlor', liquidation: null })
    expect(await company(FILM)).toMatchObject({ active: false, dereg: '2026-03-01', liquidation: 'KK-AVOMFO$2025-11-05' })
    // the sole trader: one name-protection number still in force, so the registration is in force
    expect(await company(SOLE)).toMatchObject({ name: 'Åsa Öberg', active: true, dereg: null })
    // known only to Bolagsverket: kept, unclassified, never active (however current)
    expect(await company(HIST)).toMatchObject({ name: 'Gammal Handel AB', source: 'bolagsverket', active: false, sni1: null, dereg: '1999-12-31' })
    expect(await company(ONLY)).toMatchObject({ name: 'Ny Förening "Ljuspunkten"', active: false, kommun_code: '1281', liquidation: 'LI-AVOMFO$2026-04-01' })

    expect(await q('SELECT orgnr, deregistered_on::text AS dereg, deregistration_reason AS reason FROM company_registration WHERE ref_year = $1 ORDER BY orgnr', [YEAR])).toEqual([
      { orgnr: HIST, dereg: '1999-12-31', reason: 'AVREG-AVORG' },
      { orgnr: ONLY, dereg: null, reason: null },
      { orgnr: FILM, dereg: '2026-03-01', reason: 'KKAV-AVORG' },
      { orgnr: AB, dereg: null, reason: null },
      { orgnr: SOLE, dereg: null, reason: null },
    ].sort((a, b) => a.orgnr.localeCompare(b.orgnr)))
    expect(await q('SELECT orgnr, code, date::text AS date FROM company_event WHERE ref_year = $1 ORDER BY orgnr, code', [YEAR])).toEqual([
      { orgnr: ONLY, code: 'LI-AVOMFO', date: '2026-04-01' }, { orgnr: FILM, code: 'KK-AVOMFO', date: '2025-11-05' },
    ].sort((a, b) => a.orgnr.localeCompare(b.orgnr)))
    expect(await q('SELECT name, kind, protection_no AS nr FROM company_name WHERE ref_year = $1 AND orgnr = $2 ORDER BY protection_no', [YEAR, SOLE])).toEqual([
      { name: 'Åsa Öbergs Foto', kind: 'FORETAGSNAMN-ORGNAM', nr: 1 }, { name: 'Gotlands Bildbyrå', kind: 'FORETAGSNAMN-ORGNAM', nr: 2 },
    ])
    // key figures count the active companies with a branch: Bolagsverket's own companies are not among them
    expect(await q('SELECT sum(companies)::int AS n FROM kf_company_cell WHERE ref_year = $1', [YEAR])).toEqual([{ n: 2 }])
  })

  it('finds a company by any of its registered names', async () => {
    const f = { kind: 'company' as const, year: YEAR, definition: 'kreametern-provisional', status: 'all' as const }
    const o = { role: 'admin' as const, sort: 'relevance' as const, desc: false, limit: 10 }
    const names = async (text: string) => (await searchActors(db, { ...f, q: text }, o)).items.map((i) => i.name)
    expect(await names('bildbyrå')).toEqual(['Åsa Öberg']) // the sole trader's second firm name
    expect(await names('ljuspunkten scen')).toEqual(['Ny Förening "Ljuspunkten"']) // a secondary name
    expect(await names('blå dörren')).toEqual(['Ateljé Blå AB']) // Bolagsverket's name of an SCB company
    expect(await names('ateljé blå')).toEqual(['Ateljé Blå AB'])
    // the active list does not show Bolagsverket's own companies
    expect((await searchActors(db, { ...f, status: 'active', q: 'ljuspunkten' }, o)).items).toEqual([])
  })

  it('re-imports of unchanged files change nothing, in either order', async () => {
    const s = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: scbFile(), year: YEAR, reportDir: reportDir() })
    expect(s.counts).toEqual({ read: 3, imported: 0, updated: 0, unchanged: 3, rejected: 0, unplaced: 0, removed: 0 })
    // SCB's file did not wipe Bolagsverket's deregistration, proceedings or description
    expect(await company(FILM)).toMatchObject({ active: false, dereg: '2026-03-01', liquidation: 'KK-AVOMFO$2025-11-05' })
    expect(await company(AB)).toMatchObject({ description: 'Konstnärlig verksamhet; utställningar av 24" tavlor' })
    const b = await runImport(db, { kind: 'companies', format: 'bolagsverket', filePath: bvFile(), year: YEAR, reportDir: reportDir() })
    expect(b.counts).toEqual({ read: 8, imported: 0, updated: 0, unchanged: 6, rejected: 2, unplaced: 0, removed: 0 })
    expect(b.changed).toBe(false)
  })

  it('a changed file updates only its own fields; a registration gone from the file is removed', async () => {
    const s = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: scbFile('Ateljé Blå Dörren AB'), year: YEAR, reportDir: reportDir() })
    expect(s.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 2 })
    expect(await company(AB)).toMatchObject({ name: 'Ateljé Blå Dörren AB', description: 'Konstnärlig verksamhet; utställningar av 24" tavlor' })
    // Bolagsverket: the film company's proceedings end, the historic registration is gone from the file
    const rows = BV_ROWS.filter((_, i) => i !== 6).map((r) => r.replace('|KK-AVOMFO$2025-11-05', ''))
    const b = await runImport(db, { kind: 'companies', format: 'bolagsverket', filePath: bvFile(rows), year: YEAR, reportDir: reportDir() })
    expect(b.counts).toEqual({ read: 7, imported: 0, updated: 1, unchanged: 4, rejected: 2, unplaced: 0, removed: 1 })
    expect(await company(FILM)).toMatchObject({ name: 'Filmbolaget Ö AB', liquidation: null, dereg: '2026-03-01' })
    expect(await company(HIST)).toBeUndefined()
    expect(await company(AB)).toMatchObject({ name: 'Ateljé Blå Dörren AB' })
  })
})

describe('SCB\'s key API (AFR) beside SCB\'s bulk file', () => {
  const Y = 2027
  const afr = () => file('afr.ndjson', JSON.stringify({
    peOrgNr: `16${AB}`, orgNr: AB, namn: 'Ateljé Blå AB', postAdress: { gatuAdress: 'Storgatan 1', coAdress: '', postNr: '39231', postOrt: 'KALMAR' },
    kommunSate: '0880', lanSate: '08', anstKl: '3', ftgStat: '1', jurform: '49', reklamSparrTyp: 1, regDat: '2019-04-14T22:00:00.000Z',
    naringsgrenar: [{ rangordning: 1, naringsgren: '90030', andelProcent: 100, avdelningsKod: 'R' }],
  }) + '\n')
  const bulk = () => file(`scb_bulkfil_JE_${Y}0601T065839_1.txt`, [SCB_BULK_COLUMNS.join('\t'),
    bulkRow({ PeOrgNr: '16' + AB, Namn: 'ATELJÉ BLÅ AB', FtgStat: '1', JEStat: '1', JurForm: '49', Gatuadress: 'Box 7', PostNr: '39231', PostOrt: 'KALMAR', Ng1: '90030', RegDatKtid: '20190415', Reklamsparrtyp: '1' }),
  ].join('\n') + '\n')
  const row = async () => (await q(`SELECT name, source, sources, size_class, street FROM company WHERE ref_year = $1 AND orgnr = $2`, [Y, AB]))[0]

  it('keeps what each supplied, whichever is imported last, and reports updated: 0 for unchanged files', async () => {
    expect((await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: bulk(), year: Y, reportDir: reportDir() })).counts).toMatchObject({ imported: 1 })
    const a = await runImport(db, { kind: 'companies', format: 'scb-api', filePath: afr(), year: Y, reportDir: reportDir() })
    expect(a.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 0 })
    // the API ranks above the bulk file: its name, address and size class stand
    expect(await row()).toEqual({ name: 'Ateljé Blå AB', source: 'scb-api', sources: ['scb-bulk', 'scb-api'], size_class: '3', street: 'Storgatan 1' })
    const b = await runImport(db, { kind: 'companies', format: 'scb-bulk', filePath: bulk(), year: Y, reportDir: reportDir() })
    expect(b.counts).toEqual({ read: 1, imported: 0, updated: 0, unchanged: 1, rejected: 0, unplaced: 0, removed: 0 })
    expect(await row()).toMatchObject({ name: 'Ateljé Blå AB', size_class: '3' })
    const a2 = await runImport(db, { kind: 'companies', format: 'scb-api', filePath: afr(), year: Y, reportDir: reportDir() })
    expect(a2.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 1 })
  })
})
