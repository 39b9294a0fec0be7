// A self-contained style: our own boundaries over the map container's background colour. No glyphs, sprites or
// external sources. Every layer costs a pass over its pixels in each frame, and in software WebGL (headless Chromium,
// machines without a GPU) that fill cost is what makes panning slow: so no full-screen background layer (the canvas is
// transparent; the container's CSS paints the sea), and the hatch and highlight layers hold only the features they draw.
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'
import type { RegionCollection } from '../api/types'
import { NO_DATA } from './colors'

export const SWEDEN: [[number, number], [number, number]] = [[10.9, 55.3], [24.2, 69.1]]

const KOMMUN_BORDER = '#ffffff'
const stateColor: ExpressionSpecification = ['to-color', ['coalesce', ['feature-state', 'color'], NO_DATA]]

export function baseStyle (): StyleSpecification {
  return { version: 8, name: 'KKB Atlas', transition: { duration: 0, delay: 0 }, sources: {}, layers: [] }
}

/** Features of the hover/selection outline source: a region's geometry with its role. */
export type HighlightRole = 'hover' | 'selected' | 'focus'
export const HIGHLIGHT = 'region-highlight'

/** The hatch layer draws only the suppressed regions of the level (a filter, not an invisible pattern everywhere). */
export const hatchFilter = (codes: string[]): FilterSpecification => ['in', ['get', 'code'], ['literal', codes]]

/** The region sources (feature-state keyed by the region code) and their layers, below the actor layers. */
export function regionSources (kommun: RegionCollection, lan: RegionCollection) {
  return {
    kommun: { type: 'geojson' as const, data: kommun, promoteId: 'code' },
    lan: { type: 'geojson' as const, data: lan, promoteId: 'code' },
    [HIGHLIGHT]: { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } },
  }
}

export function regionLayers (overBasemap: boolean): LayerSpecification[] {
  const fillOpacity = overBasemap ? 0.7 : 1
  // kommun borders below zoom 7 are the fill's own 1-px outline (GL lines): in software WebGL that costs a fraction of
  // a line layer; from zoom 7 the kommun-line layer draws wider borders over it. The hatch covers the fill's outline,
  // so a suppressed kommun draws its own.
  const outline = (src: 'kommun' | 'lan') => (src === 'kommun' ? { 'fill-antialias': true, 'fill-outline-color': KOMMUN_BORDER } : { 'fill-antialias': false })
  const fills = (src: 'kommun' | 'lan'): LayerSpecification[] => [
    { id: `${src}-fill`, type: 'fill', source: src, layout: { visibility: src === 'kommun' ? 'visible' : 'none' },
      paint: { 'fill-color': stateColor, 'fill-opacity': fillOpacity, ...outline(src) } },
    { id: `${src}-hatch`, type: 'fill', source: src, layout: { visibility: 'none' }, filter: hatchFilter([]),
      paint: { 'fill-pattern': 'hatch', 'fill-opacity': fillOpacity, ...outline(src) } },
  ]
  return [
    ...fills('lan'),
    ...fills('kommun'),
    { id: 'kommun-line', type: 'line', source: 'kommun', minzoom: 7,
      paint: { 'line-color': KOMMUN_BORDER, 'line-opacity': 0.85, 'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.8, 8, 1, 12, 1.6] } },
    { id: 'lan-line', type: 'line', source: 'lan',
      paint: { 'line-color': '#3d4b57', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.7, 8, 1.6, 12, 2.4] } },
    { id: HIGHLIGHT, type: 'line', source: HIGHLIGHT,
      paint: { 'line-color': ['match', ['get', 'role'], 'selected', '#111111', 'focus', '#0b5a9c', '#333333'],
        'line-width': ['match', ['get', 'role'], 'selected', 3, 'focus', 2.6, 1.8] } },
  ]
}
