// TileJSON 3.0 documents for the actor and boundary tiles: the layer, its fields and the tile URL template.
import type { ActorFilters } from '../actors/filters.js'
import { ACTOR_LAYER, REGION_LAYER } from './service.js'
import { groupProp, NONE_PROP, type RegionLevel } from './sql.js'
import { BUFFER, EXTENT, POINTS_MIN_ZOOM, SWEDEN_BOUNDS, TILEJSON_MAXZOOM } from './tile-math.js'

/**
 * TileJSON of the actor tiles. `base` is the URL of the tiles folder (ending in '/'), `query` the filters' query string
 * ('' or '?…') carried into the tile URL; `groups` are the definition's KKB groups (the g_<code> counts of clusters).
 */
export function actorTileJson (o: { base: string; query: string; f: ActorFilters; groups: string[]; dataVersion: string; renderer: string }) {
  const fields: Record<string, string> = {
    cluster: `Boolean: true on the grid clusters (z < ${POINTS_MIN_ZOOM}) and on kommun stacks (z ≥ ${POINTS_MIN_ZOOM}: the actors placed only at their kommun's point, e.g. sole traders, as one feature)`,
    point_count: 'Number: actors in the cluster or stack',
    kommun: `String: kommun code of a stack (z ≥ ${POINTS_MIN_ZOOM})`,
    top_group: 'String: KKB group code with most actors in the cluster ("" if none)',
  }
  for (const g of o.groups) fields[groupProp(g)] = `Number: actors of KKB group ${g} in the cluster`
  fields[NONE_PROP] = 'Number: actors outside the KKB definition in the cluster'
  Object.assign(fields, {
    id: `Number: actor id (also the feature id), z ≥ ${POINTS_MIN_ZOOM}`, kind: 'String: company | workplace | education',
    group: 'String: KKB group code ("" outside KKB)', category: 'String: KKB category code ("" outside KKB)', name: 'String: name',
    precision: 'String: location precision of the point (address; kommun on a stack)',
  })
  const { f } = o
  return {
    tilejson: '3.0.0', name: 'KKB Atlas – actors', version: '1.0.0', scheme: 'xyz',
    description: `Actors (${f.kind}, ${f.year}, definition ${f.definition}); clusters below z${POINTS_MIN_ZOOM}, points (and one stack per kommun for actors without an address point) from z${POINTS_MIN_ZOOM}`,
    attribution: 'KKB Atlas', tiles: [`${o.base}actors/{z}/{x}/{y}.mvt${o.query}`],
    minzoom: 0, maxzoom: TILEJSON_MAXZOOM, bounds: SWEDEN_BOUNDS, center: [15.5, 62, 4],
    vector_layers: [{ id: ACTOR_LAYER, description: 'KKB actors', minzoom: 0, maxzoom: TILEJSON_MAXZOOM, fields }],
    // extensions (TileJSON allows extra keys)
    extent: EXTENT, buffer: BUFFER, cluster_maxzoom: POINTS_MIN_ZOOM - 1, data_version: o.dataVersion, renderer: o.renderer,
  }
}

/** TileJSON of the kommun or län boundary tiles. */
export function regionTileJson (base: string, level: RegionLevel) {
  return {
    tilejson: '3.0.0', name: `KKB Atlas – ${level === 'lan' ? 'län' : 'kommuner'}`, version: '1.0.0', scheme: 'xyz',
    tiles: [`${base}regions/{z}/{x}/{y}.mvt?level=${level}`], minzoom: 0, maxzoom: TILEJSON_MAXZOOM, bounds: SWEDEN_BOUNDS,
    attribution: 'SCB, Lantmäteriet',
    vector_layers: [{ id: REGION_LAYER, minzoom: 0, maxzoom: TILEJSON_MAXZOOM,
      fields: { code: 'String: kommun or län code (also the numeric feature id)', name: 'String', level: 'String: kommun | lan' } }],
  }
}
