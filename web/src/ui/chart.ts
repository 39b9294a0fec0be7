// A small SVG line chart (companies per year) with a text alternative.
import { s } from './dom'
import { num } from './i18n'

export function lineChart (points: { year: number; value: number }[], label: string): SVGElement {
  const W = 320; const H = 130; const pad = { l: 40, r: 16, t: 22, b: 22 }
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': `${label}: ${points.map((p) => `${p.year} ${num(p.value)}`).join(', ')}` })
  if (!points.length) return svg
  const max = Math.max(...points.map((p) => p.value), 1)
  const nice = niceMax(max * 1.1)
  const x0 = points[0].year; const x1 = points[points.length - 1].year
  const x = (yr: number) => pad.l + (x1 === x0 ? (W - pad.l - pad.r) / 2 : ((yr - x0) / (x1 - x0)) * (W - pad.l - pad.r))
  const y = (v: number) => H - pad.b - (v / nice) * (H - pad.t - pad.b)
  for (const v of [0, nice / 2, nice]) {
    svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, num(v)))
  }
  svg.append(s('polyline', { points: points.map((p) => `${x(p.year)},${y(p.value)}`).join(' '), class: 'line' }))
  for (const p of points) {
    svg.append(s('circle', { cx: x(p.year), cy: y(p.value), r: 3.5, class: 'pt' }),
      s('text', { x: x(p.year), y: H - 6, 'text-anchor': 'middle', class: 'axis' }, String(p.year)),
      s('text', { x: x(p.year), y: y(p.value) - 7, 'text-anchor': 'middle', class: 'val' }, num(p.value)))
  }
  return svg
}

function niceMax (v: number): number {
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}
