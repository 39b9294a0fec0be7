// DOM labels (no glyphs needed): region names at a point inside each polygon, and the hover tooltip.
import { Marker, type Map as MlMap } from 'maplibre-gl'
import type { RegionCollection } from '../api/types'

type Ring = number[][]

function pointInRing (x: number, y: number, ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]; const [xj, yj] = ring[j]
    if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

function segDist2 (px: number, py: number, a: number[], b: number[], k: number): number {
  const ax = a[0] * k; const bx = b[0] * k; const x = px * k
  let dx = bx - ax; let dy = b[1] - a[1]
  let tt = dx || dy ? ((x - ax) * dx + (py - a[1]) * dy) / (dx * dx + dy * dy) : 0
  tt = Math.max(0, Math.min(1, tt))
  dx = x - (ax + tt * dx); dy = py - (a[1] + tt * dy)
  return dx * dx + dy * dy
}

/** A point well inside the largest polygon (grid search for the spot farthest from the edge). */
export function labelPoint (geom: GeoJSON.Polygon | GeoJSON.MultiPolygon): [number, number] {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates
  let best = polys[0]; let bestArea = -1
  for (const p of polys) {
    let a = 0
    const r = p[0]
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1])
    if (Math.abs(a) > bestArea) { bestArea = Math.abs(a); best = p }
  }
  const outer = best[0]
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of outer) { minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y) }
  const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180)
  let cx = (minX + maxX) / 2; let cy = (minY + maxY) / 2; let w = maxX - minX; let h = maxY - minY
  let bestPt: [number, number] = [cx, cy]; let bestD = -1
  for (let pass = 0; pass < 3; pass++) {
    const n = 12
    for (let i = 0; i <= n; i++) {
      for (let j = 0; j <= n; j++) {
        const x = cx - w / 2 + (w * i) / n; const y = cy - h / 2 + (h * j) / n
        if (!pointInRing(x, y, outer) || best.slice(1).some((hole) => pointInRing(x, y, hole))) continue
        let d = Infinity
        for (const ring of best) for (let s = 0; s < ring.length - 1; s++) d = Math.min(d, segDist2(x, y, ring[s], ring[s + 1], k))
        if (d > bestD) { bestD = d; bestPt = [x, y] }
      }
    }
    ;[cx, cy] = bestPt; w /= 4; h /= 4
  }
  return bestPt
}

/** Region name labels shown within a zoom range; only those inside the view are in the DOM. */
/** Below this zoom even a focused län's kommun labels would crowd (the whole country is in view). */
const FOCUS_MIN_ZOOM = 5.2

export class RegionLabels {
  private markers = new Map<string, Marker>()
  private cache?: { code: string; name: string; at: [number, number] }[]
  /** regions whose labels show below minZoom too (the kommuner of a län just searched for), down to FOCUS_MIN_ZOOM */
  private focus: ((code: string) => boolean) | null = null
  constructor (private map: MlMap, private regions: RegionCollection, private minZoom: number, private maxZoom: number,
    private className: string, private short = (n: string) => n) {
    map.on('moveend', () => this.update())
  }

  /** label points are computed on first use (kommun labels only appear when zoomed in) */
  private get points () {
    return this.cache ??= this.regions.features.map((f) => ({ code: f.properties.code, name: this.short(f.properties.name), at: labelPoint(f.geometry) }))
  }

  /** Show these regions' labels from a lower zoom: a län search lands below the kommun labels' zoom (issue #21). */
  setFocus (focus: ((code: string) => boolean) | null): void { this.focus = focus; this.update() }

  update (): void {
    const z = this.map.getZoom()
    const b = this.map.getBounds()
    const show = z >= this.minZoom && z < this.maxZoom
    const focused = this.focus && z >= FOCUS_MIN_ZOOM && z < this.maxZoom ? this.focus : null
    if (!show && !focused && !this.markers.size) return
    for (const p of this.points) {
      const visible = (show || !!focused?.(p.code)) && b.contains(p.at)
      const m = this.markers.get(p.code)
      if (visible && !m) {
        const el = document.createElement('div')
        el.className = `map-label ${this.className}`
        el.textContent = p.name
        el.setAttribute('aria-hidden', 'true')
        this.markers.set(p.code, new Marker({ element: el, anchor: 'center' }).setLngLat(p.at).addTo(this.map))
      } else if (!visible && m) {
        m.remove()
        this.markers.delete(p.code)
      }
    }
  }

  pointOf (code: string): [number, number] | undefined {
    if (this.cache) return this.cache.find((p) => p.code === code)?.at
    const f = this.regions.features.find((x) => x.properties.code === code)
    return f ? labelPoint(f.geometry) : undefined
  }
}
