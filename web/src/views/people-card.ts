// The region card's people section: cultural and creative occupations in the selected region (an imported statistical
// table, e.g. SCB's Yrkesregistret), against riket, with the breakdown by sex and age as a bar chart and, for anyone
// who cannot read the chart, the same numbers as a table. Always marked as a count of people by workplace region,
// with the table's source and year (and "synthetic" for the demo table). The region card places `peopleSlot`.
import { api, ApiError } from '../api/client'
import type { OccupationGroup, OccupationRow, Occupations } from '../api/types'
import type { Ctx, View } from '../context'
import { barChart, type Bar } from '../ui/bar-chart'
import { lineChart } from '../ui/chart'
import { h, mount } from '../ui/dom'
import { formatValue, type Field } from '../ui/format'
import { num, pct, t } from '../ui/i18n'

/** The element the region card appends under its key figures; this view fills it. */
export const peopleSlot = h('section', { class: 'people', 'data-testid': 'region-people', 'aria-labelledby': 'people-title' })

const FIGURES: Array<[Field, keyof OccupationRow]> = [['people', 'kkOccupations'], ['peopleShare', 'share'], ['peoplePer10k', 'per10k'], ['peopleLq', 'lq']]

/** Every year of the table in one answer: the series, and the year shown among them. */
const occupations = (level: 'kommun' | 'lan' | 'riket', region: string | undefined) => api.occupations({ level, region, year: 'all' })
/** The state's year where the table has it, else its latest (the table's years are not the register's). */
const shownYear = (years: number[], year: number | null) => (year !== null && years.includes(year) ? year : years[years.length - 1])

/** SCB's sex codes in the UI's language; the table's own label otherwise */
const sexLabel = (g: OccupationGroup) => (g.code === '1' ? t('sexMen') : g.code === '2' ? t('sexWomen') : g.label)
const groupValue = (g: OccupationGroup) => (g.flags.kkOccupations === 'missing' ? null : g.kkOccupations)

export function peopleCardView ({ boot, showError }: Ctx): View {
  let seq = 0
  return {
    deps: ['lang', 'region', 'year'],
    async render (s) {
      const mine = ++seq
      if (!s.region) { mount(peopleSlot); return }
      const code = s.region
      const level = code.length === 4 ? 'kommun' : 'lan'
      mount(peopleSlot, h('h3', { id: 'people-title' }, t('peopleTitle')), h('p', { class: 'hint' }, t('loading')))
      let res: Occupations; let rk: Occupations
      try {
        [res, rk] = await Promise.all([occupations(level, code), occupations('riket', undefined)])
      } catch (err) {
        if (mine !== seq) return
        if (err instanceof ApiError && err.status === 404) { mount(peopleSlot, h('h3', { id: 'people-title' }, t('peopleTitle')), h('p', { class: 'hint' }, t('peopleNone'))); return }
        showError(err); return
      }
      if (mine !== seq) return
      const year = shownYear(res.years, s.year)
      const row = res.rows.find((r) => r.year === year)
      const riket = rk.rows.find((r) => r.year === year)
      const series = res.rows.slice().sort((a, b) => a.year - b.year)
      const points = series.filter((r) => r.kkOccupations !== null).map((r) => ({ year: r.year, value: r.kkOccupations! }))
      const table = res.table
      const name = boot.names.get(code) ?? code
      const bars: Bar[] = row ? [
        ...row.bySex.map((g) => ({ label: sexLabel(g), value: groupValue(g), section: t('bySex') })),
        ...row.byAge.map((g) => ({ label: g.label, value: groupValue(g), section: t('byAge') })),
      ] : []
      const groups = row ? [...row.bySex.map((g) => [t('bySex'), { ...g, label: sexLabel(g) }] as const), ...row.byAge.map((g) => [t('byAge'), g] as const)] : []
      mount(peopleSlot,
        h('h3', { id: 'people-title' }, t('peopleTitle'), table.synthetic ? h('span', { class: 'tag-synthetic', 'data-testid': 'people-synthetic' }, t('peopleSynthetic')) : null),
        h('p', { class: 'card-sub people-note', 'data-testid': 'people-note' }, h('strong', {}, t('peopleCounts')), ' · ',
          t('peopleSource', { source: table.source, table: `${table.title} (${table.id})`, year: year ?? '' })),
        row ? h('table', { class: 'compare', 'data-testid': 'people-figures' },
          h('caption', { class: 'sr-only' }, `${t('peopleTitle')}: ${name}`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('measure'))),
            h('th', { scope: 'col' }, name), h('th', { scope: 'col' }, t('riket')))),
          h('tbody', {},
            FIGURES.map(([f, key]) => h('tr', { 'data-field': f }, h('th', { scope: 'row' }, t(`m_${f}` as never)),
              [row, riket].map((r) => h('td', { class: 'num' }, r ? formatValue(f, r[key] as number | null) : '–')))),
            h('tr', {}, h('th', { scope: 'row' }, t('employed')), [row, riket].map((r) => h('td', { class: 'num' }, r ? num(r.employed) : '–'))))) : h('p', { class: 'hint' }, '–'),
        row?.flags.kkOccupations === 'includes-missing' ? h('p', { class: 'hint' }, t('peopleMissing')) : null,
        points.length > 1 ? h('figure', { class: 'series', 'data-testid': 'people-series-chart' }, h('figcaption', {}, t('peopleSeries')),
          lineChart(points, `${t('peopleSeries')}: ${name}`)) : null,
        series.length ? h('details', { class: 'people-years' }, h('summary', {}, t('peopleSeriesTable')),
          h('table', { class: 'compare', 'data-testid': 'people-series' },
            h('caption', { class: 'sr-only' }, `${t('peopleSeries')}: ${name}`),
            // short headings: the card is narrow; the caption and the figures table above say what is counted
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('year')), h('th', { scope: 'col' }, t('peopleCount')),
              h('th', { scope: 'col' }, t('peopleShareShort')), h('th', { scope: 'col' }, t('peopleChange')))),
            h('tbody', {}, series.map((r) => h('tr', { 'data-year': String(r.year), class: r.year === year ? 'current' : undefined },
              h('th', { scope: 'row' }, String(r.year)),
              h('td', { class: 'num' }, r.flags.kkOccupations === 'missing' ? '..' : num(r.kkOccupations)),
              h('td', { class: 'num' }, pct(r.share)),
              h('td', { class: 'num' }, r.change === null ? '–' : num(r.change))))))) : null,
        bars.length ? h('figure', { class: 'series' }, h('figcaption', {}, t('peopleChart', { year: year ?? '' })), barChart(bars, t('peopleChart', { year: year ?? '' }))) : null,
        groups.length ? h('details', { class: 'people-table' }, h('summary', {}, t('peopleTable')),
          h('table', { class: 'compare', 'data-testid': 'people-breakdown' },
            h('caption', { class: 'sr-only' }, `${t('peopleChart', { year: year ?? '' })}: ${name}`),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('peopleGroup')), h('th', { scope: 'col' }, t('m_people')), h('th', { scope: 'col' }, t('m_peopleShare')))),
            h('tbody', {}, groups.map(([section, g]) => h('tr', {},
              h('th', { scope: 'row' }, `${section}: ${g.label}`),
              h('td', { class: 'num' }, groupValue(g) === null ? '..' : num(g.kkOccupations)),
              h('td', { class: 'num' }, pct(g.share))))))) : null)
    },
  }
}
