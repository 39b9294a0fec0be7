// Region search (names from the boundaries, in the browser) and actor name search (the API), as comboboxes.
import { api } from '../api/client'
import { $, type Ctx, type View } from '../context'
import { actorQuery, tableKind } from '../state/queries'
import { combobox } from '../ui/combobox'
import { mount } from '../ui/dom'
import { t } from '../ui/i18n'

export function searchView ({ store, atlas, boot }: Ctx): View {
  return {
    deps: ['lang'],
    render () {
      const regionItems = [...boot.kommun.features, ...boot.lan.features].map((f) => ({
        id: f.properties.code, label: f.properties.name,
        detail: f.properties.level === 'kommun' ? `${t('kommun')}, ${boot.names.get(f.properties.lanCode ?? '') ?? ''}` : t('lan'),
      }))
      // folded: lower case without diacritics on both sides, so "vaxjo" finds Växjö and "malmo" Malmö (issue #21)
      const lower = (x: string) => x.toLocaleLowerCase('sv').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      mount($('search'),
        combobox({
          label: t('regionSearch'), placeholder: t('regionSearchPlaceholder'), testId: 'region-search',
          search: async (q) => {
            const ql = lower(q)
            // names that start with the query first, then alphabetical
            const later = (r: { label: string }) => Number(!lower(r.label).startsWith(ql))
            return regionItems.filter((r) => lower(r.label).includes(ql))
              .sort((a, b) => later(a) - later(b) || a.label.localeCompare(b.label, 'sv'))
              .slice(0, 10)
          },
          onPick: (o) => {
            const { level, lan } = store.get()
            // a län is followed from now on (its kommuner when the level is switched to kommun, issue #21); a kommun
            // outside the followed län ends the following
            store.set({ region: o.id, level: o.id.length === 2 ? 'lan' : level === 'lan' && o.id.length === 4 ? 'kommun' : level,
              lan: o.id.length === 2 ? o.id : lan && o.id.startsWith(lan) ? lan : null })
            atlas.fitRegion(o.id)
          },
        }),
        combobox({
          label: t('nameSearch'), placeholder: t('nameSearchPlaceholder'), minChars: 2, testId: 'name-search',
          search: async (q, signal) => {
            const s = store.get()
            const query = { ...actorQuery(s, tableKind(s), false), branch: 'all', sizeClass: [], legalForm: [], q }
            // relevance: names starting with the text first; typo-tolerant matches by similarity (not alphabetically)
            const res = await api.actors(query, { limit: 8, sort: 'relevance' }, signal)
            return res.items.map((a) => ({ id: `${a.kind}:${a.id}`, label: a.name,
              detail: `${boot.names.get(a.kommunCode ?? '') ?? ''}${a.category ? ` · ${a.category}` : ''}` }))
          },
          onPick: (o) => store.set({ actor: o.id }),
        }))
    },
  }
}
