// The analyst's workbench (#21) in Chromium: following one län (its kommuner in the table, on the map and in the
// export), the zoom a län search lands on, the compare view and branch search. Screenshots in test-results/web/.
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, launch, mapIdle, openPage, shotDir, startServer, type Server } from './helpers.js'

let server: Server
let browser: Browser
let shots: string
beforeAll(async () => { shots = shotDir(); server = await startServer(); browser = await launch() })
afterAll(async () => { await browser?.close(); await server?.stop() })

const api = async <T>(p: string): Promise<T> => (await fetch(server.url + p)).json() as Promise<T>
interface Region { code: string; name: string; county: string | null }
const figures = (page: Page) => page.evaluate(() => document.body.dataset.figures ?? '')
const stateOf = (page: Page) => page.evaluate(() => {
  const s = (window as unknown as { __kkb: { store: { get (): Record<string, unknown> } } }).__kkb.store.get()
  return { level: s.level, lan: s.lan, region: s.region }
})

describe('following one län (#21)', () => {
  it('a län search names its kommuner; "Kommun" then keeps the län in the table, on the map and in the export', async () => {
    const kommuner = await api<Region[]>('/api/regions?level=kommun')
    const kalmar = kommuner.filter((k) => k.county === '08')
    expect(kalmar.length).toBeGreaterThan(5)
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, server.url + '/')

    // search the län: the map lands where its kommuner are named (län labels end at 6.6, kommun labels start at 7.4)
    await page.getByTestId('region-search').fill('Kalmar l')
    await page.waitForFunction(() => document.querySelector('#search [role=listbox]:not([hidden]) [role=option] .cb-label')?.textContent === 'Kalmar län')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => new URLSearchParams(location.search).get('region') === '08')
    await page.waitForTimeout(50) // the fit animation starts on the next frame
    await mapIdle(page)
    const zoom = await page.evaluate(() => (window as unknown as { __kkbMap: { getZoom (): number } }).__kkbMap.getZoom())
    const labels = await page.$$eval('.map-label-kommun', (els) => els.map((e) => e.textContent ?? ''))
    expect(zoom, 'the fit lands below the general kommun-label zoom').toBeLessThan(7.4)
    for (const k of kalmar) expect(labels, `${k.name} is named at zoom ${zoom.toFixed(2)}`).toContain(k.name)
    expect(labels.every((l) => kalmar.some((k) => k.name === l)), 'only the län\'s kommuner are named below 7.4').toBe(true)
    await page.screenshot({ path: path.join(shots, 'workbench-lan-search.png') })

    // then the kommun level: the choice is kept and only Kalmar län's kommuner are painted
    await page.locator('[data-key=level-kommun]').check()
    await page.waitForFunction(() => document.body.dataset.figures?.startsWith('kommun|') && document.body.dataset.figures.endsWith('|lan=08'))
    expect(await stateOf(page)).toEqual({ level: 'kommun', lan: '08', region: '08' })
    expect(await figures(page)).toContain('|lan=08')
    await expect.poll(() => page.getByTestId('followed-lan').textContent()).toContain('Kalmar län')
    const paint = await page.evaluate((codes) => {
      const m = (window as unknown as { __kkbMap: import('maplibre-gl').Map }).__kkbMap
      return codes.map((c) => m.getFeatureState({ source: 'kommun', id: c }).color as string)
    }, ['0180', '1280', ...kalmar.map((k) => k.code)])
    const [stockholm, malmo, ...inside] = paint
    expect(stockholm, 'a kommun outside the län is drawn pale').toBe('#f6f6f3')
    expect(malmo).toBe('#f6f6f3')
    for (const c of inside) expect(c).not.toBe('#f6f6f3')
    await mapIdle(page)
    await page.screenshot({ path: path.join(shots, 'workbench-lan-kommuner-map.png') })

    // the table holds the län's kommuner, then the län and riket to read them against
    await page.getByTestId('view-table').click()
    await page.waitForSelector('[data-testid=figures-table] tbody tr')
    const codes = await page.$$eval('[data-testid=figures-table] tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.code))
    expect(codes.sort()).toEqual(kalmar.map((k) => k.code).sort())
    const context = await page.$$eval('[data-testid=figures-table] tfoot tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.code))
    expect(context).toEqual(['08', 'SE'])
    expect(await page.locator('[data-testid=figures-table] caption').textContent()).toContain('Kalmar län')
    await page.screenshot({ path: path.join(shots, 'workbench-lan-table.png') })

    // the export link holds the same: its file is named by the län and the branch, and lists only those rows
    const href = await page.getByTestId('export-figures-csv').getAttribute('href')
    expect(href).toContain('lan=08')
    const res = await fetch(server.url + href!)
    expect(res.headers.get('content-disposition')).toMatch(/filename="kkb-nyckeltal-kommun-lan-08-kalmar-lan-total-\d{4}/)
    const lines = (await res.text()).split(/\r?\n/).filter((l) => /^\d{4};/.test(l))
    const exported = lines.map((l) => l.split(';')[2])
    expect(exported.sort()).toEqual([...kalmar.map((k) => k.code), '08', 'SE'].sort())
    const xlsx = await page.getByTestId('export-figures-xlsx').getAttribute('href')
    expect(xlsx).toContain('lan=08')
    // births and closures of the same kommuner, per quarter, as a file
    const flowsHref = await page.getByTestId('export-flows-csv').getAttribute('href')
    expect(flowsHref).toContain('lan=08')
    const flows = await fetch(server.url + flowsHref!)
    expect(flows.headers.get('content-disposition')).toMatch(/filename="kkb-flode-kommun-lan-08-total-kvartal-/)
    const flowCodes = new Set((await flows.text()).split(/\r?\n/).filter((l) => /^\d{4}Q\d;/.test(l)).map((l) => l.split(';')[4]))
    expect([...flowCodes].sort()).toEqual(kalmar.map((k) => k.code).sort())
    expect((await fetch(server.url + (await page.getByTestId('export-flows-xlsx').getAttribute('href'))!)).status).toBe(200)

    // a kommun chosen in the table keeps the following; "whole country" ends it
    await page.locator('[data-testid=figures-table] tbody tr[data-code="0880"] button').click()
    await expect.poll(() => stateOf(page)).toEqual({ level: 'kommun', lan: '08', region: '0880' })
    await page.locator('[data-key=unfollow]').click()
    await page.waitForFunction(() => document.body.dataset.figures?.startsWith('kommun|') && !document.body.dataset.figures.includes('lan='))
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=figures-table] tbody tr').length === n, kommuner.length)
    expect(await page.locator('[data-testid=figures-table] tfoot tr').count()).toBe(0)
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('the compare view (#21)', () => {
  it('compares a kommun with its län and riket, adds regions and similar kommuner, saves the set in the browser and exports it', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, `${server.url}/?region=0880`)
    await page.getByTestId('view-compare').click()
    const columns = () => page.$$eval('[data-testid=compare-table] thead th[data-code]', (ths) => ths.map((t) => (t as HTMLElement).dataset.code))
    await page.waitForSelector('[data-testid=compare-table]')
    expect(await columns()).toEqual(['0880', '08', 'SE'])
    expect(new URL(page.url()).searchParams.get('cmp')).toBe('0880,08,SE')

    // the figures and ranks are the API's
    type R = { rank: number; of: number } | null
    const res = await api<{ regions: Array<{ regionCode: string; row: Record<string, number>; ranks: Record<string, { riket: R; lan: R }> }> }>(
      '/api/key-figures/compare?region=0880,08,SE&branch=total')
    const kalmar = res.regions[0]
    const cell = page.locator('[data-testid=compare-table] tr[data-measure=companies] td[data-code="0880"]')
    expect(await cell.locator('.value').textContent()).toBe(String(kalmar.row.companies))
    const rankText = await cell.locator('.rank').textContent()
    expect(rankText).toContain(`plats ${kalmar.ranks.companies.riket!.rank} av ${kalmar.ranks.companies.riket!.of} kommuner`)
    expect(rankText).toContain(`plats ${kalmar.ranks.companies.lan!.rank} av ${kalmar.ranks.companies.lan!.of} i Kalmar län`)
    expect(await page.locator('[data-testid=compare-table] tr[data-measure=companies] td[data-code=SE] .rank').count()).toBe(0)

    // add a kommun by search (diacritics folded)
    await page.getByTestId('compare-add').fill('vaxjo')
    await page.waitForFunction(() => document.querySelector('#compare-view [role=listbox]:not([hidden]) [role=option] .cb-label')?.textContent === 'Växjö')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] thead th[data-code]').length === 4)
    expect(await columns()).toEqual(['0880', '08', 'SE', '0780'])

    // kommuner like Kalmar: the API's list; one is added to the comparison
    const similar = await api<{ items: Array<{ regionCode: string; regionName: string }> }>('/api/key-figures/similar?kommun=0880&n=5')
    await page.getByTestId('similar-show').click()
    await page.waitForSelector('[data-testid=similar-list] li')
    expect(await page.$$eval('[data-testid=similar-list] li', (li) => li.map((l) => (l as HTMLElement).dataset.code))).toEqual(similar.items.map((i) => i.regionCode))
    const pick = similar.items.find((i) => i.regionCode !== '0780')!
    await page.getByTestId(`similar-add-${pick.regionCode}`).click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] thead th[data-code]').length === 5)
    await page.screenshot({ path: path.join(shots, 'workbench-compare.png'), fullPage: false })

    // save the set in this browser, clear the comparison, reopen the set after a reload
    await page.getByTestId('set-name').fill('Kalmar med jämförelser')
    await page.getByTestId('set-save').click()
    await page.waitForSelector('[data-testid="set-open-Kalmar med jämförelser"]')
    const saved = ['0880', '08', 'SE', '0780', pick.regionCode]
    for (const code of saved) await page.locator(`[data-testid=compare-chips] li[data-code="${code}"] .chip-x`).click()
    await page.waitForSelector('[data-testid=compare-table]', { state: 'detached' })
    await page.goto(`${server.url}/?view=compare`)
    await page.waitForSelector('[data-testid="set-open-Kalmar med jämförelser"]')
    await page.getByTestId('set-open-Kalmar med jämförelser').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] thead th[data-code]').length === 5)
    expect(await columns()).toEqual(saved)

    // the export holds the compared regions with their ranks
    const href = await page.getByTestId('export-compare-csv').getAttribute('href')
    const file = await fetch(server.url + href!)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-disposition')).toContain(`kkb-jamforelse-${saved.join('_')}-total`)
    const text = await file.text()
    for (const code of saved) expect(text).toContain(`;${code};`)
    expect(text).toContain('rang inom länet')
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})

describe('branch search (#21)', () => {
  it('"musik" finds the category Musik under Scenkonst, opens its group and hides the rest; choosing it shows it', async () => {
    const def = await api<{ groups: Array<{ code: string; name: string; categories: Array<{ code: string; name: string }> }> }>('/api/definitions/kreametern-provisional')
    const musik = def.groups.flatMap((g) => g.categories.map((c) => ({ ...c, group: g }))).find((c) => c.name === 'Musik')!
    expect(musik.group.name).toBe('Scenkonst')
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, server.url + '/')
    const visible = (sel: string) => page.$$eval(sel, (els) => (els as HTMLElement[]).filter((e) => e.offsetParent !== null)
      .map((e) => e.dataset.category ?? e.dataset.group))
    expect(await visible('#filters li[data-category]'), 'groups start closed').toEqual([])
    await page.getByTestId('branch-search').fill('musik')
    const cats = await visible('#filters li[data-category]')
    expect(cats).toContain(musik.code)
    // every category shown matches (its name or one of its SNI codes' titles), and the groups shown are theirs
    const groups = await visible('#filters li[data-group]')
    expect(groups).toContain(musik.group.code)
    expect(groups.length).toBeLessThan(def.groups.length)
    expect(await page.locator(`#filters li[data-group="${musik.group.code}"] .tree-toggle`).textContent(), 'the opened group shows −').toBe('−')
    await page.screenshot({ path: path.join(shots, 'workbench-branch-search.png') })
    // the search keeps its text while typing (no re-render under the caret), and a group name shows all its categories
    await page.getByTestId('branch-search').fill('scenkonst')
    expect((await visible('#filters li[data-category]')).sort()).toEqual(musik.group.categories.map((c) => c.code).sort())
    await page.getByTestId('branch-search').fill('musik')
    await page.locator(`#filters [data-key="branch-${musik.code}"]`).check()
    await page.waitForFunction((code) => document.body.dataset.figures?.split('|')[1] === code, musik.code)
    expect(await page.getByTestId('branch-search').inputValue()).toBe('musik')
    await page.getByTestId('branch-search').fill('')
    expect((await visible('#filters li[data-group]')).length).toBe(def.groups.length)
    expect(await visible('#filters li[data-category]'), 'the chosen category\'s group stays open').toContain(musik.code)
    expect(await page.getByTestId('branch-search').inputValue()).toBe('')
    await page.getByTestId('branch-search').fill('xyzzy')
    expect(await visible('#filters li[data-group]')).toEqual([])
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})
