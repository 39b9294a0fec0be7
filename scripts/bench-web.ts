/// <reference lib="dom" />
// First meaningful paint of the map app in headless Chromium against a running server:
// navigation start → the map's first 'idle' after the choropleth is painted and the actor points are in,
// checked with queryRenderedFeatures (polygons and points really on the canvas).
//   npx tsx scripts/bench-web.ts [http://127.0.0.1:3000] [runs=5]
import { chromium, type Page } from 'playwright-core'

const base = (process.argv[2] ?? process.env.KKB_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '')
const runs = Number(process.argv[3] ?? 5)
const TARGET_MS = 2000

async function measure (page: Page): Promise<{ paint: number; kommuner: number; actors: number; domReady: number }> {
  await page.waitForFunction(() => (window as unknown as { __kkb?: { firstPaint: number } }).__kkb?.firstPaint, null, { timeout: 60_000 })
  return page.evaluate(() => {
    const w = window as unknown as { __kkb: { firstPaint: number }; __kkbMap: import('maplibre-gl').Map }
    const m = w.__kkbMap
    const layers = ['actors-clusters', 'actors-points'].filter((l) => m.getLayer(l))
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return {
      paint: w.__kkb.firstPaint, // performance.now() is relative to navigation start
      domReady: nav.domContentLoadedEventEnd,
      kommuner: new Set(m.queryRenderedFeatures({ layers: ['kommun-fill'] }).map((f) => f.properties.code)).size,
      actors: layers.length ? m.queryRenderedFeatures({ layers }).length : 0,
    }
  })
}

const health = await fetch(`${base}/api/health`).catch(() => null)
if (!health?.ok) {
  console.error(`bench-web: no server at ${base} (start one: PORT=3201 npx tsx server/server.ts)`)
  process.exit(1)
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
const cold: number[] = []
const warm: number[] = []
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${base}/`)
    const c = await measure(page)
    if (!c.kommuner || !c.actors) throw new Error(`nothing rendered: ${JSON.stringify(c)}`)
    cold.push(c.paint)
    await page.reload() // same context: assets from the HTTP cache
    warm.push((await measure(page)).paint)
    console.log(`run ${i + 1}: cold ${Math.round(c.paint)} ms (DOMContentLoaded ${Math.round(c.domReady)} ms, ${c.kommuner} kommuner, ${c.actors} actor features), warm ${Math.round(warm[i])} ms`)
    await context.close()
  }
} finally {
  await browser.close()
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const m = median(cold)
console.log(`first meaningful paint (navigation start → map idle with features): median cold ${Math.round(m)} ms, warm ${Math.round(median(warm))} ms over ${runs} runs (target < ${TARGET_MS} ms: ${m < TARGET_MS ? 'met' : 'NOT met'})`)
