// Two encoders for the same feature rows (sql.ts): ST_AsMVT in PostgreSQL, or @maplibre/geojson-vt + vt-pbf in Node
// where PostGIS was built without protobuf-c (PGlite). The renderer is chosen by probing, never by driver name.
import { geoJSONToTile } from '@maplibre/geojson-vt'
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson'
import type { DbHandle } from '../db/client.js'
import { ident, Params } from '../db/sql.js'
import type { FeatureQuery } from './sql.js'
import { BUFFER, EXTENT, unitX, unitY } from './tile-math.js'

export type RendererName = 'st_asmvt' | 'geojson-vt'

export interface RenderedTile {
  /** the uncompressed MVT; empty when the tile has no feature */
  mvt: Uint8Array
  features: number
}

export type Encoder = (q: FeatureQuery, layer: string, z: number, x: number, y: number) => Promise<RenderedTile>

const EMPTY: RenderedTile = { mvt: new Uint8Array(0), features: 0 }

export function stAsMvtEncoder (db: Pick<DbHandle, 'query'>): Encoder {
  return async (q, layer, z, x, y) => {
    const ps = new Params()
    ps.values = [...q.values]
    const env = `ST_TileEnvelope(${ps.p(z)}::int, ${ps.p(x)}::int, ${ps.p(y)}::int)`
    const geom = q.geometry === 'point' ? 'ST_SetSRID(ST_MakePoint(f.mx, f.my), 3857)' : 'f.g'
    const text = `SELECT ST_AsMVT(q, ${ps.p(layer)}::text, ${EXTENT}, 'geom', 'fid') AS mvt, count(q.geom)::int AS n FROM (
        SELECT ${q.props.map((p) => `f.${ident(p)}`).join(', ')}, f.fid, ST_AsMVTGeom(${geom}, ${env}, ${EXTENT}, ${BUFFER}, true) AS geom
        FROM (${q.text}) f) q`
    const { rows } = await db.query<{ mvt: Uint8Array | null; n: number }>(text, ps.values)
    const n = Number(rows[0]?.n ?? 0)
    if (!n || !rows[0].mvt?.length) return EMPTY
    return { mvt: rows[0].mvt, features: n }
  }
}

const num = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v)

function unitGeometry (g: Geometry): Geometry {
  const conv = (p: Position): Position => [unitX(p[0]), unitY(p[1])]
  switch (g.type) {
    case 'Polygon': return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(conv)) }
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(conv))) }
    case 'Point': return { type: 'Point', coordinates: conv(g.coordinates) }
    case 'LineString': return { type: 'LineString', coordinates: g.coordinates.map(conv) }
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(conv)) }
    case 'MultiPoint': return { type: 'MultiPoint', coordinates: g.coordinates.map(conv) }
    default: return { type: 'GeometryCollection', geometries: g.geometries.map(unitGeometry) }
  }
}

export function geojsonVtEncoder (db: Pick<DbHandle, 'query'>): Encoder {
  return async (q, layer, z, x, y) => {
    const text = q.geometry === 'point'
      ? q.text
      : `SELECT f.fid, ${q.props.map((p) => `f.${ident(p)}`).join(', ')}, ST_AsGeoJSON(f.g, 3) AS gj FROM (${q.text}) f`
    const { rows } = await db.query<Record<string, unknown>>(text, q.values)
    if (!rows.length) return EMPTY
    const features: Feature[] = rows.map((r) => {
      const properties: Record<string, unknown> = {}
      for (const p of q.props) properties[p] = num(r[p])
      // 3857 metres → geojson-vt's unit square: no second projection round trip through lon/lat
      const geometry: Geometry = q.geometry === 'point'
        ? { type: 'Point', coordinates: [unitX(Number(r.mx)), unitY(Number(r.my))] }
        : unitGeometry((typeof r.gj === 'string' ? JSON.parse(r.gj) : r.gj) as Geometry)
      const fid = num(r.fid)
      return { type: 'Feature', ...(typeof fid === 'number' ? { id: fid } : {}), properties, geometry }
    })
    const fc: FeatureCollection = { type: 'FeatureCollection', features }
    // tolerance 0: the SQL already simplified polygons for the zoom; points are never simplified
    const tile = geoJSONToTile(fc, z, x, y, { extent: EXTENT, buffer: BUFFER, clip: true, wrap: false, coordinates: 'unitSquare', tolerance: 0 })
    if (!tile || !tile.features.length) return EMPTY
    return { mvt: fromGeojsonVt({ [layer]: tile }, { version: 2, extent: EXTENT }), features: tile.features.length }
  }
}

/** ST_AsMVT if this PostGIS has protobuf-c (PostgreSQL + PostGIS 3.3), the Node encoder otherwise (PGlite). */
export async function probeRenderer (db: Pick<DbHandle, 'query'>): Promise<RendererName> {
  try {
    await db.query(`SELECT ST_AsMVT(q, 'probe', ${EXTENT}, 'geom') AS mvt FROM (
      SELECT 1 AS a, ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(0, 0), 3857), ST_TileEnvelope(0, 0, 0), ${EXTENT}, ${BUFFER}, true) AS geom) q`)
    return 'st_asmvt'
  } catch {
    return 'geojson-vt' // "Compiled without protobuf-c support": a normal SQL error, the connection survives it
  }
}

export const encoderFor = (name: RendererName, db: Pick<DbHandle, 'query'>): Encoder =>
  name === 'st_asmvt' ? stAsMvtEncoder(db) : geojsonVtEncoder(db)
