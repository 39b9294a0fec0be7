// The map app in real Chromium against the real server (demo data): rendering, choropleth, cards, drill-down,
// table view, exports, language, keyboard and URL state. Screenshots go to test-results/web/.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, launch, mapIdle, openPage, shotDir, startServer, type Recorded, type Server } from './helpers.js'

let server: Server
let browser: Browser
let shots: string

beforeAll(async () => {
  shots = shotDir()
  server = await startServer()
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const api = async <T>(p: string): Promise<T> => {
  const res = await fetch(server.url + p)
  if (!res.ok) throw new Error(`${p}: ${res.status}`)
  return res.json() as Promise<T>
}

interface Row {
  regionCode: string; companies: number; companiesAll: number; population: number | null; shareCompanies: number | null; companiesChangePct: number | null
}

/** Features of the given layers rendered on the map canvas (not the DOM). */
const rendered = (page: Page, layers: string[]) => page.evaluate((ls) => {
  const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
  const present = ls.filter((l) => m.getLayer(l))
  return present.length ? m.queryRenderedFeatures({ layers: present }).map((f) => ({ layer: f.layer.id, props: f.properties })) : []
}, layers)

const featureColors = (page: Page, codes: string[]) => page.evaluate((cs) => {
  const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
  return cs.map((c) => m.getFeatureState({ source: 'kommun', id: c }).color as string | undefined)
}, codes)

const legendColors = (page: Page) => page.$$eval('[data-testid=legend-classes] li', (lis) => lis.map((li) => (li as HTMLElement).dataset.color))

/** A screen point inside a kommun where no actor symbol sits, after zooming to it. */
async function pointInKommun (page: Page, code: string): Promise<{ x: number; y: number }> {
  await page.evaluate((c) => (window as unknown as { __kkb: { atlas: { fitRegion (c: string): void } } }).__kkb.atlas.fitRegion(c), code)
  await page.waitForTimeout(900)
  await mapIdle(page)
  const pt = await page.evaluate((c) => {
    const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
    const canvas = m.getCanvas().getBoundingClientRect()
    const actorLayers = ['actors-clusters', 'actors-points', 'actors-cluster-count'].filter((l) => m.getLayer(l))
    for (let i = 0; i < 4000; i++) {
      const x = 20 + ((i * 37) % (canvas.width - 460)); const y = 20 + Math.floor(i / 30) * 7 % (canvas.height - 40)
      const f = m.queryRenderedFeatures([x, y], { layers: ['kommun-fill'] })[0]
      if (f?.properties.code !== c) continue
      if (m.queryRenderedFeatures([[x - 14, y - 14], [x + 14, y + 14]], { layers: actorLayers }).length) continue
      return { x: x + canvas.left, y: y + canvas.top }
    }
    return null
  }, code)
  expect(pt, `a clickable point in kommun ${code}`).not.toBeNull()
  return pt!
}

/** "1 234,5" / "−10,0 %" → number; "–" (no value) → NaN */
const digits = (s: string | null) => {
  const t = (s ?? '').replace('−', '-').replace(/[^\d,-]/g, '').replace(',', '.')
  return /\d/.test(t) ? Number(t) : NaN
}

function assertLocalOnly (rec: Recorded): void {
  const origin = new URL(server.url).origin
  const foreign = rec.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))
  expect(foreign, 'requests leaving localhost').toEqual([])
}

describe('KKB Atlas web app', () => {
  it('loads with no console errors, no external requests, and renders polygons and actor points', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/')
    const kommuner = await rendered(page, ['kommun-fill'])
    expect(new Set(kommuner.map((f) => f.props.code)).size).toBeGreaterThan(250)
    const lan = await rendered(page, ['lan-line'])
    expect(lan.length).toBeGreaterThan(15)
    const actors = await rendered(page, ['actors-clusters', 'actors-points'])
    expect(actors.length).toBeGreaterThan(5)
    expect(actors.some((f) => Number(f.props.point_count) > 1)).toBe(true) // clusters at the national view
    // choropleth colours on the canvas are exactly the legend's colours
    const codes = [...new Set(kommuner.map((f) => String(f.props.code)))]
    const colors = new Set((await featureColors(page, codes)).filter(Boolean))
    const legend = new Set(await legendColors(page))
    for (const c of colors) expect(legend.has(c!) || c === '#d9d9d9' || c === '#ececec').toBe(true)
    expect(await page.locator('#banner').innerText()).toContain('Demodata – syntetiska företag, inte verkliga')
    expect(await page.locator('#banner').innerText()).toMatch(/Kalmar län med full registertäthet, övriga landet ≈ 1\/\d+/)
    expect(await page.locator('#footer').innerText()).toMatch(/DEMODATA.*Uttag/s)
    expect(await page.locator('#summary').innerText()).toMatch(/Riket: [\d\s ]+ KKB-företag, \d+,\d %/)
    await page.screenshot({ path: path.join(shots, 'map.png') })
    expect(rec.errors).toEqual([])
    assertLocalOnly(rec)
    expect(rec.requests.some((u) => u.includes('/api/regions?level=kommun&format=geojson'))).toBe(true)
    await page.context().close()
  })

  it('also renders the actors from the clustered GeoJSON source (?source=geojson), and education providers as squares', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/?source=geojson&edu=1')
    expect(await page.evaluate(() => (window as unknown as { __kkb: { actorMode: { type: string } } }).__kkb.actorMode.type)).toBe('geojson')
    const actors = await rendered(page, ['actors-clusters', 'actors-points'])
    expect(actors.length).toBeGreaterThan(5)
    const edu = await rendered(page, ['education-points'])
    expect(edu.length).toBeGreaterThan(10)
    expect(rec.requests.some((u) => u.includes('/api/actors?kind=company&kkb=true&format=geojson'))).toBe(true)
    expect(rec.requests.some((u) => u.includes('/api/tiles/actors/'))).toBe(false)
    await page.screenshot({ path: path.join(shots, 'map-geojson-education.png') })
    expect(rec.errors).toEqual([])
    assertLocalOnly(rec)
    await page.context().close()
  })

  it('clicking a cluster zooms in; clicking a single point opens its actor card', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/')
    /** screen position of a rendered feature of a layer, away from the overlays (summary, legend, cards) */
    const target = (layer: string) => page.evaluate((l) => {
      const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
      const box = m.getCanvas().getBoundingClientRect()
      for (const f of m.queryRenderedFeatures({ layers: [l] })) {
        const p = m.project((f.geometry as { coordinates: number[] }).coordinates as [number, number])
        if (p.x > 300 && p.x < box.width - 460 && p.y > 200 && p.y < box.height - 40) {
          return { x: p.x + box.left, y: p.y + box.top, name: String(f.properties.name ?? ''), count: Number(f.properties.point_count ?? 0) }
        }
      }
      return null
    }, layer)
    const zoom = () => page.evaluate(() => (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap.getZoom())
    const cluster = await target('actors-clusters')
    expect(cluster).not.toBeNull()
    const z0 = await zoom()
    await page.mouse.click(cluster!.x, cluster!.y)
    await page.waitForFunction((z) => (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap.getZoom() > z + 0.5, z0)
    // single points at street level, around a KKB company placed by its address
    const { items } = await api<{ items: { lon: number; lat: number; locationPrecision: string }[] }>('/api/actors?kind=company&kkb=true&kommun=0180&limit=50')
    const at = items.find((a) => a.locationPrecision === 'address')!
    await page.goto(server.url + `/?map=14/${at.lat}/${at.lon}`)
    await page.waitForFunction(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint)
    await mapIdle(page)
    const point = await target('actors-points')
    expect(point, 'a single actor point in view').not.toBeNull()
    await page.mouse.click(point!.x, point!.y)
    await page.waitForFunction((n) => document.querySelector('#actor-card-title')?.textContent === n, point!.name)
    expect(new URL(page.url()).searchParams.get('actor')).toMatch(/^company:\d+$/)
    await mapIdle(page)
    await page.screenshot({ path: path.join(shots, 'actor-point-click.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('choosing a branch recolours the choropleth (feature-state, no geometry refetch) and changes the legend', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/?measure=companies')
    // every kommun: a few big ones can stay in the top class for both branches (the demo's Kalmar län is at register density)
    const codes = (await api<{ rows: Row[] }>('/api/key-figures?level=kommun&branch=total')).rows.map((r) => r.regionCode)
    expect(codes.length).toBe(290)
    const before = await featureColors(page, codes)
    const legendBefore = await page.locator('#legend').innerText()
    const geometryRequests = rec.requests.filter((u) => u.includes('/api/regions')).length
    const figures = await page.evaluate(() => document.body.dataset.figures)
    // the branch tree: expand a group (disclosure button), then pick a category
    await page.getByRole('button', { name: /^Audiovisuellt/ }).click()
    expect(await page.getByRole('button', { name: /^Audiovisuellt/ }).getAttribute('aria-expanded')).toBe('true')
    await page.getByLabel('2.3 Film & tv').check()
    await page.waitForFunction((f) => document.body.dataset.figures !== f, figures)
    await mapIdle(page)
    const after = await featureColors(page, codes)
    expect(after).not.toEqual(before)
    const legendAfter = await page.locator('#legend').innerText()
    expect(legendAfter).not.toEqual(legendBefore)
    expect(legendAfter).toContain('Film & tv')
    expect(rec.requests.filter((u) => u.includes('/api/regions')).length).toBe(geometryRequests)
    expect(page.url()).toContain('branch=2.3')
    // the legend's classes are the map's colours, and each kommun's colour is the class of its value
    const kf = await api<{ rows: Row[] }>('/api/key-figures?level=kommun&branch=category&code=2.3')
    const stockholm = kf.rows.find((r) => r.regionCode === '0180')!
    const colors = await legendColors(page)
    expect(colors).toContain(after[0])
    expect(stockholm.companies).toBeGreaterThan(0)
    // LQ classes around 1
    await page.getByRole('combobox', { name: 'Nyckeltal', exact: true }).selectOption('lqCompanies')
    await page.waitForFunction(() => document.body.dataset.figures?.includes('lqCompanies|lq'))
    const lqLegend = await page.locator('[data-testid=legend-classes]').innerText()
    expect(lqLegend).toMatch(/< 0,67/)
    expect(lqLegend).toMatch(/≥ 1,5/)
    // employees: suppressed values are hatched and labelled in the legend
    await page.getByRole('combobox', { name: 'Nyckeltal', exact: true }).selectOption('employees')
    await page.waitForFunction(() => document.body.dataset.figures?.includes('employees'))
    expect(await page.locator('[data-testid=legend-classes]').innerText()).toContain('undertryckt')
    await mapIdle(page)
    // the hatch layer draws exactly the suppressed kommuner in view (the map is fitted to Sweden: all of them)
    const emp = await api<{ rows: Array<Row & { suppressed: Record<string, string | null> }> }>('/api/key-figures?level=kommun&branch=category&code=2.3')
    const suppressedCodes = emp.rows.filter((r) => r.suppressed.employees).map((r) => r.regionCode).sort()
    expect(suppressedCodes.length).toBeGreaterThan(0)
    const hatched = [...new Set((await rendered(page, ['kommun-hatch'])).map((f) => String(f.props.code)))].sort()
    expect(hatched).toEqual(suppressedCodes)
    await page.screenshot({ path: path.join(shots, 'branch-employees-suppressed.png') })
    // change (%): diverging classes around 0 are chosen with it, and each kommun's colour is the class of its value
    await page.getByRole('combobox', { name: 'Nyckeltal', exact: true }).selectOption('companiesChangePct')
    await page.waitForFunction(() => document.body.dataset.figures?.includes('companiesChangePct|change'))
    expect(await page.getByRole('combobox', { name: 'Klassindelning', exact: true }).inputValue()).toBe('change')
    const changeLegend = await page.locator('[data-testid=legend-classes]').innerText()
    expect(changeLegend).toMatch(/< −10,0 %/)
    expect(changeLegend).toMatch(/≥ 10,0 %/)
    await mapIdle(page)
    const changeColors = (await legendColors(page)).slice(0, 5)
    const breaks = [-10, -2, 2, 10]
    const withChange = emp.rows.filter((r) => r.companiesChangePct !== null && !r.suppressed.companiesChangePct)
    expect(withChange.length).toBeGreaterThan(0)
    const sample = withChange.slice(0, 12)
    const painted = await featureColors(page, sample.map((r) => r.regionCode))
    sample.forEach((r, i) => {
      const v = r.companiesChangePct!
      expect(painted[i], `${r.regionCode} ${v} %`).toBe(changeColors[breaks.filter((b) => v >= b).length])
    })
    // the LQ breaks are not offered for change, quantiles are
    const offered = await page.getByRole('combobox', { name: 'Klassindelning', exact: true }).locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(offered).toEqual(['quantile', 'equal', 'change'])
    // kommuner without a value (no companies the year before) get the no-data swatch, counted and labelled
    const noValue = emp.rows.filter((r) => r.companiesChangePct === null && !r.suppressed.companiesChangePct).length
    expect(noValue).toBeGreaterThan(0)
    expect(await page.locator('[data-testid=legend-classes] li', { hasText: 'uppgift saknas' }).innerText()).toContain(`(${noValue})`)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('clicking a kommun opens its card with the numbers of /api/key-figures (kommun, län, riket) and a time series', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/')
    const pt = await pointInKommun(page, '0880')
    await page.mouse.click(pt.x, pt.y)
    await page.waitForSelector('[data-testid=region-figures]')
    await page.waitForFunction(() => !document.querySelector('[data-testid=region-figures]')?.textContent?.includes('…'))
    expect(await page.locator('#region-card-title').innerText()).toBe('Kalmar')
    const [k, l, r] = await Promise.all([
      api<{ rows: Row[] }>('/api/key-figures?level=kommun&region=0880&branch=total'),
      api<{ rows: Row[] }>('/api/key-figures?level=lan&region=08&branch=total'),
      api<{ rows: Row[] }>('/api/key-figures?level=riket&branch=total'),
    ])
    const cells = async (field: string) => (await page.locator(`[data-testid=region-figures] tr[data-field=${field}] td`).allInnerTexts())
    for (const field of ['companies', 'companiesAll', 'population'] as const) {
      expect((await cells(field)).map(digits), field).toEqual([k.rows[0][field], l.rows[0][field], r.rows[0][field]])
    }
    const share = await cells('shareCompanies')
    expect(share[0]).toBe(`${(k.rows[0].shareCompanies! * 100).toFixed(1).replace('.', ',')} %`)
    // the key-figure trend chart's points (the flows chart and the people section have series charts of their own)
    expect(await page.locator('#region-card [data-testid=chart-series] circle').count()).toBe((await api<{ rows: Row[] }>('/api/key-figures?level=kommun&region=0880&branch=total&year=all')).rows.length)
    expect(page.url()).toContain('region=0880')
    await mapIdle(page)
    // the selection outline is drawn for Kalmar (its own small source, not a zero-width line round every kommun)
    expect((await rendered(page, ['region-highlight'])).filter((f) => f.props.role === 'selected').map((f) => f.props.code)).toContain('0880')
    expect(await page.locator('#summary').innerText()).toMatch(/^Kalmar: \d+ KKB-företag/)
    await page.screenshot({ path: path.join(shots, 'region-card.png') })
    // drill-down: the actor list has as many rows as the card's figure
    const drill = page.getByTestId('drill-down')
    expect(digits(await drill.innerText())).toBe(k.rows[0].companies)
    await drill.click()
    await page.waitForFunction(() => document.querySelector('[data-testid=actors-table]') && !document.querySelector('.table-foot')?.textContent?.includes('…'))
    const total = Number(await page.getByTestId('actors-table').getAttribute('data-total'))
    expect(total).toBe(k.rows[0].companies)
    expect(await page.locator('[data-testid=actors-table] tbody tr').count()).toBe(Math.min(total, 50))
    expect(page.url()).toMatch(/view=table.*tab=actors|tab=actors.*view=table/)
    await page.screenshot({ path: path.join(shots, 'drill-down-actors.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('drill-down for all companies in a big kommun pages through the same number of actors, sorted by the API', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/?branch=all&region=0180')
    await page.waitForFunction(() => !document.querySelector('[data-testid=region-figures]')?.textContent?.includes('…'))
    const kf = await api<{ rows: Row[] }>('/api/key-figures?level=kommun&region=0180&branch=all')
    const drill = page.getByTestId('drill-down')
    expect(digits(await drill.innerText())).toBe(kf.rows[0].companies)
    await drill.click()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=actors-table]')?.getAttribute('data-total')) > 0)
    expect(Number(await page.getByTestId('actors-table').getAttribute('data-total'))).toBe(kf.rows[0].companies)
    await page.getByRole('button', { name: 'Visa fler' }).click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=actors-table] tbody tr').length === 100)
    // sort by employees (server-side) through the header button
    await page.getByRole('button', { name: /^Anställda/ }).click()
    await page.waitForFunction(() => document.querySelector('#actors-table [aria-sort=descending] .sort-btn')?.textContent?.startsWith('Anställda'))
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=actors-table] tbody tr').length === 50)
    const emp = (await page.locator('[data-testid=actors-table] tbody tr td:nth-child(5)').allInnerTexts()).map(digits).filter(Number.isFinite)
    expect(emp).toEqual([...emp].sort((a, b) => b - a))
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('export buttons download files that re-parse (CSV with Swedish Excel settings, XLSX, JSON-stat, GeoJSON)', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/?view=table&region=0880')
    const download = async (testId: string) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
      const file = await dl.path()
      return { name: dl.suggestedFilename(), body: readFileSync(file!), url: dl.url() }
    }
    const csv = await download('export-figures-csv')
    expect(csv.url).toContain('format=csv&locale=sv')
    const rows = parse(csv.body.toString('utf8').replace(/^\uFEFF/, ''), { delimiter: ';', relax_column_count: true, skip_empty_lines: true }) as string[][]
    expect(rows.length).toBeGreaterThan(290)
    expect(rows.flat().join(' ')).toMatch(/Kalmar/)
    const xlsx = await download('export-figures-xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer)
    expect(wb.worksheets.length).toBeGreaterThan(0)
    expect(wb.worksheets[0].rowCount).toBeGreaterThan(290)
    const jsonstat = JSON.parse((await download('export-figures-jsonstat')).body.toString('utf8'))
    expect(jsonstat.class ?? jsonstat.version).toBeTruthy()

    await page.getByTestId('tab-actors').click()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=actors-table]')?.getAttribute('data-total')) > 0)
    const total = Number(await page.getByTestId('actors-table').getAttribute('data-total'))
    const acsv = await download('export-actors-csv')
    const arows = parse(acsv.body.toString('utf8').replace(/^\uFEFF/, '').replace(/^sep=;\r\n/, ''), { delimiter: ';', columns: true, skip_empty_lines: true }) as Record<string, string>[]
    expect(arows.length).toBe(total)
    const axlsx = await download('export-actors-xlsx')
    const awb = new ExcelJS.Workbook()
    await awb.xlsx.load(axlsx.body as unknown as ArrayBuffer)
    expect(awb.worksheets.some((ws) => ws.rowCount >= total)).toBe(true)
    // the CRM profile: names instead of codes (kommun, län, legal form), one row per firm (the public role: no opt-out filter)
    const crm = parse((await download('export-actors-crm-csv')).body.toString('utf8').replace(/^\uFEFF/, '').replace(/^sep=;\r\n/, ''),
      { delimiter: ';', columns: true, skip_empty_lines: true }) as Record<string, string>[]
    expect(crm.length).toBe(total)
    expect(Object.keys(crm[0])).toEqual(expect.arrayContaining(['Namn', 'Juridisk form', 'Kommun', 'Län', 'Länk till Bolagsverket']))
    expect(crm.every((r) => r.Kommun === '' || !/^\d{4}$/.test(r.Kommun))).toBe(true)
    const geo = JSON.parse((await download('export-actors-geojson')).body.toString('utf8'))
    expect(geo.type).toBe('FeatureCollection')
    expect(geo.features.length).toBe(total)
    await page.screenshot({ path: path.join(shots, 'table-actors.png') })
    expect(rec.errors).toEqual([])
    assertLocalOnly(rec)
    await page.context().close()
  })

  it('switches language (English) and keeps it in the URL across a reload', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/')
    expect(await page.locator('html').getAttribute('lang')).toBe('sv')
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    expect(await page.getByTestId('view-map').innerText()).toBe('Map')
    expect(await page.locator('#legend h2').innerText()).toBe('Companies per 10,000 inhabitants')
    expect(await page.locator('#banner').innerText()).toContain('Demo data – synthetic companies, not real')
    expect(await page.locator('#summary').innerText()).toMatch(/^Sweden: [\d,]+ CCI companies, \d+\.\d %/)
    // the footer describes the imports in the UI's language, not the API's Swedish export text
    const footer = await page.locator('#footer').innerText()
    expect(footer).toMatch(/^Source: DEMO DATA \(synthetic companies\) – .*\(imported \d{1,2} \w{3} \d{4}\)/)
    expect(footer).not.toMatch(/importerad|syntetiska/)
    expect(page.url()).toContain('lang=en')
    await page.reload()
    await page.waitForFunction(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint)
    expect(await page.locator('#legend h2').innerText()).toBe('Companies per 10,000 inhabitants')
    await page.screenshot({ path: path.join(shots, 'english.png') })
    await page.getByRole('button', { name: 'Byt till svenska' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'sv')
    expect(await page.locator('#legend h2').innerText()).toBe('Företag per 10 000 invånare')
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('on a phone-sized screen: the filters, then the map with the choropleth, no sideways scrolling', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await gotoAtlas(page, server.url + '/')
    const box = async (sel: string) => (await page.locator(sel).boundingBox())!
    const [panel, map, footer] = [await box('#panel'), await box('#map'), await box('#footer')]
    expect(panel.height, 'the filter panel keeps room for its fields').toBeGreaterThan(250)
    expect(map.y, 'the map comes below the filters').toBeGreaterThanOrEqual(panel.y + panel.height - 1)
    expect(map.height, 'the map keeps most of a screen').toBeGreaterThan(500)
    expect(footer.y).toBeGreaterThanOrEqual(map.y + map.height - 1)
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no horizontal overflow').toBeLessThanOrEqual(390)
    const painted = await page.evaluate(() => (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
      .queryRenderedFeatures({ layers: ['kommun-fill'] }).length)
    expect(painted).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(shots, 'phone.png'), fullPage: true })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('is usable by keyboard only: skip link, Tab reaches the table, sort buttons set aria-sort', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('skip-link')
    expect(await page.locator('#skip-link').isVisible()).toBe(true)
    // the Tabell view by keyboard: Tab to the view switch and press Enter
    let found = false
    for (let i = 0; i < 10 && !found; i++) {
      await page.keyboard.press('Tab')
      found = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'view-table')
    }
    expect(found).toBe(true)
    await page.keyboard.press('Enter')
    await page.waitForSelector('#figures-table')
    // keep tabbing until focus is inside the table
    let inTable = false
    for (let i = 0; i < 120 && !inTable; i++) {
      await page.keyboard.press('Tab')
      inTable = await page.evaluate(() => !!document.activeElement?.closest('#figures-table'))
    }
    expect(inTable, 'Tab reaches the key-figure table').toBe(true)
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.key)
    expect(focused).toMatch(/^sort-/)
    const th = page.locator('#figures-table thead th').first()
    expect(await th.getAttribute('scope')).toBe('col')
    expect(await th.getAttribute('aria-sort')).toBe('none')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.querySelector('#figures-table thead th')?.getAttribute('aria-sort') === 'ascending')
    expect(await page.locator('#figures-table tbody tr th[scope=row]').count()).toBe(290)
    expect(page.url()).toContain('fsort=regionName')
    // focus stays on the sort button after the re-render
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.key)).toBe('sort-regionName')
    // every form control has an accessible name
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, button, a[href]')].filter((el) => {
      const e = el as HTMLElement
      if (e.closest('[inert]') || e.offsetParent === null) return false
      const id = e.id
      const label = id ? document.querySelector(`label[for="${id}"]`) : null
      return !(e.getAttribute('aria-label') || label || e.textContent?.trim() || e.closest('label'))
    }).map((e) => e.outerHTML.slice(0, 80)))
    expect(unnamed).toEqual([])
    await page.screenshot({ path: path.join(shots, 'keyboard-table.png') })
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('names regions on the map: kommuner in a linked zoomed-in view without moving it, län by their short names', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/?map=10.00/59.3300/18.0600')
    await page.waitForSelector('.map-label-kommun', { timeout: 5_000 })
    const labels = await page.locator('.map-label-kommun').allInnerTexts()
    expect(labels).toContain('Stockholm')
    expect(await page.locator('.map-label-lan').count(), 'län names only below zoom 6.6').toBe(0)
    // the whole country: län names without "län" and the genitive s
    await gotoAtlas(page, server.url + '/')
    await page.waitForSelector('.map-label-lan', { timeout: 5_000 })
    const lan = await page.locator('.map-label-lan').allInnerTexts()
    expect(lan).toEqual(expect.arrayContaining(['Västra Götaland', 'Skåne', 'Norrbotten', 'Stockholm']))
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('region and name search autocomplete; the actor card shows what the API gives; the view survives a reload', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/')
    const region = page.getByTestId('region-search')
    await region.fill('Kalm')
    await page.waitForSelector('[role=option]')
    await region.press('ArrowDown')
    await region.press('Enter')
    await page.waitForFunction(() => document.querySelector('#region-card-title')?.textContent)
    const title = await page.locator('#region-card-title').innerText()
    expect(['Kalmar', 'Kalmar län']).toContain(title)
    const name = page.getByTestId('name-search')
    await name.fill('ark')
    await page.waitForSelector('#search [role=listbox]:not([hidden]) [role=option]')
    const first = await page.locator('#search [role=listbox]:not([hidden]) [role=option]').first().locator('.cb-label').innerText()
    await name.press('ArrowDown')
    await name.press('Enter')
    await page.waitForFunction((n) => document.querySelector('#actor-card-title')?.textContent === n, first)
    const actorParam = new URL(page.url()).searchParams.get('actor')!
    const [kind, id] = actorParam.split(':')
    const detail = await api<{ name: string; orgnr?: string; sniCodes: { code: string }[] }>(`/api/actors/${id}?kind=${kind}`)
    expect(await page.locator('#actor-card-title').innerText()).toBe(detail.name)
    const card = await page.locator('#actor-card').innerText()
    if (detail.orgnr) expect(card).toContain(detail.orgnr)
    for (const s of detail.sniCodes) expect(card).toContain(s.code)
    await mapIdle(page)
    await page.screenshot({ path: path.join(shots, 'actor-card.png') })
    // the whole view is in the URL
    const before = page.url()
    await page.reload()
    await page.waitForFunction(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint)
    await page.waitForFunction((n) => document.querySelector('#actor-card-title')?.textContent === n, detail.name)
    expect(await page.locator('#region-card-title').innerText()).toBe(title)
    expect(page.url()).toBe(before)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})
