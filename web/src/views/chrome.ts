// The page around the map: title, language switch, demo banner, the map/table switch and the table's tabs.
import { $, type Ctx, type View } from '../context'
import { toSearch } from '../state/url'
import { h, mount } from '../ui/dom'
import { t } from '../ui/i18n'
import { demoDensityShort } from '../ui/demo-density'
import { seedComparison } from './compare'

export function chromeView ({ store, boot }: Ctx): View {
  return {
    deps: ['lang', 'view', 'tab', 'region', 'cmp'],
    render (s) {
      document.title = `KKB Atlas – ${t('appSubtitle')}`
      $('skip-link').textContent = t('skip')
      $('app-subtitle').textContent = t('appSubtitle')
      $('panel-heading').textContent = t('filters')
      $('panel').setAttribute('aria-label', t('filters'))
      const lang = $('lang-switch')
      lang.textContent = t('switchLang')
      lang.setAttribute('aria-label', t('switchLangLabel'))
      lang.setAttribute('lang', s.lang === 'sv' ? 'en' : 'sv')
      lang.onclick = () => store.set({ lang: s.lang === 'sv' ? 'en' : 'sv' })
      const banner = $('banner')
      banner.hidden = !boot.health.synthetic
      // the demo's density on a second, smaller line (the banner's text then reads "… inte verkliga · Kalmar län med …")
      mount(banner, t('demoBanner'), boot.health.demo ? h('span', { class: 'demo-density' }, h('span', { class: 'sr-only' }, ' · '),
        demoDensityShort(boot.health.demo)) : null)
      const focusedId = (document.activeElement as HTMLElement | null)?.dataset.testid
      const nav = $('view-switch')
      nav.setAttribute('aria-label', t('views'))
      // the compare view opens with the selected region, its län and riket when nothing is compared yet
      const to = (v: 'map' | 'table' | 'compare') => (v === 'compare' ? { view: v, cmp: seedComparison(s) } : { view: v })
      mount(nav, (['map', 'table', 'compare'] as const).map((v) => h('a', {
        href: toSearch({ ...s, ...to(v) }) || location.pathname, class: 'view-btn', 'aria-current': s.view === v ? 'page' : undefined,
        'data-testid': `view-${v}`, onclick: (e: MouseEvent) => { e.preventDefault(); store.set(to(v)) },
      }, v === 'map' ? t('viewMap') : v === 'table' ? t('viewTable') : t('viewCompare'))))
      $('table-heading').textContent = t('viewTable')
      const TABS = ['figures', 'actors', 'education'] as const
      mount($('table-tabs'), TABS.map((tab) => h('button', {
        type: 'button', role: 'tab', id: `tab-${tab}`, 'aria-selected': String(s.tab === tab), 'aria-controls': `table-${tab}`,
        tabindex: s.tab === tab ? '0' : '-1', 'data-testid': `tab-${tab}`,
        onclick: () => store.set({ tab }),
        onkeydown: (e: KeyboardEvent) => {
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return
          const next = TABS[(TABS.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]
          store.set({ tab: next })
          $(`tab-${next}`).focus()
        },
      }, t(tab === 'figures' ? 'tabFigures' : tab === 'actors' ? 'tabActors' : 'tabEducation'))))
      if (focusedId) (document.querySelector(`[data-testid="${focusedId}"]`) as HTMLElement | null)?.focus()
      for (const tab of TABS) {
        $(`table-${tab}`).setAttribute('aria-labelledby', `tab-${tab}`)
        $(`table-${tab}`).hidden = s.tab !== tab
      }
      const showTable = s.view === 'table'
      $('table-view').hidden = !showTable
      $('main').classList.toggle('table-mode', showTable)
      // the map stays rendered underneath; inert takes it out of the tab order and the accessibility tree
      $('map-view').toggleAttribute('inert', s.view !== 'map')
    },
  }
}
