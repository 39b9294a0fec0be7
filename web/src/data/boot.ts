// Everything the first paint needs, fetched in parallel: health (years, demo flag), definitions and the state's
// definition, the boundaries, the reference lists behind the filters, and whether the vector tiles answer.
import { api } from '../api/client'
import type { Definition, RegionCollection } from '../api/types'
import type { Boot } from '../context'
import type { State } from '../state/fields'
import { definitionId } from '../state/queries'
import { legalChoices, sizeChoices } from './reference'

export interface Booted { boot: Boot; definition: Definition; tiles: { maxzoom: number } | null }

/** `regions` is the boundary request, started by the caller so the map gets them as soon as they arrive. */
export async function loadBoot (s: State, regions: Promise<[RegionCollection, RegionCollection]>): Promise<Booted> {
  const definitionsP = api.definitions()
  const [health, definitions, [kommun, lan], tiles, definition, sizeClasses, legalForms] = await Promise.all([
    api.health(), definitionsP, regions,
    s.source === 'geojson' ? Promise.resolve(null) : api.tilesAvailable(),
    definitionsP.then((defs) => api.definition(definitionId(defs, s))),
    api.sizeClasses(), api.legalForms(),
  ])
  const names = new Map<string, string>()
  const lanOf = new Map<string, string>()
  for (const f of [...kommun.features, ...lan.features]) names.set(f.properties.code, f.properties.name)
  for (const f of kommun.features) lanOf.set(f.properties.code, f.properties.lanCode ?? f.properties.code.slice(0, 2))
  const boot: Boot = { health, definitions, kommun, lan, names, lanOf,
    sizeChoices: sizeChoices(sizeClasses), legalChoices: legalChoices(legalForms), legalForms }
  return { boot, definition, tiles }
}
