// The methods page (?view=methods, issue #21): the KKB definition with its SNI list, every measure, LQ, disclosure
// control, births and closures, the SNI break, sources and update dates, in words (sv/en). The numbers and the exact
// formula texts come from GET /api/key-figures/methodology, the one place they are written (server/keyfigures/
// formulas.ts), so this page cannot drift from the code; the words around them are the UI's (i18n.ts).
import { getJson } from '../api/client'
import type { DemoInfo, Definition } from '../api/types'
import { $, type Ctx, type View } from '../context'
import { h, mount } from '../ui/dom'
import { fieldLabel } from '../ui/format'
import { demoDensityText } from '../ui/demo-density'
import { day, num, t, type Key } from '../ui/i18n'

interface Methodology {
  definition: Definition
  provisionalNote: string | null
  formulas: Record<string, string>
  flows: Record<string, string>
  survival?: Record<string, string>
  suppression: { minCompanies: number; dominance: number; rule: string }
  seriesBreak: string
  regions: string
  referenceData: string
  data: { synthetic: boolean; years: number[]; demo?: DemoInfo | null
    sources: { source: string; refYear: number | null; synthetic: boolean; importedAt: string }[] }
}

/** The measures explained, in the order of the region card. */
const MEASURES = ['companies', 'companiesAll', 'shareCompanies', 'lqCompanies', 'per10k', 'employees', 'shareEmployees', 'lqEmployees',
  'turnover', 'valueAdded', 'companiesChangePct', 'population'] as const

/** Where the next opening of the page should scroll to (a measure's explanation); a URL hash does the same for a link. */
let pendingAnchor: string | null = null

/** Open the methods page at an anchor (`m-<measure>`, `methods-<section>`) from a figure elsewhere in the app. */
export function openMethods (store: Ctx['store'], anchor: string): void {
  pendingAnchor = anchor
  store.set({ view: 'methods' })
}

export function methodsView ({ store }: Ctx): View {
  let builtFor = ''
  return {
    deps: ['lang', 'view', 'def'],
    async render (s) {
      const el = $('methods-view')
      const show = s.view === 'methods'
      el.hidden = !show
      $('main').classList.toggle('methods-mode', show)
      if (!show) return
      $('map-view').setAttribute('inert', '') // under the page: out of the tab order (chrome/admin restore it on leaving)
      const key = `${s.lang}|${s.def}`
      if (builtFor === key) { scrollTo(el); return }
      builtFor = key
      mount(el, h('p', {}, t('loading')))
      try {
        const m = await getJson<Methodology>(`/api/key-figures/methodology${s.def ? `?definition=${encodeURIComponent(s.def)}` : ''}`)
        if (builtFor !== key) return
        mount(el, page(m, () => store.set({ view: 'map' })))
        scrollTo(el)
      } catch (err) { builtFor = ''; mount(el, h('p', { class: 'field-error' }, (err as Error).message)) }
    },
  }
}

/** Focus the page's title, then scroll to the anchor asked for (openMethods or the URL's hash), else the top. */
function scrollTo (el: HTMLElement): void {
  const id = pendingAnchor ?? (location.hash ? location.hash.slice(1) : null)
  pendingAnchor = null
  const title = el.querySelector('h2') as HTMLElement | null
  title?.focus()
  const target = id ? document.getElementById(id) : null
  ;(target ?? title)?.scrollIntoView()
}

function page (m: Methodology, back: () => void): (HTMLElement | null)[] {
  const d = m.definition
  const sup = m.suppression
  return [
    h('p', {}, h('a', { href: '?', onclick: (e: MouseEvent) => { e.preventDefault(); back() } }, `← ${t('backToMap')}`)),
    h('h2', { tabindex: '-1', 'data-testid': 'methods-title' }, t('methodology')),
    m.data.synthetic ? h('p', { class: 'badge-provisional' }, t('demoBanner')) : null,
    m.data.demo ? h('p', { 'data-testid': 'methods-demo' }, demoDensityText(m.data.demo)) : null,
    h('nav', { class: 'methods-toc', 'aria-label': t('methodsToc') }, h('ul', {},
      (['definition', 'measures', 'lq', 'disclosure', 'flows', 'survival', 'sni-break', 'sources'] as const).map((id) =>
        h('li', {}, h('a', { href: `#methods-${id}` }, t(`methods_${id}` as Key)))))),

    h('section', { id: 'methods-definition', 'aria-labelledby': 'mh-definition' },
      h('h3', { id: 'mh-definition' }, t('methods_definition')),
      h('p', {}, h('strong', {}, d.name), ` (${d.id}, version ${d.version})`),
      d.provisional ? h('p', { class: 'badge-provisional', 'data-testid': 'methods-provisional' }, t('provisionalNote')) : null,
      h('p', {}, t('methodsDefinitionText')),
      d.description ? h('p', { class: 'muted' }, d.description) : null,
      d.source ? h('p', { class: 'muted' }, `${t('methodsSource')}: ${d.source}`) : null,
      h('table', { class: 'data-table methods-sni', 'data-testid': 'methods-sni' },
        h('caption', { class: 'sr-only' }, t('methodsSniCaption')),
        h('thead', {}, h('tr', {}, [t('methodsGroup'), t('methodsCategory'), 'SNI 2007', 'SNI 2025'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, d.groups.flatMap((g) => g.categories.map((c) => h('tr', {},
          h('td', {}, `${g.code} ${g.name}`), h('td', {}, `${c.code} ${c.name}`),
          ...['2007', '2025'].map((v) => h('td', {}, c.sni.filter((x) => x.version === v).map((x) =>
            h('div', {}, h('code', {}, x.code), ` ${x.title ?? ''}${x.share !== 1 ? ` (× ${num(x.share, 2)})` : ''}`)))))))))),

    h('section', { id: 'methods-measures', 'aria-labelledby': 'mh-measures' },
      h('h3', { id: 'mh-measures' }, t('methods_measures')),
      h('p', {}, t('methodsRegionsText')),
      h('dl', { class: 'methods-list' }, MEASURES.map((f) => [
        h('dt', { id: `m-${f}` }, fieldLabel(f)),
        h('dd', {}, t(`methodsM_${f}` as Key), m.formulas[f] ? h('div', { class: 'formula' }, h('span', { class: 'muted' }, `${t('methodsFormula')}: `), h('code', {}, m.formulas[f])) : null),
      ]))),

    h('section', { id: 'methods-lq', 'aria-labelledby': 'mh-lq' },
      h('h3', { id: 'mh-lq' }, t('methods_lq')),
      h('p', { 'data-testid': 'methods-lq' }, t('methodsLqText')),
      h('p', {}, t('methodsLqExample'))),

    h('section', { id: 'methods-disclosure', 'aria-labelledby': 'mh-disclosure' },
      h('h3', { id: 'mh-disclosure' }, t('methods_disclosure')),
      h('p', { 'data-testid': 'methods-disclosure' }, t('methodsDisclosureText', { min: sup.minCompanies, dominance: num(sup.dominance * 100) })),
      h('p', {}, t('methodsZeroText')),
      h('p', { class: 'muted' }, h('code', {}, sup.rule))),

    h('section', { id: 'methods-flows', 'aria-labelledby': 'mh-flows' },
      h('h3', { id: 'mh-flows' }, t('methods_flows')),
      h('p', {}, t('methodsFlowsText')),
      h('dl', { class: 'methods-list' }, Object.entries(m.flows).map(([k, v]) => [h('dt', {}, k), h('dd', {}, h('code', {}, v))]))),

    h('section', { id: 'methods-survival', 'aria-labelledby': 'mh-survival' },
      h('h3', { id: 'mh-survival' }, t('methods_survival')),
      h('p', {}, t('survivalText')),
      h('dl', { class: 'methods-list', 'data-testid': 'methods-survival' }, Object.entries(m.survival ?? {}).map(([k, v]) => [h('dt', {}, k), h('dd', {}, h('code', {}, v))]))),

    h('section', { id: 'methods-sni-break', 'aria-labelledby': 'mh-sni-break' },
      h('h3', { id: 'mh-sni-break' }, t('methods_sni-break')),
      h('p', {}, t('sniBreakNote')), h('p', { class: 'muted' }, m.seriesBreak)),

    h('section', { id: 'methods-sources', 'aria-labelledby': 'mh-sources' },
      h('h3', { id: 'mh-sources' }, t('methods_sources')),
      h('table', { class: 'data-table', 'data-testid': 'methods-sources' },
        h('thead', {}, h('tr', {}, [t('methodsSourceCol'), t('year'), t('methodsImported')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, m.data.sources.map((x) => h('tr', {}, h('td', {}, `${x.source}${x.synthetic ? ` (${t('synthetic')})` : ''}`),
          h('td', {}, String(x.refYear ?? '–')), h('td', {}, day(x.importedAt)))))),
      h('p', {}, t('methodsReference')), h('p', { class: 'muted' }, m.referenceData),
      h('p', {}, h('a', { href: '/api/key-figures/methodology' }, t('methodsJson')), ' · ', h('a', { href: '/docs' }, t('apiDocs')))),
  ]
}
