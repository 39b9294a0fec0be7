// The curated registry in real Chromium against the real server (demo data): a public visitor sees only published
// entries on the map; a curator of län 18 signs in, creates an entry with the form and moves it by dragging its point.
// Screenshots go to /tmp/shots-curated/.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, launch, mapIdle, openPage, startServer, type Server } from './helpers.js'

const ADMIN = 'web-test-admin-token-0123456789'
const SHOTS = '/tmp/shots-curated'
let server: Server
let browser: Browser

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  process.env.ADMIN_TOKEN = ADMIN
  server = await startServer()
  browser = await launch()
})
afterAll(async () => { await browser?.close(); await server?.stop() })

const call = async (method: string, p: string, token: string, body?: unknown) => {
  const res = await fetch(server.url + p, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, json: await res.json().catch(() => null) as Record<string, unknown> }
}

/** Names of the curated features on the map's source, as this browser's session got them. */
const curatedNames = (page: Page) => page.evaluate(() => {
  const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
  return m.querySourceFeatures('curated').map((f) => String(f.properties.name))
})

describe('curated registry in the browser', () => {
  it('the public sees published entries only', async () => {
    const hidden = await call('POST', '/api/curated', ADMIN, { name: 'Dold konsthall', type: 'venue', kommun: '1880', published: false, lat: 59.274, lon: 15.207 })
    expect(hidden.status).toBe(201)
    const shown = await call('POST', '/api/curated', ADMIN, { name: 'Synlig konsthall', type: 'venue', kommun: '1880', published: true, lat: 59.272, lon: 15.213 })
    expect(shown.status).toBe(201)
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, `${server.url}/?map=12/59.2730/15.2100`)
    await page.waitForFunction(() => (window as unknown as { __kkbCurated?: unknown }).__kkbCurated)
    await page.evaluate(() => (window as unknown as { __kkbCurated: { ready: Promise<void> } }).__kkbCurated.ready)
    await mapIdle(page)
    const names = await curatedNames(page)
    expect(names).toContain('Synlig konsthall')
    expect(names).not.toContain('Dold konsthall')
    // the labelled synthetic set is there for a new user (elsewhere in the län, so asked of the API)
    expect(((await (await fetch(`${server.url}/api/actors?kind=curated&q=Demo:`)).json()) as { total: number }).total).toBeGreaterThan(0)
    expect(await page.locator('#curated-legend').textContent()).toContain('Scen och plats')
    await page.screenshot({ path: path.join(SHOTS, 'public.png') })
    expect(rec.errors.filter((e) => !/favicon/.test(e))).toEqual([])
    await page.context().close()
  })

  it('a curator creates an entry with the form and moves it by dragging its point', async () => {
    const tok = await call('POST', '/api/tokens', ADMIN, { name: 'Region Örebro', role: 'curator', lan: ['18'] })
    expect(tok.status).toBe(201)
    const { page } = await openPage(browser)
    await page.goto(server.url + '/')
    const signedIn = await page.evaluate(async (token) => (await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })).status, tok.json.token as string)
    expect(signedIn).toBe(200)
    await gotoAtlas(page, `${server.url}/?map=12/59.2730/15.2100`)
    await page.evaluate(() => (window as unknown as { __kkbCurated: { ready: Promise<void> } }).__kkbCurated.ready)
    await page.click('#curated-new')
    await page.fill('#curated-form input[name=name]', 'Ateljéhuset Test')
    await page.selectOption('#curated-form select[name=type]', 'workspace')
    await page.fill('#curated-form input[name=subtype]', 'ateljé')
    // validation before sending: the kommun is required
    await page.click('#curated-form button[type=submit]')
    await expect.poll(() => page.locator('#curated-errors').textContent()).toMatch(/kommun/)
    await page.fill('#curated-form input[name=kommun]', '1880')
    await page.check('#curated-form input[name=published]')
    // a click on the map places the point
    const box = (await page.locator('#map').boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.screenshot({ path: path.join(SHOTS, 'curator-form.png') })
    await page.click('#curated-form button[type=submit]')
    await expect.poll(() => page.locator('#curated-panel h3').textContent(), { timeout: 20_000 }).toBe('Ateljéhuset Test')
    const id = Number(await page.locator('#curated-panel').getAttribute('data-entry'))
    const before = (await call('GET', `/api/curated/${id}`, ADMIN)).json
    expect(before).toMatchObject({ name: 'Ateljéhuset Test', type: 'workspace', kommunCode: '1880', published: true, locationPrecision: 'address' })
    await mapIdle(page)
    await page.screenshot({ path: path.join(SHOTS, 'curator-created.png') })

    // drag the point 80 px east and 40 px south
    const at = await page.evaluate(([lon, lat]) => {
      const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
      const p = m.project([lon, lat])
      return { x: p.x, y: p.y }
    }, [before.lon as number, before.lat as number])
    await page.mouse.move(box.x + at.x, box.y + at.y)
    await page.mouse.down()
    await page.mouse.move(box.x + at.x + 40, box.y + at.y + 20, { steps: 5 })
    await page.mouse.move(box.x + at.x + 80, box.y + at.y + 40, { steps: 5 })
    await page.mouse.up()
    await expect.poll(async () => (await call('GET', `/api/curated/${id}`, ADMIN)).json.version, { timeout: 20_000 }).toBe(2)
    const after = (await call('GET', `/api/curated/${id}`, ADMIN)).json
    expect(after.lon as number).toBeGreaterThan(before.lon as number)
    expect(after.lat as number).toBeLessThan(before.lat as number)
    const hist = (await call('GET', `/api/curated/${id}/history`, ADMIN)).json as { items: Array<{ action: string; changes: Record<string, unknown> }> }
    expect(hist.items[0].action).toBe('update')
    expect(Object.keys(hist.items[0].changes).sort()).toEqual(['lat', 'lon'])
    await mapIdle(page)
    await page.screenshot({ path: path.join(SHOTS, 'curator-moved.png') })
    await page.click('#curated-history')
    await expect.poll(() => page.locator('#curated-versions').textContent()).toContain('update')
    await page.screenshot({ path: path.join(SHOTS, 'curator-history.png') })
    await page.context().close()
  })
})
