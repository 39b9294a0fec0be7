// The promoter's workspace (#17) on a real database (embedded PGlite, or PostgreSQL with DATABASE_URL): segments per
// organisation, what changed in a segment between two imports of the same year's snapshot (the change log written by the
// merge), notes and status per organisation, retention and deletion on request.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { createToken } from '../../server/auth/tokens.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
let dir: string
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
let almi: Record<string, string> // promoter of "Almi Skåne"
let almi2: Record<string, string> // a colleague in the same organisation
let other: Record<string, string> // promoter of another organisation
let curator: Record<string, string>

/** A valid organisation number (AB range 559…) from a small index, or a personal identity number (sole trader). */
const orgnr = (i: number) => { const p = `55910${String(i).padStart(4, '0')}`; return p + luhnCheckDigit(p) }
const personnummer = (i: number) => { const p = `8001${String(i).padStart(2, '0')}123`; return p + luhnCheckDigit(p) }

interface Firm {
  nr: string; name: string; sni?: string; kommun?: string; legal?: string; employees?: number; deregistered?: string; co?: string; optOut?: boolean
}
const HEADER = 'orgnr;name;legal_form;sni1;sni_version;kommun;employees;registered;deregistered;co;street;postcode;marketing_optout'
const line = (f: Firm) => [f.nr, f.name, f.legal ?? '49', f.sni ?? '59110', '2025', f.kommun ?? '1280', f.employees ?? 3, '2015-01-01',
  f.deregistered ?? '', f.co ?? '', 'Storgatan 1', '21111', f.optOut ? 'ja' : ''].join(';')

async function importSnapshot (name: string, firms: Firm[]): Promise<number> {
  const file = path.join(dir, name)
  writeFileSync(file, [HEADER, ...firms.map(line)].join('\n') + '\n')
  const r = await runImport(db, { kind: 'companies', format: 'csv', filePath: file, year: 2025, reportDir: path.join(dir, 'reports') })
  expect(r.counts.rejected, JSON.stringify(r)).toBe(0)
  return r.batchId
}

// Segment: film & video (SNI 59) in Malmö and Lund
const FILTERS = { sni: '59', kommun: '1280,1281', year: 2025 }
const stay = [1, 2, 3].map((i) => ({ nr: orgnr(i), name: `Stannar ${i} AB` }))
const closing = [4, 5, 6].map((i) => ({ nr: orgnr(i), name: `Stänger ${i} AB` }))
const decoyOutside = { nr: orgnr(7), name: 'Lockbete Stockholm AB', kommun: '0180' }
const decoyOutsideClosing = { nr: orgnr(8), name: 'Lockbete Göteborg AB', kommun: '1480' }
const movesIn = { nr: orgnr(9), name: 'Flyttar in AB', kommun: '0180' }
const brandNew = [10, 11, 12].map((i) => ({ nr: orgnr(i), name: `Nystartad ${i} AB` }))
const soleTraderNew = { nr: personnummer(1), name: 'Eva Filmare', legal: '10' }

let batch1 = 0
let batch2 = 0
let segmentId = 0

beforeAll(async () => {
  db = await openTestDb('base')
  app = await buildTestApp(db)
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-promoter-'))
  const tok = async (name: string, role: 'promoter' | 'curator', organisation: string, lan?: string[]) =>
    ({ authorization: `Bearer ${(await createToken(db, name, role, { organisation, lan })).token}` })
  almi = await tok('Anna', 'promoter', 'Almi Skåne')
  almi2 = await tok('Bo', 'promoter', 'Almi Skåne')
  other = await tok('Cilla', 'promoter', 'Inkubatorn Norr')
  curator = await tok('Kurator', 'curator', 'Region Skåne', ['12'])
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('segments: what changed since an import', () => {
  it('a second snapshot of the same year: exactly the five firms that entered and the three that closed', async () => {
    batch1 = await importSnapshot('companies-2025-a.csv', [...stay, ...closing, decoyOutside, decoyOutsideClosing, movesIn])
    const created = await app.inject({ method: 'POST', url: '/api/segments', headers: almi, payload: { name: 'Film i Malmö–Lund', filters: FILTERS } })
    expect(created.statusCode, created.body).toBe(201)
    segmentId = created.json().id
    expect(segmentId).toBeGreaterThan(0)

    batch2 = await importSnapshot('companies-2025-b.csv', [
      ...stay,
      { ...closing[0], deregistered: '2025-06-30' }, { ...closing[1], deregistered: '2025-07-15' }, // two deregistered; closing[2] gone
      { ...movesIn, kommun: '1281' }, ...brandNew, soleTraderNew, // five entering: one moved in, three new firms, one new sole trader
      // decoys: new firms outside the filters, an outside firm changing and one closing outside
      { nr: orgnr(20), name: 'Ny Stockholm AB', kommun: '0180' }, { nr: orgnr(21), name: 'Ny IT Malmö AB', sni: '62100' },
      { ...decoyOutside, employees: 40 }, { ...decoyOutsideClosing, deregistered: '2025-05-01' },
    ])
    expect(batch2).toBeGreaterThan(batch1)

    const res = await app.inject({ url: `/api/segments/${segmentId}/changes?sinceImport=${batch1}`, headers: almi })
    expect(res.statusCode, res.body).toBe(200)
    const c = res.json()
    const nrs = (items: Array<{ orgnr: string }>) => items.map((i) => i.orgnr).sort()
    expect(nrs(c.new)).toEqual([movesIn, ...brandNew, soleTraderNew].map((f) => f.nr).sort())
    expect(nrs(c.closed)).toEqual(closing.map((f) => f.nr).sort())
    expect(c.changed).toEqual([])
    expect(c.counts).toEqual({ new: 5, closed: 3, changed: 0 })
    // the counts are exact when the lists are cut short (the segment list asks for counts only)
    const cut = (await app.inject({ url: `/api/segments/${segmentId}/changes?sinceImport=${batch1}&limit=1`, headers: almi })).json()
    expect(cut).toMatchObject({ counts: { new: 5, closed: 3, changed: 0 }, truncated: true })
    expect([cut.new.length, cut.closed.length]).toEqual([1, 1])
    // closed: the two deregistered are still in the register (with the date), the third is gone from the file
    const closed = Object.fromEntries(c.closed.map((i: { orgnr: string }) => [i.orgnr, i]))
    expect(closed[closing[0].nr]).toMatchObject({ gone: false, deregisteredOn: '2025-06-30', name: 'Stänger 4 AB' })
    expect(closed[closing[2].nr]).toMatchObject({ gone: true, name: 'Stänger 6 AB', kommunCode: '1280' })
    // each item has the actor list's fields
    const listed = (await app.inject({ url: `/api/actors?sni=59&kommun=1281&year=2025`, headers: almi })).json().items
      .find((a: { orgnr: string }) => a.orgnr === movesIn.nr)
    expect(c.new.find((i: { orgnr: string }) => i.orgnr === movesIn.nr)).toEqual(listed)

    // since the newest import: nothing; since a day after both imports: nothing either
    const none = (await app.inject({ url: `/api/segments/${segmentId}/changes?sinceImport=${batch2}`, headers: almi })).json()
    expect(none.counts).toEqual({ new: 0, closed: 0, changed: 0 })
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    expect((await app.inject({ url: `/api/segments/${segmentId}/changes?since=${tomorrow}`, headers: almi })).json().counts).toEqual({ new: 0, closed: 0, changed: 0 })
    // since a day before anything: every firm of the segment is new
    expect((await app.inject({ url: `/api/segments/${segmentId}/changes?since=2000-01-01`, headers: almi })).json().counts)
      .toEqual({ new: 3 + 1 + 3 + 1, closed: 0, changed: 0 })
  })

  it('firms still in the segment whose branch, kommun, size class or legal form changed', async () => {
    const batch3 = await importSnapshot('companies-2025-c.csv', [
      { ...stay[0], employees: 25 }, { ...stay[1], legal: '31' }, { ...stay[2], kommun: '1281' },
      { ...closing[0], deregistered: '2025-06-30' }, { ...closing[1], deregistered: '2025-07-15' },
      { ...movesIn, kommun: '1281', sni: '59200' }, ...brandNew, soleTraderNew,
      { nr: orgnr(20), name: 'Ny Stockholm AB', kommun: '0180' }, { nr: orgnr(21), name: 'Ny IT Malmö AB', sni: '62100' },
      { ...decoyOutside, employees: 40, kommun: '0181' }, { ...decoyOutsideClosing, deregistered: '2025-05-01' },
    ])
    const c = (await app.inject({ url: `/api/segments/${segmentId}/changes?sinceImport=${batch2}`, headers: almi })).json()
    expect(c.new).toEqual([])
    expect(c.closed).toEqual([])
    const fields = Object.fromEntries(c.changed.map((i: { orgnr: string; fields: string[] }) => [i.orgnr, i.fields]))
    expect(fields).toEqual({ [stay[0].nr]: ['sizeClass'], [stay[1].nr]: ['legalForm'], [stay[2].nr]: ['kommun'], [movesIn.nr]: ['branch'] })
    const moved = c.changed.find((i: { orgnr: string }) => i.orgnr === stay[2].nr)
    expect(moved).toMatchObject({ kommunCode: '1281', before: { kommunCode: '1280', legalForm: '49' } })
    // over both imports: entered-and-changed firms count once, as new
    const both = (await app.inject({ url: `/api/segments/${segmentId}/changes?sinceImport=${batch1}`, headers: almi })).json()
    expect(both.counts).toEqual({ new: 5, closed: 3, changed: 3 })
    expect(batch3).toBeGreaterThan(batch2)
  })

  it('counts since my last visit, per person', async () => {
    let list = (await app.inject({ url: '/api/segments', headers: almi })).json()
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ id: segmentId, name: 'Film i Malmö–Lund', sinceLastVisit: null, lastSeenImport: null })
    expect(list[0].filters).toMatchObject({ sni: '59', kommun: '1280,1281', year: 2025, kind: 'company', status: 'active' })
    const seen = await app.inject({ method: 'POST', url: `/api/segments/${segmentId}/seen`, headers: almi })
    expect(seen.statusCode, seen.body).toBe(200)
    list = (await app.inject({ url: '/api/segments', headers: almi })).json()
    expect(list[0].sinceLastVisit).toEqual({ new: 0, closed: 0, changed: 0 })
    // a colleague who has not visited still sees nothing recorded for them
    expect((await app.inject({ url: '/api/segments', headers: almi2 })).json()[0].sinceLastVisit).toBeNull()
    // a new import after my visit shows up in my counts
    await importSnapshot('companies-2025-d.csv', [
      { ...stay[0], employees: 25 }, { ...stay[1], legal: '31' }, { ...stay[2], kommun: '1281' },
      { ...movesIn, kommun: '1281', sni: '59200' }, ...brandNew, soleTraderNew, { nr: orgnr(30), name: 'Senast AB' },
    ])
    list = (await app.inject({ url: '/api/segments', headers: almi })).json()
    expect(list[0].sinceLastVisit).toEqual({ new: 1, closed: 0, changed: 0 }) // the two deregistered had closed before my visit
  })
})

describe('segments: organisations and roles', () => {
  it('another organisation neither lists, reads, changes nor deletes a segment (404)', async () => {
    expect((await app.inject({ url: '/api/segments', headers: other })).json()).toEqual([])
    for (const [method, url, payload] of [
      ['GET', `/api/segments/${segmentId}`], ['GET', `/api/segments/${segmentId}/changes?sinceImport=${batch1}`],
      ['PATCH', `/api/segments/${segmentId}`, { name: 'Mine' }], ['DELETE', `/api/segments/${segmentId}`],
      ['GET', `/api/segments/${segmentId}/export?format=csv`],
    ] as const) {
      const res = await app.inject({ method, url, headers: other, payload })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
    }
    // a colleague of the same organisation shares it
    expect((await app.inject({ url: `/api/segments/${segmentId}`, headers: almi2 })).json().name).toBe('Film i Malmö–Lund')
  })

  it('only promoters and the admin; the public is asked to sign in, a curator is refused', async () => {
    expect((await app.inject({ url: '/api/segments' })).statusCode).toBe(401)
    expect((await app.inject({ url: '/api/segments', headers: curator })).statusCode).toBe(403)
    const adminOrg = { authorization: `Bearer ${(await createToken(db, 'Admin Almi', 'admin', { organisation: 'Almi Skåne' })).token}` }
    expect((await app.inject({ url: '/api/segments', headers: adminOrg })).json().map((s: { id: number }) => s.id)).toEqual([segmentId])
    // the admin of ADMIN_TOKEN belongs to no organisation: nothing to keep segments in
    expect((await app.inject({ url: '/api/segments', headers: admin })).statusCode).toBe(403)
  })

  it('validates filters with the actor query schema; PATCH and DELETE', async () => {
    const bad = [{ name: 'x', filters: { kommun: 'Malmö' } }, { name: '', filters: {} }, { name: 'x', filters: { kind: 'education' } },
      { name: 'x', filters: { registeredSince: '2025-02-30' } }, { name: 'x', filters: { definition: 'no-such-definition' } }]
    for (const payload of bad) {
      const res = await app.inject({ method: 'POST', url: '/api/segments', headers: almi, payload })
      expect([400, 404], JSON.stringify(payload) + res.body).toContain(res.statusCode)
    }
    const id = (await app.inject({ method: 'POST', url: '/api/segments', headers: almi, payload: { name: 'Tillfällig', filters: { lan: '12', unknownKey: 1 } } })).json().id
    expect((await app.inject({ url: `/api/segments/${id}`, headers: almi })).json().filters).not.toHaveProperty('unknownKey')
    const patched = await app.inject({ method: 'PATCH', url: `/api/segments/${id}`, headers: almi, payload: { name: 'Skåne', filters: { lan: '12', sizeClass: '2,3' } } })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json()).toMatchObject({ name: 'Skåne', filters: { lan: '12', sizeClass: '2,3' } })
    expect((await app.inject({ method: 'DELETE', url: `/api/segments/${id}`, headers: almi })).statusCode).toBe(204)
    expect((await app.inject({ url: `/api/segments/${id}`, headers: almi })).statusCode).toBe(404)
  })
})

describe('notes and status per firm', () => {
  it('visible only within the organisation, with who and when; the newest entry is the status', async () => {
    const add = (headers: Record<string, string>, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/notes', headers, payload })
    expect((await add(almi, { orgnr: stay[0].nr, status: 'contacted', note: 'Ringde vd, återkommer i maj' })).statusCode).toBe(201)
    const second = await add(almi2, { orgnr: stay[0].nr, status: 'meeting' })
    expect(second.statusCode, second.body).toBe(201)
    expect(second.json()).toMatchObject({ status: 'meeting', createdBy: 'Bo', note: null })
    expect((await add(other, { orgnr: stay[0].nr, status: 'not_relevant', note: 'Inte vår region' })).statusCode).toBe(201)
    expect((await add(almi, { orgnr: stay[0].nr, status: 'bogus' })).statusCode).toBe(400)
    expect((await add(almi, { orgnr: '5591000000', status: 'new' })).statusCode).toBe(400) // bad checksum

    const mine = (await app.inject({ url: `/api/notes?orgnr=${stay[0].nr}`, headers: almi })).json()
    expect(mine.status).toBe('meeting')
    expect(mine.notes.map((n: { createdBy: string; status: string }) => [n.createdBy, n.status])).toEqual([['Bo', 'meeting'], ['Anna', 'contacted']])
    expect(mine.notes[1].note).toBe('Ringde vd, återkommer i maj')
    expect(Date.parse(mine.notes[0].createdAt)).toBeGreaterThan(Date.now() - 60_000)
    const theirs = (await app.inject({ url: `/api/notes?orgnr=${stay[0].nr}`, headers: other })).json()
    expect(theirs.notes.map((n: { note: string }) => n.note)).toEqual(['Inte vår region'])
    expect(JSON.stringify(theirs)).not.toContain('Ringde')
    expect((await app.inject({ url: `/api/notes?orgnr=${stay[0].nr}` })).statusCode).toBe(401)
  })

  it('a read of many firms at once goes to the audit log, without the text', async () => {
    await app.inject({ method: 'POST', url: '/api/notes', headers: almi, payload: { orgnr: soleTraderNew.nr, status: 'new', note: 'Privat: föräldraledig' } })
    const all = (await app.inject({ url: '/api/notes', headers: almi })).json().items
    expect(all.map((i: { orgnr: string }) => i.orgnr).sort()).toEqual([stay[0].nr, soleTraderNew.nr].sort())
    const audit = (await app.inject({ url: '/api/audit?action=notes.read', headers: admin })).json().items
    expect(audit[0]).toMatchObject({ actor: 'Anna', organisation: 'Almi Skåne', details: { firms: 2, soleTraders: 1 } })
    expect(JSON.stringify(audit)).not.toContain('föräldraledig')
    // never in any export: the CRM list of the segment holds no note
    const csv = (await app.inject({ url: `/api/segments/${segmentId}/export?format=csv`, headers: almi })).body
    expect(csv).not.toContain('föräldraledig')
  })

  it('retention: notes older than NOTES_RETENTION_DAYS are deleted when the app starts', async () => {
    await db.query(`UPDATE firm_note SET created_at = now() - interval '40 days' WHERE note = 'Ringde vd, återkommer i maj'`)
    const short = await buildTestApp(db, { notesRetentionDays: 30 })
    await short.close()
    const left = (await app.inject({ url: `/api/notes?orgnr=${stay[0].nr}`, headers: almi })).json()
    expect(left.notes.map((n: { status: string }) => n.status)).toEqual(['meeting'])
  })

  it('deletion on request: everything held about one orgnr, by the admin, audited', async () => {
    expect((await app.inject({ method: 'DELETE', url: `/api/notes?orgnr=${soleTraderNew.nr}`, headers: almi })).statusCode).toBe(403)
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company_change WHERE orgnr = $1', [soleTraderNew.nr])).rows[0].n
    expect(before).toBeGreaterThan(0)
    const res = await app.inject({ method: 'DELETE', url: `/api/notes?orgnr=${soleTraderNew.nr}`, headers: admin })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ orgnr: soleTraderNew.nr, deleted: { notes: 1, changeLog: before } })
    expect((await db.query('SELECT 1 FROM firm_note WHERE orgnr = $1 UNION ALL SELECT 1 FROM company_change WHERE orgnr = $1', [soleTraderNew.nr])).rows).toEqual([])
    const entry = (await app.inject({ url: '/api/audit?action=erase', headers: admin })).json().items[0]
    expect(entry.target).toBe(`${soleTraderNew.nr.slice(0, 6)}****`) // a personnummer never in clear in the log
    // other firms' notes are untouched
    expect((await app.inject({ url: `/api/notes?orgnr=${stay[0].nr}`, headers: almi })).json().notes).toHaveLength(1)
  })
})

describe('CRM-ready export (profile=crm)', () => {
  const URL_OF = (nr: string) => `https://foretagsinfo.bolagsverket.se/sok-foretagsinformation-web/foretag/${nr}`
  beforeAll(async () => {
    await importSnapshot('companies-2025-e.csv', [
      { ...stay[0], employees: 25, co: 'c/o Lindqvist' }, { ...stay[1], legal: '31' }, { ...stay[2], kommun: '1281' },
      { ...movesIn, kommun: '1281', sni: '59200' }, ...brandNew, soleTraderNew, { nr: orgnr(30), name: 'Senast AB' },
      { nr: orgnr(40), name: 'Reklamspärr AB', optOut: true },
    ])
  })

  it("a segment's contact list in Swedish: names instead of codes, the register link, reklamspärr left out", async () => {
    const res = await app.inject({ url: `/api/segments/${segmentId}/export?format=csv&lang=sv`, headers: almi })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="kkb-Film-i-Malmo-Lund-2025\.csv"/)
    const text = res.body.replace(/^\ufeffsep=;\r\n/, '')
    const rows = parse(text, { delimiter: ';', columns: true }) as Array<Record<string, string>>
    expect(Object.keys(rows[0])).toEqual(['Namn', 'Organisationsnummer', 'Juridisk form', 'c/o', 'Gatuadress', 'Postnummer', 'Postort',
      'Kommun', 'Län', 'Branschgrupp', 'Bransch', 'Storleksklass', 'Anställda', 'Registreringsdatum', 'Länk till Bolagsverket'])
    const byNr = Object.fromEntries(rows.map((r) => [r.Organisationsnummer, r]))
    expect(byNr[stay[0].nr]).toMatchObject({ Namn: 'Stannar 1 AB', 'Juridisk form': 'Aktiebolag utom bank- och försäkringsaktiebolag', 'c/o': 'c/o Lindqvist',
      Gatuadress: 'Storgatan 1', Postnummer: '21111', Kommun: 'Malmö', Län: 'Skåne län', Storleksklass: '20-49 anställda', Anställda: '25',
      Registreringsdatum: '2015-01-01', 'Länk till Bolagsverket': URL_OF(stay[0].nr) })
    expect(byNr[stay[0].nr].Bransch).not.toBe('')
    expect(byNr[soleTraderNew.nr]['Länk till Bolagsverket']).toBe('') // a personnummer never goes into a third party's URL
    expect(rows.map((r) => r.Namn)).not.toContain('Reklamspärr AB')
    expect(rows).toHaveLength((await app.inject({ url: '/api/actors/count?sni=59&kommun=1280,1281&year=2025' })).json().total - 1)
  })

  it('the same profile from /api/actors, and as XLSX in English with a hyperlink per firm', async () => {
    const csv = await app.inject({ url: '/api/actors?sni=59&kommun=1280,1281&year=2025&format=csv&profile=crm&locale=en', headers: almi })
    expect(csv.statusCode, csv.body).toBe(200)
    const rows = parse(csv.body.replace(/^\ufeff/, ''), { columns: true }) as Array<Record<string, string>>
    expect(rows.find((r) => r['Organisation number'] === stay[0].nr)).toMatchObject({ 'Size class': '20-49 employees', Municipality: 'Malmö', County: 'Skåne län' })
    // the public role: a sole trader's number and address withheld, as in every export
    const pub = parse((await app.inject({ url: '/api/actors?sni=59&kommun=1280,1281&year=2025&format=csv&profile=crm&locale=en' })).body.replace(/^\ufeff/, ''), { columns: true }) as Array<Record<string, string>>
    const eva = pub.find((r) => r.Name === 'Eva Filmare')!
    expect([eva['Organisation number'], eva['Street address'], eva['c/o']]).toEqual(['', '', ''])

    const x = await app.inject({ url: `/api/segments/${segmentId}/export?format=xlsx&lang=en`, headers: almi })
    expect(x.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('Contacts')!
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['Name', 'Organisation number', 'Legal form', 'c/o', 'Street address', 'Postcode',
      'City', 'Municipality', 'County', 'Branch group', 'Branch category', 'Size class', 'Employees', 'Registration date', 'Link to Bolagsverket'])
    let found = false
    ws.eachRow((row, i) => {
      if (i > 1 && row.getCell(2).value === stay[0].nr) {
        found = true
        expect(row.getCell(15).value).toMatchObject({ hyperlink: URL_OF(stay[0].nr) })
      }
    })
    expect(found).toBe(true)
    // the export is logged once its last row is written, which may be just after the response has ended
    await expect.poll(async () => (await app.inject({ url: '/api/audit?action=export', headers: admin })).json().items[0])
      .toMatchObject({ actor: 'Anna', target: `/api/segments/${segmentId}/export`, details: { format: 'xlsx:crm' } })
  })
})
