// The selected actor's card (what /api/actors/{id} gives), and its ring on the map.
import { api } from '../api/client'
import type { Actor } from '../api/types'
import { $, type Ctx, type View } from '../context'
import { definitionId } from '../state/queries'
import { renderActorCard } from '../ui/cards'
import { mount } from '../ui/dom'
import { t } from '../ui/i18n'
import { appendNotes } from './notes'

export function actorCardView ({ store, atlas, boot }: Ctx): View {
  let seq = 0
  return {
    deps: ['lang', 'actor'],
    async render (s) {
      await atlas.ready
      const el = $('actor-card')
      $('main').classList.toggle('actor-open', !!s.actor)
      const mine = ++seq
      if (!s.actor) { el.hidden = true; mount(el); atlas.markActor(null); return }
      const [kind, id] = s.actor.split(':')
      const close = () => store.set({ actor: null })
      renderActorCard(el, null, close)
      try {
        const a = await api.actor(Number(id), kind as Actor['kind'], definitionId(boot.definitions, s))
        if (mine !== seq) return
        renderActorCard(el, { ...a, kommunCode: a.kommunCode ? boot.names.get(a.kommunCode) ?? a.kommunCode : null }, close)
        // the organisation's notes and status: only a signed-in promoter's card has them (appendNotes checks)
        if (a.kind === 'company' && a.orgnr) void appendNotes(el, a.orgnr, a.soleTrader, () => mine === seq).catch(() => undefined)
        if (a.lon !== null && a.lat !== null) {
          atlas.markActor([a.lon, a.lat])
          if (s.view === 'map' && !atlas.map.getBounds().contains([a.lon, a.lat])) atlas.flyTo(a.lon, a.lat, 9)
        }
        ;($('actor-card-title') as HTMLElement).focus({ preventScroll: true })
      } catch (err) {
        if (mine === seq) renderActorCard(el, null, close, t('error', { msg: (err as Error).message }))
      }
    },
  }
}
