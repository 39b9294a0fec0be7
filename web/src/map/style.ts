// A self-contained style: a plain background and our own boundaries. No glyphs, sprites or external sources.
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'
import type { RegionCollection } from '../api/types'
import { BACKGROUND, NO_DATA } from './colors'

export const SWEDEN: [[number, number], [number, number]] = [[10.9, 55.3], [24.2, 69.1]]

const stateColor: ExpressionSpecification = ['to-color', ['coalesce', ['feature-state', 'color'], NO_DATA]]
const flag = (name: string): ExpressionSpecification => ['boolean', ['feature-state', name], false]

export function baseStyle (): StyleSpecification {
  return { version: 8, name: 'KKB Atlas', transition: { duration: 0, delay: 0 }, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }] }
}

/** The region sources (feature-state keyed by the region code) and their layers, below the actor layers. */
export function regionSources (kommun: RegionCollection, lan: RegionCollection) {
  return {
    kommun: { type: 'geojson' as const, data: kommun, promoteId: 'code' },
    lan: { type: 'geojson' as const, data: lan, promoteId: 'code' },
  }
}

export function regionLayers (overBasemap: boolean): LayerSpecification[] {
  const fillOpacity = overBasemap ? 0.7 : 1
  const fills = (src: 'kommun' | 'lan'): LayerSpecification[] => [
    { id: `${src}-fill`, type: 'fill', source: src, layout: { visibility: src === 'kommun' ? 'visible' : 'none' },
      // no fill antialiasing: the line layers draw the borders (one shader program and one pass fewer)
      paint: { 'fill-color': stateColor, 'fill-opacity': fillOpacity, 'fill-antialias': false } },
    { id: `${src}-hatch`, type: 'fill', source: src, layout: { visibility: src === 'kommun' ? 'visible' : 'none' },
      paint: { 'fill-pattern': 'hatch', 'fill-opacity': ['case', flag('suppressed'), fillOpacity, 0], 'fill-antialias': false } },
  ]
  return [
    ...fills('lan'),
    ...fills('kommun'),
    { id: 'kommun-line', type: 'line', source: 'kommun',
      paint: { 'line-color': '#ffffff', 'line-opacity': 0.85, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.3, 8, 1, 12, 1.6] } },
    { id: 'lan-line', type: 'line', source: 'lan',
      paint: { 'line-color': '#3d4b57', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.7, 8, 1.6, 12, 2.4] } },
    ...(['kommun', 'lan'] as const).map((src): LayerSpecification => ({
      id: `${src}-highlight`, type: 'line', source: src,
      paint: { 'line-color': ['case', flag('selected'), '#111111', '#333333'],
        'line-width': ['case', flag('selected'), 3, flag('hover'), 1.8, 0] } })),
  ]
}
