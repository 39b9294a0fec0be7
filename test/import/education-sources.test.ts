// Education from published sources through the whole import path: MYH's results workbook (XLSX) as published.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { openTestDb } from '../helpers/db.js'
import { MYH_ROWS, myhWorkbook } from '../ingest/myh-content.js'

let db: DbHandle
let dir: string
const reportDir = () => path.join(dir, 'reports')
const file = (name: string, data: Buffer) => { const p = path.join(dir, name); writeFileSync(p, data); return p }
const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows

beforeAll(async () => { db = await openTestDb('base'); dir = mkdtempSync(path.join(tmpdir(), 'kkb-edu-')) })
afterAll(async () => { await db?.close() })

describe('MYH results (XLSX)', () => {
  it('imports granted applications as programmes and keeps every application with its decision', async () => {
    const f = file('resultat-for-program-2026.xlsx', await myhWorkbook())
    const r = await runImport(db, { kind: 'education', format: 'myh', filePath: f, year: 2026, reportDir: reportDir() })
    expect(r.counts).toEqual({ read: 6, imported: 2, updated: 0, unchanged: 0, rejected: 2, unplaced: 1, removed: 0, notGranted: 2 })
    expect(await q(`SELECT p.name AS provider, p.provider_type AS type, p.kommun_code AS kommun, pr.name AS programme, pr.places
      FROM education_provider p JOIN education_programme pr ON pr.provider_id = p.id WHERE p.source = 'myh' ORDER BY pr.name`)).toEqual([
      { provider: 'Sydkustens YH (fiktiv)', type: 'yh', kommun: '1280', programme: 'Ljudtekniker för scen och event', places: 30 },
      { provider: 'Nordljus Utbildning AB (fiktiv)', type: 'yh', kommun: null, programme: 'Spelgrafiker', places: 35 },
    ])
    expect(await q(`SELECT reference, decision, decision_text AS text, kommun_code AS kommun, places_applied AS applied, places_granted AS granted
      FROM education_application WHERE source = 'myh' AND ref_year = 2026 ORDER BY reference`)).toEqual([
      { reference: 'MYH 2026/1001', decision: 'granted', text: 'Beviljad', kommun: '1280', applied: 60, granted: 30 },
      { reference: 'MYH 2026/1002', decision: 'rejected', text: 'Avslag', kommun: '1280', applied: 30, granted: 0 },
      { reference: 'MYH 2026/1003', decision: 'granted', text: 'Beviljad', kommun: null, applied: 70, granted: 35 },
      { reference: 'MYH 2026/1004', decision: 'rejected', text: 'Ej beviljad', kommun: '1480', applied: 25, granted: null },
    ])
    // the same file again: nothing changes, the applications are not doubled
    const again = await runImport(db, { kind: 'education', format: 'myh', filePath: f, year: 2026, reportDir: reportDir() })
    expect(again.counts).toEqual({ read: 6, imported: 0, updated: 0, unchanged: 2, rejected: 2, unplaced: 1, removed: 0, notGranted: 2 })
    expect(await q("SELECT count(*)::int AS n FROM education_application WHERE source = 'myh'")).toEqual([{ n: 4 }])
    // a later decision round: one more granted, the rejected one is gone
    const next = file('resultat-2026b.xlsx', await myhWorkbook([...MYH_ROWS.slice(0, 1), MYH_ROWS[2], [...MYH_ROWS[3].slice(0, 10), 'Beviljad', 25, 20]]))
    const n = await runImport(db, { kind: 'education', format: 'myh', filePath: next, year: 2026, reportDir: reportDir() })
    expect(n.counts).toEqual({ read: 3, imported: 1, updated: 0, unchanged: 2, rejected: 0, unplaced: 1, removed: 0, notGranted: 0 })
    expect(await q("SELECT count(*)::int AS n FROM education_application WHERE source = 'myh'")).toEqual([{ n: 3 }])
  })
})

describe("Skolverket's school-unit register (API v2)", () => {
  it('imports the arts programme\'s schools as providers of the upper-secondary arts programme', async () => {
    const f = path.join(dir, 'school-units.ndjson')
    copyFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest/skolverket/school-units.ndjson'), f)
    const r = await runImport(db, { kind: 'education', format: 'skolverket', filePath: f, year: 2026, reportDir: reportDir() })
    expect(r.counts).toEqual({ read: 3, imported: 2, updated: 0, unchanged: 0, rejected: 1, unplaced: 0, removed: 0 })
    expect(await q(`SELECT p.name, p.kommun_code AS kommun, p.location_precision AS precision, pr.name AS programme FROM education_provider p
      JOIN education_programme pr ON pr.provider_id = p.id WHERE p.source = 'skolverket' ORDER BY p.name`)).toEqual([
      { name: 'Kalmar Estetiska Gymnasium (fiktivt)', kommun: '0880', precision: 'address', programme: 'Estetiska programmet' },
      { name: 'Visby Kulturgymnasium (fiktivt)', kommun: '0980', precision: 'kommun', programme: 'Estetiska programmet' },
    ])
    const again = await runImport(db, { kind: 'education', format: 'skolverket', filePath: f, year: 2026, reportDir: reportDir() })
    expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 2 })
  })
})
