// People, not only firms, in real Chromium against the real server (demo data with its synthetic occupation table):
// the occupation measure on the map and in the region card (sex and age chart with its table alternative, marked as
// people by workplace region with source and year), and the education-need view (table per SUN field for the chosen
// län, flags highlighted, export links). Screenshots go to test-results/web/ (and SHOTS_PEOPLE when set).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, launch, mapIdle, openPage, shotDir, startServer, type Server } from './helpers.js'

let server: Server
let browser: Browser
const shotDirs: string[] = []

beforeAll(async () => {
  shotDirs.push(shotDir())
  if (process.env.SHOTS_PEOPLE) { mkdirSync(process.env.SHOTS_PEOPLE, { recursive: true }); shotDirs.push(process.env.SHOTS_PEOPLE) }
  server = await startServer()
  browser = await launch()
})
afterAll(async () => { await browser?.close(); await server?.stop() })

const shot = async (page: Page, name: string, el?: string) => {
  for (const d of shotDirs) {
    if (el) await page.locator(el).screenshot({ path: path.join(d, name) })
    else await page.screenshot({ path: path.join(d, name) })
  }
}
const api = async <T = any>(p: string): Promise<T> => {
  const res = await fetch(server.url + p)
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<T>
}
/** "1 234" / "12,5 %" → number */
const digits = (s: string | null) => Number((s ?? '').replace('−', '-').replace(/[^\d,.-]/g, '').replace(/\s/g, '').replace(',', '.'))
const sv = (v: number) => new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 }).format(v)

describe('people in cultural and creative occupations', () => {
  it('colours the map by people in the occupations and shows them in the region card, with sex and age as a chart and a table', async () => {
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/?measure=people&region=0880')
    await page.waitForFunction(() => document.body.dataset.figures?.startsWith('kommun|people|people'))
    const occ = await api('/api/key-figures/occupations?level=kommun')
    expect(occ.table.synthetic).toBe(true)
    const year = occ.years[0]
    expect(await page.evaluate(() => document.body.dataset.figures)).toBe(`kommun|people|people|quantile|${year}|${occ.table.id}`)
    // the legend says what is counted, and its classes are the colours on the canvas
    const legend = await page.locator('#legend').innerText()
    expect(legend).toContain('Personer i kulturella och kreativa yrken')
    expect(legend).toContain('Antal personer efter arbetsställets region')
    expect(legend).toContain(String(year))
    const codes = occ.rows.map((r: any) => r.regionCode)
    const colors = await page.evaluate((cs) => {
      const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
      return cs.map((c: string) => m.getFeatureState({ source: 'kommun', id: c }).color as string | undefined)
    }, codes)
    const legendColors = new Set(await page.$$eval('[data-testid=legend-classes] li', (lis) => lis.map((li) => (li as HTMLElement).dataset.color)))
    expect(new Set(colors.filter(Boolean)).size).toBeGreaterThan(3)
    for (const c of colors) expect(legendColors.has(c!)).toBe(true)
    // the most and the fewest people are in different classes
    const sorted = occ.rows.slice().sort((a: any, b: any) => a.kkOccupations - b.kkOccupations)
    const [low, high] = await page.evaluate((cs) => {
      const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
      return cs.map((c: string) => m.getFeatureState({ source: 'kommun', id: c }).color as string)
    }, [sorted[0].regionCode, sorted[sorted.length - 1].regionCode])
    expect(low).not.toBe(high)

    // the region card: people by workplace region, source, year, synthetic; figures equal the API's
    const card = page.locator('[data-testid=region-people]')
    await card.locator('[data-testid=people-figures]').waitFor()
    const kalmar = (await api('/api/key-figures/occupations?level=kommun&region=0880')).rows[0]
    const note = await card.locator('[data-testid=people-note]').innerText()
    expect(note).toContain('Antal personer efter arbetsställets region')
    expect(note).toContain(occ.table.source)
    expect(note).toContain(`år ${year}`)
    expect(await card.locator('[data-testid=people-synthetic]').innerText()).toMatch(/Syntetisk/)
    const cell = (field: string, col: number) => card.locator(`[data-testid=people-figures] tr[data-field=${field}] td`).nth(col).innerText()
    expect(digits(await cell('people', 0))).toBe(kalmar.kkOccupations)
    expect(digits(await cell('peopleShare', 0))).toBeCloseTo(kalmar.share * 100, 1)
    expect(digits(await cell('peopleLq', 0))).toBeCloseTo(kalmar.lq, 2)
    // Kalmar 2025 has the demo's protected cell: the card says the sum is of the known cells
    if (kalmar.flags.kkOccupations === 'includes-missing') expect(await card.innerText()).toContain('skyddade celler')
    // the chart names every value; the table alternative holds the same numbers
    const groups = [...kalmar.bySex, ...kalmar.byAge]
    const aria = await card.locator('svg.bars').getAttribute('aria-label')
    for (const g of groups) expect(aria).toContain(`${g.label} ${g.flags.kkOccupations === 'missing' ? '..' : sv(g.kkOccupations)}`)
    expect(await card.locator('svg.bars rect').count()).toBe(groups.length)
    await card.locator('details.people-table summary').click()
    const rows = await card.locator('[data-testid=people-breakdown] tbody tr').allInnerTexts()
    expect(rows).toHaveLength(groups.length)
    groups.forEach((g, i) => expect(digits(rows[i].split('\t')[1])).toBe(g.kkOccupations))
    // every year of the table as a series (not only the year shown): a line chart and a table, equal to the API's
    const all = (await api('/api/key-figures/occupations?level=kommun&region=0880&year=all')).rows.sort((a: any, b: any) => a.year - b.year)
    expect(all.length).toBeGreaterThan(1)
    expect(all.map((r: any) => r.year)).toEqual(occ.allYears)
    const lineAria = await card.locator('[data-testid=people-series-chart] svg').getAttribute('aria-label')
    for (const r of all) expect(lineAria).toContain(`${r.year} ${sv(r.kkOccupations)}`)
    expect(await card.locator('[data-testid=people-series-chart] svg circle').count()).toBe(all.length)
    await card.locator('details.people-years summary').click()
    const yearRows = await card.locator('[data-testid=people-series] tbody tr').allInnerTexts()
    expect(yearRows.map((t) => Number(t.split('\t')[0]))).toEqual(all.map((r: any) => r.year))
    all.forEach((r: any, i: number) => {
      expect(digits(yearRows[i].split('\t')[1]), String(r.year)).toBe(r.kkOccupations)
      if (r.change !== null) expect(digits(yearRows[i].split('\t')[3]), String(r.year)).toBe(r.change)
    })
    expect(await card.locator('[data-testid=people-series] tr.current th').innerText()).toBe(String(year))
    await mapIdle(page)
    await shot(page, 'people-map-card.png')
    await shot(page, 'people-region-card.png', '#region-card')

    // in English
    await page.locator('#lang-switch').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=people-note]')?.textContent?.includes('Count of people by workplace region'))
    expect(await page.locator('#legend').innerText()).toContain('Count of people by workplace region')
    await shot(page, 'people-region-card-en.png', '#region-card')
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('shows the education need per SUN field for the chosen län, flags highlighted, with export links', async () => {
    // a län with a flagged field, if the demo has one
    const all = await api('/api/key-figures/education-need')
    const flaggedRow = all.rows.find((r: any) => r.specialisedWithoutProgramme)
    const lan = flaggedRow?.lanCode ?? '08'
    const need = await api(`/api/key-figures/education-need?lan=${lan}`)
    const { page, rec } = await openPage(browser)
    await gotoAtlas(page, server.url + '/?view=table&tab=education')
    // no län chosen yet: the view asks for one
    expect(await page.locator('#table-education').innerText()).toContain('Välj ett län')
    await page.locator('[data-testid=education-lan]').selectOption(lan)
    const table = page.locator('[data-testid=education-table]')
    await table.waitFor()
    expect(new URL(page.url()).searchParams.get('region')).toBe(lan)
    expect(await page.locator('#tab-education').getAttribute('aria-selected')).toBe('true')
    const rows = table.locator('tbody tr')
    expect(await rows.count()).toBe(need.rows.length)
    const head = await table.locator('thead th').allInnerTexts()
    const col = (name: string) => head.indexOf(name)
    // an applicants column where a programme of the län gives applicants (the demo's YH, högskola, folkhögskola)
    expect(col('Sökande') > 0).toBe(need.rows.some((r: any) => r.applicants !== null))
    for (const [i, r] of need.rows.entries()) {
      const cells = await rows.nth(i).locator('th, td').allInnerTexts()
      expect(cells[0]).toContain(r.sunPrefix)
      expect(digits(cells[col('Utbildningar')])).toBe(r.programmes)
      if (r.applicants !== null) expect(digits(cells[col('Sökande')])).toBe(r.applicants)
      if (r.people !== null) expect(digits(cells[col('Personer i yrkena')])).toBe(r.people)
      expect(await rows.nth(i).getAttribute('class')).toBe(r.specialisedWithoutProgramme ? 'flagged' : null)
      // the flag is text, not colour alone
      expect(cells[col('Flagga')].includes('Stark specialisering')).toBe(r.specialisedWithoutProgramme)
      if (r.specialisedWithoutProgramme) expect(cells[col('Flagga')]).toContain({ lqCompanies: 'LQ företag', lqEmployees: 'LQ anställda', lqOccupations: 'LQ yrken' }[r.specialisedBy[0] as string])
    }
    const n = need.rows.filter((r: any) => r.specialisedWithoutProgramme).length
    expect(await page.locator('[data-testid=education-flagged]').innerText()).toContain(`${n} inriktningar`)
    // the export links give the same rows
    const href = await page.locator('[data-testid=export-education-csv-en]').getAttribute('href')
    const csv = parse(await (await fetch(server.url + href)).text(), { bom: true, columns: true }) as Record<string, string>[]
    expect(csv.map((r) => r['SUN-inriktning'])).toEqual(need.rows.map((r: any) => r.sunPrefix))
    expect(csv.filter((r) => r['Stark specialisering utan utbildning'] === 'ja')).toHaveLength(n)
    const xlsx = await fetch(server.url + (await page.locator('[data-testid=export-education-xlsx]').getAttribute('href')))
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml')
    await shot(page, 'education-need.png')
    // keyboard: the tabs cycle with the arrow keys
    await page.locator('#tab-education').focus()
    await page.keyboard.press('ArrowRight')
    expect(await page.locator('#tab-figures').getAttribute('aria-selected')).toBe('true')
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})
