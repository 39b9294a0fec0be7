// Decoding and reference computations for the tile tests: the expected features are computed here in JS from the
// actors' lon/lat (fetched with the shared filter predicate), independently of the tile SQL.
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import type { DbHandle } from '../../server/db/client.js'
import { Params } from '../../server/db/sql.js'
import type { ActorFilters } from '../../server/actors/filters.js'
import { fromWhere } from '../../server/actors/queries.js'
import { BUFFER, CLUSTER_CELLS, EXTENT, HALF, mercX, mercY, tileBounds } from '../../server/tiles/tile-math.js'

export interface Decoded { id: number | undefined; props: Record<string, unknown>; x: number; y: number }

export function decode (buf: Uint8Array, layer = 'actors'): Decoded[] {
  if (!buf.length) return []
  const vt = new VectorTile(new PbfReader(buf))
  const l = vt.layers[layer]
  if (!l) throw new Error(`no layer ${layer}; layers: ${Object.keys(vt.layers).join(', ')}`)
  if (l.extent !== EXTENT) throw new Error(`extent ${l.extent}`)
  const out: Decoded[] = []
  for (let i = 0; i < l.length; i++) {
    const f = l.feature(i)
    const g = f.loadGeometry()
    out.push({ id: f.id, props: { ...f.properties }, x: g[0][0].x, y: g[0][0].y })
  }
  return out
}

export interface ActorPoint {
  id: number; lon: number; lat: number; grp: string | null; category: string | null; name: string; precision: string | null; kommun: string | null
}

/** Every placed actor matching the filters, at its public point, through the same predicate as /api/actors. */
export async function actorPoints (db: Pick<DbHandle, 'query'>, f: ActorFilters): Promise<ActorPoint[]> {
  const ps = new Params()
  const geom = f.kind === 'education' ? 't.geom' : 't.geom_public'
  const branch = f.kind !== 'education'
  const { rows } = await db.query<ActorPoint>(`SELECT t.id::int AS id, ST_X(${geom}) AS lon, ST_Y(${geom}) AS lat,
      ${branch ? 'b.grp' : 'NULL::text'} AS grp, ${branch ? 'b.category' : 'NULL::text'} AS category, t.name, t.location_precision AS precision, t.kommun_code AS kommun
    ${fromWhere(f, ps)} AND ${geom} IS NOT NULL ORDER BY t.id`, ps.values)
  return rows.map((r) => ({ ...r, id: Number(r.id), lon: Number(r.lon), lat: Number(r.lat) }))
}

/** Tile coordinates of a point (what ST_AsMVTGeom / geojson-vt write, up to a rounding tie). */
export function tileCoords (lon: number, lat: number, z: number, x: number, y: number): [number, number] {
  const b = tileBounds(z, x, y)
  return [(mercX(lon) - b.xmin) / b.size * EXTENT, (b.ymax - mercY(lat)) / b.size * EXTENT]
}

/** The points a high-zoom tile must hold: inside the tile plus the buffer. */
export function expectedPoints (pts: ActorPoint[], z: number, x: number, y: number): ActorPoint[] {
  return pts.filter((p) => {
    const [tx, ty] = tileCoords(p.lon, p.lat, z, x, y)
    return tx >= -BUFFER && tx <= EXTENT + BUFFER && ty >= -BUFFER && ty <= EXTENT + BUFFER
  })
}

export interface ExpectedCluster { fid: number; count: number; groups: Map<string | null, number>; x: number; y: number }

/** The clusters a low-zoom tile must hold: actors whose point is in the tile, grouped by grid cell, at the mean point. */
export function expectedClusters (pts: ActorPoint[], z: number, x: number, y: number): ExpectedCluster[] {
  const perSide = 2 ** z * CLUSTER_CELLS
  const cell = (2 * HALF) / perSide
  const cells = new Map<number, { n: number; sx: number; sy: number; groups: Map<string | null, number> }>()
  for (const p of pts) {
    const mx = mercX(p.lon)
    const my = mercY(p.lat)
    const gx = Math.floor((mx + HALF) / cell)
    const gy = Math.floor((HALF - my) / cell)
    if (Math.floor(gx / CLUSTER_CELLS) !== x || Math.floor(gy / CLUSTER_CELLS) !== y) continue
    const fid = gx * perSide + gy
    let c = cells.get(fid)
    if (!c) cells.set(fid, c = { n: 0, sx: 0, sy: 0, groups: new Map() })
    c.n++; c.sx += mx; c.sy += my
    c.groups.set(p.grp, (c.groups.get(p.grp) ?? 0) + 1)
  }
  const b = tileBounds(z, x, y)
  return [...cells.entries()].map(([fid, c]) => ({
    fid, count: c.n, groups: c.groups, x: (c.sx / c.n - b.xmin) / b.size * EXTENT, y: (b.ymax - c.sy / c.n) / b.size * EXTENT,
  }))
}

/** The most populated tile at zoom z over these points (to test where the data is). */
export function densestTile (pts: ActorPoint[], z: number): [number, number] {
  const n = 2 ** z
  const counts = new Map<string, number>()
  for (const p of pts) {
    const tx = Math.floor((mercX(p.lon) + HALF) / (2 * HALF) * n)
    const ty = Math.floor((HALF - mercY(p.lat)) / (2 * HALF) * n)
    const k = `${tx}/${ty}`
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]
  return best.split('/').map(Number) as [number, number]
}

/** A canonical, order-free form of a decoded tile for comparing two renderers. */
export const canonical = (fs: Decoded[]) => fs.map((f) => JSON.stringify([f.id ?? null, f.x, f.y, Object.entries(f.props).sort()])).sort()

/** Region features of a tile with their area in tile units² (shoelace over all rings; holes count negative). */
export function regionAreas (buf: Uint8Array): Map<string, number> {
  const out = new Map<string, number>()
  if (!buf.length) return out
  const l = new VectorTile(new PbfReader(buf)).layers.regions
  for (let i = 0; i < l.length; i++) {
    const f = l.feature(i)
    let a = 0
    for (const ring of f.loadGeometry()) {
      for (let j = 0, k = ring.length - 1; j < ring.length; k = j++) a += (ring[k].x * ring[j].y - ring[j].x * ring[k].y) / 2
    }
    out.set(String(f.properties.code), Math.abs(a))
  }
  return out
}

/**
 * Two renderings of a region tile agree when every region with a visible area (≥ minArea units², 1/64 of a pixel on
 * a 512 px tile is 1 unit²) in one is in the other. Sub-pixel slivers may differ: ST_AsMVTGeom drops polygons that
 * collapse on its integer grid, geojson-vt keeps them.
 */
export function sameRegions (a: Uint8Array, b: Uint8Array, minArea = 64): { onlyA: string[]; onlyB: string[] } {
  const ra = regionAreas(a)
  const rb = regionAreas(b)
  return {
    onlyA: [...ra.entries()].filter(([c, area]) => area >= minArea && !rb.has(c)).map(([c]) => c),
    onlyB: [...rb.entries()].filter(([c, area]) => area >= minArea && !ra.has(c)).map(([c]) => c),
  }
}
