// The classed legend: the same colours the map uses (one Classes object feeds both), plus suppressed/no-data.
import type { Classes } from '../map/classify'
import { NO_DATA } from '../map/colors'
import { h, mount } from './dom'
import { formatValue, type Field } from './format'
import { t } from './i18n'

export interface LegendInput {
  title: string
  subtitle: string
  field: Field
  classes: Classes
  suppressed: number
  missing: number
  actors: { name: string; color: string }[] | null
  education: boolean
}

export function renderLegend (el: HTMLElement, L: LegendInput): void {
  const c = L.classes
  const label = (i: number): string => {
    if (c.fixed) {
      const b = c.breaks
      const f = (v: number) => formatValue(L.field, v, 0)
      return i === 0 ? `< ${f(b[0])}` : i === b.length ? `≥ ${f(b[b.length - 1])}` : `${f(b[i - 1])} – < ${f(b[i])}`
    }
    const r = c.ranges[i]
    if (!r) return '–'
    const extra = c.breaks.length && r[0] !== r[1] && formatValue(L.field, r[0]) === formatValue(L.field, r[1]) ? 1 : 0
    return r[0] === r[1] ? formatValue(L.field, r[0], extra) : `${formatValue(L.field, r[0], extra)} – ${formatValue(L.field, r[1], extra)}`
  }
  mount(el,
    h('h2', { class: 'legend-title' }, L.title),
    h('p', { class: 'legend-sub' }, L.subtitle),
    h('ul', { class: 'legend-classes', 'data-testid': 'legend-classes' },
      c.colors.map((color, i) => h('li', { 'data-color': color },
        h('span', { class: 'legend-swatch', style: `background:${color}`, 'aria-hidden': 'true' }),
        h('span', { class: 'legend-label' }, label(i)), h('span', { class: 'legend-count' }, `(${c.counts[i]})`))),
      L.suppressed ? h('li', { 'data-color': 'hatch' }, h('span', { class: 'legend-swatch hatch', 'aria-hidden': 'true' }),
        h('span', { class: 'legend-label' }, t('suppressed')), h('span', { class: 'legend-count' }, `(${L.suppressed})`)) : null,
      L.missing ? h('li', { 'data-color': NO_DATA }, h('span', { class: 'legend-swatch', style: `background:${NO_DATA}`, 'aria-hidden': 'true' }),
        h('span', { class: 'legend-label' }, t('noData')), h('span', { class: 'legend-count' }, `(${L.missing})`)) : null),
    L.actors || L.education ? h('div', { class: 'legend-actors' },
      L.actors ? [h('h3', {}, t('actorsLegend')), h('ul', { class: 'legend-groups' }, L.actors.map((g) =>
        h('li', {}, h('span', { class: 'dot', style: `background:${g.color}`, 'aria-hidden': 'true' }), g.name)))] : null,
      L.education ? h('p', { class: 'legend-edu' }, h('span', { class: 'edu-swatch', 'aria-hidden': 'true' }), t('educationLegend')) : null) : null)
}
