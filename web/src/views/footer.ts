// The footer: where the figures come from (the imports, in the UI's language) and which definition they use.
import type { KeyFigures } from '../api/types'
import { $, type Ctx, type View } from '../context'
import { toSearch } from '../state/url'
import { h, mount } from '../ui/dom'
import { date, day, t } from '../ui/i18n'

/** The imports behind the figures, in the UI's language (the API's `meta.source` is the Swedish text for exports). */
function describeSources (meta: KeyFigures['meta']): string {
  if (!meta.sources.length) return t('noImports')
  const parts = meta.sources.map((x) => t('sourceImported', { source: x.source, year: x.refYear ?? '', date: day(x.importedAt) }))
  return `${meta.synthetic ? `${t('sourceSynthetic')} – ` : ''}${parts.join('; ')}`
}

export function footerView ({ boot, store }: Ctx): View {
  return {
    deps: ['lang', 'figures', 'definition'],
    render (s) {
      if (!s.figures) return
      const meta = s.figures.res.meta
      const def = boot.definitions.find((d) => d.id === s.definition.id) ?? s.definition
      mount($('footer'),
        h('p', {}, h('strong', {}, `${t('dataSource')}: `), describeSources(meta), ` · ${t('generatedAt')}: ${date(meta.generatedAt)}`),
        h('p', {}, h('strong', {}, `${t('definition')}: `), def.name,
          def.provisional && !def.name.includes('provisorisk') ? ` (${t('provisional')})` : '', ' · ',
          // the methods page in the app (views/methods.ts); its JSON stays linked from there
          h('a', { href: toSearch({ ...s, view: 'methods' }), 'data-testid': 'methods-link',
            onclick: (e: MouseEvent) => { e.preventDefault(); store.set({ view: 'methods' }) } }, t('methodology')), ' · ',
          h('a', { href: '/docs' }, t('apiDocs'))))
    },
  }
}
