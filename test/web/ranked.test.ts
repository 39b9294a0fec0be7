// Issue #21 in Chromium: the region card's ranked bars (the län's kommuner, or all kommuner, for the card's measure,
// branch and year) checked against the API — the bars are /api/key-figures's rows in order, the highlighted bar is the
// region, its rank and percentile are /api/key-figures/compare's, a suppressed value is shown as such, never as 0 — and
// downloaded (the SVG parses, the CSV rows are the API's); the card's compare button and the compare view's ranking;
// the card's cells at 1440 px and on a phone; the English print layout with the
// map zoomed to the region. Screenshots and the PDF in test-results/web/ (synthetic demo data; counts from the API,
// never from the demo's size).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, imagePixels, launch, openPage, shotDir, startServer, type Server } from './helpers.js'

let server: Server
let browser: Browser
let shots: string
beforeAll(async () => { shots = shotDir(); server = await startServer(); browser = await launch() })
afterAll(async () => { await browser?.close(); await server?.stop() })

/** Swedish number text ("1 234,5", "−2") → number. */
const svNum = (s: string) => Number(s.replace(/[\s\u00a0\u202f]/g, '').replace('−', '-').replace(',', '.').replace(/%$/, ''))

interface Row { regionCode: string; regionName: string; companies: number; employees: number | null; suppressed: Record<string, string | null> }
interface Rank { rank: number; of: number; percentile: number | null }
const getJson = async <T> (url: string): Promise<T> => (await (await fetch(`${server.url}${url}`)).json()) as T

/** The bars as drawn: code, the value text (the last text of a bar), highlighted, suppressed, whether a bar is drawn. */
async function bars (page: Page) {
  return page.locator('[data-testid=chart-ranked] g[data-code]').evaluateAll((gs) => gs.map((g) => ({
    code: g.getAttribute('data-code')!, value: [...g.querySelectorAll('text')].pop()?.textContent ?? '',
    highlight: g.hasAttribute('data-highlight'), suppressed: g.hasAttribute('data-suppressed'), rect: !!g.querySelector('rect'),
  })))
}

async function download (page: Page, fmt: string): Promise<{ name: string; body: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=ranked-figure] [data-download=${fmt}]`).click()])
  return { name: dl.suggestedFilename(), body: readFileSync((await dl.path())!) }
}

describe('ranked bars (#21)', () => {
  it('shows the län\'s kommuner as the API has them, highest first, the region highlighted with the API\'s rank and percentile', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.waitForSelector('[data-testid=chart-ranked] g[data-code]')
    const api = await getJson<{ rows: Row[] }>('/api/key-figures?level=kommun&lan=08')
    const drawn = await bars(page)
    expect(drawn.length).toBe(api.rows.length)
    expect(new Set(drawn.map((b) => b.code))).toEqual(new Set(api.rows.map((r) => r.regionCode)))
    const byCode = new Map(api.rows.map((r) => [r.regionCode, r]))
    // each bar's value is the API's, and the order is the API's values from the highest down
    for (const b of drawn) expect(svNum(b.value), b.code).toBe(byCode.get(b.code)!.companies)
    expect(drawn.map((b) => byCode.get(b.code)!.companies)).toEqual(api.rows.map((r) => r.companies).sort((a, b) => b - a))
    expect(drawn.filter((b) => b.highlight).map((b) => b.code)).toEqual(['0880'])
    const cmp = await getJson<{ regions: { ranks: Record<string, { lan: Rank; riket: Rank }> }[] }>('/api/key-figures/compare?region=0880')
    const rank = cmp.regions[0].ranks.companies.lan
    const line = await page.getByTestId('ranked-rank').textContent()
    expect(line).toContain(`plats ${rank.rank} av ${rank.of}`)
    if (rank.percentile !== null) expect(line).toContain(`percentil ${Math.round(rank.percentile)}`)
    await page.locator('[data-testid=ranked-figure]').screenshot({ path: path.join(shots, 'ranked-lan.png') })

    // all kommuner of the country: as many bars as the API has kommuner, the rank among all of them
    await page.getByTestId('ranked-scope').selectOption('riket')
    await page.waitForFunction(() => new URL(location.href).searchParams.get('rankin') === 'riket')
    const all = await getJson<{ rows: Row[] }>('/api/key-figures?level=kommun')
    await expect.poll(async () => (await bars(page)).length).toBe(all.rows.length)
    expect((await bars(page)).filter((b) => b.highlight).map((b) => b.code)).toEqual(['0880'])
    const riket = cmp.regions[0].ranks.companies.riket
    expect(await page.getByTestId('ranked-rank').textContent()).toContain(`plats ${riket.rank} av ${riket.of}`)
    await page.locator('[data-testid=ranked-figure]').screenshot({ path: path.join(shots, 'ranked-riket.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('shows a suppressed value as suppressed, without a bar and after the others, never as 0', async () => {
    // a branch category with a kommun of Kalmar län whose employees are suppressed (and some that are not)
    const cats = await getJson<{ rows: (Row & { branchCode: string })[] }>('/api/key-figures?level=kommun&lan=08&branch=category')
    const code = [...new Set(cats.rows.map((r) => r.branchCode))].find((c) => {
      const rows = cats.rows.filter((r) => r.branchCode === c)
      return rows.some((r) => r.suppressed.employees) && rows.some((r) => !r.suppressed.employees)
    })
    expect(code, 'the demo data have a suppressed employee count in Kalmar län').toBeDefined()
    const rows = cats.rows.filter((r) => r.branchCode === code)
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880&branch=${code}&series=employees`)
    await page.waitForSelector('[data-testid=chart-ranked] g[data-code]')
    await expect.poll(async () => (await bars(page)).filter((b) => b.suppressed).length).toBe(rows.filter((r) => r.suppressed.employees).length)
    const drawn = await bars(page)
    expect(drawn.length).toBe(rows.length)
    const first = drawn.findIndex((b) => b.suppressed)
    drawn.forEach((b, i) => {
      const row = rows.find((r) => r.regionCode === b.code)!
      if (row.suppressed.employees) {
        expect(b, b.code).toMatchObject({ suppressed: true, rect: false, value: 'undertryckt' })
        expect(i).toBeGreaterThanOrEqual(first)
      } else {
        expect(svNum(b.value), b.code).toBe(Math.round(row.employees!))
        expect(i, `${b.code} before the suppressed ones`).toBeLessThan(first)
      }
    })
    expect(await page.locator('[data-testid=ranked-figure] .hint').first().textContent()).toContain('undertryckt')
    await page.locator('[data-testid=ranked-figure]').screenshot({ path: path.join(shots, 'ranked-suppressed.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('downloads the ranking as SVG (it parses, one bar per kommun) and CSV (the API\'s values, the region\'s rank)', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880&series=per10k`)
    await page.waitForSelector('[data-testid=chart-ranked] g[data-code]')
    const api = await getJson<{ rows: (Row & { per10k: number | null })[] }>('/api/key-figures?level=kommun&lan=08')
    const svg = await download(page, 'svg')
    expect(svg.name).toMatch(/^kkb-0880-kalmar-rangordning-per10k-kalmar-lan-.*\.svg$/)
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
      return { error: !!doc.querySelector('parsererror'), root: doc.documentElement.nodeName, bars: doc.querySelectorAll('g[data-code]').length,
        highlight: doc.querySelector('g[data-highlight]')?.getAttribute('data-code') }
    }, svg.body.toString('utf8'))
    expect(parsed).toEqual({ error: false, root: 'svg', bars: api.rows.length, highlight: '0880' })

    const csv = await download(page, 'csv')
    expect(csv.name).toMatch(/\.csv$/)
    const lines = csv.body.toString('utf8').replace(/^\ufeff/, '').split('\r\n').filter(Boolean)
    expect(lines[0]).toBe('sep=;')
    expect(lines[1].split(';')).toEqual(['Plats', 'Område', 'Företag per 10 000 invånare', 'År', 'Bransch', 'Status', 'Anmärkning'])
    const body = lines.slice(2).map((l) => l.split(';'))
    expect(body.length).toBe(api.rows.length)
    for (const r of body) {
      const code = /\((\d{4})\)$/.exec(r[1])![1]
      const row = api.rows.find((x) => x.regionCode === code)!
      expect(r[2] === '' ? null : svNum(r[2]), code).toBe(row.per10k === null ? null : Number(row.per10k.toFixed(1)))
      expect(r.join(';')).not.toMatch(/(^|;)=/) // no formulas
    }
    const cmp = await getJson<{ regions: { ranks: Record<string, { lan: Rank }> }[] }>('/api/key-figures/compare?region=0880')
    const own = body.find((r) => r[1].endsWith('(0880)'))!
    expect(Number(own[0])).toBe(cmp.regions[0].ranks.per10k.lan.rank)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('the region card at 1440 × 900 and on a phone (#21)', () => {
  it('keeps every figure on one line ("undertryckt" whole, numbers never split) and the card within the screen', async () => {
    // a kommun with a suppressed figure in its card: Kalmar's employees in the demo data, else any kommun the API has one for
    const rows = (await getJson<{ rows: Row[] }>('/api/key-figures?level=kommun')).rows
    const region = rows.find((r) => r.regionCode === '0880' && r.suppressed.employees) ?? rows.find((r) => r.suppressed.employees)
    expect(region, 'a kommun with suppressed employees').toBeDefined()
    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      const { page, rec } = await openPage(browser, { viewport })
      await gotoAtlas(page, `${server.url}/?region=${region!.regionCode}`)
      await page.waitForSelector('[data-testid=chart-ranked] g[data-code]')
      await page.waitForSelector('[data-testid=region-figures] .suppressed-cell')
      const cells = await page.locator('[data-testid=region-figures] td').evaluateAll((tds) => tds.map((td) => {
        const range = document.createRange(); range.selectNodeContents(td)
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
        return { text: td.textContent, lines: lines.size, overflow: td.scrollWidth > td.clientWidth + 1 }
      }))
      expect(cells.filter((c) => c.text === 'undertryckt').length).toBeGreaterThan(0)
      for (const c of cells) expect(c, `${viewport.width} px: ${c.text}`).toMatchObject({ lines: 1, overflow: false })
      const card = (await page.locator('#region-card').boundingBox())!
      expect(card.x).toBeGreaterThanOrEqual(0)
      expect(card.x + card.width).toBeLessThanOrEqual(viewport.width)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width)
      if (viewport.width < 900) {
        // on a phone the card follows the map in the page, whole, instead of a few lines scrolling over the map
        const map = (await page.locator('#map-view').boundingBox())!
        expect(card.y).toBeGreaterThanOrEqual(map.y + map.height - 1)
        expect(await page.locator('#region-card').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true)
        await page.screenshot({ path: path.join(shots, 'ranked-card-phone.png'), fullPage: true })
      } else {
        await page.locator('#region-card').screenshot({ path: path.join(shots, 'ranked-card-1440.png') })
      }
      expect(rec.errors).toEqual([])
      await page.context().close()
    }
  })
})

describe('region card → compare (#21)', () => {
  it('the card\'s compare button opens the compare view with the region in it', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.getByTestId('region-compare').click()
    await page.waitForSelector('[data-testid=compare-table] th[data-code="0880"]')
    const url = new URL(page.url())
    expect(url.searchParams.get('view')).toBe('compare')
    expect(url.searchParams.get('cmp')!.split(',')).toContain('0880')
    await expect(page.locator('#compare-view').isVisible()).resolves.toBe(true)
    // from another region's card the region joins what is compared already
    await gotoAtlas(page, `${server.url}/?region=0980&cmp=0880,SE`)
    await page.getByTestId('region-compare').click()
    await page.waitForSelector('[data-testid=compare-table] th[data-code="0980"]')
    expect(new URL(page.url()).searchParams.get('cmp')).toBe('0880,SE,0980')
    // the compare view ranks all kommuner for the card's measure, the compared kommuner highlighted with the API's ranks
    await page.waitForSelector('[data-testid=compare-ranked] [data-testid=chart-ranked] g[data-code]')
    const all = await getJson<{ rows: Row[] }>('/api/key-figures?level=kommun')
    await expect.poll(() => page.locator('[data-testid=compare-ranked] g[data-code]').count()).toBe(all.rows.length)
    const lit = await page.locator('[data-testid=compare-ranked] g[data-highlight]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-code')))
    expect(lit.sort()).toEqual(['0880', '0980'])
    const cmp = await getJson<{ regions: { regionCode: string; ranks: Record<string, { riket: Rank }> }[] }>('/api/key-figures/compare?region=0880,SE,0980')
    for (const code of ['0880', '0980']) {
      const rank = cmp.regions.find((r) => r.regionCode === code)!.ranks.companies.riket
      expect(await page.locator(`[data-testid=compare-ranked-ranks] li[data-code="${code}"]`).textContent()).toContain(`plats ${rank.rank} av ${rank.of}`)
    }
    await page.locator('[data-testid=compare-ranked]').screenshot({ path: path.join(shots, 'ranked-compare.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('embeds of the ranking (#21)', () => {
  it('/embed?show=ranked shows the ranked bars alone', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 420, height: 330 } })
    await page.goto(`${server.url}/embed?region=0880&show=ranked`)
    await page.waitForSelector('[data-testid=chart-ranked] g[data-highlight]')
    const shown = (sel: string) => page.evaluate((q) => { const el = document.querySelector(q); return !!el && el.getClientRects().length > 0 }, sel)
    expect(await shown('[data-testid=ranked-figure]')).toBe(true)
    for (const other of ['[data-testid=series-figure]', '[data-testid=shares-figure]', '[data-testid=region-figures]', '.panel']) expect(await shown(other), other).toBe(false)
    await page.screenshot({ path: path.join(shots, 'ranked-embed.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('an embedded map fills a narrow frame', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 420, height: 330 } })
    // the map of an embed fills the frame (not the phone layout's 70 % with the cards below)
    await page.goto(`${server.url}/embed?region=0880&show=map`)
    await page.waitForSelector('#map canvas')
    expect((await page.locator('#map').boundingBox())!.height).toBeGreaterThanOrEqual(329)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('print layout in English (#21)', () => {
  it('prints the English profile: English headings, the region\'s name, the map zoomed to the region', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 }, lang: 'en-GB' })
    await gotoAtlas(page, `${server.url}/?region=0880&lang=en`)
    await page.waitForSelector('[data-testid=chart-ranked] g[data-code]')
    await page.waitForFunction(() => document.getElementById('print-map')!.dataset.region === '0880', null, { timeout: 60_000 })
    // the picture is the region: the selected outline (near-black) spans much of the picture, not a speck of the country
    const src = await page.locator('#print-map').getAttribute('src')
    const { width, data: d } = await imagePixels(page, src!)
    let minX = Infinity; let maxX = -Infinity
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] < 40 && d[i + 1] < 40 && d[i + 2] < 40) { const x = (i / 4) % width; minX = Math.min(minX, x); maxX = Math.max(maxX, x) }
    }
    const outline = (maxX - minX) / width
    expect(outline, 'the selected region spans the picture').toBeGreaterThan(0.3)
    const pdfPath = path.join(shots, 'print-en.pdf')
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true })
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfPath, path.join(shots, 'print-en')])
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString()
    expect(text).toContain('Kalmar')
    for (const heading of ['Trend over time', 'Ranking', 'Companies', 'Employees']) expect(text).toContain(heading)
    expect(text).not.toContain('Utveckling över tid')
    expect(text).not.toContain('Antal företag')
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})
