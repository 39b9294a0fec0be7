// Facts about the loaded data that every response and the UI show: version (for caches), years, synthetic or real.
import type { DbHandle } from '../db/client.js'
import { dataYears } from '../keyfigures/compute.js'
import { DataVersion, dataVersionOf } from './data-version.js'

export interface DataInfo {
  dataVersion: number
  years: number[]
  synthetic: boolean
  sources: Array<{ source: string; refYear: number | null; synthetic: boolean; importedAt: string }>
  /** year → the SNI version most of that year's companies are coded in ('2007' | '2025'): where it changes between
   *  two years a series crosses the SNI 2007 → SNI 2025 break (SCB moved the registers during 2025), and charts mark it */
  sniVersionByYear: Record<string, string>
  /** while the register is synthetic and seeded by the product (seed-demo.ts): how dense the demo is, else null */
  demo: DemoInfo | null
}

export interface DemoInfo {
  /** companies of the national sample (first year, whole country) */
  sampleCompanies: number
  /** active firms of the register the full-density län are scaled to */
  registerCompanies: number
  /** län generated at full register density, on top of the sample */
  fullDensityLan: Array<{ code: string; name: string }>
}

/** Cached per data version (the version service re-reads one row at most every second; the rest is asked after imports). */
export async function dataInfo (db: DbHandle): Promise<DataInfo> {
  const dv = dataVersionOf(db)
  const version = await dv.get()
  return dv.memo(version, 'data-info', () => loadDataInfo(db, version))
}

async function loadDataInfo (db: DbHandle, version: string): Promise<DataInfo> {
  const years = await dataYears(db)
  const { rows: s } = await db.query<{ source: string; refYear: number | null; synthetic: boolean; importedAt: string }>(`
    SELECT DISTINCT ON (source, ref_year) source, ref_year AS "refYear", synthetic, finished_at::text AS "importedAt"
    FROM import_batch WHERE status = 'done' AND kind IN ('companies', 'workplaces', 'education')
    ORDER BY source, ref_year, finished_at DESC`)
  const { rows: syn } = await db.query<{ any: boolean; demo: string | null }>(`SELECT EXISTS (SELECT 1 FROM company WHERE synthetic) AS any,
    (SELECT message FROM import_batch WHERE synthetic AND status = 'done' AND kind = 'companies' AND source = 'demo'
     AND message LIKE '{%' ORDER BY finished_at DESC LIMIT 1) AS demo`)
  const demo = syn[0].any && syn[0].demo ? await demoInfo(db, syn[0].demo) : null
  // from the key-figure cells (a few thousand rows), not the register: companies with an SNI code, by year and version
  const { rows: v } = await db.query<{ year: number; version: string; n: number }>(`
    SELECT ref_year AS year, sni_version AS version, sum(companies)::int AS n FROM kf_company_cell
    WHERE sni_code <> '' GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`)
  const sniVersionByYear: Record<string, string> = {}
  for (const r of v) sniVersionByYear[String(r.year)] ??= r.version // the first row of a year has the most companies
  return { dataVersion: DataVersion.counter(version), years, synthetic: syn[0].any, sources: s, sniVersionByYear,
    demo }
}

/** The demo's description (JSON on its import batches, seed-demo.ts) with the full-density län's names. */
async function demoInfo (db: DbHandle, json: string): Promise<DemoInfo | null> {
  try {
    const d = JSON.parse(json) as { sampleCompanies: number; registerCompanies: number; fullDensityLan: string[] }
    const { rows } = await db.query<{ code: string; name: string }>('SELECT code, name FROM lan WHERE code = ANY($1) ORDER BY code', [d.fullDensityLan])
    return { sampleCompanies: d.sampleCompanies, registerCompanies: d.registerCompanies, fullDensityLan: rows }
  } catch { return null }
}

/** The Swedish source line every response and export carries: which imports the figures come from, and when. */
/** The `meta` of a key-figure answer (flows, survival, compare): where the data come from, when the answer was made,
 *  whether it is synthetic, and the data version it was computed from. */
export function answerMeta (info: DataInfo) {
  return { source: describeSources(info), generatedAt: new Date().toISOString(), synthetic: info.synthetic, dataVersion: info.dataVersion }
}

export function describeSources (info: DataInfo): string {
  if (!info.sources.length) return 'inga data importerade'
  const parts = info.sources.map((s) => `${s.source} ${s.refYear ?? ''} (importerad ${s.importedAt?.slice(0, 10) ?? '?'})`)
  return `${info.synthetic ? 'DEMODATA (syntetiska företag) – ' : ''}${parts.join('; ')}`
}
