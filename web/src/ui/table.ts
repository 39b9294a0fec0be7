// The table view, the accessible alternative to the map: key figures for the current selection (sorted in the
// browser) and the actor list (sorted and paged by the API). Real <table>s with <th scope>, aria-sort and header buttons.
import type { Actor, KeyFigureRow } from '../api/types'
import { h, mount } from './dom'
import { cellText, fieldLabel, type Field } from './format'
import { num, t } from './i18n'

export const FIGURE_COLUMNS: Field[] = ['companies', 'companiesAll', 'shareCompanies', 'lqCompanies', 'per10k', 'employees', 'companiesChangePct', 'population']

interface Sortable { key: string; label: string; sortable: boolean; numeric: boolean }

function headerRow (cols: Sortable[], sort: string, onSort: (s: string) => void): HTMLElement {
  const desc = sort.startsWith('-')
  const key = sort.replace(/^-/, '')
  return h('tr', {}, cols.map((c) => {
    const active = c.key === key
    const ariaSort = active ? (desc ? 'descending' : 'ascending') : 'none'
    return h('th', { scope: 'col', class: c.numeric ? 'num' : '', 'aria-sort': c.sortable ? ariaSort : undefined },
      c.sortable
        ? h('button', { type: 'button', class: 'sort-btn', 'data-key': `sort-${c.key}`, onclick: () => onSort(active ? (desc ? c.key : `-${c.key}`) : (c.numeric ? `-${c.key}` : c.key)) },
            c.label, h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, active ? (desc ? ' ▼' : ' ▲') : ' ↕'))
        : c.label)
  }))
}

export function exportLinks (label: string, links: { label: string; href: string; testId: string }[]): HTMLElement {
  return h('div', { class: 'exports', role: 'group', 'aria-label': label },
    h('span', { class: 'exports-label' }, `${t('export')}:`),
    links.map((l) => h('a', { class: 'btn small', href: l.href, download: '', 'data-testid': l.testId }, l.label)))
}

export function renderFigureTable (el: HTMLElement, o: {
  caption: string; rows: KeyFigureRow[]; sort: string; selected: string | null
  /** rows to read the others against (the followed län and riket): below them, not sorted with them */
  context?: KeyFigureRow[]
  onSort: (s: string) => void; onSelect: (code: string) => void; exports: HTMLElement
}): void {
  const key = (o.sort.replace(/^-/, '') || 'companies') as Field | 'regionName'
  const dir = o.sort.startsWith('-') ? -1 : 1
  const rows = o.rows.slice().sort((a, b) => {
    if (key === 'regionName') return dir * a.regionName.localeCompare(b.regionName, 'sv')
    const va = (a as unknown as Record<string, number | null>)[key] ?? null; const vb = (b as unknown as Record<string, number | null>)[key] ?? null
    if (va === null && vb === null) return 0
    if (va === null) return 1
    if (vb === null) return -1
    return dir * (va - vb)
  })
  const cols: Sortable[] = [{ key: 'regionName', label: t('region'), sortable: true, numeric: false },
    ...FIGURE_COLUMNS.map((f) => ({ key: f, label: fieldLabel(f), sortable: true, numeric: true }))]
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key
  mount(el,
    o.exports,
    h('div', { class: 'table-scroll' }, h('table', { class: 'data', id: 'figures-table', 'data-testid': 'figures-table' },
      h('caption', {}, o.caption),
      h('thead', {}, headerRow(cols, o.sort, o.onSort)),
      h('tbody', {}, rows.map((r) => h('tr', { class: r.regionCode === o.selected ? 'selected' : '', 'aria-current': r.regionCode === o.selected ? 'true' : undefined, 'data-code': r.regionCode },
        h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: () => o.onSelect(r.regionCode) }, r.regionName)),
        FIGURE_COLUMNS.map((f) => h('td', { class: 'num' }, cellText(r, f)))))),
      o.context?.length ? h('tfoot', {}, o.context.map((r) => h('tr', { class: 'context', 'data-code': r.regionCode },
        h('th', { scope: 'row' }, r.regionName), FIGURE_COLUMNS.map((f) => h('td', { class: 'num' }, cellText(r, f)))))) : null)))
  if (focusKey) (el.querySelector(`[data-key="${CSS.escape(focusKey)}"]`) as HTMLElement | null)?.focus()
}

export function renderActorTable (el: HTMLElement, o: {
  caption: string; items: Actor[]; total: number; totalExact: boolean; sort: string; hasMore: boolean; loading: boolean; error?: string
  regionName: (code: string | null) => string; categoryName: (code: string | null) => string; legalFormName: (code: string | null) => string
  onSort: (s: string) => void; onMore: () => void; onOpen: (a: Actor) => void; exports: HTMLElement; clearRegion: HTMLElement | null
}): void {
  const cols: Sortable[] = [
    { key: 'name', label: t('name'), sortable: true, numeric: false },
    { key: 'orgnr', label: t('orgnr'), sortable: false, numeric: false },
    { key: 'category', label: t('category'), sortable: false, numeric: false },
    { key: 'kommun', label: t('kommun'), sortable: false, numeric: false },
    { key: 'employees', label: t('employees'), sortable: true, numeric: true },
    { key: 'legalForm', label: t('legalForm'), sortable: false, numeric: false },
  ]
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key
  mount(el,
    o.exports,
    o.clearRegion,
    h('div', { class: 'table-scroll' }, h('table', { class: 'data', id: 'actors-table', 'data-testid': 'actors-table', 'data-total': String(o.total) },
      h('caption', {}, o.caption),
      h('thead', {}, headerRow(cols, o.sort, o.onSort)),
      h('tbody', {}, o.items.map((a) => h('tr', {},
        h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: () => o.onOpen(a) }, a.name)),
        h('td', {}, a.orgnr ?? '–'),
        h('td', {}, o.categoryName(a.category)),
        h('td', {}, o.regionName(a.kommunCode)),
        h('td', { class: 'num' }, a.employees === null ? '–' : num(a.employees)),
        h('td', {}, o.legalFormName(a.legalForm))))))),
    h('p', { class: 'table-foot', 'aria-live': 'polite' }, o.error ?? (o.loading ? t('loading') : t('showing', { shown: num(o.items.length), total: num(o.total) + (o.totalExact ? '' : '+') }))),
    o.hasMore ? h('button', { type: 'button', class: 'btn', 'data-key': 'more', onclick: o.onMore, disabled: o.loading }, t('loadMore')) : null)
  if (focusKey) (el.querySelector(`[data-key="${CSS.escape(focusKey)}"]`) as HTMLElement | null)?.focus()
}
