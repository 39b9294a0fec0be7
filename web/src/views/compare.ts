// The compare view (issue #21): 2–6 regions (kommuner, län, riket) side by side for the state's branch and year, each
// figure with the region's rank and percentile among all kommuner (or län) and within its län, as the API computes
// them (/api/key-figures/compare); kommuner like a chosen kommun (/api/key-figures/similar); region sets saved in this
// browser (data/region-sets.ts); CSV/XLSX of the comparison.
import { api, compareUrl, type CompareQuery } from '../api/client'
import type { Compare, CompareRegion, KeyFigureRow, Similar } from '../api/types'
import { $, type Ctx, type View } from '../context'
import { loadSets, removeSet, saveSet, type RegionSet } from '../data/region-sets'
import { MAX_COMPARE, type State } from '../state/fields'
import { combobox } from '../ui/combobox'
import { h, mount } from '../ui/dom'
import { cellText, fieldLabel, type Field } from '../ui/format'
import { num, t } from '../ui/i18n'
import { exportLinks } from '../ui/table'
import { branchLabel } from './labels'
import { compareRanked } from './compare-ranked'

/** The measures compared, in the API's order (the API ranks each of them). */
const MEASURES: Field[] = ['companies', 'per10k', 'shareCompanies', 'lqCompanies', 'employees', 'shareEmployees', 'lqEmployees',
  'turnover', 'valueAdded', 'companiesChangePct', 'population']

/** A first comparison when the view opens empty: the selected region, its län and riket. */
export function seedComparison (s: Pick<State, 'region' | 'cmp'>): string[] {
  if (s.cmp.length) return s.cmp
  if (!s.region) return []
  return s.region.length === 4 ? [s.region, s.region.slice(0, 2), 'SE'] : [s.region, 'SE']
}

const storage = (): Storage | null => { try { return window.localStorage } catch { return null } }

export function compareView ({ store, boot, showError }: Ctx): View {
  let seq = 0
  let loaded: { key: string; res: Compare | null; error?: string; peers?: { level: 'kommun' | 'lan'; rows: KeyFigureRow[] } | null } = { key: '', res: null }
  let similar: { code: string; res: Similar | null; open: boolean } = { code: '', res: null, open: false }
  let sets: RegionSet[] = []
  let saveName = ''
  let message = ''

  const el = $('compare-view')
  const name = (c: string) => (c === 'SE' ? t('riket') : boot.names.get(c) ?? c)
  const regionItems = () => [
    { id: 'SE', label: t('riket'), detail: t('wholeCountry') },
    ...boot.lan.features.map((f) => ({ id: f.properties.code, label: f.properties.name, detail: t('lan') })),
    ...boot.kommun.features.map((f) => ({ id: f.properties.code, label: f.properties.name,
      detail: `${t('kommun')}, ${boot.names.get(f.properties.lanCode ?? '') ?? ''}` })),
  ]
  const fold = (x: string) => x.toLocaleLowerCase('sv').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  const setCmp = (cmp: string[]) => store.set({ cmp: [...new Set(cmp)].slice(0, MAX_COMPARE) })
  const queryOf = (s: State): CompareQuery => ({ regions: s.cmp, branch: s.branch, year: s.year, definition: s.def || undefined })

  function rankText (r: CompareRegion, f: Field): HTMLElement | null {
    const rk = r.ranks[f]
    if (!rk || (!rk.riket && !rk.lan)) return null
    const peers = r.regionLevel === 'kommun' ? t('kommuner') : t('lans')
    return h('div', { class: 'rank' },
      rk.riket ? h('div', {}, t('rankAmong', { rank: rk.riket.rank, of: rk.riket.of, peers }),
        rk.riket.percentile !== null ? ` · ${t('percentile', { p: num(rk.riket.percentile, 0) })}` : '') : null,
      rk.lan ? h('div', {}, t('rankInLan', { rank: rk.lan.rank, of: rk.lan.of, lan: r.lanName ?? '' })) : null)
  }

  function table (res: Compare): HTMLElement {
    return h('div', { class: 'table-scroll' }, h('table', { class: 'data compare-table', 'data-testid': 'compare-table' },
      h('caption', {}, t('compareCaption', { branch: res.branch.name, year: res.year ?? '' })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('measure')),
        res.regions.map((r) => h('th', { scope: 'col', class: 'num', 'data-code': r.regionCode }, r.regionName,
          h('div', { class: 'muted' }, r.regionLevel === 'kommun' ? `${t('kommun')}, ${r.lanName ?? ''}` : r.regionLevel === 'lan' ? t('lan') : t('wholeCountry')))))),
      h('tbody', {}, MEASURES.map((f) => h('tr', { 'data-measure': f }, h('th', { scope: 'row' }, fieldLabel(f)),
        res.regions.map((r) => h('td', { class: 'num', 'data-code': r.regionCode }, h('div', { class: 'value' }, cellText(r.row, f)), rankText(r, f))))))))
  }

  function similarSection (s: State): HTMLElement | null {
    const kommun = s.cmp.find((c) => c.length === 4)
    if (!kommun) return null
    const open = similar.open && similar.code === kommun
    return h('section', { class: 'compare-similar', 'aria-labelledby': 'similar-heading' },
      h('h3', { id: 'similar-heading' }, t('similarHeading', { name: name(kommun) })),
      open && similar.res
        ? h('div', {},
            h('ol', { class: 'similar-list', 'data-testid': 'similar-list' }, similar.res.items.map((i) => h('li', { 'data-code': i.regionCode },
              h('strong', {}, i.regionName), ` (${i.lanName}) · ${t('m_population').toLowerCase()} ${num(i.population)} · ${t('similarDistance', { d: num(i.distance, 2) })} `,
              h('button', { type: 'button', class: 'btn small', disabled: s.cmp.includes(i.regionCode) || s.cmp.length >= MAX_COMPARE,
                'data-testid': `similar-add-${i.regionCode}`, onclick: () => setCmp([...s.cmp, i.regionCode]) }, t('add'))))),
            h('p', { class: 'hint' }, t('similarMethod')))
        : h('button', { type: 'button', class: 'btn', 'data-testid': 'similar-show', onclick: () => { void loadSimilar(kommun) } }, t('similarShow', { name: name(kommun) })))
  }

  async function loadSimilar (code: string): Promise<void> {
    const s = store.get()
    try {
      similar = { code, res: await api.similar(code, { year: s.year, definition: s.def || undefined }), open: true }
      render()
    } catch (err) { showError(err) }
  }

  function setsSection (s: State): HTMLElement {
    const can = s.cmp.length > 0
    return h('details', { class: 'compare-sets', open: true },
      h('summary', {}, t('savedSets')),
      h('p', { class: 'hint' }, t('savedSetsNote')),
      h('form', { class: 'sets-form', onsubmit: (e: Event) => {
        e.preventDefault()
        const st = storage()
        if (!st || !saveName.trim() || !can) return
        try { sets = saveSet(st, { name: saveName, codes: s.cmp }); message = t('setSaved', { name: saveName.trim() }); saveName = '' } catch (err) { showError(err) }
        render()
      } },
      h('label', { for: 'set-name' }, t('setName')), ' ',
      h('input', { id: 'set-name', type: 'text', maxlength: 80, value: saveName, 'data-testid': 'set-name', oninput: (e: Event) => { saveName = (e.target as HTMLInputElement).value } }), ' ',
      h('button', { type: 'submit', class: 'btn small', disabled: !can, 'data-testid': 'set-save' }, t('saveSet'))),
      message ? h('p', { class: 'hint', role: 'status' }, message) : null,
      sets.length
        ? h('ul', { class: 'sets-list', 'data-testid': 'sets-list' }, sets.map((x) => h('li', {},
            h('button', { type: 'button', class: 'link', 'data-testid': `set-open-${x.name}`, onclick: () => { message = ''; setCmp(x.codes) } }, x.name),
            h('span', { class: 'muted' }, ` (${x.codes.map(name).join(', ')}) `),
            h('button', { type: 'button', class: 'link', 'aria-label': t('removeSet', { name: x.name }), onclick: () => {
              const st = storage()
              if (st) sets = removeSet(st, x.name)
              render()
            } }, '×'))))
        : null)
  }

  function render (): void {
    const s = store.get()
    const chips = h('ul', { class: 'chips', 'data-testid': 'compare-chips' }, s.cmp.map((c) => h('li', { class: 'chip', 'data-code': c }, name(c),
      h('button', { type: 'button', class: 'chip-x', 'aria-label': t('removeRegion', { name: name(c) }), onclick: () => setCmp(s.cmp.filter((x) => x !== c)) }, '×'))))
    const picker = s.cmp.length < MAX_COMPARE
      ? combobox({
          label: t('compareAdd'), placeholder: t('regionSearchPlaceholder'), testId: 'compare-add',
          search: async (q) => {
            const ql = fold(q)
            const later = (r: { label: string }) => Number(!fold(r.label).startsWith(ql))
            return regionItems().filter((r) => !s.cmp.includes(r.id) && fold(r.label).includes(ql))
              .sort((a, b) => later(a) - later(b) || a.label.localeCompare(b.label, 'sv')).slice(0, 10)
          },
          onPick: (o) => setCmp([...store.get().cmp, o.id]),
        })
      : h('p', { class: 'hint' }, t('compareFull', { n: MAX_COMPARE }))
    const res = loaded.key === JSON.stringify(queryOf(s)) ? loaded.res : null
    mount(el,
      h('h2', { id: 'compare-heading' }, t('compareHeading')),
      h('p', { class: 'hint' }, `${branchLabel(s.definition, s.branch, false)} · ${res?.year ?? s.year ?? ''} · ${t('compareIntro', { n: MAX_COMPARE })}`),
      h('div', { class: 'compare-picker' }, picker, chips),
      s.cmp.length
        ? exportLinks(t('export'), [
            { label: t('exportCsv'), href: compareUrl(queryOf(s), { format: 'csv', locale: 'sv' }), testId: 'export-compare-csv' },
            { label: t('exportXlsx'), href: compareUrl(queryOf(s), { format: 'xlsx' }), testId: 'export-compare-xlsx' },
          ])
        : null,
      loaded.error ? h('p', { class: 'field-error', role: 'alert' }, loaded.error) : null,
      res ? table(res) : s.cmp.length ? h('p', { class: 'hint' }, t('loading')) : h('p', { class: 'hint' }, t('compareEmpty')),
      res && loaded.peers ? compareRanked({ res, rows: loaded.peers.rows, level: loaded.peers.level, measure: s.series,
        notice: [res.meta.synthetic && t('noticeDemo'), res.definition.provisional && t('noticeProvisional')].filter(Boolean).join('; ') || null,
        onMeasure: (m) => store.set({ series: m }) }) : null,
      similarSection(s),
      setsSection(s))
  }

  return {
    deps: ['lang', 'view', 'cmp', 'def', 'branch', 'year', 'definition', 'series'],
    async render (s) {
      const show = s.view === 'compare'
      el.hidden = !show
      $('main').classList.toggle('compare-mode', show)
      if (!show) return
      const st = storage()
      sets = st ? loadSets(st) : []
      const key = JSON.stringify(queryOf(s))
      if (!s.cmp.length) { loaded = { key, res: null }; render(); return }
      if (loaded.key === key && (loaded.res || loaded.error)) { render(); return }
      const mine = ++seq
      loaded = { key, res: null }
      render()
      try {
        const res = await api.compare(queryOf(s))
        if (mine !== seq) return
        loaded = { key, res }
        // the ranked bars: all kommuner when a kommun is compared, else all län (riket alone has nothing to rank among)
        const level = s.cmp.some((c) => c.length === 4) ? 'kommun' : s.cmp.some((c) => c.length === 2) ? 'lan' : null
        if (level && res.year !== null) {
          render()
          const peers = await api.keyFigures({ level, branch: s.branch, year: res.year, definition: s.def || undefined }).catch(() => null)
          if (mine !== seq) return
          loaded = { key, res, peers: peers ? { level, rows: peers.rows } : null }
        }
      } catch (err) {
        if (mine !== seq) return
        loaded = { key, res: null, error: t('error', { msg: (err as Error).message }) }
      }
      render()
    },
  }
}
