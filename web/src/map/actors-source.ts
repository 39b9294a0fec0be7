// The actor points: one module hides whether they come from the vector tiles (/api/tiles/actors/{z}/{x}/{y}.mvt)
// or from a clustered GeoJSON source (/api/actors?format=geojson). Both give clusters with point_count and
// per-group counts g_<code>, and single points with id, kind, group.
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MlMap, MapGeoJSONFeature, SourceSpecification } from 'maplibre-gl'
import { apiUrl, type Params } from '../api/client'

export type ActorMode = { type: 'geojson' } | { type: 'vector'; maxzoom: number }
export const ACTORS = 'actors'

/** The MVT layer name of the tile contract; GeoJSON sources have no source-layer. */
const sourceLayer = (mode: ActorMode) => (mode.type === 'vector' ? { 'source-layer': 'actors' } : {})

export function actorSource (mode: ActorMode, params: Params, groups: string[]): SourceSpecification {
  if (mode.type === 'vector') {
    // vector tile URLs must be absolute (maplibre-gl-js#6818)
    return { type: 'vector', tiles: [tileUrl(params)], maxzoom: mode.maxzoom, minzoom: 0 }
  }
  return {
    type: 'geojson', data: dataUrl(params), cluster: true, clusterRadius: 42, clusterMaxZoom: 10,
    clusterProperties: Object.fromEntries(groups.map((g) => [`g_${g}`, ['+', ['case', ['==', ['get', 'group'], g], 1, 0]]])),
  }
}

const dataUrl = (params: Params) => location.origin + apiUrl('actors', { ...params, format: 'geojson' })
const tileUrl = (params: Params) => location.origin + apiUrl('tiles/actors/{z}/{x}/{y}.mvt', params).replace(/%7B/g, '{').replace(/%7D/g, '}')

/** New filters: re-point the existing source (no layer churn). */
export function updateActorSource (map: MlMap, mode: ActorMode, params: Params): void {
  const src = map.getSource(ACTORS)
  if (!src) return
  if (mode.type === 'vector') (src as unknown as { setTiles (t: string[]): void }).setTiles([tileUrl(params)])
  else (src as GeoJSONSource).setData(dataUrl(params))
}

/** The group with most actors in a cluster: given by the tiles (top_group), computed from g_<code> for GeoJSON. */
export function clusterGroup (mode: ActorMode, groups: string[]): ExpressionSpecification {
  if (mode.type === 'vector' || groups.length < 2) return ['to-string', ['get', 'top_group']]
  const cnt = (g: string): ExpressionSpecification => ['get', `g_${g}`]
  const cases = groups.slice(0, -1).flatMap((g) => [['all', ...groups.filter((o) => o !== g).map((o) => ['>=', cnt(g), cnt(o)])], g])
  return ['case', ...cases, groups[groups.length - 1]] as unknown as ExpressionSpecification
}

const abbreviated: ExpressionSpecification = ['let', 'n', ['get', 'point_count'],
  ['case', ['>=', ['var', 'n'], 10000], ['concat', ['to-string', ['round', ['/', ['var', 'n'], 1000]]], 'k'],
    ['>=', ['var', 'n'], 1000], ['concat', ['to-string', ['/', ['round', ['/', ['var', 'n'], 100]], 10]], 'k'],
    ['to-string', ['var', 'n']]]]

export function actorLayers (mode: ActorMode, groupColor: (e: ExpressionSpecification) => ExpressionSpecification, groups: string[]): LayerSpecification[] {
  const sl = sourceLayer(mode)
  const isCluster: ExpressionSpecification = ['has', 'point_count']
  return [
    { id: 'actors-clusters', type: 'circle', source: ACTORS, ...sl, filter: isCluster,
      paint: {
        'circle-color': groupColor(clusterGroup(mode, groups)),
        'circle-radius': ['step', ['get', 'point_count'], 11, 10, 14, 50, 18, 200, 23, 1000, 28],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2, 'circle-opacity': 0.92,
      } },
    // counts are images drawn on demand (styleimagemissing): no glyphs, so nothing is fetched from outside
    { id: 'actors-cluster-count', type: 'symbol', source: ACTORS, ...sl, filter: isCluster,
      layout: { 'icon-image': ['concat', 'count:', abbreviated], 'icon-allow-overlap': true, 'icon-ignore-placement': true } },
    { id: 'actors-points', type: 'circle', source: ACTORS, ...sl, filter: ['!', isCluster],
      paint: {
        'circle-color': groupColor(['get', 'group']),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 3.5, 10, 5, 14, 7],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 5, 1, 12, 1.5],
      } },
  ] as LayerSpecification[]
}

/** Zoom that opens a cluster. */
export async function clusterZoom (map: MlMap, mode: ActorMode, f: MapGeoJSONFeature): Promise<number> {
  if (mode.type === 'geojson' && f.properties.cluster_id !== undefined) {
    const src = map.getSource(ACTORS) as GeoJSONSource
    return Math.min(await src.getClusterExpansionZoom(f.properties.cluster_id as number), 14)
  }
  return Math.min(map.getZoom() + 2, 14)
}
