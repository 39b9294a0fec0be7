import type { DbHandle } from '../db/client.js'

export type Level = 'lan' | 'kommun'
export interface RegionRow {
  code: string; name: string; county: string | null; countyName: string | null; population: number | null; populationYear: number | null
}

/** Population of the latest year ≤ `year` (population data may lag the register by a year); null year = latest. */
const POP = `(SELECT DISTINCT ON (kommun_code) kommun_code, year, population FROM population
  WHERE ($1::int IS NULL OR year <= $1::int) ORDER BY kommun_code, year DESC)`

export async function listRegions (db: DbHandle, level: Level, year?: number): Promise<RegionRow[]> {
  const sql = level === 'kommun'
    ? `SELECT k.code, k.name, k.lan_code AS county, l.name AS "countyName", p.population, p.year AS "populationYear"
       FROM kommun k JOIN lan l ON l.code = k.lan_code LEFT JOIN ${POP} p ON p.kommun_code = k.code ORDER BY k.code`
    : `SELECT l.code, l.name, NULL AS county, NULL AS "countyName", sum(p.population)::int AS population, max(p.year) AS "populationYear"
       FROM lan l JOIN kommun k ON k.lan_code = l.code LEFT JOIN ${POP} p ON p.kommun_code = k.code GROUP BY l.code, l.name ORDER BY l.code`
  return (await db.query<RegionRow>(sql, [year ?? null])).rows
}

/**
 * Boundaries as one GeoJSON FeatureCollection built in the database. `tolerance` (degrees) simplifies with topology
 * preserved, so the map can ask for a light version at low zoom.
 */
export async function regionsGeoJson (db: DbHandle, level: Level, opts: { detail?: boolean; tolerance?: number } = {}): Promise<string> {
  const table = level === 'kommun' ? 'kommun' : 'lan'
  const col = opts.detail ? 'geom_detail' : 'geom'
  const geom = opts.tolerance ? `ST_Multi(ST_SimplifyPreserveTopology(${col}, ${Number(opts.tolerance)}))` : col
  const lanCol = level === 'kommun' ? `'lanCode', lan_code,` : ''
  const { rows } = await db.query<{ fc: string }>(`
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', code,
      'properties', json_build_object('code', code, 'name', name, ${lanCol} 'level', '${level}'),
      'geometry', ST_AsGeoJSON(${geom}, 5)::json) ORDER BY code), '[]'::json))::text AS fc
    FROM ${table}`)
  return rows[0].fc
}

export interface RegionSet { code: string; name: string; description: string | null; members: Array<{ level: string; code: string }> }

/** Named custom region sets with their members (level=custom in key figures). */
export async function listRegionSets (db: DbHandle): Promise<RegionSet[]> {
  return (await db.query<RegionSet>(`
    SELECT s.code, s.name, s.description, json_agg(json_build_object('level', m.level, 'code', m.region_code) ORDER BY m.region_code) AS members
    FROM region_set s JOIN region_set_member m ON m.set_code = s.code GROUP BY s.code ORDER BY s.code`)).rows
}

/**
 * Boundaries as GeoJSON, kept in memory: they change only with a reference-data reload (a restart). The tolerance is free
 * client input, so the default boundaries are always kept and other tolerances only while the cache is small.
 */
export function boundaryCache (db: DbHandle): (level: Level, opts: { detail?: boolean; tolerance?: number }) => Promise<string> {
  const kept = new Map<string, string>()
  return async (level, opts) => {
    const key = `${level}/${opts.detail ? 1 : 0}/${opts.tolerance ?? 0}`
    let body = kept.get(key)
    if (!body) {
      body = await regionsGeoJson(db, level, opts)
      if (opts.tolerance === undefined || kept.size < 16) kept.set(key, body)
    }
    return body
  }
}
