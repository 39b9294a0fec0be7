// Actor points (companies or workplaces, coloured by branch group) and education providers on the map.
import { actorParams } from '../api/client'
import type { Ctx, View } from '../context'
import { actorQuery } from '../state/queries'

export function actorLayersView ({ atlas }: Ctx): View {
  return {
    deps: ['def', 'branch', 'year', 'kind', 'edu', 'size', 'legal', 'definition', 'groupColors'],
    async render (s) {
      await atlas.ready
      atlas.setActors(s.kind === 'none' ? null : actorParams(actorQuery(s, s.kind, false)), s.groupColors)
      atlas.setEducation(s.edu ? { kind: 'education' } : null)
    },
  }
}
