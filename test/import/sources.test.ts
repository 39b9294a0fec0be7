// SCB API objects, Bolagsverket enrichment and education providers through the whole import path.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { openTestDb } from '../helpers/db.js'

const org = (nine: string) => nine + luhnCheckDigit(nine)
const AB = org('556677889')
const SOLE = org('850312123')
const OTHER = org('556111222')
let db: DbHandle
let dir: string
const reportDir = () => path.join(dir, 'reports')
const file = (name: string, text: string) => { const p = path.join(dir, name); writeFileSync(p, text); return p }

beforeAll(async () => { db = await openTestDb('base'); dir = mkdtempSync(path.join(tmpdir(), 'kkb-src-')) })
afterAll(async () => { await db?.close() })

describe('SCB register API + Bolagsverket enrichment', () => {
  it('imports SCB API companies with seat kommun and size class, then enriches them from Bolagsverket', async () => {
    const api = file('je.ndjson', [
      JSON.stringify({ PeOrgNr: `16${AB}`, Företagsnamn: 'Ateljé Blå AB', 'Säteskommun, kod': '0880', 'Juridisk form, kod': '49', 'Bransch_1, kod': '90030', 'Bransch_2, kod': '     ', 'Stkl, kod': '3', 'Företagsstatus, kod': '1', 'Reklam, kod': '21', PostNr: '39231', PostOrt: 'KALMAR' }),
      JSON.stringify({ PeOrgNr: `19${SOLE}`, Namn: 'Åsa Öberg Foto', 'Säteskommun, kod': '0980', 'Juridisk form, kod': '10', 'Bransch_1, kod': '74202', 'Stkl, kod': '1', 'Företagsstatus, kod': '1' }),
    ].join('\n') + '\n')
    const r = await runImport(db, { kind: 'companies', format: 'scb-api', filePath: api, year: 2025, reportDir: reportDir() })
    expect(r.counts).toMatchObject({ read: 2, imported: 2, rejected: 0, unplaced: 0 })
    const ab = (await db.query<Record<string, unknown>>('SELECT kommun_code, lan_code, size_class, employees, employees_est, marketing_opt_out, sole_trader, placement FROM company WHERE orgnr = $1', [AB])).rows[0]
    expect(ab).toEqual({ kommun_code: '0880', lan_code: '08', size_class: '3', employees: null, employees_est: 7, marketing_opt_out: true, sole_trader: false, placement: 'seat' })

    const q = (...f: string[]) => f.map((x) => `"${x.replace(/"/g, '""')}"`).join(';')
    const bv = file('bolagsverket_bulkfil.txt', [
      '"organisationsidentitet";"namnskyddslopnummer";"registreringsland";"organisationsnamn";"organisationsform";"avregistreringsdatum";"avregistreringsorsak";"pagandeAvvecklingsEllerOmstruktureringsforfarande";"registreringsdatum";"verksamhetsbeskrivning";"postadress"',
      q(`${AB}$ORGNR-IDORG`, '', 'SE-LAND', 'Ateljé Blå Dörren AB$FORETAGSNAMN-ORGNAM$2019-04-15', 'AB-ORGFO', '', '', '', '2019-04-15', 'Konstnärlig verksamhet;\nutställningar.', 'Storgatan 1$$KALMAR$39231$SE-LAND'),
      q(`${OTHER}$ORGNR-IDORG`, '', 'SE-LAND', 'Ny Förening$FORETAGSNAMN-ORGNAM$2024-01-01', 'EK-ORGFO', '', '', '', '2024-01-01', '', 'Gatan 2$$LUND$22100$SE-LAND'),
    ].join('\r\n') + '\r\n')
    const e = await runImport(db, { kind: 'companies', format: 'bolagsverket', filePath: bv, year: 2025, reportDir: reportDir() })
    expect(e.counts).toMatchObject({ read: 2, imported: 2, updated: 0, rejected: 0 })
    const enriched = (await db.query<Record<string, unknown>>('SELECT name, description, registered_on::text AS reg, sni1 FROM company WHERE orgnr = $1', [AB])).rows[0]
    // the name stays SCB's (Bolagsverket's is kept as a registered name); the description is Bolagsverket's
    expect(enriched).toEqual({ name: 'Ateljé Blå AB', description: 'Konstnärlig verksamhet;\nutställningar.', reg: '2019-04-15', sni1: '90030' })
    // no SNI in Bolagsverket's file: an unmatched row is kept as an unclassified company, placed by postcode, never active
    const other = (await db.query<Record<string, unknown>>('SELECT sni, sni1, kommun_code, placement, active FROM company WHERE orgnr = $1', [OTHER])).rows[0]
    expect(other).toEqual({ sni: [], sni1: null, kommun_code: '1281', placement: 'postcode', active: false })
    // an identical enrichment file changes nothing
    const again = await runImport(db, { kind: 'companies', format: 'bolagsverket', filePath: bv, year: 2025, reportDir: reportDir() })
    expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 2 })
  })

  it('imports SCB API workplaces with their own kommun', async () => {
    const ae = file('ae.json', JSON.stringify([
      { CFARNr: '12345678', PeOrgNr: `16${AB}`, Benämning: 'Ateljé Söder', 'Kommun, kod': '0180', 'Bransch_1, kod': '90030', 'Stkl, kod': '2', 'Arbetsställestatus, kod': '1' },
      { CFARNr: '87654321', PeOrgNr: `16${AB}`, Benämning: 'Ateljé Kalmar', 'Kommun, kod': '0880', 'Bransch_1, kod': '90030', 'Stkl, kod': '2', 'Arbetsställestatus, kod': '1' },
    ]))
    const r = await runImport(db, { kind: 'workplaces', format: 'scb-api', filePath: ae, year: 2025, reportDir: reportDir() })
    expect(r.counts).toMatchObject({ read: 2, imported: 2 })
    const cells = (await db.query<{ k: string; n: number }>('SELECT kommun_code AS k, workplaces AS n FROM kf_workplace_cell WHERE ref_year = 2025 ORDER BY 1')).rows
    expect(cells).toEqual([{ k: '0180', n: 1 }, { k: '0880', n: 1 }])
  })
})

describe('education providers', () => {
  it('imports the documented CSV and JSON, grouping programmes under their provider', async () => {
    const csv = file('edu.csv', [
      'provider;provider_type;programme;sun_code;places;kommun;lat;lon;start_year;url',
      'Demo folkhögskola;Folkhögskola;Musikerlinjen;212a;24;0880;56,66;16,36;2025;https://example.org',
      'Demo folkhögskola;Folkhögskola;Konstlinjen;211a;18;0880;56,66;16,36;2025;https://example.org',
      'Kulturskolan Kalmar;kulturskola;Dans;212b;;0880;;;2024;',
      'Trasig;okänd typ;X;212a;1;0880;;;;',
    ].join('\n') + '\n')
    const r = await runImport(db, { kind: 'education', format: 'csv', filePath: csv, year: 2025, reportDir: reportDir() })
    expect(r.counts).toMatchObject({ read: 4, imported: 3, rejected: 1 })
    const p = (await db.query<{ name: string; n: number; places: number }>(`SELECT p.name, count(*)::int AS n, coalesce(sum(pr.places), 0)::int AS places
      FROM education_provider p JOIN education_programme pr ON pr.provider_id = p.id GROUP BY p.name ORDER BY p.name`)).rows
    expect(p).toEqual([{ name: 'Demo folkhögskola', n: 2, places: 42 }, { name: 'Kulturskolan Kalmar', n: 1, places: 0 }])
    const again = await runImport(db, { kind: 'education', format: 'csv', filePath: csv, year: 2025, reportDir: reportDir() })
    expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 3, rejected: 1 })
    const json = file('edu.json', JSON.stringify([{ provider: 'Konstfack Demo', providerType: 'hogskola', programme: 'Design', sunCode: '214c', places: 30, kommun: '0180' }]))
    const j = await runImport(db, { kind: 'education', format: 'json', filePath: json, year: 2025, source: 'edu-json', reportDir: reportDir() })
    expect(j.counts).toMatchObject({ read: 1, imported: 1 })
  })
})
