// Colours: the choropleth palettes and the branch-group colours of the actor points.
import type { ExpressionSpecification } from 'maplibre-gl'

/** Sequential (GnBu-like, 5 classes) for counts and rates. */
export const SEQUENTIAL = ['#eef7e8', '#bfe3c0', '#7bc8c4', '#3a95c4', '#0b5a9c']
/** Diverging around 1 for location quotients (below / about / above the national level). */
export const DIVERGING = ['#7b3294', '#c2a5cf', '#f2f0ea', '#f4b463', '#d9540d']
export const NO_DATA = '#d9d9d9'
export const SUPPRESSED_BASE = '#ececec'
/** kommuner outside the followed län: drawn for orientation, paler than "no data" */
export const OUTSIDE = '#f6f6f3'
export const SUPPRESSED_LINE = '#8a8a8a'
export const BACKGROUND = '#dde6ec'

/** Distinct, saturated colours for branch groups (points sit on the pale choropleth with a white ring). */
const GROUP_PALETTE = ['#e6550d', '#d62728', '#8e44ad', '#8c564b', '#1f3a93', '#e377c2', '#d4a017', '#2e7d32',
  '#00897b', '#6d4c41', '#c2185b', '#546e7a']

export function groupColors (codes: string[]): Record<string, string> {
  return Object.fromEntries(codes.map((c, i) => [c, GROUP_PALETTE[i % GROUP_PALETTE.length]]))
}

/** ['match', ['get', prop], code1, colour1, …, fallback] */
export function groupColorExpr (colors: Record<string, string>, prop: ExpressionSpecification): ExpressionSpecification {
  const pairs = Object.entries(colors).flat()
  return pairs.length ? ['match', ['to-string', prop], ...pairs, '#666'] as unknown as ExpressionSpecification : ['literal', '#666'] as unknown as ExpressionSpecification
}

/** A canvas-drawn hatch for suppressed areas (fill-pattern needs an image; no sprite is loaded). */
export function hatchImage (size = 8): ImageData {
  const c = document.createElement('canvas')
  c.width = c.height = size
  const g = c.getContext('2d', { willReadFrequently: true })!
  g.fillStyle = SUPPRESSED_BASE
  g.fillRect(0, 0, size, size)
  g.strokeStyle = SUPPRESSED_LINE
  g.lineWidth = 1.5
  g.beginPath()
  g.moveTo(0, size); g.lineTo(size, 0)
  g.moveTo(-size / 2, size / 2); g.lineTo(size / 2, -size / 2)
  g.moveTo(size / 2, size * 1.5); g.lineTo(size * 1.5, size / 2)
  g.stroke()
  return g.getImageData(0, 0, size, size)
}
