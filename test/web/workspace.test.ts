// The signed-in workspace in real Chromium against the real server (demo data): each role signs in with its token and sees
// what it may see (a sole trader's organisation number for the promoter, never for the public), an admin uploads a file
// by drag and drop and follows the import to its end, then downloads the report; a token created and revoked in the UI
// stops working; a cross-site form post is refused. Screenshots go to /tmp/shots-workspace/.
import { mkdirSync, readFileSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, launch, openPage, startServer, type Server } from './helpers.js'

const ADMIN_TOKEN = 'web-test-admin-token-0123456789'
const SHOTS = '/tmp/shots-workspace'
let server: Server
let browser: Browser
let evil: HttpServer
let evilPort: number

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer(280_000, { ADMIN_TOKEN })
  browser = await launch()
  // another site: a page whose form posts to the atlas (a cross-site request forgery attempt)
  evil = createServer((req, res) => {
    const target = new URL(req.url!, 'http://x').searchParams.get('target')!
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(`<!doctype html><form id="f" method="post" action="${target}/api/tokens" enctype="application/x-www-form-urlencoded">
      <input name="name" value="forged"><input name="role" value="admin"></form><script>document.getElementById('f').submit()</script>`)
  })
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
  evilPort = (evil.address() as { port: number }).port
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  evil?.close()
})

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
async function apiAs<T> (p: string, token?: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + p, { ...init, headers: { ...(token ? bearer(token) : {}), ...(init.headers as Record<string, string> ?? {}) } })
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()) as T }
}
async function createToken (body: Record<string, unknown>): Promise<string> {
  const r = await apiAs<{ token: string }>('/api/tokens', ADMIN_TOKEN, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
  expect(r.status).toBe(201)
  return r.body.token
}

async function signIn (page: Page, token: string): Promise<void> {
  await page.getByTestId('signin-open').click()
  const input = page.getByTestId('signin-token')
  await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true) // focus moved into the dialog
  await input.fill(token)
  await Promise.all([page.waitForEvent('load'), page.getByTestId('signin-submit').click()])
  await page.waitForFunction(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint, null, { timeout: 60_000 })
}

const cardText = (page: Page) => page.locator('#actor-card').innerText()
/** The header's "who" line as one line of text (it is laid out on two) */
const whoText = async (page: Page) => (await page.getByTestId('who').textContent() ?? '').replace(/\s+/g, ' ').replace(/ ?· ?/g, ' · ').trim()

describe('roles in the browser', () => {
  let sole: { id: number; orgnr: string }
  let promoterToken = ''
  beforeAll(async () => {
    const promoter = await createToken({ name: 'Almi Testlän', role: 'promoter', organisation: 'Almi' })
    const list = await apiAs<{ items: Array<{ id: number; orgnr?: string }> }>('/api/actors?legalForm=10&limit=1', promoter)
    sole = { id: list.body.items[0].id, orgnr: list.body.items[0].orgnr! }
    expect(sole.orgnr).toMatch(/^\d{10}$|^\d{6}-\d{4}$/)
    promoterToken = promoter
  })

  it('public: no orgnr of a sole trader; a wrong token is an error tied to the field', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, `${server.url}/?actor=company:${sole.id}`)
    await page.locator('#actor-card h2, #actor-card h3').first().waitFor()
    await expect.poll(() => cardText(page)).not.toBe('')
    expect(await cardText(page)).not.toContain(sole.orgnr)
    await expect.poll(() => page.getByTestId('signin-open').isVisible()).toBe(true)
    await page.screenshot({ path: path.join(SHOTS, '01-public-card.png') })
    await page.getByTestId('signin-open').click()
    await page.getByTestId('signin-token').fill('kkb_wrong_token_0000000000')
    await page.getByTestId('signin-submit').click()
    const err = page.locator('#signin-error')
    await err.waitFor({ state: 'visible' })
    expect(await err.innerText()).toMatch(/Okänd eller återkallad token/)
    expect(await page.getByTestId('signin-token').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByTestId('signin-token').getAttribute('aria-describedby')).toContain('signin-error')
    await page.screenshot({ path: path.join(SHOTS, '02-signin-error.png') })
    expect(rec.errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
    await page.context().close()
  })

  it('promoter: signed in, the header says who; the card, the list and the export show the sole trader\'s orgnr', async () => {
    const { page } = await openPage(browser)
    await gotoAtlas(page, `${server.url}/?actor=company:${sole.id}`)
    await signIn(page, promoterToken)
    expect(await whoText(page)).toMatch(/Almi Testlän · Främjare · Almi/)
    await expect.poll(() => cardText(page), { timeout: 20_000 }).toContain(sole.orgnr)
    await page.screenshot({ path: path.join(SHOTS, '03-promoter-card.png') })
    // the export link downloads as the signed-in promoter (cookie), and is logged under the promoter's name
    const href = await page.evaluate(() => '/api/actors?format=csv&legalForm=10&locale=sv')
    const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate((u) => { const a = document.createElement('a'); a.href = u; document.body.append(a); a.click() }, href)])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.replace(/-/g, '')).toContain(sole.orgnr.replace(/-/g, ''))
    const audit = await apiAs<{ items: Array<{ actor: string; action: string }> }>('/api/audit?action=export', ADMIN_TOKEN)
    expect(audit.body.items.some((e) => e.actor === 'Almi Testlän')).toBe(true)
    // sign out: back to the public
    await Promise.all([page.waitForEvent('load'), page.getByTestId('signout').click()])
    await page.getByTestId('signin-open').waitFor()
    await expect.poll(() => cardText(page), { timeout: 20_000 }).not.toContain(sole.orgnr)
    await page.context().close()
  })

  it('curator: role, län scope and organisation in the header (English)', async () => {
    const curator = await createToken({ name: 'Kulturkurator', role: 'curator', lan: ['18'], organisation: 'Region Örebro län' })
    const { page } = await openPage(browser)
    await gotoAtlas(page, `${server.url}/?lang=en`)
    await signIn(page, curator)
    expect(await whoText(page)).toMatch(/Kulturkurator · Curator · county Örebro.*· Region Örebro län/)
    expect(await page.getByTestId('admin-open').count()).toBe(0)
    await page.screenshot({ path: path.join(SHOTS, '04-curator-header.png') })
    await page.context().close()
  })
})

describe('admin in the browser', () => {
  it('tokens: created (shown once), it signs in elsewhere; revoked in the UI, it stops working at once', async () => {
    const { page } = await openPage(browser)
    page.on('dialog', (d) => { void d.accept() })
    await gotoAtlas(page, server.url)
    await signIn(page, ADMIN_TOKEN)
    await page.getByTestId('admin-open').click()
    await page.getByTestId('tokens-table').waitFor()
    // a curator without a län: the error is tied to the field
    await page.getByTestId('token-name').fill('Ny kurator')
    await page.getByTestId('token-role').selectOption('curator')
    await page.getByTestId('token-create').click()
    expect(await page.locator('#token-lan-error').innerText()).toMatch(/minst ett län/)
    expect(await page.getByTestId('token-lan').getAttribute('aria-invalid')).toBe('true')
    await page.screenshot({ path: path.join(SHOTS, '05-admin-token-error.png'), fullPage: true })
    await page.getByTestId('token-role').selectOption('promoter')
    await page.getByTestId('token-org').fill('Inkubator Syd')
    await page.getByTestId('token-create').click()
    const token = await page.getByTestId('token-created').inputValue()
    expect(token).toMatch(/^kkb_/)
    await page.screenshot({ path: path.join(SHOTS, '06-admin-token-created.png'), fullPage: true })

    const other = await openPage(browser)
    await gotoAtlas(other.page, server.url)
    await signIn(other.page, token)
    expect(await whoText(other.page)).toMatch(/Ny kurator · Främjare · Inkubator Syd/)
    expect((await apiAs('/api/actors?limit=1', token)).status).toBe(200)

    const row = page.locator('[data-testid^=token-row-]', { hasText: 'Ny kurator' })
    await row.locator('[data-testid^=revoke-]').click()
    await expect.poll(() => row.innerText()).toMatch(/återkallad/)
    await other.page.reload()
    await other.page.getByTestId('signin-open').waitFor()
    expect((await apiAs('/api/actors?limit=1', token)).status).toBe(401)
    await other.page.context().close()
    await page.context().close()
  })

  it('uploads a file by drag and drop, follows the progress to the end, downloads the report', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url)
    await signIn(page, ADMIN_TOKEN)
    await page.getByTestId('admin-open').click()
    await page.getByTestId('dropzone').waitFor()
    await page.screenshot({ path: path.join(SHOTS, '07-admin-page.png'), fullPage: true })
    // the status texts as they change, to check that progress was shown
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { __statuses: string[] }).__statuses = seen
      new MutationObserver(() => seen.push(document.getElementById('import-status')!.textContent ?? '')).observe(document.getElementById('import-status')!, { childList: true, characterData: true, subtree: true })
    })
    // a file dropped on the zone: 3 000 education providers, two of them bad
    await page.evaluate(() => {
      const lines = ['provider;provider_type;programme;sun_code;places;kommun']
      for (let i = 0; i < 3000; i++) lines.push(`Konstskola ${i};Folkhögskola;Bild ${i};211a;${10 + (i % 20)};0180`)
      lines.push(';Folkhögskola;Utan namn;211a;10;0180', 'Trasiga platser;Folkhögskola;Bild;211a;många;0180')
      const file = new File([lines.join('\n') + '\n'], 'utbildningsanordnare_2025.csv', { type: 'text/csv' })
      const dt = new DataTransfer()
      dt.items.add(file)
      document.querySelector('[data-testid=dropzone]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    })
    await expect.poll(() => page.getByTestId('import-detected').innerText()).toMatch(/Utbildningsanordnare · csv · 2025/)
    expect(await page.getByTestId('import-kind').inputValue()).toBe('education')
    expect(await page.getByTestId('import-year').inputValue()).toBe('2025')
    await page.getByTestId('import-start').click()
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 90_000 }).toMatch(/Klart|misslyckades/)
    await page.screenshot({ path: path.join(SHOTS, '08-admin-import-done.png'), fullPage: true })
    const status = await page.getByTestId('import-status').innerText()
    const m = /Klart: 3\s002 lästa, ([\d\s]+) nya, 0 ändrade, (\d+) avvisade/.exec(status)
    expect(m, status).not.toBeNull()
    const rejected = Number(m![2])
    expect(rejected).toBeGreaterThanOrEqual(1)
    expect(await page.getByTestId('import-progress').evaluate((el) => (el as HTMLProgressElement).value)).toBe(1)
    const statuses = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses)
    expect(statuses.some((s) => /Laddar upp|Importerar/.test(s))).toBe(true)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-report').click()])
    const report = readFileSync((await download.path())!, 'utf8')
    // one line per rejected row (file, line, column, value, reason): the last two lines of the file
    const rows = report.split('\n').filter((l) => l.includes('utbildningsanordnare_2025.csv'))
    expect(rows).toHaveLength(rejected)
    expect(rows.some((l) => /\b3003\b/.test(l) && l.includes('många'))).toBe(true)
    // the import log lists it with its counts
    await expect.poll(() => page.getByTestId('imports-table').innerText()).toContain('utbildningsanordnare_2025.csv')
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('a cross-site form post is refused (403), signed in or not, and changes nothing', async () => {
    const { page } = await openPage(browser)
    await gotoAtlas(page, server.url)
    await signIn(page, ADMIN_TOKEN)
    const before = (await apiAs<unknown[]>('/api/tokens', ADMIN_TOKEN)).body.length
    // another site (localhost ≠ 127.0.0.1) and the same site on another port (the SameSite cookie goes along): both refused
    for (const host of [`http://localhost:${evilPort}`, `http://127.0.0.1:${evilPort}`]) {
      const response = page.waitForResponse((r) => r.url().endsWith('/api/tokens') && r.request().method() === 'POST')
      await page.goto(`${host}/?target=${encodeURIComponent(server.url)}`)
      const res = await response
      expect(res.status(), host).toBe(403)
      await page.waitForLoadState()
      expect(await page.locator('body').innerText()).toContain('CSRF')
      await page.screenshot({ path: path.join(SHOTS, `09-csrf-refused-${host.includes('localhost') ? 'cross-site' : 'same-site'}.png`) })
    }
    expect((await apiAs<unknown[]>('/api/tokens', ADMIN_TOKEN)).body.length).toBe(before)
    await page.context().close()
  })
})
