// Issue #21 in Chromium, the analyst's charts: the region card's trend over every year (values and index against län and
// riket) with the SNI 2007 → 2025 break marked, exact axis ticks, the branch mix, and each chart downloaded as SVG, PNG and
// CSV, the CSV checked against the API; printing a region to PDF (A4, rendered with pdftoppm); the methods page;
// /embed in an iframe of another origin. Screenshots and the PDF
// in test-results/web/ (synthetic demo data).
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, imagePixels, launch, openPage, shotDir, startServer, type Server } from './helpers.js'

let server: Server
let browser: Browser
let shots: string
beforeAll(async () => { shots = shotDir(); server = await startServer(); browser = await launch() })
afterAll(async () => { await browser?.close(); await server?.stop() })

/** Swedish number text ("1 234,5", "−2") → number. */
const svNum = (s: string) => Number(s.replace(/[\s\u00a0\u202f]/g, '').replace('−', '-').replace(',', '.').replace(/%$/, ''))

async function download (page: Page, testid: string, fmt: string): Promise<{ name: string; body: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${testid}] [data-download=${fmt}]`).click()])
  const file = await dl.path()
  return { name: dl.suggestedFilename(), body: readFileSync(file!) }
}

describe('region card charts (#21)', () => {
  it('shows every year of a measure with exact ticks and the SNI break, switches to an index against län and riket', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.waitForSelector('[data-testid=series-figure] [data-testid=chart-series] polyline, [data-testid=series-figure] [data-testid=chart-series] circle')
    const api = await (await fetch(`${server.url}/api/key-figures?level=kommun&region=0880&year=all`)).json() as
      { years: number[]; rows: { year: number; companies: number }[]; meta: { sniVersionByYear: Record<string, string> } }
    const years = [...new Set(api.rows.map((r) => r.year))].sort()
    // one point per year of the data, on the region's line
    const points = await page.locator('[data-testid=chart-series] circle').count()
    expect(points).toBe(years.length)
    // ticks: equally spaced values, each label the exact value of its gridline
    const ticks = await page.locator('[data-testid=chart-series] text.tick').allTextContents()
    const values = ticks.map(svNum)
    expect(values.length).toBeGreaterThanOrEqual(3)
    const step = values[1] - values[0]
    for (let i = 1; i < values.length; i++) expect(values[i] - values[i - 1]).toBeCloseTo(step, 9)
    expect(new Set(ticks).size).toBe(ticks.length)
    // the SNI break is drawn where the data's SNI version changes between two years, and explained
    const crosses = years.some((y, i) => i > 0 && api.meta.sniVersionByYear[String(y)] !== api.meta.sniVersionByYear[String(years[i - 1])])
    expect(crosses, 'the demo data cross the SNI 2007 → 2025 break').toBe(true)
    expect(await page.locator('[data-testid=chart-series] [data-testid=sni-break]').count()).toBe(1)
    await expect(page.getByTestId('sni-break-note').textContent()).resolves.toContain('SNI 2025')
    // values of a count: the region alone; an index: region, län and riket, the base year at 100
    expect(await page.locator('[data-testid=chart-series] polyline').count()).toBe(1)
    await page.getByTestId('series-measure').selectOption('per10k')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=chart-series] polyline').length === 3)
    await page.getByTestId('series-mode').selectOption(String(years[0]))
    await page.waitForFunction(() => new URL(location.href).searchParams.get('index') !== null)
    expect(new URL(page.url()).searchParams.get('series')).toBe('per10k')
    expect(await page.locator('[data-testid=chart-series] polyline').count()).toBe(3)
    const label = await page.getByTestId('chart-series').getAttribute('aria-label')
    expect(label).toMatch(new RegExp(`${years[0]} 100,0`))
    // the branch mix: one group of bars per branch group, the region's shares sum to 100 %
    const aria = await page.getByTestId('chart-shares').getAttribute('aria-label')
    const own = aria!.slice(aria!.indexOf(': ') + 2).split('; ').map((part) => svNum(/(?:^| )Kalmar ([\d,]+) %/.exec(part)![1]))
    expect(own.length).toBeGreaterThan(3)
    expect(own.reduce((a, b) => a + b, 0)).toBeGreaterThan(99.5)
    expect(own.reduce((a, b) => a + b, 0)).toBeLessThan(100.5)
    await page.locator('#region-card').screenshot({ path: path.join(shots, 'analyst-charts-card.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('downloads each chart as SVG, PNG and CSV; the CSV holds the API\'s figures', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.waitForSelector('[data-testid=series-figure] [data-download=csv]')
    const svg = await download(page, 'series-figure', 'svg')
    expect(svg.name).toMatch(/^kkb-0880-kalmar-companies-.*\.svg$/)
    const text = svg.body.toString('utf8')
    expect(text).toMatch(/^<\?xml/)
    expect(text).toContain('<svg')
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"')
    expect(text).toContain('Kalmar')
    const png = await download(page, 'series-figure', 'png')
    expect(png.name).toMatch(/\.png$/)
    expect(png.body.subarray(1, 4).toString('ascii')).toBe('PNG')
    const width = png.body.readUInt32BE(16); const height = png.body.readUInt32BE(20)
    expect(width).toBe(720) // the 360-wide chart at twice its size
    expect(height).toBeGreaterThan(300)
    // the PNG is not blank: look at it in the browser
    const inked = await page.evaluate(async (b64) => {
      const img = new Image(); img.src = `data:image/png;base64,${b64}`; await img.decode()
      const c = document.createElement('canvas'); c.width = img.width; c.height = img.height
      const g = c.getContext('2d')!; g.drawImage(img, 0, 0)
      const d = g.getImageData(0, 0, c.width, c.height).data
      let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 2] > 100) n++ // blue-ish ink of the line
      return n
    }, png.body.toString('base64'))
    expect(inked).toBeGreaterThan(100)

    const csv = await download(page, 'series-figure', 'csv')
    expect(csv.name).toMatch(/^kkb-0880-kalmar-companies-.*\.csv$/)
    const lines = csv.body.toString('utf8').replace(/^\ufeff/, '').split('\r\n').filter(Boolean)
    expect(lines[0]).toBe('sep=;')
    const header = lines[1].split(';')
    expect(header).toEqual(['År', 'Mått', 'Bransch', 'Kalmar (0880)', 'SNI-version', 'Anmärkning'])
    const api = await (await fetch(`${server.url}/api/key-figures?level=kommun&region=0880&year=all`)).json() as { rows: { year: number; companies: number }[] }
    const body = lines.slice(2).map((l) => l.split(';'))
    expect(body.map((r) => Number(r[0]))).toEqual(api.rows.map((r) => r.year).sort())
    for (const r of body) {
      expect(Number(r[3])).toBe(api.rows.find((x) => x.year === Number(r[0]))!.companies)
      expect(r[4]).toMatch(/^SNI (2007|2025)$/)
      expect(r[5]).toContain('DEMODATA')
      expect(r.join(';')).not.toMatch(/(^|;)=/) // no formulas
    }
    const shares = await download(page, 'shares-figure', 'csv')
    const sl = shares.body.toString('utf8').split('\r\n').filter(Boolean)
    expect(sl[1].split(';').slice(0, 4)).toEqual(['År', 'Bransch', 'Kalmar (0880): Antal företag', 'Kalmar (0880): %'])
    expect(sl.length).toBeGreaterThan(5)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('print layout (#21)', () => {
  it('prints a region as an A4 profile: the map as a picture, the card and its charts, no filters and no phone layout', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.waitForSelector('[data-testid=chart-shares]')
    // the picture of the map is taken once the map has settled with the region selected
    await page.waitForFunction(() => (document.getElementById('print-map') as HTMLImageElement).src.startsWith('data:image/png'))
    await page.emulateMedia({ media: 'print' })
    const layout = await page.evaluate(() => {
      const shown = (sel: string) => { const el = document.querySelector(sel); return !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0 }
      const card = document.querySelector('#region-card')!.getBoundingClientRect()
      return { panel: shown('#panel'), canvas: shown('#map'), picture: shown('#print-map'), card: card.width, charts: shown('[data-testid=chart-series]'),
        controls: shown('.chart-controls'), page: document.documentElement.getBoundingClientRect().width }
    })
    await page.emulateMedia({ media: null }) // page.pdf prints with the print stylesheet unless a medium is emulated
    expect(layout).toMatchObject({ panel: false, canvas: false, picture: true, charts: true, controls: false })
    expect(layout.card, 'the card spans the page (not the 380 px overlay or a phone column)').toBeGreaterThan(0.9 * layout.page)
    const pdfPath = path.join(shots, 'analyst-print.pdf')
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true })
    // rendered the way a reader sees it
    const prefix = path.join(shots, 'analyst-print')
    execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, prefix])
    const pages = readdirSync(shots).filter((f) => /^analyst-print-\d+\.png$/.test(f)).sort()
    expect(pages.length).toBeGreaterThanOrEqual(1)
    expect(pages.length).toBeLessThanOrEqual(3)
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString()
    expect(text).toContain('Kalmar')
    expect(text).toContain('Antal företag')
    expect(text).toContain('Utveckling över tid')
    expect(text).toMatch(/version 2007\+2025-provisional-1/) // the definition's version in the page margin
    expect(text).not.toContain('Sök kommun eller län') // no filter panel
    // the first page's top half holds the map picture: many choropleth-coloured pixels, not a blank frame
    const png = readFileSync(path.join(shots, pages[0])).toString('base64')
    const img = await imagePixels(page, `data:image/png;base64,${png}`)
    const d = img.data.slice(0, img.width * Math.floor(img.height / 2) * 4)
    let n = 0
    for (let i = 0; i < d.length; i += 4) if (d[i + 2] - d[i] > 40 || d[i + 1] - d[i] > 40) n++ // blue or green fills
    const coloured = n / (d.length / 4)
    expect(coloured).toBeGreaterThan(0.02)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('methods page (#21)', () => {
  it('the footer\'s methodology link opens a readable page: the SNI list, LQ and disclosure control in words, sources', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.getByTestId('methods-link').click()
    await page.waitForSelector('[data-testid=methods-sni] tbody tr')
    expect(new URL(page.url()).searchParams.get('view')).toBe('methods')
    const m = await (await fetch(`${server.url}/api/key-figures/methodology`)).json() as {
      definition: { groups: { categories: { sni: { code: string }[] }[] }[] }; suppression: { minCompanies: number }; data: { sources: unknown[] }
    }
    const categories = m.definition.groups.flatMap((g) => g.categories)
    expect(await page.locator('[data-testid=methods-sni] tbody tr').count()).toBe(categories.length)
    const sniText = await page.getByTestId('methods-sni').textContent()
    for (const c of categories) for (const s of c.sni) expect(sniText).toContain(s.code)
    await expect(page.getByTestId('methods-provisional').isVisible()).resolves.toBe(true)
    expect(await page.getByTestId('methods-lq').textContent()).toMatch(/Lokaliseringskvoten.*LQ = 1/)
    expect(await page.getByTestId('methods-disclosure').textContent()).toContain(`färre än ${m.suppression.minCompanies} företag`)
    expect(await page.locator('[data-testid=methods-sources] tbody tr').count()).toBe(m.data.sources.length)
    // the demo says how dense it is: the product seeds Kalmar län at full register density and a national sample
    const demo = (await (await fetch(`${server.url}/api/health`)).json()).demo as { sampleCompanies: number; fullDensityLan: { name: string }[] }
    expect(demo.fullDensityLan.map((l) => l.name)).toEqual(['Kalmar län'])
    const demoText = await page.getByTestId('methods-demo').textContent()
    expect(demoText).toContain('Kalmar län har full registertäthet')
    expect(demoText).toContain(demo.sampleCompanies.toLocaleString('sv-SE'))
    // not raw JSON: the page is the app's, with the map's header
    await expect(page.locator('#app-title').isVisible()).resolves.toBe(true)
    await page.screenshot({ path: path.join(shots, 'analyst-methods.png') })
    // a link to it, in English
    await page.goto(`${server.url}/?view=methods&lang=en`)
    await page.waitForSelector('[data-testid=methods-sni] tbody tr')
    expect(await page.getByTestId('methods-title').textContent()).toBe('Methods and definitions')
    expect(await page.getByTestId('methods-lq').textContent()).toMatch(/location quotient/i)
    // every figure of the region card links to its explanation: the page opens scrolled to that measure
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.locator('[data-testid=region-figures] tr[data-field=lqCompanies] th a').click()
    await page.waitForSelector('#m-lqCompanies')
    await expect.poll(() => page.evaluate(() => { const r = document.getElementById('m-lqCompanies')!.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight })).toBe(true)
    expect(await page.locator('#m-lqCompanies + dd').textContent()).toMatch(/riket|Sweden/)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('embeds (#21)', () => {
  it('/embed may be framed by another site and shows one chart or the map; the app itself stays framing-protected', async () => {
    const embed = await fetch(`${server.url}/embed?region=0880&show=series`)
    expect(embed.status).toBe(200)
    expect(embed.headers.get('x-frame-options')).toBeNull()
    expect(embed.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/)
    const app = await fetch(`${server.url}/`)
    expect(app.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(app.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/)

    // another site: a page of another origin (another port) with three iframes
    const host = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end(`<!doctype html><h1>Another site</h1>
        <iframe id="chart" src="${server.url}/embed?region=0880&show=series" width="420" height="330"></iframe>
        <iframe id="map" src="${server.url}/embed?region=0880&show=map" width="420" height="330"></iframe>
        <iframe id="app" src="${server.url}/?region=0880" width="420" height="200"></iframe>`)
    })
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
    const { page, rec } = await openPage(browser, { viewport: { width: 900, height: 800 } })
    await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/`)
    const frames = new Map<string, Frame | null>()
    for (const id of ['chart', 'map', 'app']) frames.set(id, await (await page.$(`#${id}`))!.contentFrame())
    const frame = (id: string) => frames.get(id) ?? undefined
    await expect.poll(() => frame('chart')?.locator('[data-testid=chart-series] circle').count() ?? 0, { timeout: 60_000 }).toBeGreaterThan(0)
    const chart = frame('chart')!
    // only the chart: no header, no filters, no figure table
    expect(await chart.evaluate(() => ({
      header: getComputedStyle(document.querySelector('.top')!).display, panel: getComputedStyle(document.querySelector('#panel')!).display,
      table: !!document.querySelector('[data-testid=region-figures]')?.getClientRects().length,
    }))).toEqual({ header: 'none', panel: 'none', table: false })
    await expect.poll(() => frame('map')?.evaluate(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint ?? 0) ?? 0, { timeout: 60_000 }).toBeGreaterThan(0)
    await page.waitForTimeout(500)
    await page.screenshot({ path: path.join(shots, 'analyst-embed.png') })
    // the app refused to be framed: its frame never ran the atlas
    const appFrame = frame('app')
    const framed = appFrame ? await appFrame.evaluate(() => !!document.querySelector('#map')).catch(() => false) : false
    expect(framed).toBe(false)
    expect(rec.errors.filter((e) => !/frame-ancestors|Refused to (display|frame)/i.test(e))).toEqual([])
    await page.context().close()
    host.close()
  })
})

describe('survival of new companies (#21)', () => {
  it('the region card shows births and closures per year and each cohort\'s survivors as the API counts them, linked to the method', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=01`)
    await page.waitForSelector('[data-testid=survival] tbody tr')
    const api = await (await fetch(`${server.url}/api/key-figures/survival?level=lan&region=01&branch=total`)).json() as
      { rows: { cohort: number; year: number; started: number; surviving: number | null; rate: number | null }[] }
    const later = api.rows.filter((r) => r.year > r.cohort)
    expect(later.length).toBeGreaterThan(0)
    for (const r of later) {
      const cell = await page.locator(`[data-testid=survival] tr[data-cohort="${r.cohort}"] td[data-year="${r.year}"]`).textContent()
      const [n, p] = /^([\d\s\u00a0]+) \(([\d\s\u00a0]+) %\)$/.exec(cell!)!.slice(1).map(svNum)
      expect(n, `${r.cohort} → ${r.year}`).toBe(r.surviving)
      expect(p).toBe(Math.round(r.rate! * 100))
      expect(await page.locator(`[data-testid=survival] tr[data-cohort="${r.cohort}"] td`).first().textContent()).toBe(String(r.started))
    }
    // births and closures per year, as the flows endpoint counts them, in a chart with the SNI break
    const flows = await (await fetch(`${server.url}/api/key-figures/flows?level=lan&region=01&branch=total&period=year`)).json() as
      { rows: { year: number; births: number | null; closures: number | null }[] }
    const aria = await page.getByTestId('chart-flows').getAttribute('aria-label')
    const [births, closures] = aria!.slice(aria!.indexOf(': ') + 2).split('; ')
    for (const r of flows.rows) {
      expect(births).toContain(`${r.year} ${r.births === null ? '..' : r.births}`)
      expect(closures).toContain(`${r.year} ${r.closures === null ? '..' : r.closures}`)
    }
    expect(flows.rows.some((r) => (r.births ?? 0) > 0)).toBe(true)
    expect(await page.locator('[data-testid=chart-flows] [data-testid=sni-break]').count()).toBe(1)
    // the link explains the measure on the methods page
    await page.locator('[data-testid=survival-figure] a').click()
    await page.waitForSelector('[data-testid=methods-survival] dt')
    expect(await page.getByTestId('methods-survival').textContent()).toContain('organisation number')
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})
