// The region card's ranked bars (issue #21): every kommun of the region's län (or every kommun of Sweden, or every län)
// for the card's measure, branch and year, highest first, the region highlighted, with its rank and percentile as the
// API computes them (/api/key-figures/compare). The bars are the API's key-figure rows (/api/key-figures, lan= for a
// län's kommuner); a suppressed value is shown as such and placed last. The CSV's rank column uses the API's own rank
// rule (server/keyfigures/rank.ts), so the region's row says what the API says. Pure: the card fetches, this builds.
import type { CompareRegion, KeyFigureRow, Rank } from '../api/types'
import { rankOf } from '../../../server/keyfigures/rank'
import type { RankScope, SeriesMeasure } from '../state/fields'
import type { ChartData } from '../ui/chart'
import { chartDownloads, fileSlug } from '../ui/chart-export'
import { h } from '../ui/dom'
import { fieldLabel, suppressionOf } from '../ui/format'
import { num, t } from '../ui/i18n'
import { rankedBarsChart, type RankedBar } from '../ui/ranked-bars'
import { DIGITS, measureSelect, round, unitOf, valueOf } from './measure-values'

export interface RankedInput {
  region: { code: string; name: string }
  /** the kommun's län (null for a län) */
  lan: { code: string; name: string } | null
  measure: SeriesMeasure
  /** the kommuner of the län, or all regions of the level (a län is always ranked among all län) */
  scope: RankScope
  /** the peers' rows for the year: the län's kommuner, all kommuner or all län */
  rows: KeyFigureRow[]
  /** the region's ranks per measure from /api/key-figures/compare (null when it could not be read) */
  ranks: CompareRegion['ranks'] | null
  year: number
  branchName: string
  notice: string | null
  onMeasure: (m: SeriesMeasure) => void
  onScope: (s: RankScope) => void
}

/** Highest first; suppressed and missing values last (suppressed before missing), ties by name. */
export function ordered (rows: KeyFigureRow[], m: SeriesMeasure): RankedBar[] {
  const bars = rows.map((r) => ({ code: r.regionCode, label: r.regionName, value: valueOf(r, m), suppressed: !!suppressionOf(r, m) }))
  const key = (b: RankedBar) => (b.value !== null ? 0 : b.suppressed ? 1 : 2)
  return bars.sort((a, b) => key(a) - key(b) || (b.value ?? 0) - (a.value ?? 0) || a.label.localeCompare(b.label, 'sv'))
}

/** The ranking as a table (its CSV): rank by the API's rule, region with its code, value, year, branch, suppression. */
export function rankedData (title: string, bars: RankedBar[], m: SeriesMeasure, year: number, branchName: string, notice: string | null): ChartData {
  const values = bars.map((b) => b.value)
  const unit = unitOf(m)
  return {
    title,
    header: [t('col_rank'), t('col_region'), unit ? `${fieldLabel(m)} (%)` : fieldLabel(m), t('col_year'), t('col_branch'), t('col_status')],
    rows: bars.map((b) => [rankOf(b.value, values)?.rank ?? null, `${b.label} (${b.code})`,
      b.value === null ? null : round(b.value, DIGITS[m] + (unit ? 1 : 0)), year, branchName, b.suppressed ? t('suppressedLong') : null]),
    notice,
  }
}

/** A region's rank and percentile among its peers, as the API gives them (or that it has none). */
export function rankLine (name: string, rank: Rank | null | undefined): string {
  if (!rank) return t('rankedNone', { name })
  return t('rankedPlace', { name, rank: rank.rank, of: rank.of }) + (rank.percentile !== null ? ` · ${t('percentile', { p: num(rank.percentile, 0) })}` : '')
}

export function rankedFigure (c: RankedInput): HTMLElement {
  const isKommun = c.region.code.length === 4
  const scope: RankScope = isKommun ? c.scope : 'riket'
  const peers = !isKommun ? t('rankedAllLan') : scope === 'lan' && c.lan ? t('kommunerIn', { lan: c.lan.name }) : t('rankedAllKommuner')
  const measureName = fieldLabel(c.measure)
  const unit = unitOf(c.measure)
  const digits = DIGITS[c.measure]
  const bars = ordered(c.rows, c.measure)
  const title = `${measureName}, ${c.branchName}, ${c.year}: ${peers}`
  const svg = rankedBarsChart({ title, bars, highlight: [c.region.code], digits, unit })
  const rank = c.ranks?.[c.measure]?.[scope === 'lan' ? 'lan' : 'riket'] ?? null
  const suppressed = bars.filter((b) => b.suppressed).length
  const data = () => rankedData(title, bars, c.measure, c.year, c.branchName, c.notice)

  const measureChoice = measureSelect('ranked-measure', c.measure, c.onMeasure)
  const scopeSelect = isKommun && c.lan
    ? h('select', { id: 'ranked-scope', 'data-testid': 'ranked-scope',
        onchange: (e: Event) => c.onScope((e.target as HTMLSelectElement).value as RankScope) },
      h('option', { value: 'lan', selected: scope === 'lan' }, c.lan.name),
      h('option', { value: 'riket', selected: scope === 'riket' }, t('rankedWholeCountry')))
    : null

  return h('figure', { class: 'series ranked', 'data-testid': 'ranked-figure' },
    h('figcaption', {}, t('rankedHeading')),
    h('div', { class: 'chart-controls no-print' },
      h('label', { class: 'field inline' }, h('span', {}, t('seriesMeasure')), measureChoice),
      scopeSelect ? h('label', { class: 'field inline' }, h('span', {}, t('rankedAmong')), scopeSelect) : null),
    h('p', { class: 'chart-title' }, title),
    h('p', { class: 'rank-line', 'data-testid': 'ranked-rank' }, rankLine(c.region.name, rank)),
    svg,
    suppressed ? h('p', { class: 'hint' }, t('rankedSuppressed', { n: suppressed })) : null,
    h('p', { class: 'hint' }, t('rankedRule')),
    chartDownloads(() => svg, data, fileSlug(['kkb', c.region.code, c.region.name, 'rangordning', c.measure, scope === 'lan' ? c.lan?.name : 'riket', c.branchName, c.year]), t('rankedWhat')))
}
