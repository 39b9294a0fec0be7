// The compare view's ranked bars (issue #21): every kommun of Sweden (or every län, when no kommun is compared) for one
// measure, the compared regions highlighted with their rank and percentile as /api/key-figures/compare gives them.
// The same chart and CSV as the region card's ranking (ranked-figure.ts); the measure is the card's (`series=`).
import type { Compare, KeyFigureRow } from '../api/types'
import type { SeriesMeasure } from '../state/fields'
import { chartDownloads, fileSlug } from '../ui/chart-export'
import { h } from '../ui/dom'
import { fieldLabel } from '../ui/format'
import { t } from '../ui/i18n'
import { rankedBarsChart } from '../ui/ranked-bars'
import { DIGITS, measureSelect, unitOf } from './measure-values'
import { ordered, rankedData, rankLine } from './ranked-figure'

export interface CompareRankedInput {
  res: Compare
  /** all kommuner (or all län) for the comparison's branch and year */
  rows: KeyFigureRow[]
  level: 'kommun' | 'lan'
  measure: SeriesMeasure
  notice: string | null
  onMeasure: (m: SeriesMeasure) => void
}

export function compareRanked (c: CompareRankedInput): HTMLElement {
  const compared = c.res.regions.filter((r) => r.regionLevel === c.level)
  const bars = ordered(c.rows, c.measure)
  const peers = c.level === 'kommun' ? t('rankedAllKommuner') : t('rankedAllLan')
  const title = `${fieldLabel(c.measure)}, ${c.res.branch.name}, ${c.res.year ?? ''}: ${peers}`
  const svg = rankedBarsChart({ title, bars, highlight: compared.map((r) => r.regionCode), digits: DIGITS[c.measure], unit: unitOf(c.measure) })
  const select = measureSelect('compare-ranked-measure', c.measure, c.onMeasure)
  return h('figure', { class: 'series ranked compare-ranked', 'data-testid': 'compare-ranked' },
    h('figcaption', {}, t('rankedHeading')),
    h('div', { class: 'chart-controls no-print' }, h('label', { class: 'field inline' }, h('span', {}, t('seriesMeasure')), select)),
    h('p', { class: 'chart-title' }, title),
    h('ul', { class: 'plain rank-list', 'data-testid': 'compare-ranked-ranks' },
      compared.map((r) => h('li', { 'data-code': r.regionCode }, rankLine(r.regionName, r.ranks[c.measure]?.riket)))),
    svg,
    h('p', { class: 'hint' }, t('rankedRule')),
    chartDownloads(() => svg, () => rankedData(title, bars, c.measure, c.res.year ?? 0, c.res.branch.name, c.notice),
      fileSlug(['kkb', 'jamforelse', 'rangordning', c.measure, c.level === 'kommun' ? 'kommuner' : 'lan', c.res.branch.name, c.res.year]), t('rankedWhat')))
}
