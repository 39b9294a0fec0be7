// The promoter's workspace (#17) in real Chromium against the real server (demo data): a promoter of an organisation
// signs in, filters (branch in the link, kommun through the search box), saves the selection as a segment, an import of
// the year's snapshot then adds five firms to it, closes three and changes one (decoys outside it), the segment shows the counts
// since the visit and the three lists, a firm's card takes a status and a note that is there after a reload, the CRM
// export downloads; the public and a promoter of another organisation see none of it. The imported firms are synthetic
// (orgnr 55940…, a made-up personnummer, "(syntetisk)" in every name). Screenshots go to /tmp/shots-promoter/.
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { gotoAtlas, launch, openPage, startServer, type Server } from './helpers.js'

const ADMIN_TOKEN = 'web-test-admin-token-promoter-0123'
const SHOTS = '/tmp/shots-promoter'
let server: Server
let browser: Browser
let almi = ''
let other = ''

const orgnr = (i: number) => { const p = `55940${String(i).padStart(4, '0')}`; return p + luhnCheckDigit(p) }
const personnummer = (i: number) => { const p = `7703${String(i).padStart(2, '0')}456`; return p + luhnCheckDigit(p) }
interface Firm { nr: string; name: string; kommun?: string; sni?: string; legal?: string; deregistered?: string }
const HEADER = 'orgnr;name;legal_form;sni1;sni_version;kommun;employees;registered;deregistered;street;postcode'
const line = (f: Firm) => [f.nr, f.name, f.legal ?? '49', f.sni ?? '59110', '2025', f.kommun ?? '1280', 4, '2019-05-01', f.deregistered ?? '',
  'Filmgatan 2', '21120'].join(';')

// the segment: film & tv (category 2.3, SNI 59110) in Malmö (1280)
const firm = (i: number, name: string, extra: Partial<Firm> = {}): Firm => ({ nr: orgnr(i), name: `${name} (syntetisk)`, ...extra })
const stay = [firm(1, 'Bildrum Stannar AB'), firm(2, 'Klippbord Stannar AB')]
const closing = [firm(3, 'Ljussättning Stänger AB'), firm(4, 'Scenbygge Stänger AB'), firm(5, 'Tagning Försvinner AB')]
const movesIn = firm(6, 'Flyttfilm AB', { kommun: '1281' }) // Lund at first, Malmö in the second snapshot
const brandNew = [firm(7, 'Nyfilm Alfa AB'), firm(8, 'Nyfilm Beta AB'), firm(9, 'Nyfilm Gamma AB')]
const soleTrader = { nr: personnummer(1), name: 'Vera Dokumentärfilmare (syntetisk)', legal: '10' }
const decoys = [firm(20, 'Lockbete Lund Film AB', { kommun: '1281' }), firm(21, 'Lockbete Malmö IT AB', { sni: '62100' })]
const outsideClosing = firm(22, 'Lockbete Lund Stänger AB', { kommun: '1281' })
const entering = [{ ...movesIn, kommun: '1280' }, ...brandNew, soleTrader]
const NOTE = 'Ringde vd, vill veta mer om inkubatorn – återkommer i januari'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
async function api<T> (p: string, token: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + p, { ...init, headers: { ...bearer(token), ...(init.headers as Record<string, string> ?? {}) } })
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()) as T }
}
async function createToken (name: string, organisation: string): Promise<string> {
  const r = await api<{ token: string }>('/api/tokens', ADMIN_TOKEN, { method: 'POST', body: JSON.stringify({ name, role: 'promoter', organisation }),
    headers: { 'content-type': 'application/json' } })
  expect(r.status).toBe(201)
  return r.body.token
}
/** A companies snapshot of 2025 imported by the admin through the API (the server-side import the segment tests run). */
async function importSnapshot (fileName: string, firms: Firm[]): Promise<number> {
  const r = await api<{ batchId: number; counts: { rejected: number } }>(`/api/imports?kind=companies&format=csv&year=2025&fileName=${fileName}`, ADMIN_TOKEN, {
    method: 'POST', body: [HEADER, ...firms.map(line)].join('\n') + '\n', headers: { 'content-type': 'application/octet-stream' },
  })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  expect(r.body.counts.rejected).toBe(0)
  return r.body.batchId
}

async function signIn (page: Page, token: string): Promise<void> {
  await page.getByTestId('signin-open').click()
  await page.getByTestId('signin-token').fill(token)
  await Promise.all([page.waitForEvent('load'), page.getByTestId('signin-submit').click()])
  await page.waitForFunction(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint, null, { timeout: 60_000 })
}
const namesIn = (page: Page, list: 'new' | 'closed' | 'changed') =>
  page.getByTestId(`segment-list-${list}`).locator('tbody th').allInnerTexts().then((n) => n.sort())

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer(280_000, { ADMIN_TOKEN })
  browser = await launch()
  almi = await createToken('Anna Främjare', 'Almi Skåne')
  other = await createToken('Cilla Främjare', 'Inkubatorn Norr')
  await importSnapshot('syntetisk-film-2025-a.csv', [...stay, ...closing, movesIn, outsideClosing])
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('the promoter workflow', () => {
  let segmentId = 0
  let firmUrl = ''

  it('filters, saves a segment; after an import the counts since the visit and the three lists', async () => {
    const { page, rec } = await openPage(browser)
    page.on('dialog', (d) => { void d.accept() })
    await gotoAtlas(page, `${server.url}/?branch=2.3`)
    expect(await page.getByTestId('segments-open').count()).toBe(0) // signed out: no workspace
    await signIn(page, almi)
    // the kommun through the search box
    await page.getByTestId('region-search').fill('Malmö')
    await page.locator('.cb-option', { hasText: /^Malmö/ }).first().click()
    await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe('1280')

    await page.getByTestId('segments-open').click()
    await expect.poll(() => page.getByTestId('segment-filters').innerText()).toMatch(/Film & tv · Malmö/)
    // a name is required
    await page.getByTestId('segment-save').click()
    expect(await page.locator('#segment-name-error').innerText()).toMatch(/Ange ett namn/)
    await page.getByTestId('segment-name').fill('Film i Malmö')
    await page.getByTestId('segment-save').click()
    const item = page.locator('li[data-testid^=segment-]', { has: page.locator('h4', { hasText: 'Film i Malmö' }) }).first()
    await item.waitFor()
    segmentId = Number((await item.getAttribute('data-testid'))!.replace('segment-', ''))
    expect(segmentId).toBeGreaterThan(0)
    const counts = () => page.getByTestId(`segment-counts-${segmentId}`).innerText()
    await expect.poll(counts).toMatch(/0 nya · 0 avslutade · 0 ändrade/) // saving counts as a visit
    const saved = await api<{ filters: Record<string, unknown> }>(`/api/segments/${segmentId}`, almi)
    expect(saved.body.filters).toMatchObject({ category: '2.3', kommun: '1280' })

    // the year's second snapshot: five firms enter the segment, three close (two deregistered, one gone), decoys outside
    await importSnapshot('syntetisk-film-2025-b.csv', [
      stay[0], { ...stay[1], legal: '31' }, { ...closing[0], deregistered: '2025-09-30' }, { ...closing[1], deregistered: '2025-10-15' },
      ...entering, ...decoys, { ...outsideClosing, deregistered: '2025-08-01' },
    ])
    await page.reload()
    await expect.poll(counts, { timeout: 30_000 }).toMatch(/5 nya · 3 avslutade · 1 ändrade/)
    await page.screenshot({ path: path.join(SHOTS, '01-segments-panel.png') })

    await page.getByTestId(`segment-open-${segmentId}`).click()
    await page.getByTestId('segment-list-new').locator('tbody tr').first().waitFor()
    expect(await namesIn(page, 'new')).toEqual(entering.map((f) => f.name).sort())
    expect(await namesIn(page, 'closed')).toEqual(closing.map((f) => f.name).sort())
    expect(await namesIn(page, 'changed')).toEqual([stay[1].name])
    expect(await page.getByTestId('segment-list-changed').locator('tbody tr').innerText()).toMatch(/juridisk form: Aktiebolag → Handelsbolag, kommanditbolag/)
    // the same fields as the actor list: the organisation number (a sole trader's too, for a promoter), kommun, legal form
    const sole = page.getByTestId('segment-list-new').locator('tr', { hasText: soleTrader.name })
    expect(await sole.innerText()).toContain(soleTrader.nr)
    expect(await page.getByTestId('segment-list-closed').locator('tr', { hasText: closing[2].name }).innerText()).toMatch(/borta ur registret/)
    expect(await page.getByTestId('segment-list-closed').locator('tr', { hasText: closing[0].name }).innerText()).toMatch(/avregistrerat 2025-09-30/)
    await page.screenshot({ path: path.join(SHOTS, '02-segment-open.png') })

    // a firm's card from the list: status and a note
    await page.getByTestId('segment-list-new').locator('a', { hasText: brandNew[0].name }).click()
    await expect.poll(() => page.locator('#actor-card h2').first().innerText()).toBe(brandNew[0].name)
    await page.getByTestId('notes').getByTestId('note-save').waitFor()
    expect(await page.getByTestId('note-list').innerText()).toMatch(/Inga anteckningar/)
    await page.getByTestId('note-status').selectOption('contacted')
    await page.getByTestId('note-text').fill(NOTE)
    await page.getByTestId('note-save').click()
    await expect.poll(() => page.getByTestId('note-list').innerText()).toContain(NOTE)
    firmUrl = page.url()
    expect(new URL(firmUrl).searchParams.get('actor')).toMatch(/^company:\d+$/)

    // after a reload: the note, its author and the status are still there, and the list shows the status
    await page.reload()
    await page.getByTestId('note-list').locator('li').first().waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('note-list').innerText()).toMatch(new RegExp(`Kontaktad · Anna Främjare[\\s\\S]*${NOTE}`))
    expect(await page.getByTestId('note-current').innerText()).toMatch(/Kontaktad/)
    await expect.poll(() => page.getByTestId('segment-list-new').locator('tr', { hasText: brandNew[0].name }).innerText()).toMatch(/Kontaktad/)
    await page.screenshot({ path: path.join(SHOTS, '03-card-note.png') })

    // the CRM export of the segment: names instead of codes, the new firms in it
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`segment-csv-${segmentId}`).click()])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv).toMatch(/Namn;Organisationsnummer;Juridisk form/)
    for (const f of entering) expect(csv).toContain(f.name)
    expect(csv).not.toContain(NOTE)

    // the segment as the actor list: its filters back in the panel
    await page.getByTestId(`segment-table-${segmentId}`).click()
    await expect.poll(() => Object.fromEntries(['view', 'tab', 'branch', 'region'].map((k) => [k, new URL(page.url()).searchParams.get(k)])))
      .toEqual({ view: 'table', tab: 'actors', branch: '2.3', region: '1280' })
    await expect.poll(() => page.getByTestId('actors-table').innerText()).toContain(brandNew[0].name)
    await page.getByTestId('segments-open').click()
    await page.getByTestId(`segment-open-${segmentId}`).click()
    await page.getByTestId('segment-seen').waitFor()

    // mark seen: the counts start again from the newest import
    await page.getByTestId('segment-seen').click()
    await expect.poll(counts).toMatch(/0 nya · 0 avslutade · 0 ändrade/)
    expect(await page.getByTestId('segment-list-new').innerText()).toBe('Inga.')

    // rename, in English
    await page.getByTestId(`segment-rename-${segmentId}`).click()
    await page.getByTestId('segment-rename-input').fill('Film – Malmö')
    await page.getByTestId('segment-rename-save').click()
    await expect.poll(() => page.getByTestId(`segment-open-${segmentId}`).innerText()).toBe('Film – Malmö')
    await page.locator('#lang-switch').click()
    await expect.poll(counts).toMatch(/0 new · 0 closed · 0 changed/)
    expect(rec.errors.filter((e) => !/404|occupations/i.test(e))).toEqual([])
    await page.context().close()
  })

  it('the public sees no segment, note or status: not in the page, not from the API', async () => {
    expect(segmentId).toBeGreaterThan(0)
    const { page } = await openPage(browser)
    const url = new URL(firmUrl)
    url.searchParams.set('view', 'segments')
    url.searchParams.set('seg', String(segmentId))
    await gotoAtlas(page, url.toString())
    await expect.poll(() => page.locator('#actor-card h2').first().innerText(), { timeout: 30_000 }).toBe(brandNew[0].name)
    expect(await page.getByTestId('notes').count()).toBe(0)
    expect(await page.getByTestId('segments-open').count()).toBe(0)
    expect(await page.locator('#segments-view').isHidden()).toBe(true)
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBeNull() // the segments link leads the public to the map
    const text = await page.locator('body').innerText()
    expect(text).not.toContain(NOTE)
    expect(text).not.toContain('Film – Malmö')
    const fromPage = await page.evaluate(async (nr) => [
      (await fetch('/api/segments')).status, (await fetch(`/api/notes?orgnr=${nr}`)).status,
    ], brandNew[0].nr)
    expect(fromPage).toEqual([401, 401])
    await page.screenshot({ path: path.join(SHOTS, '04-public-card.png') })
    await page.context().close()
  })

  it('a promoter of another organisation sees neither the segment nor the note', async () => {
    const { page } = await openPage(browser)
    await gotoAtlas(page, firmUrl)
    await signIn(page, other)
    await page.getByTestId('notes').getByTestId('note-list').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('note-list').innerText()).toMatch(/Inga anteckningar/)
    expect(await page.getByTestId('note-current').innerText()).toMatch(/ingen/)
    await page.getByTestId('segments-open').click()
    await expect.poll(() => page.locator('#segments-view').innerText()).toMatch(/Organisationen har inga segment/)
    expect(await page.locator('body').innerText()).not.toContain(NOTE)
    const listed = await page.evaluate(async (id) => [(await (await fetch('/api/segments')).json() as unknown[]).length, (await fetch(`/api/segments/${id}`)).status], segmentId)
    expect(listed).toEqual([0, 404])
    await page.context().close()
  })
})
