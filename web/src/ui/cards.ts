// The region card (key figures against län and riket, the charts, the drill-down link) and the actor detail card.
import type { ActorDetail, KeyFigureRow } from '../api/types'
import { h, mount } from './dom'
import { cellText, fieldLabel, suppressionOf, type Field } from './format'
import { num, t, type Key } from './i18n'

const CARD_FIELDS: Field[] = ['companies', 'companiesAll', 'shareCompanies', 'lqCompanies', 'per10k', 'employees', 'shareEmployees',
  'lqEmployees', 'turnover', 'valueAdded', 'companiesChangePct', 'population']

export interface RegionCardInput {
  title: string
  subtitle: string
  columns: { label: string; row: KeyFigureRow | undefined }[]
  /** the charts (views/region-charts.ts), null while loading */
  charts: HTMLElement | null
  drillHref: string
  drillCount: number
  onDrill: (e: MouseEvent) => void
  onClose: () => void
  onZoom: () => void
  /** adds the region to the compare view and opens it */
  onCompare?: () => void
  /** each measure's name links to its explanation on the methods page (href, and the in-app navigation) */
  methodsHref?: (field: Field) => string
  onMethods?: (field: Field, e: MouseEvent) => void
}

export function renderRegionCard (el: HTMLElement, c: RegionCardInput): void {
  el.hidden = false
  mount(el,
    h('div', { class: 'card-head' },
      h('h2', { id: 'region-card-title', tabindex: '-1' }, c.title),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': `${t('close')}: ${c.title}`, onclick: c.onClose }, '×')),
    h('p', { class: 'card-sub' }, c.subtitle),
    h('table', { class: 'compare', 'data-testid': 'region-figures' },
      h('caption', { class: 'sr-only' }, `${t('compare')}: ${c.title}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('measure'))),
        c.columns.map((col) => h('th', { scope: 'col' }, col.label)))),
      h('tbody', {}, CARD_FIELDS.map((f) => h('tr', { 'data-field': f },
        h('th', { scope: 'row' }, c.methodsHref
          ? h('a', { href: c.methodsHref(f), class: 'measure-link', title: t('methodsLinkTitle'), onclick: (e: MouseEvent) => c.onMethods?.(f, e) }, fieldLabel(f))
          : fieldLabel(f)),
        c.columns.map((col) => h('td', { class: 'num' }, !col.row ? '…' : suppressionOf(col.row, f)
          // the word is kept whole (it broke mid-word in a narrow column) and explained on hover
          ? h('span', { class: 'suppressed-cell', title: t('suppressedLong') }, t('suppressed'))
          : cellText(col.row, f))))))),
    c.charts,
    h('div', { class: 'card-actions' },
      h('a', { class: 'btn primary', href: c.drillHref, onclick: c.onDrill, 'data-testid': 'drill-down' }, t('showActorsN', { n: num(c.drillCount) })),
      h('button', { type: 'button', class: 'btn', onclick: c.onZoom }, t('zoomTo')),
      c.onCompare ? h('button', { type: 'button', class: 'btn', 'data-testid': 'region-compare', title: t('addToCompareLabel', { name: c.title }),
        onclick: c.onCompare }, t('addToCompare')) : null))
}

export function renderActorCard (el: HTMLElement, a: ActorDetail | null, onClose: () => void, error?: string): void {
  el.hidden = false
  if (!a) { mount(el, h('p', {}, error ?? t('loading'))); return }
  const row = (k: Key, v: unknown) => (v === null || v === undefined || v === '' ? null : [h('dt', {}, t(k)), h('dd', {}, String(v))])
  const precision = a.locationPrecision ? t(`precision_${a.locationPrecision}` as Key) : null
  mount(el,
    h('div', { class: 'card-head' },
      h('h2', { id: 'actor-card-title', tabindex: '-1' }, a.name),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': `${t('close')}: ${a.name}`, onclick: onClose }, '×')),
    h('p', { class: 'card-sub' }, `${t(`kind_${a.kind}` as Key)} · `,
      [a.groupName, a.categoryName && a.categoryName !== a.groupName ? a.categoryName : null].filter(Boolean).join(' › ') || (a.kind === 'education' ? '' : t('outsideKkb')),
      a.synthetic ? h('span', { class: 'tag-synthetic' }, t('synthetic')) : null),
    h('dl', { class: 'facts' },
      row('orgnr', a.orgnr),
      row('legalForm', a.legalFormName ?? a.legalForm),
      row('providerType', a.providerType?.replace(/_/g, ' ')),
      row('employees', a.employees),
      row('turnover', a.turnover === null || a.turnover === undefined ? null : num(a.turnover)),
      row('address', [a.street, [a.postcode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')),
      row('kommun', a.kommunCode),
      row('registered', a.registeredOn),
      row('precision', precision),
      row('source', [a.source, a.refYear].filter(Boolean).join(' ')),
      row('importBatch', a.importBatch ? `#${a.importBatch.id}${a.importBatch.format ? ` (${a.importBatch.format})` : ''}` : null)),
    a.soleTrader ? h('p', { class: 'hint' }, a.orgnr ? t('soleTraderShown') : t('soleTrader')) : null,
    a.sniCodes?.length ? [h('h3', {}, t('sniCodes')), h('ul', { class: 'sni-list' }, a.sniCodes.map((s) =>
      h('li', {}, h('code', {}, s.code), ` ${s.title ?? ''}`)))] : null,
    a.programmes?.length ? [h('h3', {}, `${t('programmes')} (${a.programmes.length})`), h('ul', { class: 'plain' }, a.programmes.slice(0, 12).map((p) =>
      h('li', {}, p.name ?? '', p.sunTitle ? h('span', { class: 'muted' }, ` – ${p.sunTitle}`) : null)))] : null,
    a.url ? h('p', {}, h('a', { href: a.url, rel: 'noopener noreferrer', target: '_blank' }, t('website'))) : null,
    a.workplaces?.length ? [h('h3', {}, `${t('workplaces')} (${a.workplaces.length})`), h('ul', { class: 'plain' }, a.workplaces.slice(0, 10).map((w) =>
      h('li', {}, `${w.name} – ${w.kommunCode}${w.employees !== null ? `, ${w.employees} ${t('employees').toLowerCase()}` : ''}`)))] : null)
}
