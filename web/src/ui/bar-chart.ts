// A small horizontal bar chart (people by sex and age group) in SVG; its aria-label carries every value, and the
// caller shows the same numbers as a table for anyone who cannot read the chart.
import { s } from './dom'
import { num } from './i18n'

export interface Bar { label: string; value: number | null; section?: string }

export function barChart (bars: Bar[], label: string): SVGElement {
  const W = 320; const row = 18; const gap = 14; const labelW = 92; const pad = { r: 46, t: 4 }
  const sections = [...new Set(bars.map((b) => b.section ?? ''))]
  const H = pad.t + bars.length * row + (sections.length - 1) * gap + 4
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart bars', role: 'img',
    'aria-label': `${label}: ${bars.map((b) => `${b.section ? `${b.section} ` : ''}${b.label} ${b.value === null ? '..' : num(b.value)}`).join(', ')}` })
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0))
  let y = pad.t
  let section = bars[0]?.section ?? ''
  for (const b of bars) {
    if ((b.section ?? '') !== section) { y += gap; section = b.section ?? '' }
    const w = b.value === null ? 0 : ((W - labelW - pad.r) * b.value) / max
    svg.append(
      s('text', { x: labelW - 6, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'axis' }, b.label),
      s('rect', { x: labelW, y: y + 2, width: Math.max(w, b.value ? 1 : 0), height: row - 5, class: `bar bar-${sections.indexOf(b.section ?? '')}` }),
      s('text', { x: labelW + w + 4, y: y + row / 2 + 4, class: 'val' }, b.value === null ? '..' : num(b.value)))
    y += row
  }
  return svg
}
