// Facts about the loaded data that every response and the UI show: version (for caches), years, synthetic or real.
import type { DbHandle } from '../db/client.js'
import { dataYears } from '../keyfigures/compute.js'

export interface DataInfo {
  dataVersion: number
  years: number[]
  synthetic: boolean
  sources: Array<{ source: string; refYear: number | null; synthetic: boolean; importedAt: string }>
}

export async function bumpDataVersion (q: Pick<DbHandle, 'query'>): Promise<void> {
  await q.query(`INSERT INTO meta (key, value) VALUES ('data_version', '1')
    ON CONFLICT (key) DO UPDATE SET value = (meta.value::int + 1)::text`)
}

/** The version row alone: one index lookup (exports check it between pages). */
export async function currentDataVersion (q: Pick<DbHandle, 'query'>): Promise<number> {
  const { rows } = await q.query<{ value: string }>("SELECT value FROM meta WHERE key = 'data_version'")
  return Number(rows[0]?.value ?? 0)
}

// Cached per database handle and data version: the version row is one index lookup, the rest is asked only after imports.
const cache = new WeakMap<DbHandle, { version: string; info: Promise<DataInfo> }>()

export async function dataInfo (db: DbHandle): Promise<DataInfo> {
  const { rows: v } = await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'data_version'")
  const version = v[0]?.value ?? '0'
  const hit = cache.get(db)
  if (hit && hit.version === version) return hit.info
  const info = loadDataInfo(db, version)
  cache.set(db, { version, info })
  info.catch(() => cache.delete(db))
  return info
}

async function loadDataInfo (db: DbHandle, version: string): Promise<DataInfo> {
  const v = [{ value: version }]
  const years = await dataYears(db)
  const { rows: s } = await db.query<{ source: string; refYear: number | null; synthetic: boolean; importedAt: string }>(`
    SELECT DISTINCT ON (source, ref_year) source, ref_year AS "refYear", synthetic, finished_at::text AS "importedAt"
    FROM import_batch WHERE status = 'done' AND kind IN ('companies', 'workplaces', 'education')
    ORDER BY source, ref_year, finished_at DESC`)
  const { rows: syn } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM company WHERE synthetic) AS any')
  return { dataVersion: Number(v[0]?.value ?? 0), years, synthetic: syn[0].any, sources: s }
}

/** The Swedish source line every response and export carries: which imports the figures come from, and when. */
export function describeSources (info: DataInfo): string {
  if (!info.sources.length) return 'inga data importerade'
  const parts = info.sources.map((s) => `${s.source} ${s.refYear ?? ''} (importerad ${s.importedAt?.slice(0, 10) ?? '?'})`)
  return `${info.synthetic ? 'DEMODATA (syntetiska företag) – ' : ''}${parts.join('; ')}`
}
