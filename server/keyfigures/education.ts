// Education key figures: providers, programmes and places per SUN 2020 field and region, beside the companies of the
// related KKB branch group (data/definitions/sun-kkb-groups.csv, our own provisional tagging).
import type { DbHandle } from '../db/client.js'
import { readDataCsv } from '../reference/csv-file.js'
import { computeKeyFigures, type RegionLevel } from './compute.js'
import type { SuppressionRule } from './formulas.js'

export interface EducationRow {
  year: number; regionCode: string; regionName: string; sunCode: string; sunTitle: string | null
  providers: number; programmes: number; places: number; placesReported: number
  relatedGroup: string | null; relatedGroupName: string | null; relatedCompanies: number | null
}

let links: Array<{ prefix: string; definition: string; group: string }> | undefined
/** The KKB branch group of a SUN 2020 code: the longest matching prefix in data/definitions/sun-kkb-groups.csv. */
export function relatedGroup (definition: string, sun: string): string | null {
  links ??= readDataCsv('definitions/sun-kkb-groups.csv').map((r) => ({ prefix: r.sun_prefix, definition: r.definition_id, group: r.group_code }))
  const best = links.filter((l) => l.definition === definition && sun.startsWith(l.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]
  return best?.group || null
}

const REGION_SQL: Record<Exclude<RegionLevel, 'custom'>, string> = {
  kommun: 'p.kommun_code', lan: 'p.lan_code', riket: "'SE'",
}

export async function educationFigures (db: DbHandle, q: { level: RegionLevel; regions?: string[]; year?: number; definition?: string },
  rule: SuppressionRule) {
  const year = q.year ?? (await db.query<{ y: number | null }>('SELECT max(ref_year) AS y FROM education_provider')).rows[0].y
  if (year === null) return { year: null, rows: [] as EducationRow[] }
  const region = q.level === 'custom' ? 'm.set_code' : REGION_SQL[q.level]
  const customJoin = q.level === 'custom'
    ? `JOIN region_set_member m ON (m.level = 'lan' AND m.region_code = p.lan_code) OR (m.level = 'kommun' AND m.region_code = p.kommun_code)` : ''
  // programmes grouped by the 3-character SUN 2020 inriktning (e.g. 212 Musik, dans och dramatik)
  const { rows } = await db.query<{ region: string; sun: string; title: string | null; providers: number; programmes: number; places: number; reported: number }>(`
    SELECT ${region} AS region, left(pr.sun_code, 3) AS sun, s.title_sv AS title, count(DISTINCT p.id)::int AS providers,
      count(*)::int AS programmes, coalesce(sum(pr.places), 0)::int AS places, count(pr.places)::int AS reported
    FROM education_provider p JOIN education_programme pr ON pr.provider_id = p.id ${customJoin}
    LEFT JOIN sun_field s ON s.code = left(pr.sun_code, 3)
    WHERE p.ref_year = $1 AND pr.sun_code IS NOT NULL AND ${region} IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2`, [year])
  const kf = await computeKeyFigures(db, { definition: q.definition, level: q.level, branch: ['group'], years: 'latest' }, rule)
  const companies = new Map(kf.rows.map((r) => [`${r.regionCode}|${r.branchCode}`, r]))
  const out: EducationRow[] = []
  for (const r of rows) {
    if (q.regions?.length && !q.regions.includes(r.region)) continue
    const g = relatedGroup(kf.definition.id, r.sun)
    const c = g ? companies.get(`${r.region}|${g}`) : undefined
    out.push({ year, regionCode: r.region, regionName: companies.get(`${r.region}|1`)?.regionName ?? r.region, sunCode: r.sun, sunTitle: r.title,
      providers: r.providers, programmes: r.programmes, places: r.places, placesReported: r.reported,
      relatedGroup: g, relatedGroupName: c?.branchName ?? null, relatedCompanies: c ? c.companies : null })
  }
  return { year, companiesYear: kf.years[0] ?? null, definition: kf.definition, rows: out }
}
