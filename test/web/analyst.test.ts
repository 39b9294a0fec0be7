// Issue #21 in Chromium: the region card fits its panel at 1440×900 (the Riket column is not cut off), region search
// folds diacritics. Screenshots in test-results/web/.
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gotoAtlas, launch, openPage, shotDir, startServer, type Server } from './helpers.js'

let server: Server
let browser: Browser
let shots: string
beforeAll(async () => { shots = shotDir(); server = await startServer(); browser = await launch() })
afterAll(async () => { await browser?.close(); await server?.stop() })

describe('analyst fixes (#21)', () => {
  it('the region card keeps every column inside the card at 1440×900', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    // long kommun and län names, big and small numbers
    for (const code of ['0880', '0180', '1480']) {
      await gotoAtlas(page, `${server.url}/?region=${code}`)
      await page.waitForSelector('[data-testid=region-figures]')
      await page.waitForFunction(() => !document.querySelector('[data-testid=region-figures]')?.textContent?.includes('…'))
      const m = await page.evaluate(() => {
        const card = document.querySelector('#region-card')!.getBoundingClientRect()
        const table = document.querySelector('[data-testid=region-figures]') as HTMLElement
        const cells = [...table.querySelectorAll('td, th')].map((c) => c.getBoundingClientRect().right)
        return { cardRight: card.right, right: Math.max(...cells), columns: table.querySelectorAll('thead th').length, overflow: table.scrollWidth - table.clientWidth }
      })
      expect(m.columns, code).toBe(4)
      expect(m.right, `${code}: the last column ends inside the card`).toBeLessThanOrEqual(m.cardRight)
      expect(m.overflow, code).toBeLessThanOrEqual(0)
      if (code === '1480') await page.screenshot({ path: path.join(shots, 'analyst-card-1440.png') })
    }
    expect(rec.errors).toEqual([])
    await page.context().close()
  })

  it('region search folds diacritics ("vaxjo" → Växjö, "malmo" → Malmö)', async () => {
    const { page, rec } = await openPage(browser, { viewport: { width: 1440, height: 900 } })
    await gotoAtlas(page, server.url + '/')
    const region = page.getByTestId('region-search')
    for (const [q, name] of [['vaxjo', 'Växjö'], ['malmo', 'Malmö'], ['ostersund', 'Östersund']]) {
      await region.fill(q)
      // the first option once the list has answered this query (the previous query's list may still be open)
      await page.waitForFunction((n) => document.querySelector('#search [role=listbox]:not([hidden]) [role=option] .cb-label')?.textContent === n, name, { timeout: 10_000 })
    }
    expect(rec.errors).toEqual([])
    await page.context().close()
  })
})
