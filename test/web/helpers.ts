// Helpers for the browser tests: start the real server on a free port with a fresh data dir, launch Chromium,
// record console errors and every request, and wait for the map.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const SHOTS = path.join(ROOT, 'test-results', 'web')

function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export interface Server { url: string; stop: () => Promise<void>; log: () => string }

/** Spawn `tsx server/server.ts` with a fresh DATA_DIR and wait for /api/health. The first start seeds the product's demo
 *  (Kalmar län at full register density + a national sample of 100 000, server/demo/README.md): ≈ 45 s on a lightly
 *  loaded machine, 90–130 s measured on two cores shared with other test runs; the wait stays under the 300 s hook
 *  timeout of vitest.web.config.ts. */
export async function startServer (timeoutMs = 280_000, env: Record<string, string> = {}): Promise<Server> {
  // WEB_TEST_PORT: a fixed port for a machine where parallel runs each keep to their own range
  const port = Number(process.env.WEB_TEST_PORT) || await freePort()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kkb-web-test-'))
  let out = ''
  const child: ChildProcess = spawn('npx', ['tsx', 'server/server.ts'], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'true', LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000', DATABASE_URL: '', ...env },
  })
  child.stdout?.on('data', (d) => { out += d })
  child.stderr?.on('data', (d) => { out += d })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r))
      try { process.kill(-child.pid, 'SIGTERM') } catch { /* already gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))])
      if (child.exitCode === null) try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ }
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) { await stop(); throw new Error(`server exited (${child.exitCode}):\n${out.slice(-3000)}`) }
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.ok) {
        const index = await fetch(`${url}/`)
        if (!index.ok) { await stop(); throw new Error('the server answers but web/dist is not served: run `npm run build:web` first') }
        return { url, stop, log: () => out }
      }
    } catch (err) { if ((err as Error).message.includes('web/dist')) throw err }
    await new Promise((r) => setTimeout(r, 1000))
  }
  await stop()
  throw new Error(`server did not become healthy within ${timeoutMs / 1000} s:\n${out.slice(-3000)}`)
}

export function launch (): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
}

export interface Recorded { requests: string[]; errors: string[] }

/** A page that records every request URL and every console error / page error. */
export async function openPage (browser: Browser, opts: { lang?: string; viewport?: { width: number; height: number } } = {}):
Promise<{ page: Page; rec: Recorded }> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, acceptDownloads: true, locale: opts.lang ?? 'sv-SE' })
  const page = await context.newPage()
  const rec: Recorded = { requests: [], errors: [] }
  page.on('request', (r) => rec.requests.push(r.url()))
  page.on('console', (m) => { if (m.type() === 'error') rec.errors.push(m.text()) })
  page.on('pageerror', (e) => rec.errors.push(`pageerror: ${e.message}`))
  return { page, rec }
}

/** Load a view and wait until the map has painted the choropleth and gone idle. */
export async function gotoAtlas (page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.waitForFunction(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint, null, { timeout: 60_000 })
  await mapIdle(page)
}

/** Resolves when the map has no pending tiles, sources or camera movement. */
export async function mapIdle (page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
    const done = () => requestAnimationFrame(() => resolve())
    if (m.loaded() && m.areTilesLoaded() && !m.isMoving()) done()
    else m.once('idle', done)
  }))
}

export function shotDir (): string {
  mkdirSync(SHOTS, { recursive: true })
  return SHOTS
}

/** An image's pixels (RGBA, row by row), decoded by the page's browser: a data: URL (a PNG file as base64, a map picture). */
export async function imagePixels (page: Page, url: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate(async (src) => {
    const img = new Image(); img.src = src; await img.decode()
    const c = document.createElement('canvas'); c.width = img.width; c.height = img.height
    const g = c.getContext('2d')!; g.drawImage(img, 0, 0)
    return { width: c.width, height: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) }
  }, url)
}
