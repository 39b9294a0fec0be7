// Facts about the loaded data that every response and the UI show: version (for caches), years, synthetic or real.
import type { DbHandle } from '../db/client.js'
import { dataYears } from '../keyfigures/compute.js'
import { DataVersion, dataVersionOf } from './data-version.js'

export interface DataInfo {
  dataVersion: number
  years: number[]
  synthetic: boolean
  sources: Array<{ source: string; refYear: number | null; synthetic: boolean; importedAt: string }>
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
  const { rows: syn } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM company WHERE synthetic) AS any')
  return { dataVersion: DataVersion.counter(version), years, synthetic: syn[0].any, sources: s }
}

/** The Swedish source line every response and export carries: which imports the figures come from, and when. */
export function describeSources (info: DataInfo): string {
  if (!info.sources.length) return 'inga data importerade'
  const parts = info.sources.map((s) => `${s.source} ${s.refYear ?? ''} (importerad ${s.importedAt?.slice(0, 10) ?? '?'})`)
  return `${info.synthetic ? 'DEMODATA (syntetiska företag) – ' : ''}${parts.join('; ')}`
}
