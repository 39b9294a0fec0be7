/// <reference lib="dom" />
// Smoothness of the map while panning, in headless Chromium against a running server (register-scale data for #7):
// for each view, load the map, pan a fixed route once so the tiles are in (warm-up), then pan the same route again
// while the page records every animation frame (requestAnimationFrame deltas) and long tasks. Prints, per view, the
// actors in view (points + the counts of clusters/stacks), frames, p95 and the longest frame (target: none > 200 ms).
// With --layers, it also prints what each visible layer costs per frame in that view (forced repaints of the still map
// with the layer hidden, against all layers shown): the way to find what to thin when frames are slow.
//   npx tsx scripts/bench-web-pan.ts [http://127.0.0.1:3000] [screenshot-dir] [--layers]
import { chromium, type Page } from 'playwright-core'

const layerCosts = process.argv.includes('--layers')
const args = process.argv.slice(2).filter((a) => a !== '--layers')
const base = (args[0] ?? process.env.KKB_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '')
const shots = args[1]
const TARGET_MS = 200
const VIEWS = [
  { name: 'KKB companies, Sweden (z5, clusters)', q: 'map=5.00/62.0000/16.0000' },
  { name: 'KKB companies, Stockholm län (z9, clusters)', q: 'map=9.00/59.3300/18.0600' },
  { name: 'KKB companies, Stockholm city (z12, points + stacks)', q: 'map=12.00/59.3300/18.0600' },
  { name: 'all companies, Stockholm län (z9, clusters)', q: 'branch=all&map=9.00/59.3300/18.0600' },
  { name: 'all companies, Stockholm city (z13, points + stacks)', q: 'branch=all&map=13.00/59.3300/18.0600' },
  { name: 'all workplaces, Göteborg (z12, points + stacks)', q: 'branch=all&actors=workplace&map=12.00/57.7000/11.9700' },
]

type Hook = { __kkb?: { firstPaint: number }; __kkbMap: import('maplibre-gl').Map; __frames?: number[]; __long?: number[] }

async function idle (page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as Hook).__kkb?.firstPaint, null, { timeout: 120_000 })
  await page.evaluate(() => new Promise<void>((resolve) => {
    const m = (window as unknown as Hook).__kkbMap
    if (m.loaded() && m.areTilesLoaded()) resolve(); else m.once('idle', () => resolve())
  }))
}

/** Actors drawn in the viewport: 1 per point, point_count per cluster or stack. */
const actorsInView = (page: Page) => page.evaluate(() => {
  const m = (window as unknown as Hook).__kkbMap
  const layers = ['actors-clusters', 'actors-points'].filter((l) => m.getLayer(l))
  const seen = new Set<string>()
  let n = 0
  for (const f of m.queryRenderedFeatures({ layers })) {
    const key = `${f.layer.id}|${f.id ?? JSON.stringify(f.properties)}`
    if (seen.has(key)) continue // a feature repeated in neighbouring tiles' buffers
    seen.add(key)
    n += Number(f.properties.point_count ?? 1)
  }
  return n
})

async function pan (page: Page): Promise<void> {
  const route: Array<[number, number]> = [[-400, 0], [0, -250], [400, 0], [0, 250]]
  for (const [dx, dy] of route) {
    await page.mouse.move(720, 450)
    await page.mouse.down()
    for (let i = 1; i <= 30; i++) { await page.mouse.move(720 + (dx * i) / 30, 450 + (dy * i) / 30); await page.waitForTimeout(16) }
    await page.mouse.up()
    await page.waitForTimeout(300)
  }
}

/** Mean frame time (ms) of forced repaints of the still map with the given layers hidden (middle 30 of 40 frames). */
const repaintMs = (page: Page, hide: string[]) => page.evaluate(`(async () => {
  const m = window.__kkbMap; const hide = ${JSON.stringify(hide)};
  for (const l of hide) m.setLayoutProperty(l, 'visibility', 'none');
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const d = []; let last = performance.now();
  for (let i = 0; i < 40; i++) { m.triggerRepaint(); await new Promise((r) => requestAnimationFrame(r)); const t = performance.now(); d.push(t - last); last = t }
  for (const l of hide) m.setLayoutProperty(l, 'visibility', 'visible');
  d.sort((a, b) => a - b); return d.slice(5, 35).reduce((a, b) => a + b, 0) / 30
})()`) as Promise<number>

/** Per visible layer: frame time with all layers minus frame time without it (mean of 3 interleaved rounds). */
async function printLayerCosts (page: Page): Promise<void> {
  const layers = await page.evaluate(`window.__kkbMap.getStyle().layers.filter((l) => (l.layout?.visibility ?? 'visible') === 'visible').map((l) => l.id)`) as string[]
  const sums = new Map<string, number>()
  const add = (k: string, v: number) => sums.set(k, (sums.get(k) ?? 0) + v / 3)
  for (let round = 0; round < 3; round++) {
    add('all', await repaintMs(page, []))
    for (const l of layers) add(l, await repaintMs(page, [l]))
    add('none', await repaintMs(page, layers))
  }
  const all = sums.get('all')!
  console.log(`  per frame: ${all.toFixed(1)} ms with every layer, ${sums.get('none')!.toFixed(1)} ms with none (clear, read-back, compositing); ` +
    layers.map((l) => `${l} ${(all - sums.get(l)!).toFixed(1)}`).join(', '))
}

const health = await fetch(`${base}/api/health`).catch(() => null)
if (!health?.ok) { console.error(`bench-web-pan: no server at ${base}`); process.exit(1) }
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
let worst = 0
try {
  for (const v of VIEWS) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${base}/?${v.q}`)
    await idle(page)
    const actors = await actorsInView(page)
    if (shots) { (await import('node:fs')).mkdirSync(shots, { recursive: true }); await page.screenshot({ path: `${shots}/pan-${VIEWS.indexOf(v) + 1}.png` }) }
    await pan(page) // warm-up: the route's tiles come in
    await idle(page)
    // a string, not a function: tsx's __name helper would not exist in the page
    await page.evaluate(`(() => {
      window.__frames = []; window.__long = [];
      let last = performance.now();
      function tick (t) { window.__frames.push(t - last); last = t; requestAnimationFrame(tick) }
      requestAnimationFrame(function (t) { last = t; requestAnimationFrame(tick) });
      new PerformanceObserver(function (l) { for (const e of l.getEntries()) window.__long.push(e.duration) }).observe({ type: 'longtask' });
    })()`)
    await pan(page)
    const { frames, long } = await page.evaluate(() => ({ frames: (window as unknown as Hook).__frames!, long: (window as unknown as Hook).__long! }))
    const sorted = [...frames].sort((a, b) => a - b)
    const max = sorted[sorted.length - 1] ?? 0
    worst = Math.max(worst, max)
    console.log(`${v.name}: ${actors.toLocaleString('en-US')} actors in view; ${frames.length} frames while panning, ` +
      `p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms, ` +
      `max ${max.toFixed(1)} ms, frames > ${TARGET_MS} ms: ${frames.filter((f) => f > TARGET_MS).length}, long tasks: ${long.length} (max ${Math.round(Math.max(0, ...long))} ms)`)
    if (layerCosts) await printLayerCosts(page)
    await context.close()
  }
} finally {
  await browser.close()
}
console.log(`longest frame while panning over warm tiles: ${worst.toFixed(1)} ms (target: none over ${TARGET_MS} ms: ${worst <= TARGET_MS ? 'met' : 'NOT met'})`)
