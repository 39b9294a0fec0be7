// Tile geometry shared by the SQL builders, both renderers, the routes and the tests: the XYZ grid on EPSG:3857.
// Everything here is plain arithmetic so the PostgreSQL (ST_AsMVT) and the PGlite (geojson-vt) paths agree exactly.

/** MVT extent (tile units per tile side) and buffer (tile units kept beyond each edge), as Martin and pg_tileserv. */
export const EXTENT = 4096
export const BUFFER = 64
/** Half the width of the EPSG:3857 world in metres (the x/y range is ±HALF). */
export const HALF = 20037508.342789244
/** Below this zoom the actor layer is clustered on a grid; from it on every actor is a single point. */
export const POINTS_MIN_ZOOM = 12
/** Cluster grid: 8 × 8 cells per tile, i.e. 64 px cells on a tile drawn at 512 px (MapLibre's vector tile size). */
export const CLUSTER_CELLS = 8
/** Most features written to one tile (pg_tileserv's MaxFeaturesPerTile default); only the point zooms can reach it. */
export const MAX_FEATURES = 50_000
/** Highest zoom the routes accept (clients over-zoom beyond the TileJSON maxzoom themselves). */
export const MAX_ZOOM = 22
/** maxzoom announced in TileJSON: tiles at z14 already hold every point at full precision. */
export const TILEJSON_MAXZOOM = 14
/** Sweden (mainland and islands), [west, south, east, north] in degrees. */
export const SWEDEN_BOUNDS: [number, number, number, number] = [10.95, 55.33, 24.17, 69.07]

export const inGrid = (z: number, x: number, y: number): boolean =>
  Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && z <= MAX_ZOOM && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z

export interface Bounds3857 { xmin: number; ymin: number; xmax: number; ymax: number; size: number }

/** The tile's square in EPSG:3857 metres (the same numbers as PostGIS's ST_TileEnvelope(z, x, y)). */
export function tileBounds (z: number, x: number, y: number): Bounds3857 {
  const size = (2 * HALF) / 2 ** z
  return { xmin: -HALF + x * size, xmax: -HALF + (x + 1) * size, ymax: HALF - y * size, ymin: HALF - (y + 1) * size, size }
}

export const lonOf = (mx: number): number => (mx / HALF) * 180
export const latOf = (my: number): number => (2 * Math.atan(Math.exp((my / HALF) * Math.PI)) - Math.PI / 2) * (180 / Math.PI)
export const mercX = (lon: number): number => (lon / 180) * HALF
export const mercY = (lat: number): number => (Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) * HALF

/** EPSG:3857 metres → the unit square geojson-vt works in (x to the east, y to the south, 0..1 over the world). */
export const unitX = (mx: number): number => (mx + HALF) / (2 * HALF)
export const unitY = (my: number): number => (HALF - my) / (2 * HALF)

/**
 * A lon/lat box around the tile, widened by `bufferUnits` tile units and a hair more, for the coarse GiST filter
 * (`geom && ST_MakeEnvelope(…, 4326)`). Computed here rather than with ST_Transform(ST_TileEnvelope(margin => …)),
 * which misbehaves at the antimeridian for 4326 (Martin does the same). With eps = 0 it is the exact cut.
 */
export function envelope4326 (z: number, x: number, y: number, bufferUnits: number, eps = 1e-7): [number, number, number, number] {
  // eps (degrees, ~1 cm by default) widens a prefilter so that rounding never drops a point the exact cut keeps
  const b = tileBounds(z, x, y)
  const pad = (b.size * bufferUnits) / EXTENT
  return [
    Math.max(-180, lonOf(b.xmin - pad) - eps), Math.max(-90, latOf(b.ymin - pad) - eps),
    Math.min(180, lonOf(b.xmax + pad) + eps), Math.min(90, latOf(b.ymax + pad) + eps),
  ]
}

/** The tile (at zoom z) that holds a lon/lat point; used by the tests and the bench to pick tiles over the data. */
export function tileOf (lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z
  const x = Math.min(n - 1, Math.max(0, Math.floor(unitX(mercX(lon)) * n)))
  const y = Math.min(n - 1, Math.max(0, Math.floor(unitY(mercY(lat)) * n)))
  return [x, y]
}
