// The region card's people section: cultural and creative occupations in the selected region (an imported statistical
// table, e.g. SCB's Yrkesregistret), against riket, with the breakdown by sex and age as a bar chart and, for anyone
// who cannot read the chart, the same numbers as a table. Always marked as a count of people by workplace region,
// with the table's source and year (and "synthetic" for the demo table). The region card places `peopleSlot`.
import { api, ApiError } from '../api/client'
import type { OccupationGroup, OccupationRow, Occupations } from '../api/types'
import type { Ctx, View } from '../context'
import { barChart, type Bar } from '../ui/bar-chart'
import { h, mount } from '../ui/dom'
import { formatValue, type Field } from '../ui/format'
import { num, pct, t } from '../ui/i18n'

/** The element the region card appends under its key figures; this view fills it. */
export const peopleSlot = h('section', { class: 'people', 'data-testid': 'region-people', 'aria-labelledby': 'people-title' })

const FIGURES: Array<[Field, keyof OccupationRow]> = [['people', 'kkOccupations'], ['peopleShare', 'share'], ['peoplePer10k', 'per10k'], ['peopleLq', 'lq']]

/** The state's year where the table has it, else its latest (the table's years are not the register's). */
async function occupations (level: 'kommun' | 'lan' | 'riket', region: string | undefined, year: number | null): Promise<Occupations> {
  try {
    return await api.occupations({ level, region, year })
  } catch (err) {
    if (year !== null && err instanceof ApiError && err.status === 404) return api.occupations({ level, region })
    throw err
  }
}

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
        [res, rk] = await Promise.all([occupations(level, code, s.year), occupations('riket', undefined, s.year)])
      } catch (err) {
        if (mine !== seq) return
        if (err instanceof ApiError && err.status === 404) { mount(peopleSlot, h('h3', { id: 'people-title' }, t('peopleTitle')), h('p', { class: 'hint' }, t('peopleNone'))); return }
        showError(err); return
      }
      if (mine !== seq) return
      const row = res.rows[0]
      const riket = rk.rows[0]
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
          t('peopleSource', { source: table.source, table: `${table.title} (${table.id})`, year: res.years[0] ?? '' })),
        row ? h('table', { class: 'compare', 'data-testid': 'people-figures' },
          h('caption', { class: 'sr-only' }, `${t('peopleTitle')}: ${name}`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('measure'))),
            h('th', { scope: 'col' }, name), h('th', { scope: 'col' }, t('riket')))),
          h('tbody', {},
            FIGURES.map(([f, key]) => h('tr', { 'data-field': f }, h('th', { scope: 'row' }, t(`m_${f}` as never)),
              [row, riket].map((r) => h('td', { class: 'num' }, r ? formatValue(f, r[key] as number | null) : '–')))),
            h('tr', {}, h('th', { scope: 'row' }, t('employed')), [row, riket].map((r) => h('td', { class: 'num' }, r ? num(r.employed) : '–'))))) : h('p', { class: 'hint' }, '–'),
        row?.flags.kkOccupations === 'includes-missing' ? h('p', { class: 'hint' }, t('peopleMissing')) : null,
        bars.length ? h('figure', { class: 'series' }, h('figcaption', {}, t('peopleChart')), barChart(bars, t('peopleChart'))) : null,
        groups.length ? h('details', { class: 'people-table' }, h('summary', {}, t('peopleTable')),
          h('table', { class: 'compare', 'data-testid': 'people-breakdown' },
            h('caption', { class: 'sr-only' }, `${t('peopleChart')}: ${name}`),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('peopleGroup')), h('th', { scope: 'col' }, t('m_people')), h('th', { scope: 'col' }, t('m_peopleShare')))),
            h('tbody', {}, groups.map(([section, g]) => h('tr', {},
              h('th', { scope: 'row' }, `${section}: ${g.label}`),
              h('td', { class: 'num' }, groupValue(g) === null ? '..' : num(g.kkOccupations)),
              h('td', { class: 'num' }, pct(g.share))))))) : null)
    },
  }
}
