// Ranked bars (issue #21): one horizontal bar per region in the order given (highest first), the selected region in the
// region colour and the others grey. A suppressed value has no bar but the word "undertryckt" (never a bar of 0), a
// missing one "–". Ticks as on every chart (server/reports/ticks.ts). With many regions (all 290 kommuner) the bars
// become thin columns, highest on the left, and only the selected region is named.
import { niceTicks, tickDecimals } from '../../../server/reports/ticks'
import { GRID, INK, MUTED, SERIES_COLORS, svgRoot, text } from './chart'
import { s } from './dom'
import { num, t } from './i18n'

export interface RankedBar {
  code: string
  label: string
  /** the value as shown (shares in percent); null when suppressed or unknown */
  value: number | null
  suppressed: boolean
}

export interface RankedBarsInput {
  title: string
  bars: RankedBar[]
  /** the regions drawn in the region colour (the compare view highlights each compared region) */
  highlight: string[]
  digits: number
  unit?: string
}

/** Above this many regions each gets a thin column and no name (the selected region keeps its name and value). */
const LABELLED_MAX = 60
const OTHER = '#a7b1bb'

export function rankedBarsChart (c: RankedBarsInput): SVGSVGElement {
  const aria = `${c.title}: ` + c.bars.map((b) => `${b.label} ${b.suppressed ? t('suppressed') : b.value === null ? '..' : num(b.value, c.digits)}`).join(', ')
  const vals = c.bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v))
  const lo = Math.min(0, ...vals); const hi = Math.max(0, ...vals)
  const ticks = niceTicks(lo, hi === lo ? lo + 1 : hi, 4, c.digits === 0)
  const decimals = tickDecimals(ticks.length > 1 ? ticks[1] - ticks[0] : 1)
  const tickText = (v: number) => num(v, decimals) + (c.unit ? ` ${c.unit}` : '')
  const valueText = (b: RankedBar) => (b.suppressed ? t('suppressed') : b.value === null ? '–' : num(b.value, c.digits) + (c.unit ? ` ${c.unit}` : ''))
  return c.bars.length <= LABELLED_MAX ? bars(c, aria, ticks, tickText, valueText) : columns(c, aria, ticks, tickText, valueText)
}

type Text = (v: number) => string
type BarText = (b: RankedBar) => string

const barAttrs = (b: RankedBar, mine: boolean) =>
  ({ 'data-code': b.code, ...(mine ? { 'data-highlight': 'true' } : {}), ...(b.suppressed ? { 'data-suppressed': 'true' } : {}) })

/** One named row per region, the value at the bar's end. */
function bars (c: RankedBarsInput, aria: string, ticks: number[], tickText: Text, valueText: BarText): SVGSVGElement {
  const W = 360; const labelW = 112; const pad = { t: 4, r: 58 }; const row = 13; const barH = 9; const axisH = 18
  const H = pad.t + c.bars.length * row + axisH + 4
  const svg = svgRoot(W, H, aria, 'chart-ranked')
  const x0 = ticks[0]; const x1 = ticks[ticks.length - 1]
  const x = (v: number) => labelW + ((v - x0) / (x1 - x0 || 1)) * (W - labelW - pad.r)
  const plotBottom = pad.t + c.bars.length * row
  for (const v of ticks) {
    svg.append(s('line', { x1: x(v), x2: x(v), y1: pad.t, y2: plotBottom, stroke: GRID, 'stroke-width': 1 }),
      text({ x: x(v), y: plotBottom + 12, 'text-anchor': 'middle', class: 'tick' }, tickText(v)))
  }
  c.bars.forEach((b, i) => {
    const y = pad.t + i * row
    const mine = c.highlight.includes(b.code)
    const g = s('g', barAttrs(b, mine))
    g.append(text({ x: labelW - 5, y: y + barH - 0.5, 'text-anchor': 'end', fill: INK, 'font-size': 9, ...(mine ? { 'font-weight': 700 } : {}) },
      b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label))
    let end = x(0)
    if (b.value !== null) {
      const a = x(Math.min(0, b.value)); const e = x(Math.max(0, b.value))
      g.append(s('rect', { x: a, y, width: Math.max(e - a, b.value === 0 ? 0 : 0.8), height: barH, fill: mine ? SERIES_COLORS[0] : OTHER }))
      end = b.value < 0 ? x(0) : e
    }
    g.append(text({ x: end + 3, y: y + barH - 0.5, fill: b.suppressed || b.value === null ? MUTED : INK, 'font-size': 8.5,
      ...(b.suppressed ? { 'font-style': 'italic' } : {}), ...(mine ? { 'font-weight': 700 } : {}) }, valueText(b)))
    svg.append(g)
  })
  return svg
}

/** Many regions (all 290 kommuner): one thin column each, highest on the left; only the selected region is named. */
function columns (c: RankedBarsInput, aria: string, ticks: number[], tickText: Text, valueText: BarText): SVGSVGElement {
  // one line above the plot per highlighted region for its name
  const names = Math.max(1, c.bars.filter((b) => c.highlight.includes(b.code)).length)
  const W = 360; const pad = { l: 46, r: 8, t: 18 + 12 * names, b: 18 }; const H = 160 + pad.t
  const svg = svgRoot(W, H, aria, 'chart-ranked')
  const y0 = ticks[0]; const y1 = ticks[ticks.length - 1]
  const plotH = H - pad.t - pad.b; const plotW = W - pad.l - pad.r
  const y = (v: number) => pad.t + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH
  for (const v of ticks) {
    svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), stroke: GRID, 'stroke-width': 1 }),
      text({ x: pad.l - 5, y: y(v) + 3.5, 'text-anchor': 'end', class: 'tick' }, tickText(v)))
  }
  const step = plotW / c.bars.length
  const marks: SVGElement[] = []
  c.bars.forEach((b, i) => {
    const mine = c.highlight.includes(b.code)
    const g = s('g', barAttrs(b, mine))
    const left = pad.l + i * step
    if (b.value !== null) {
      const a = y(Math.max(0, b.value)); const e = y(Math.min(0, b.value))
      g.append(s('rect', { x: left, y: a, width: Math.max(step * 0.8, mine ? 1.6 : 0.5), height: Math.max(e - a, b.value === 0 ? 0 : 0.8), fill: mine ? SERIES_COLORS[0] : OTHER }))
    }
    if (mine) {
      // named above the plot, with a line down to its column
      const cx = left + step / 2
      const anchor = cx < W * 0.3 ? 'start' : cx > W * 0.7 ? 'end' : 'middle'
      const ty = 14 + 12 * marks.length
      marks.push(s('g', {},
        s('line', { x1: cx, x2: cx, y1: ty + 2, y2: b.value === null ? pad.t + plotH : y(Math.max(0, b.value)), stroke: SERIES_COLORS[0], 'stroke-width': 1 }),
        text({ x: cx + (anchor === 'end' ? -2 : anchor === 'start' ? 2 : 0), y: ty, 'text-anchor': anchor, fill: SERIES_COLORS[0], 'font-weight': 700 }, `${b.label}: ${valueText(b)}`)))
    }
    svg.append(g)
  })
  svg.append(...marks)
  return svg
}
