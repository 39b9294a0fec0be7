// SCB's register API files in their real shapes (test/fixtures/ingest/scb-api/) through the whole import path, with
// exact counts: before, an AFR list page was one rejected row, full NDJSON objects became empty, active, unplaced
// companies with SNI 2007, and workplace pages were rejected. And files of another format are refused as a whole.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { openTestDb } from '../helpers/db.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest/scb-api')
let db: DbHandle
let dir: string
const reportDir = () => path.join(dir, 'reports')
const fixture = (name: string) => { const p = path.join(dir, name); copyFileSync(path.join(FIXTURES, name), p); return p }
const file = (name: string, text: string) => { const p = path.join(dir, name); writeFileSync(p, text); return p }
const batches = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM import_batch WHERE status = 'done'")).rows[0].n

beforeAll(async () => { db = await openTestDb('base'); dir = mkdtempSync(path.join(tmpdir(), 'kkb-afr-')) })
afterAll(async () => { await db?.close() })

describe('AFR (SCB key API) files', () => {
  it('imports full JE objects (NDJSON) with kommun, legal form, status, size class, dates and SNI 2025', async () => {
    const r = await runImport(db, { kind: 'companies', format: 'scb-api', filePath: fixture('afr_je_full.ndjson'), year: 2026, reportDir: reportDir() })
    expect(r.counts).toEqual({ read: 4, imported: 3, updated: 0, unchanged: 0, rejected: 1, unplaced: 0, removed: 0 })
    expect(r.sniVersion).toBe('2025')
    const rows = (await db.query<Record<string, unknown>>(`SELECT orgnr, name, legal_form, kommun_code, lan_code, size_class, active, sni_version, sni,
      registered_on::text AS reg, deregistered_on::text AS dereg FROM company WHERE ref_year = 2026 ORDER BY orgnr`)).rows
    expect(rows).toEqual([
      { orgnr: '5561234567', name: 'Påhittade Ljud AB', legal_form: '49', kommun_code: '1280', lan_code: '12', size_class: '4', active: true, sni_version: '2025', sni: ['60100', '59200'], reg: '2019-06-14', dereg: null },
      { orgnr: '5569876542', name: 'Avslutad Design AB', legal_form: '49', kommun_code: '1480', lan_code: '14', size_class: '1', active: false, sni_version: '2025', sni: ['74110'], reg: '2016-04-01', dereg: '2024-03-31' },
      { orgnr: '8503121231', name: 'Fiktivs Bild', legal_form: '10', kommun_code: '0182', lan_code: '01', size_class: '2', active: true, sni_version: '2025', sni: ['90110'], reg: '2025-01-20', dereg: null },
    ])
  })

  it('imports a JE list page in its envelope, row by row', async () => {
    const r = await runImport(db, { kind: 'companies', format: 'scb-api', filePath: fixture('afr_je_page.json'), year: 2027, reportDir: reportDir() })
    expect(r.counts).toEqual({ read: 3, imported: 3, updated: 0, unchanged: 0, rejected: 0, unplaced: 0, removed: 0 })
    const rows = (await db.query<{ k: string; a: boolean }>('SELECT kommun_code AS k, active AS a FROM company WHERE ref_year = 2027 ORDER BY orgnr')).rows
    expect(rows).toEqual([{ k: '0880', a: true }, { k: '1480', a: false }, { k: '0182', a: true }])
  })

  it('imports an AE list page as workplaces, each in its own kommun', async () => {
    const r = await runImport(db, { kind: 'workplaces', format: 'scb-api', filePath: fixture('afr_ae_page.json'), year: 2027, reportDir: reportDir() })
    expect(r.counts).toEqual({ read: 3, imported: 3, updated: 0, unchanged: 0, rejected: 0, unplaced: 0, removed: 0 })
    const rows = (await db.query<{ id: string; k: string; a: boolean }>('SELECT workplace_id AS id, kommun_code AS k, active AS a FROM workplace WHERE ref_year = 2027 ORDER BY 1')).rows
    expect(rows).toEqual([{ id: '91000001', k: '0180', a: true }, { id: '91000002', k: '0880', a: false }, { id: '91000003', k: '0182', a: true }])
  })
})

describe('a file in another format is refused, and nothing changes', () => {
  it('fails scb-api and education json files whose objects have none of the format\'s keys', async () => {
    const before = await batches()
    const foreign = file('foreign.json', JSON.stringify([{ id: 1, title: 'Konsert', venue: 'Stora salen' }, { id: 2, title: 'Utställning' }]))
    await expect(runImport(db, { kind: 'companies', format: 'scb-api', filePath: foreign, year: 2026, reportDir: reportDir() }))
      .rejects.toThrow(/nothing was changed: foreign.json: not in the SCB register API companies \(scb-api\) format .*the first is an object with the keys "id", "title", "venue"/)
    await expect(runImport(db, { kind: 'workplaces', format: 'scb-api', filePath: fixture('afr_je_page.json'), year: 2026, reportDir: reportDir() }))
      .rejects.toThrow(/not in the SCB register API workplaces \(scb-api\) format/)
    await expect(runImport(db, { kind: 'education', format: 'json', filePath: foreign, year: 2026, reportDir: reportDir() }))
      .rejects.toThrow('foreign.json: not in the education csv/json format (expected objects with keys such as provider, provider_type, programme, sun_code, places, …): none of its 2 items has them')
    expect(await batches()).toBe(before)
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company WHERE ref_year = 2026')).rows[0].n).toBe(3)
  })

  it('keeps the understood rows of a mixed file and reports each refused object', async () => {
    const mixed = file('mixed.ndjson', [
      JSON.stringify({ provider: 'Påhittade folkhögskolan', providerType: 'folkhogskola', programme: 'Musiklinjen', kommun: '0880' }),
      JSON.stringify({ id: 2, title: 'Utställning' }),
      JSON.stringify({ programme: 'Dans' }),
    ].join('\n'))
    const r = await runImport(db, { kind: 'education', format: 'json', filePath: mixed, year: 2028, reportDir: reportDir() })
    expect(r.counts).toMatchObject({ read: 3, imported: 1, rejected: 2 })
    const errors = (await db.query<{ line: number; reason: string }>('SELECT line, reason FROM import_error WHERE batch_id = $1 ORDER BY line', [r.batchId])).rows
    expect(errors).toEqual([
      { line: 2, reason: 'none of the keys of the education csv/json format (provider, provider_type, programme, sun_code, places, …), found an object with the keys "id", "title"' },
      { line: 3, reason: 'provider is empty' },
    ])
  })
})
