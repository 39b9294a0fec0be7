// Kommun polygons for the synthetic register: loading, point-in-polygon, area/centroid and adjacency.
// Reads data/kommuner_scb.geojson (SCB generalised, land-clipped, EPSG:4326). No dependencies.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { DATA_DIR } from '../paths.js'

export interface KommunGeo {
  code: string
  /** every ring of every polygon, flat [lon0, lat0, lon1, lat1, …] */
  rings: Float64Array[]
  /** bounding box per ring, parallel to rings: [minLon, minLat, maxLon, maxLat] */
  ringBoxes: Float64Array[]
  bbox: [number, number, number, number]
  areaKm2: number
  /** area centroid of the largest polygon's outer ring (may lie outside for odd shapes) */
  centroid: [number, number]
}

type Ring = number[][]
interface Feature { geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Ring[] | Ring[][] }; properties: { kommun_code: string } }

const KM_PER_DEG = 111.32

/** Signed area in km² (counter-clockwise positive) and centroid of one ring. */
function ringAreaCentroid (ring: Ring): { area: number; cx: number; cy: number } {
  let a = 0
  let cx = 0
  let cy = 0
  let latSum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]
    const [x1, y1] = ring[i]
    const f = x0 * y1 - x1 * y0
    a += f
    cx += (x0 + x1) * f
    cy += (y0 + y1) * f
    latSum += y1
  }
  const meanLat = latSum / ring.length
  const areaDeg = a / 2
  const area = areaDeg * KM_PER_DEG * KM_PER_DEG * Math.cos(meanLat * Math.PI / 180)
  if (areaDeg === 0) return { area: 0, cx: ring[0][0], cy: ring[0][1] }
  return { area, cx: cx / (6 * areaDeg), cy: cy / (6 * areaDeg) }
}

export function loadKommunGeometry (file = path.join(DATA_DIR, 'kommuner_scb.geojson')): Map<string, KommunGeo> {
  const fc = JSON.parse(readFileSync(file, 'utf8')) as { features: Feature[] }
  const out = new Map<string, KommunGeo>()
  for (const f of fc.features) {
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Ring[][]
    const rings: Float64Array[] = []
    const ringBoxes: Float64Array[] = []
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
    let areaKm2 = 0
    let best = { area: -1, cx: 0, cy: 0 }
    for (const poly of polys) {
      let polyArea = 0
      for (const ring of poly) {
        const flat = new Float64Array(ring.length * 2)
        const rb = new Float64Array([Infinity, Infinity, -Infinity, -Infinity])
        ring.forEach(([x, y], i) => {
          flat[2 * i] = x
          flat[2 * i + 1] = y
          if (x < rb[0]) rb[0] = x
          if (y < rb[1]) rb[1] = y
          if (x > rb[2]) rb[2] = x
          if (y > rb[3]) rb[3] = y
        })
        rings.push(flat)
        ringBoxes.push(rb)
        bbox[0] = Math.min(bbox[0], rb[0]); bbox[1] = Math.min(bbox[1], rb[1])
        bbox[2] = Math.max(bbox[2], rb[2]); bbox[3] = Math.max(bbox[3], rb[3])
        polyArea += ringAreaCentroid(ring).area // RFC 7946 winding: holes come out negative
      }
      areaKm2 += Math.abs(polyArea)
      const outer = ringAreaCentroid(poly[0])
      if (Math.abs(outer.area) > best.area) best = { area: Math.abs(outer.area), cx: outer.cx, cy: outer.cy }
    }
    const code = f.properties.kommun_code
    out.set(code, { code, rings, ringBoxes, bbox, areaKm2, centroid: [best.cx, best.cy] })
  }
  return out
}

/** Even-odd rule over all rings (outer rings and holes of every part). */
export function pointInKommun (g: KommunGeo, lon: number, lat: number): boolean {
  if (lon < g.bbox[0] || lon > g.bbox[2] || lat < g.bbox[1] || lat > g.bbox[3]) return false
  let inside = false
  for (let r = 0; r < g.rings.length; r++) {
    const rb = g.ringBoxes[r]
    if (lon < rb[0] || lon > rb[2] || lat < rb[1] || lat > rb[3]) continue
    const c = g.rings[r]
    const n = c.length / 2
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = c[2 * i + 1]
      const yj = c[2 * j + 1]
      if ((yi > lat) !== (yj > lat)) {
        const xi = c[2 * i]
        const xj = c[2 * j]
        if (lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside
      }
    }
  }
  return inside
}

/**
 * Kommun adjacency: two kommuner are neighbours when their boundaries share a vertex (the SCB layer
 * shares topology between neighbours after mapshaper -clean).
 */
export function kommunAdjacency (geo: Map<string, KommunGeo>): Map<string, Set<string>> {
  const byVertex = new Map<string, string[]>()
  for (const g of geo.values()) {
    for (const c of g.rings) {
      for (let i = 0; i < c.length; i += 2) {
        const key = `${Math.round(c[i] * 1e4)}:${Math.round(c[i + 1] * 1e4)}`
        const list = byVertex.get(key)
        if (!list) byVertex.set(key, [g.code])
        else if (list[list.length - 1] !== g.code && !list.includes(g.code)) list.push(g.code)
      }
    }
  }
  const adj = new Map<string, Set<string>>([...geo.keys()].map((k) => [k, new Set<string>()]))
  for (const list of byVertex.values()) {
    for (const a of list) for (const b of list) if (a !== b) adj.get(a)!.add(b)
  }
  return adj
}

/** Approximate great-circle-ish distance in km (equirectangular; fine within Sweden). */
export function distanceKm (lon1: number, lat1: number, lon2: number, lat2: number): number {
  const x = (lon2 - lon1) * Math.cos(((lat1 + lat2) / 2) * Math.PI / 180)
  const y = lat2 - lat1
  return Math.sqrt(x * x + y * y) * KM_PER_DEG
}
