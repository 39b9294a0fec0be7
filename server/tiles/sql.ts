// The feature queries behind the tiles. They are the SAME on both back-ends: each returns one row per tile feature
// (fid, the properties, and the position mx/my in EPSG:3857 metres, or a geometry g in 3857 for the regions);
// render.ts then either wraps the query in ST_AsMVT (PostgreSQL) or encodes the rows in Node (PGlite).
import { fromWhere } from '../actors/queries.js'
import { ident, Params } from '../db/sql.js'
import { AT_KOMMUN_POINT } from '../ingest/sole-trader.js'
import { geomColumn, type ActorFilters } from '../actors/filters.js'
import { BUFFER, CLUSTER_CELLS, envelope4326, EXTENT, HALF, MAX_FEATURES, POINTS_MIN_ZOOM, tileBounds } from './tile-math.js'

export interface FeatureQuery {
  text: string
  values: unknown[]
  /** property columns, in the order they are written to the tile */
  props: string[]
  /** 'point': rows carry mx/my (3857); 'polygon': rows carry g (a 3857 geometry) */
  geometry: 'point' | 'polygon'
}

export type ActorTileMode = 'cluster' | 'point'
export const actorTileMode = (z: number): ActorTileMode => (z < POINTS_MIN_ZOOM ? 'cluster' : 'point')

/** Property name for a KKB group's count in a cluster: g_<code>, any character outside [A-Za-z0-9_] replaced by _. */
export const groupProp = (code: string): string => `g_${code.replace(/[^A-Za-z0-9_]/g, '_')}`
export const NONE_PROP = 'g_none'

export const POINT_PROPS = ['id', 'kind', 'group', 'category', 'name', 'precision'] as const
/** Properties of a kommun stack (besides kind, precision = 'kommun' and the g_<code> counts), with their SQL types; a stack is a cluster. */
const STACK_TYPES = { cluster: 'boolean', point_count: 'int', top_group: 'text', kommun: 'text' } as const
export const STACK_PROPS = Object.keys(STACK_TYPES) as Array<keyof typeof STACK_TYPES>
/** Feature ids of stacks: this + the kommun code as a number (actor ids stay far below it). */
export const STACK_FID_BASE = 2 ** 40
/** Stacked, not drawn as points: the actors whose public point is their kommun's point (sole traders, firms without an address). */
const AT_KOMMUN = AT_KOMMUN_POINT.map((p) => `'${p}'`).join(', ')

/**
 * Spherical Mercator (EPSG:3857) in plain SQL arithmetic: the same formula PROJ uses for web mercator, a fraction of
 * ST_Transform's cost per point (it matters for the ~20k points of a low-zoom tile), and identical on both back-ends.
 */
const MERC_X = (lon: string) => `(${lon} * ${HALF / 180}::float8)`
const MERC_Y = (lat: string) => `(ln(tan(pi() / 4 + radians(least(greatest(${lat}, -85.0511287798066), 85.0511287798066)) / 2)) * ${HALF / Math.PI}::float8)`

/**
 * Actors of one tile under a filter set.
 * - z < POINTS_MIN_ZOOM: grid clusters. The 3857 point is snapped to a global grid of CLUSTER_CELLS × CLUSTER_CELLS
 *   cells per tile; a cell belongs to exactly one tile, so each actor is counted in exactly one cluster of a zoom
 *   (clusters have no buffer). The cluster sits at the mean of its members' 3857 points, so inside its cell.
 *   A single-actor cell is still a cluster (point_count 1), so the layer has one schema per zoom range.
 * - z ≥ POINTS_MIN_ZOOM: single points inside the tile plus the 64-unit buffer, ordered by id, at most MAX_FEATURES.
 * Positions are always the PUBLIC point (geom_public: sole traders at their kommun's point); no organisation number.
 */
export function actorFeatures (f: ActorFilters, z: number, x: number, y: number, groups: string[]): FeatureQuery {
  const ps = new Params()
  const mode = actorTileMode(z)
  const geom = geomColumn(f.kind)
  // curated entries are grouped and coloured by their type (g_venue …), their subtype in place of the category
  const curated = f.kind === 'curated'
  const branch = f.kind !== 'education' && !curated
  const grp = curated ? 't.type' : branch ? 'b.grp' : 'NULL::text'
  const env = (bufferUnits: number, eps?: number) => {
    const [w, s, e, n] = envelope4326(z, x, y, bufferUnits, eps)
    return `${geom} && ST_MakeEnvelope(${ps.p(w)}, ${ps.p(s)}, ${ps.p(e)}, ${ps.p(n)}, 4326)`
  }
  // per-group counts of a cluster or stack, from rows with columns grp and n
  const groupCols: string[] = []
  const groupProps: string[] = []
  const seen = new Set<string>([NONE_PROP])
  for (const code of groups) {
    let name = groupProp(code)
    while (seen.has(name)) name += '_'
    seen.add(name)
    groupProps.push(name)
    groupCols.push(`coalesce(sum(n) FILTER (WHERE grp = ${ps.p(code)}::text), 0)::int AS ${ident(name)}`)
  }
  groupProps.push(NONE_PROP)
  groupCols.push(`coalesce(sum(n) FILTER (WHERE grp IS NULL), 0)::int AS ${NONE_PROP}`)
  const topGroup = `coalesce((array_agg(grp ORDER BY n DESC, grp COLLATE "C") FILTER (WHERE grp IS NOT NULL))[1], '')`

  if (mode === 'point') {
    // The tile + buffer is a lon/lat rectangle (Mercator maps lon and lat separately and monotonically), so the
    // index condition with the exact envelope IS the cut: one flat scan, as cheap to plan as the plain one.
    // Actors with an address point are single points. Actors placed only at their kommun's point (sole traders for the
    // public, firms without an address) all share that point: one STACK per kommun (point_count, per-group counts,
    // kommun code) instead of thousands of features drawn on the same pixel.
    const nulls = STACK_PROPS.map((p) => `NULL::${STACK_TYPES[p]} AS ${ident(p)}`).concat(groupProps.map((p) => `NULL::int AS ${ident(p)}`))
    const kind = `${ps.p(f.kind)}::text`
    const text = `WITH a AS (
        SELECT t.id, ${grp} AS grp, ${curated ? 't.subtype' : branch ? 'b.category' : 'NULL::text'} AS category, t.name, t.location_precision AS lp, t.kommun_code,
          ${MERC_X(`ST_X(${geom})`)} AS mx, ${MERC_Y(`ST_Y(${geom})`)} AS my
        ${fromWhere(f, ps)} AND ${env(BUFFER, 0)}),
      s AS (SELECT kommun_code, mx, my, grp, count(*)::int AS n FROM a WHERE lp IN (${AT_KOMMUN}) GROUP BY kommun_code, mx, my, grp)
      SELECT * FROM (
        SELECT a.id AS fid, a.id, ${kind} AS kind, coalesce(a.grp, '') AS "group", coalesce(a.category, '') AS category,
          a.name, coalesce(a.lp, '') AS precision, ${nulls.join(', ')}, a.mx, a.my
        FROM a WHERE a.lp IS NULL OR a.lp NOT IN (${AT_KOMMUN})
        UNION ALL
        SELECT ${STACK_FID_BASE}::bigint + s.kommun_code::bigint, NULL, ${kind}, NULL, NULL, NULL, 'kommun',
          true, sum(n)::int, ${topGroup}, s.kommun_code, ${groupCols.join(', ')}, s.mx, s.my
        FROM s GROUP BY s.kommun_code, s.mx, s.my) u
      ORDER BY fid LIMIT ${MAX_FEATURES}`
    return { text, values: ps.values, props: [...POINT_PROPS, ...STACK_PROPS, ...groupProps], geometry: 'point' }
  }

  // OFFSET 0 fences the scan: the planner then estimates it from the filters alone (not × the selectivity of the
  // grid cut on computed columns, which made it expect 1 row and loop over the branch join per actor).
  const inner = (select: string) => `SELECT ${select}, ST_X(${geom}) AS lon, ST_Y(${geom}) AS lat ${fromWhere(f, ps)} AND ${env(0)} OFFSET 0`
  const perSide = 2 ** z * CLUSTER_CELLS
  const cell = (2 * HALF) / perSide
  const cs = ps.p(cell)
  const text = `WITH pts AS (
      SELECT s.grp, m.mx, m.my, floor((m.mx + ${HALF}::float8) / ${cs}::float8)::bigint AS gx, floor((${HALF}::float8 - m.my) / ${cs}::float8)::bigint AS gy
      FROM (${inner(`${grp} AS grp`)}) s
      CROSS JOIN LATERAL (SELECT ${MERC_X('s.lon')} AS mx, ${MERC_Y('s.lat')} AS my) m),
    cg AS (
      SELECT gx, gy, grp, count(*)::int AS n, sum(mx) AS sx, sum(my) AS sy FROM pts
      WHERE gx >= ${ps.p(x * CLUSTER_CELLS)}::bigint AND gx < ${ps.p((x + 1) * CLUSTER_CELLS)}::bigint
        AND gy >= ${ps.p(y * CLUSTER_CELLS)}::bigint AND gy < ${ps.p((y + 1) * CLUSTER_CELLS)}::bigint
      GROUP BY gx, gy, grp)
    SELECT (gx * ${ps.p(perSide)}::bigint + gy)::bigint AS fid, true AS cluster, sum(n)::int AS point_count,
      ${topGroup} AS top_group,
      ${groupCols.join(',\n      ')},
      sum(sx) / sum(n) AS mx, sum(sy) / sum(n) AS my
    FROM cg GROUP BY gx, gy ORDER BY gx, gy LIMIT ${MAX_FEATURES}`
  return { text, values: ps.values, props: ['cluster', 'point_count', 'top_group', ...groupProps], geometry: 'point' }
}

export type RegionLevel = 'kommun' | 'lan'

/**
 * Kommun or län polygons of one tile, simplified for its zoom: Douglas–Peucker (ST_Simplify, liblwgeom, no GEOS, so
 * safe on PGlite) in 3857 with a tolerance of 4 tile units (half a pixel on a 512 px tile), small parts kept.
 */
export function regionFeatures (level: RegionLevel, z: number, x: number, y: number): FeatureQuery {
  const ps = new Params()
  const table = level === 'kommun' ? 'kommun' : 'lan'
  const b = tileBounds(z, x, y)
  const [w, s, e, n] = envelope4326(z, x, y, BUFFER)
  const tolerance = (b.size / EXTENT) * 4
  const text = `SELECT fid, code, name, level, g FROM (
      SELECT CASE WHEN r.code ~ '^[0-9]{1,9}$' THEN r.code::int END AS fid, r.code, r.name, ${ps.p(level)}::text AS level,
        ST_Simplify(ST_Transform(r.geom, 3857), ${ps.p(tolerance)}::float8, true) AS g
      FROM ${table} r
      WHERE r.geom && ST_MakeEnvelope(${ps.p(w)}, ${ps.p(s)}, ${ps.p(e)}, ${ps.p(n)}, 4326)) f
    WHERE g IS NOT NULL AND NOT ST_IsEmpty(g) ORDER BY code`
  return { text, values: ps.values, props: ['code', 'name', 'level'], geometry: 'polygon' }
}
