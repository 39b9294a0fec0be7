// Charts of the region card and the embeds, in SVG with every colour and font as attributes (no stylesheet), so the
// same element is shown, downloaded as SVG, drawn into a PNG and printed. Each chart has a text alternative
// (aria-label with every value) and a table behind it (ChartData) that the CSV download writes.
// Axis ticks come from the same function as the PDF report (server/reports/ticks.ts): steps of 1, 2, 2.5 or 5 × 10^k,
// each labelled with the decimals its step needs, so a 2.5 gridline says 2,5 and never "3" (issue #21).
import { niceTicks, tickDecimals } from '../../../server/reports/ticks'
import { s } from './dom'
import { num } from './i18n'

/** The palette of a chart's series: the region, its län, riket (WCAG AA against white). */
export const SERIES_COLORS = ['#0b5a9c', '#8a3cc2', '#4a5561'] as const
export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif'
export const INK = '#1b2631'; export const MUTED = '#55616d'; export const GRID = '#e3e7eb'

export interface Series { name: string; values: (number | null)[] }

/** What a chart shows, as a table: its CSV download and its text alternative. */
export interface ChartData {
  title: string
  /** the column headers: the first names the row key (year, branch), then one per series */
  header: string[]
  rows: (string | number | null)[][]
  /** the warning every file carries while the data are synthetic or the definition provisional (a last column) */
  notice: string | null
}

export interface TimeSeriesInput {
  title: string
  years: number[]
  series: Series[]
  /** digits of a value label (0 for counts) */
  digits: number
  unit?: string
  /** the y axis starts at 0 (counts, shares); an index axis fits the values */
  fromZero: boolean
  /** year → SNI version: where it changes between two years of the series, the break is drawn */
  sniVersionByYear?: Record<string, string>
  breakLabel?: (from: string, to: string) => string
  /** a reference line (index base = 100) */
  reference?: number
  /** data-testid of the svg (default chart-series); legend: false leaves the legend out (one series named by the caption) */
  testid?: string
  legend?: boolean
}

/** The pairs of consecutive years between which the SNI version changes (the series crosses the break there). */
export function sniBreaks (years: number[], byYear: Record<string, string> = {}): { after: number; before: number; from: string; to: string }[] {
  const out: { after: number; before: number; from: string; to: string }[] = []
  for (let i = 1; i < years.length; i++) {
    const a = byYear[String(years[i - 1])]; const b = byYear[String(years[i])]
    if (a && b && a !== b) out.push({ after: years[i - 1], before: years[i], from: a, to: b })
  }
  return out
}

export function svgRoot (W: number, H: number, label: string, testid: string): SVGSVGElement {
  return s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img',
    'aria-label': label, 'data-testid': testid, 'font-family': FONT }) as SVGSVGElement
}
export const text = (attrs: Record<string, string | number>, content: string) =>
  s('text', { 'font-size': 10, fill: MUTED, ...attrs }, content)

/** A line chart over years, one line per series; gaps where a value is missing or suppressed. */
export function timeSeriesChart (c: TimeSeriesInput): SVGSVGElement {
  const W = 360; const legendH = c.legend === false ? 0 : 14 * Math.ceil(c.series.length / 2)
  const H = 170 + legendH; const pad = { l: 46, r: 14, t: 16, b: 28 + legendH }
  const vals = c.series.flatMap((x) => x.values).filter((v): v is number => v !== null && Number.isFinite(v))
  const aria = `${c.title}: ` + c.series.map((x) => `${x.name} ${c.years.map((y, i) => `${y} ${x.values[i] === null ? '..' : num(x.values[i], c.digits)}`).join(', ')}`).join('; ')
  const svg = svgRoot(W, H, aria, c.testid ?? 'chart-series')
  if (!vals.length || !c.years.length) return svg
  const lo = c.fromZero ? Math.min(0, ...vals) : Math.min(...vals, c.reference ?? Infinity)
  const hi = Math.max(...vals, c.reference ?? -Infinity)
  // counts (no decimals) get whole steps: no gridline at 0,25 companies
  const ticks = niceTicks(lo, hi === lo && c.fromZero ? lo + 1 : hi, 4, c.digits === 0 && c.reference === undefined)
  const y0 = ticks[0]; const y1 = ticks[ticks.length - 1]
  const decimals = tickDecimals(ticks.length > 1 ? ticks[1] - ticks[0] : 1)
  const x0 = c.years[0]; const x1 = c.years[c.years.length - 1]
  const plotW = W - pad.l - pad.r; const plotH = H - pad.t - pad.b
  const x = (yr: number) => pad.l + (x1 === x0 ? plotW / 2 : ((yr - x0) / (x1 - x0)) * plotW)
  const y = (v: number) => pad.t + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH
  for (const v of ticks) {
    svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), stroke: GRID, 'stroke-width': 1 }),
      text({ x: pad.l - 5, y: y(v) + 3.5, 'text-anchor': 'end', class: 'tick' }, num(v, decimals) + (c.unit ? ` ${c.unit}` : '')))
  }
  if (c.reference !== undefined) svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: y(c.reference), y2: y(c.reference), stroke: MUTED, 'stroke-width': 1 }))
  // years on the x axis: every year when they fit, else every n-th
  const every = Math.max(1, Math.ceil(c.years.length / 8))
  c.years.forEach((yr, i) => {
    if (i % every === 0 || i === c.years.length - 1) svg.append(text({ x: x(yr), y: pad.t + plotH + 14, 'text-anchor': 'middle' }, String(yr)))
  })
  for (const b of sniBreaks(c.years, c.sniVersionByYear)) {
    const bx = (x(b.after) + x(b.before)) / 2
    svg.append(s('g', { 'data-testid': 'sni-break' },
      s('line', { x1: bx, x2: bx, y1: pad.t - 4, y2: pad.t + plotH, stroke: '#b34700', 'stroke-width': 1.2, 'stroke-dasharray': '4 3' }),
      text({ x: bx, y: pad.t - 6, 'text-anchor': 'middle', fill: '#8a3700', 'font-size': 9 }, c.breakLabel ? c.breakLabel(b.from, b.to) : `SNI ${b.from} → ${b.to}`)))
  }
  c.series.forEach((ser, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]
    // one polyline per run of known values: a missing or suppressed year is a gap, not a zero
    let run: string[] = []
    const flush = () => { if (run.length > 1) svg.append(s('polyline', { points: run.join(' '), fill: 'none', stroke: color, 'stroke-width': k === 0 ? 2.5 : 1.8, ...(k === 2 ? { 'stroke-dasharray': '5 3' } : {}) })); run = [] }
    ser.values.forEach((v, i) => { if (v === null) flush(); else run.push(`${x(c.years[i])},${y(v)}`) })
    flush()
    ser.values.forEach((v, i) => {
      if (v === null) return
      svg.append(s('circle', { cx: x(c.years[i]), cy: y(v), r: k === 0 ? 3.5 : 2.5, fill: '#fff', stroke: color, 'stroke-width': 2 }))
      if (k === 0 && c.years.length <= 6) {
        // the last year's label ends at its point: centred, a long number ran off the chart's right edge
        const last = i === c.years.length - 1 && c.years.length > 1
        svg.append(text({ x: x(c.years[i]) + (last ? 4 : 0), y: y(v) - 7, 'text-anchor': last ? 'end' : 'middle', fill: INK, 'font-weight': 700, class: 'val' }, num(v, c.digits)))
      }
    })
  })
  if (c.legend !== false) legend(svg, c.series.map((x) => x.name), pad.l, H - legendH + 2, W - pad.l)
  return svg
}

/** One series of counts over years (the people section's chart), with the same exact ticks. */
export function lineChart (points: { year: number; value: number }[], label: string): SVGSVGElement {
  return timeSeriesChart({ title: label, years: points.map((p) => p.year), series: [{ name: label, values: points.map((p) => p.value) }],
    digits: 0, fromZero: true, testid: 'chart-line', legend: false })
}

/** The series' names with their line (or, for bars, a filled box). */
function legend (svg: SVGSVGElement, names: string[], left: number, top: number, width: number, bars = false): void {
  names.forEach((name, k) => {
    const lx = left + (k % 2) * (width / 2); const ly = top + Math.floor(k / 2) * 14
    const color = SERIES_COLORS[k % SERIES_COLORS.length]
    svg.append(bars ? s('rect', { x: lx + 2, y: ly, width: 12, height: 8, fill: color })
      : s('line', { x1: lx, x2: lx + 16, y1: ly + 4, y2: ly + 4, stroke: color, 'stroke-width': 2.5, ...(k === 2 ? { 'stroke-dasharray': '5 3' } : {}) }),
    text({ x: lx + 20, y: ly + 7.5, fill: INK }, name.length > 28 ? `${name.slice(0, 27)}…` : name))
  })
}

export interface ShareBarsInput {
  title: string
  /** one row per category; values are shares 0..1 per series (null = unknown) */
  categories: { label: string; values: (number | null)[] }[]
  series: string[]
}

/** Horizontal grouped bars: each category's share in the region beside its share in the reference regions. */
export function shareBarsChart (c: ShareBarsInput): SVGSVGElement {
  const W = 360; const labelW = 118; const barH = 7; const groupGap = 7; const pad = { t: 4, r: 40 }
  const legendH = 14 * Math.ceil(c.series.length / 2)
  const groupH = barH * c.series.length + groupGap
  const axisH = 18
  const H = pad.t + c.categories.length * groupH + axisH + legendH + 4
  const aria = `${c.title}: ` + c.categories.map((g) => `${g.label} ${g.values.map((v, k) => `${c.series[k]} ${v === null ? '..' : `${num(v * 100, 1)} %`}`).join(', ')}`).join('; ')
  const svg = svgRoot(W, H, aria, 'chart-shares')
  const max = Math.max(0.0001, ...c.categories.flatMap((g) => g.values.filter((v): v is number => v !== null)))
  const ticks = niceTicks(0, max * 100, 4)
  const top = ticks[ticks.length - 1]; const decimals = tickDecimals(ticks.length > 1 ? ticks[1] - ticks[0] : 1)
  const plotW = W - labelW - pad.r
  const x = (pctValue: number) => labelW + (pctValue / top) * plotW
  const plotBottom = pad.t + c.categories.length * groupH
  for (const v of ticks) {
    svg.append(s('line', { x1: x(v), x2: x(v), y1: pad.t, y2: plotBottom, stroke: GRID, 'stroke-width': 1 }),
      text({ x: x(v), y: plotBottom + 12, 'text-anchor': 'middle', class: 'tick' }, `${num(v, decimals)} %`))
  }
  c.categories.forEach((g, i) => {
    const gy = pad.t + i * groupH
    svg.append(text({ x: labelW - 6, y: gy + (barH * c.series.length) / 2 + 3.5, 'text-anchor': 'end', fill: INK },
      g.label.length > 20 ? `${g.label.slice(0, 19)}…` : g.label))
    g.values.forEach((v, k) => {
      const w = v === null ? 0 : x(v * 100) - labelW
      svg.append(s('rect', { x: labelW, y: gy + k * barH, width: Math.max(0, w), height: barH - 1, fill: SERIES_COLORS[k % SERIES_COLORS.length] }))
      if (k === 0) svg.append(text({ x: labelW + w + 3, y: gy + barH - 0.5, fill: INK, 'font-size': 8.5 }, v === null ? '..' : `${num(v * 100, 1)} %`))
    })
  })
  legend(svg, c.series, labelW, plotBottom + axisH + 2, W - labelW, true)
  return svg
}
