// The region card's charts (issue #21): a key figure over every year in the data, for the region beside its län and riket
// (or as an index with a chosen base year), with the SNI 2007 → 2025 break marked where the series crosses it; and the
// region's branch mix (shares of its KKB companies by group, or by category within the chosen group) beside län and
// riket. Each chart downloads as SVG, PNG and CSV. Pure: the view fetches, this builds the DOM.
import type { Definition, FlowRow, KeyFigureRow, SurvivalRow } from '../api/types'
import type { SeriesMeasure } from '../state/fields'
import { sniBreaks, shareBarsChart, timeSeriesChart, type ChartData } from '../ui/chart'
import { chartDownloads, fileSlug } from '../ui/chart-export'
import { h } from '../ui/dom'
import { fieldLabel } from '../ui/format'
import { DIGITS, measureSelect, round, valueOf } from './measure-values'
import { num, pct, t } from '../ui/i18n'
import { toSearch } from '../state/url'
import type { AppState } from '../context'

/** Counts grow with the region's size, so their values are shown for the region alone; ratios compare directly. */
const COUNTS = new Set<SeriesMeasure>(['companies', 'employees', 'turnover'])

export interface Place { code: string; name: string }
export interface RegionChartsInput {
  region: Place; lan: Place | null; riket: Place
  measure: SeriesMeasure
  /** base year of the index, null = values */
  index: number | null
  /** every year of the region, its län and riket (branch of the state) */
  series: { own: KeyFigureRow[]; lan: KeyFigureRow[]; riket: KeyFigureRow[] }
  /** the branch mix of the year shown; null while loading */
  shares: { own: KeyFigureRow[]; lan: KeyFigureRow[]; riket: KeyFigureRow[] } | null
  /** the group whose categories the mix shows (null: the groups) */
  shareGroup: string | null
  definition: Definition
  branchName: string
  year: number
  sniVersionByYear: Record<string, string>
  notice: string | null
  /** survival of the region's new companies in the branch (cohort × later year); null: not available for the branch */
  survival: SurvivalRow[] | null
  /** births and closures per year of the region in the branch (null: not available for the branch) */
  flows: FlowRow[] | null
  /** the ranked bars (views/ranked-figure.ts), shown after the trend; null while loading */
  ranked: HTMLElement | null
  /** the state, for the link to the methods page */
  state: AppState
  onMethods: () => void
  onMeasure: (m: SeriesMeasure) => void
  onIndex: (base: number | null) => void
}

const label = (p: Place) => (p.code === 'SE' ? p.name : `${p.name} (${p.code})`)

export function regionCharts (c: RegionChartsInput): HTMLElement {
  const years = [...new Set(c.series.own.map((r) => r.year))].sort((a, b) => a - b)
  const base = c.index !== null && years.includes(c.index) ? c.index : c.index !== null ? years[0] : null
  const places = [c.region, ...(c.lan ? [c.lan] : []), c.riket]
  const rowsOf = [c.series.own, ...(c.lan ? [c.series.lan] : []), c.series.riket]
  const shown = base === null && COUNTS.has(c.measure) ? 1 : places.length
  const series = places.slice(0, shown).map((p, k) => {
    const byYear = new Map(rowsOf[k].filter((r) => r.regionCode === p.code || p.code === 'SE').map((r) => [r.year, r]))
    const raw = years.map((y) => valueOf(byYear.get(y), c.measure))
    if (base === null) return { name: p.name, values: raw }
    const b = raw[years.indexOf(base)]
    return { name: p.name, values: raw.map((v) => (v === null || !b ? null : (v / b) * 100)) }
  })
  const measureName = fieldLabel(c.measure)
  const unit = base === null && c.measure === 'shareCompanies' ? '%' : undefined
  const title = `${c.region.name}: ${measureName}, ${c.branchName}${base === null ? '' : ` (${t('seriesIndex', { year: base })})`}`
  const breaks = sniBreaks(years, c.sniVersionByYear)
  const seriesSvg = timeSeriesChart({
    title, years, series, digits: base === null ? DIGITS[c.measure] : 1, unit, fromZero: base === null,
    sniVersionByYear: c.sniVersionByYear, reference: base === null ? undefined : 100,
  })
  const seriesData = (): ChartData => ({
    title,
    header: [t('col_year'), t('col_measure'), t('col_branch'), ...series.map((_x, k) => label(places[k])), t('col_sniVersion')],
    rows: years.map((y, i) => [y, base === null ? measureName : `${measureName} (${t('seriesIndex', { year: base })})`, c.branchName,
      ...series.map((x) => (x.values[i] === null ? null : round(x.values[i]!, base === null ? DIGITS[c.measure] + (unit ? 1 : 0) : 2))),
      c.sniVersionByYear[String(y)] ? `SNI ${c.sniVersionByYear[String(y)]}` : null]),
    notice: c.notice,
  })
  const seriesBase = fileSlug(['kkb', c.region.code, c.region.name, c.measure, base === null ? null : `index-${base}`, c.branchName, years[0], years[years.length - 1]])

  const measureChoice = measureSelect('series-measure', c.measure, c.onMeasure)
  const modeSelect = h('select', { id: 'series-mode', 'data-testid': 'series-mode',
    onchange: (e: Event) => { const v = (e.target as HTMLSelectElement).value; c.onIndex(v ? Number(v) : null) } },
  h('option', { value: '', selected: base === null }, t('seriesValues')),
  years.map((y) => h('option', { value: String(y), selected: base === y }, t('seriesIndex', { year: y }))))

  const parts: (HTMLElement | null)[] = [
    h('figure', { class: 'series', 'data-testid': 'series-figure' },
      h('figcaption', {}, t('seriesHeading')),
      h('div', { class: 'chart-controls no-print' },
        h('label', { class: 'field inline' }, h('span', {}, t('seriesMeasure')), measureChoice),
        h('label', { class: 'field inline' }, h('span', {}, t('seriesMode')), modeSelect)),
      h('p', { class: 'chart-title' }, title),
      seriesSvg,
      years.length < 2 ? h('p', { class: 'hint' }, t('seriesOneYear')) : null,
      shown === 1 && places.length > 1 ? h('p', { class: 'hint no-print' }, t('seriesCountsNote')) : null,
      breaks.length ? h('p', { class: 'hint', 'data-testid': 'sni-break-note' }, t('sniBreakNote')) : null,
      chartDownloads(() => seriesSvg, seriesData, seriesBase, t('seriesWhat'))),
  ]
  parts.push(c.ranked)
  if (c.shares) parts.push(sharesFigure(c, places))
  if (c.flows?.length) parts.push(flowsFigure(c, c.flows))
  if (c.survival?.length) parts.push(survivalFigure(c, c.survival))
  return h('div', { class: 'region-charts' }, parts)
}

function sharesFigure (c: RegionChartsInput, places: Place[]): HTMLElement | null {
  const groups = c.shareGroup === null ? c.definition.groups.map((g) => ({ code: g.code, name: g.name }))
    : c.definition.groups.find((g) => g.code === c.shareGroup)?.categories.map((x) => ({ code: x.code, name: x.name })) ?? []
  if (!groups.length) return null
  const rowsOf = [c.shares!.own, ...(c.lan ? [c.shares!.lan] : []), c.shares!.riket]
  // each place's companies per category, and the sum over the categories shown: a share is of that sum
  const counts = rowsOf.map((rows, k) => {
    const m = new Map(rows.filter((r) => places[k].code === 'SE' || r.regionCode === places[k].code).map((r) => [r.branchCode, r.companies]))
    return groups.map((g) => m.get(g.code) ?? 0)
  })
  const totals = counts.map((xs) => xs.reduce((a, b) => a + b, 0))
  const categories = groups.map((g, i) => ({ label: g.name, values: counts.map((xs, k) => (totals[k] ? xs[i] / totals[k] : null)) }))
  const groupName = c.shareGroup === null ? null : c.definition.groups.find((g) => g.code === c.shareGroup)?.name ?? c.shareGroup
  const title = `${c.region.name}: ${groupName === null ? t('sharesHeading', { year: c.year }) : t('sharesHeadingIn', { group: groupName, year: c.year })}`
  const svg = shareBarsChart({ title, categories, series: places.map((p) => p.name) })
  const data = (): ChartData => ({
    title,
    header: [t('col_year'), t('col_branch'), ...places.flatMap((p) => [`${label(p)}: ${t('m_companies')}`, `${label(p)}: %`])],
    rows: groups.map((g, i) => [c.year, `${g.code} ${g.name}`, ...counts.flatMap((xs, k) => [xs[i], categories[i].values[k] === null ? null : round(categories[i].values[k]! * 100, 1)])]),
    notice: c.notice,
  })
  return h('figure', { class: 'series', 'data-testid': 'shares-figure' },
    h('figcaption', {}, title),
    svg,
    h('p', { class: 'hint' }, places.map((p, k) => `${p.name}: ${num(totals[k])} ${t('kkbCompanies')}`).join(' · ')),
    chartDownloads(() => svg, data, fileSlug(['kkb', c.region.code, c.region.name, 'andelar', groupName, c.year]), t('sharesWhat')))
}

/** Survival of new companies: one row per cohort (year registered), one column per later snapshot, "n of started (%)". */
function survivalFigure (c: RegionChartsInput, rows: SurvivalRow[]): HTMLElement | null {
  const cohorts = [...new Set(rows.map((r) => r.cohort))].sort((a, b) => a - b)
  const years = [...new Set(rows.filter((r) => r.year > r.cohort).map((r) => r.year))].sort((a, b) => a - b)
  if (!years.length) return null
  const cell = (cohort: number, year: number) => rows.find((r) => r.cohort === cohort && r.year === year)
  const methods = toSearch({ ...c.state, view: 'methods' }) + '#methods-survival'
  return h('figure', { class: 'series survival', 'data-testid': 'survival-figure' },
    h('figcaption', {}, `${c.region.name}: ${t('survivalHeading')}, ${c.branchName}`),
    h('table', { class: 'compare', 'data-testid': 'survival' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('survivalCohort')), h('th', { scope: 'col', class: 'num' }, t('survivalStarted')),
        years.map((y) => h('th', { scope: 'col', class: 'num' }, t('survivalActiveIn', { year: y }))))),
      h('tbody', {}, cohorts.filter((k) => k < years[years.length - 1]).map((k) => {
        const started = cell(k, k)?.started ?? 0
        return h('tr', { 'data-cohort': String(k) }, h('th', { scope: 'row' }, String(k)), h('td', { class: 'num' }, num(started)),
          years.map((y) => {
            const r = cell(k, y)
            if (y <= k || !r) return h('td', { class: 'num muted' }, '')
            return h('td', { class: 'num', 'data-year': String(y) }, r.surviving === null ? '..' : `${num(r.surviving)} (${r.rate === null ? '–' : pct(r.rate, 0)})`)
          }))
      }))),
    h('p', { class: 'hint' }, t('survivalText'), ' ',
      h('a', { href: methods, onclick: (e: MouseEvent) => { e.preventDefault(); c.onMethods() } }, t('survivalMore'))))
}

/** Births and closures per year (a year without a snapshot is a gap), the SNI break marked as on the trend chart. */
function flowsFigure (c: RegionChartsInput, rows: FlowRow[]): HTMLElement | null {
  const sorted = [...rows].sort((a, b) => a.year - b.year)
  const years = sorted.map((r) => r.year)
  const title = `${c.region.name}: ${t('flowsHeading')}, ${c.branchName}`
  const svg = timeSeriesChart({ title, years, digits: 0, fromZero: true, sniVersionByYear: c.sniVersionByYear, testid: 'chart-flows',
    series: [{ name: t('flowsBirths'), values: sorted.map((r) => r.births) }, { name: t('flowsClosures'), values: sorted.map((r) => r.closures) }] })
  const data = (): ChartData => ({
    title,
    header: [t('col_year'), t('col_branch'), `${label(c.region)}: ${t('flowsBirths')}`, `${label(c.region)}: ${t('flowsClosures')}`,
      `${label(c.region)}: ${t('flowsNet')}`, t('col_sniVersion')],
    rows: sorted.map((r) => [r.year, c.branchName, r.births, r.closures, r.net, c.sniVersionByYear[String(r.year)] ? `SNI ${c.sniVersionByYear[String(r.year)]}` : null]),
    notice: c.notice,
  })
  return h('figure', { class: 'series', 'data-testid': 'flows-figure' },
    h('figcaption', {}, title), svg,
    sorted.some((r) => r.closuresDatesOnly) ? h('p', { class: 'hint' }, t('flowsFirstYear', { year: sorted.find((r) => r.closuresDatesOnly)!.year })) : null,
    chartDownloads(() => svg, data, fileSlug(['kkb', c.region.code, c.region.name, 'nya-avslutade', c.branchName, years[0], years[years.length - 1]]), t('flowsWhat')))
}
