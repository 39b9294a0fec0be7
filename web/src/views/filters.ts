// The filter panel (ui/panel.ts) fed from the state, the definition and the reference choices.
import { $, type Ctx, type View } from '../context'
import { Panel } from '../ui/panel'

export function filtersView ({ store, boot }: Ctx): View {
  const panel = new Panel($('filters'), (p) => store.set(p))
  const render = () => {
    const s = store.get()
    panel.render(s, { definitions: boot.definitions, definition: s.definition, years: boot.health.years, groupColors: s.groupColors,
      sizeChoices: boot.sizeChoices, legalChoices: boot.legalChoices,
      followedLan: s.level === 'kommun' && s.lan ? boot.names.get(s.lan) ?? s.lan : null })
  }
  // expanding a branch group is the panel's own state, not the URL's
  panel.onToggle = render
  return {
    // not 'def': the definition's select follows the loaded definition
    deps: ['lang', 'branch', 'year', 'level', 'lan', 'region', 'measure', 'classes', 'kind', 'edu', 'size', 'legal', 'sni', 'definition', 'groupColors'],
    render,
  }
}
