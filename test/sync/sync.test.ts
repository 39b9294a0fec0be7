// `npm run sync` end to end against a local HTTP server that serves SCB's and Bolagsverket's zips and AFR's pages in
// their real shapes: conditional GET (ETag, Last-Modified → 304, nothing downloaded or imported again), AFR cursor
// paging with the key header, 429 + Retry-After honoured, and a run interrupted mid-list that the next run resumes.
// Nothing here touches the network.
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { syncOptions } from '../../server/sync/config.js'
import { runSync, type SyncOptions } from '../../server/sync/run.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { openTestDb } from '../helpers/db.js'
import { makeZip } from '../ingest/zip-writer.js'
import { AB_ORGNR } from '../ingest/scb-bulk-content.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest')
const KEY = 'test-key-0123456789'
const org = (nine: string) => nine + luhnCheckDigit(nine)

// ---------------------------------------------------------------------------------------------------------
// The official sources, played by a local server

const scbZip = readFileSync(path.join(FIXTURES, 'scb_bulkfil.zip')) // entry scb_bulkfil_JE_20260601T065839_76.txt
const bolagsverketZip = makeZip([{
  name: 'bolagsverket_bulkfil.txt',
  data: Buffer.from([
    'organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress',
    `"${AB_ORGNR}$ORGNR-IDORG";"";"SE-LAND";"Ateljé Blå Dörren AB$FORETAGSNAMN-ORGNAM$2019-04-15";"AB-ORGFO";"";"";"";"2019-04-15";"Konstnärlig verksamhet.";"Konstnärsgatan 1$$STOCKHOLM$11122$SE-LAND"`,
  ].join('\n') + '\n', 'utf8'),
}])

const jeRow = (nine: string, name: string, sni: string, kommun: string) => ({
  peOrgNr: `16${org(nine)}`, orgNr: org(nine), namn: name, postAdress: { gatuAdress: 'Påhittade gatan 1', coAdress: '', postNr: '', postOrt: '' },
  kommunSate: kommun, lanSate: kommun.slice(0, 2), anstKl: '2', ftgStat: '1', jurform: '49', reklamSparrTyp: 1, telefonSparrTyp: 1, epostSparrTyp: 1,
  primarNaringsgren: { rangordning: 1, naringsgren: sni, andelProcent: 100, avdelningsKod: 'R' },
})
const aeRow = (cfarNr: number, nine: string, sni: string, kommun: string) => ({
  cfarNr, peOrgNr: `16${org(nine)}`, ben: ' ', primarNaringsgren: { rangordning: 1, naringsgren: sni, andelProcent: 100, avdelningsKod: 'R' },
  postAdress: { gatuAdress: '', coAdress: '', postNr: '', postOrt: '' },
  belagenhetsadress: { lan: kommun.slice(0, 2), kommun, bGatuAdress: 'Påhittade gatan 1', bPostNr: '', bPostOrt: '' }, aeStat: '1', anstKl: '2',
  reklamSparrTyp: 1, telefonSparrTyp: 1, epostSparrTyp: 1,
})

/** AFR lists: path → pages (limit 2); each page names the cursor that fetches the next. */
const LISTS: Record<string, { key: 'jes' | 'arbetsstallen'; pages: object[][] }> = {
  '/v1/juridiskaenheter/naringsgren/90130': { key: 'jes', pages: [[jeRow('556100001', 'Ett AB', '90130', '0180'), jeRow('556100002', 'Två AB', '90130', '0880')], [jeRow('556100003', 'Tre AB', '90130', '1480')]] },
  '/v1/juridiskaenheter/naringsgren/90200': { key: 'jes', pages: [[jeRow('556100004', 'Scen AB', '90200', '1280')]] },
  '/v1/arbetsstallen/naringsgren/90130': { key: 'arbetsstallen', pages: [[aeRow(92000001, '556100001', '90130', '0180'), aeRow(92000002, '556100002', '90130', '0880')]] },
  '/v1/arbetsstallen/naringsgren/90200': { key: 'arbetsstallen', pages: [[aeRow(92000003, '556100004', '90200', '1280')]] },
}

interface Logged { path: string; cursor: string | null; status: number }
const server = {
  log: [] as Logged[],
  scbEtag: '"scb-v1"',
  bolagsverketModified: 'Mon, 30 Nov 2026 06:00:00 GMT',
  dataDate: '2026-11-29',
  /** requests (path + cursor) that fail with 500 while set */
  broken: new Set<string>(),
  /** requests that answer 429 once */
  tooMany: new Set<string>(),
}

function handle (req: IncomingMessage, res: ServerResponse): void {
  const u = new URL(req.url!, 'http://x')
  const cursor = u.searchParams.get('cursorId')
  const send = (status: number, body: string | Buffer = '', headers: Record<string, string> = {}) => {
    server.log.push({ path: u.pathname, cursor, status })
    res.writeHead(status, headers)
    res.end(body)
  }
  if (u.pathname === '/scb/scb_bulkfil.zip') {
    if (req.headers['if-none-match'] === server.scbEtag) return send(304, '', { etag: server.scbEtag })
    return send(200, scbZip, { etag: server.scbEtag, 'content-type': 'application/zip', 'content-length': String(scbZip.length) })
  }
  if (u.pathname === '/bolagsverket/bolagsverket_bulkfil.zip') {
    const since = req.headers['if-modified-since']
    if (since && Date.parse(since) >= Date.parse(server.bolagsverketModified)) return send(304)
    return send(200, bolagsverketZip, { 'last-modified': server.bolagsverketModified, 'content-type': 'application/zip' })
  }
  if (!u.pathname.startsWith('/v1/')) return send(404)
  if (req.headers['x-api-key'] !== KEY) return send(401, JSON.stringify({ title: 'Invalid or missing API key', status: 401 }), { 'content-type': 'application/problem+json' })
  if (u.pathname === '/v1/api-info') return send(200, JSON.stringify({ senasteUppdateringsDatum: server.dataDate }), { 'content-type': 'application/json' })
  const list = LISTS[u.pathname]
  if (!list) return send(404, JSON.stringify({ title: 'Not Found', status: 404 }))
  const id = `${u.pathname}@${cursor ?? ''}`
  if (server.broken.has(id)) return send(500, JSON.stringify({ title: 'Internal Server Error', status: 500 }))
  if (server.tooMany.delete(id)) return send(429, JSON.stringify({ title: 'Too Many Requests', status: 429 }), { 'retry-after': '3' })
  if (u.searchParams.get('limit') !== '2') return send(400, 'limit must stay 2 in this test')
  const n = cursor === null ? 0 : Number(cursor.replace('c', ''))
  const hasMore = n + 1 < list.pages.length
  // the envelope as AFR writes it: pretty-printed, pagination first on AE pages
  const page = list.key === 'jes'
    ? { jes: list.pages[n], pagination: { nextCursorId: hasMore ? `c${n + 1}` : null, limit: 2, hasMore } }
    : { pagination: { nextCursorId: hasMore ? `c${n + 1}` : null, limit: 2, hasMore }, arbetsstallen: list.pages[n] }
  send(200, JSON.stringify(page, null, 2), { 'content-type': 'application/json' })
}

// ---------------------------------------------------------------------------------------------------------

let http: Server
let base: string
let db: DbHandle
let dataDir: string
const waits: number[] = []
const progress: string[] = []

function options (over: Partial<SyncOptions> = {}): SyncOptions {
  const o = syncOptions(dataDir, {
    SCB_API_KEY: KEY, SYNC_SCB_URL: `${base}/scb/scb_bulkfil.zip`, SYNC_BOLAGSVERKET_URL: `${base}/bolagsverket/bolagsverket_bulkfil.zip`,
    AFR_BASE_URL: `${base}/v1`, AFR_SNI: '90130,90200', AFR_LIMIT: '2', SYNC_MAX_RETRIES: '1',
  }, {})
  return { ...o, wait: async (ms) => { waits.push(ms) }, onProgress: (l) => progress.push(l), ...over }
}
const batchCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_batch')).rows[0].n

beforeAll(async () => {
  http = createServer(handle)
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  db = await openTestDb('base')
  dataDir = mkdtempSync(path.join(tmpdir(), 'kkb-sync-'))
})
afterAll(async () => {
  await db?.close()
  await new Promise((resolve) => http?.close(resolve))
})

describe('npm run sync', () => {
  it('downloads and imports both bulk files, then stops where AFR fails mid-list, keeping its cursor', async () => {
    server.broken.add('/v1/juridiskaenheter/naringsgren/90130@c1') // the second page of the first list
    await expect(runSync(db, options())).rejects.toThrow('AFR companies /juridiskaenheter/naringsgren/90130 page 2: HTTP 500, 1 retry exhausted')
    // the bulk files were imported before AFR failed, for the year in the name of SCB's entry
    const batches = (await db.query<{ format: string; ref_year: number; status: string; counts: Record<string, number> }>(
      'SELECT format, ref_year, status, counts FROM import_batch ORDER BY id')).rows
    expect(batches.map((b) => [b.format, b.ref_year, b.status])).toEqual([['scb-bulk', 2026, 'done'], ['bolagsverket', 2026, 'done']])
    expect(batches[0].counts).toMatchObject({ read: 10, imported: 5, rejected: 5 })
    expect(batches[1].counts).toMatchObject({ read: 1, imported: 1 }) // a new registration (the company itself was SCB's)
    const state = JSON.parse(readFileSync(path.join(dataDir, 'sync/state.json'), 'utf8'))
    expect(state.files.scb).toMatchObject({ etag: '"scb-v1"', importedYear: 2026 })
    expect(state.files.bolagsverket).toMatchObject({ etag: null, lastModified: server.bolagsverketModified, importedYear: 2026 })
    expect(state.afr.running.companies.lists['/juridiskaenheter/naringsgren/90130']).toEqual({ cursor: 'c1', pages: 1, rows: 2, done: false })
    expect(existsSync(path.join(dataDir, 'sync/afr-companies.ndjson'))).toBe(true)
    expect(progress).toContain('AFR companies: list 1/2 (/juridiskaenheter/naringsgren/90130), 1 pages, 2 rows')
  })

  it('resumes AFR at the saved cursor, honours 429 Retry-After, and does not fetch or import the unchanged bulk files again', async () => {
    server.broken.clear()
    // a crash while a page was being written leaves half a line: the resumed run cuts it off
    appendFileSync(path.join(dataDir, 'sync/afr-companies.ndjson'), '{"jes": [{"peOrgNr": "1655')
    server.tooMany.add('/v1/juridiskaenheter/naringsgren/90200@')
    server.log = []
    waits.length = 0
    const before = await batchCount()
    const report = await runSync(db, options())
    expect(report.steps.map((s) => [s.source, s.status])).toEqual([
      ['scb', 'unchanged'], ['bolagsverket', 'unchanged'], ['afr companies', 'imported'], ['afr workplaces', 'imported'],
    ])
    // conditional GETs answered 304; the first page of the interrupted list was not fetched again
    expect(server.log.filter((l) => !l.path.startsWith('/v1/')).map((l) => l.status)).toEqual([304, 304])
    expect(server.log.filter((l) => l.path.includes('/juridiskaenheter/')).map((l) => [l.path.slice(-5), l.cursor, l.status]))
      .toEqual([['90130', 'c1', 200], ['90200', null, 429], ['90200', null, 200]])
    expect(waits).toContain(3000) // Retry-After: 3
    expect(report.steps[2].detail).toBe('2 lists, 3 pages, resumed')
    expect(report.steps[2].import?.counts).toEqual({ read: 4, imported: 4, updated: 0, unchanged: 0, rejected: 0, unplaced: 0, removed: 0 })
    expect(report.steps[3].import?.counts).toEqual({ read: 3, imported: 3, updated: 0, unchanged: 0, rejected: 0, unplaced: 0, removed: 0 })
    expect(await batchCount()).toBe(before + 2)
    const companies = (await db.query<{ name: string; kommun_code: string; sni_version: string }>(
      "SELECT name, kommun_code, sni_version FROM company WHERE ref_year = 2026 AND source = 'scb-api' ORDER BY name")).rows
    expect(companies).toEqual([
      { name: 'Ett AB', kommun_code: '0180', sni_version: '2025' }, { name: 'Scen AB', kommun_code: '1280', sni_version: '2025' },
      { name: 'Tre AB', kommun_code: '1480', sni_version: '2025' }, { name: 'Två AB', kommun_code: '0880', sni_version: '2025' },
    ])
    const state = JSON.parse(readFileSync(path.join(dataDir, 'sync/state.json'), 'utf8'))
    expect(state.afr.running).toEqual({})
    expect(state.afr.done.companies).toMatchObject({ dataDate: '2026-11-29', year: 2026 })
    expect(existsSync(path.join(dataDir, 'sync/afr-companies.ndjson'))).toBe(false)
  })

  it('changes nothing when no source changed, and imports again what did', async () => {
    server.log = []
    const before = await batchCount()
    const same = await runSync(db, options())
    expect(same.steps.map((s) => [s.source, s.status])).toEqual([
      ['scb', 'unchanged'], ['bolagsverket', 'unchanged'], ['afr companies', 'unchanged'], ['afr workplaces', 'unchanged'],
    ])
    expect(server.log.map((l) => [l.path, l.status])).toEqual([
      ['/scb/scb_bulkfil.zip', 304], ['/bolagsverket/bolagsverket_bulkfil.zip', 304], ['/v1/api-info', 200], ['/v1/api-info', 200],
    ])
    expect(await batchCount()).toBe(before)

    server.scbEtag = '"scb-v2"'
    server.dataDate = '2026-11-30'
    const changed = await runSync(db, options({ sources: ['scb', 'afr'] }))
    expect(changed.steps.map((s) => [s.source, s.status])).toEqual([['scb', 'imported'], ['afr companies', 'imported'], ['afr workplaces', 'imported']])
    expect(changed.steps[0].import?.counts).toMatchObject({ read: 10, rejected: 5 })
    expect(changed.steps[2].import?.counts).toMatchObject({ read: 3, imported: 0, unchanged: 3 })
  })

  it('refuses a wrong key with a clear message, and skips AFR without one', async () => {
    server.dataDate = '2026-12-01'
    await expect(runSync(db, options({ sources: ['afr'], afr: { ...options().afr, key: 'wrong' } })))
      .rejects.toThrow('the AFR API refused the key (HTTP 401); check SCB_API_KEY')
    const none = await runSync(db, options({ sources: ['afr'], afr: { ...options().afr, key: null } }))
    expect(none.steps).toEqual([{ source: 'afr', status: 'skipped', detail: 'no API key (set SCB_API_KEY)' }])
  })
})
