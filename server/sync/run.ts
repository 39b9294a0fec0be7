// `npm run sync`: brings the register up to date from the official sources, each imported through the normal import
// path (runImport: one transaction each, rejected rows reported). Order: SCB's bulk file (the companies), then
// Bolagsverket's (enrichment of the same reference year), then the AFR API (companies, then workplaces).
// A source that fails stops the run; what was imported before stays, and the next run continues from the state.
import type { DbHandle } from '../db/client.js'
import { runImport, type ImportKind, type ImportFormat, type ImportResult, type Progress } from '../ingest/run-import.js'
import { fetchAfr, finishAfr, type AfrKind } from './afr.js'
import { downloadIfChanged, zipEntryYear } from './bulk.js'
import { fetchRetrying, Pacer, sleep, type RetryPolicy, type Sleep } from './http.js'
import { StateStore } from './state.js'
import { existsSync } from 'node:fs'
import { fetchSavedTables, readSavedTables } from '../statistics/saved-queries.js'

export type SyncSource = 'scb' | 'bolagsverket' | 'afr' | 'statistics'
export const SYNC_SOURCES: SyncSource[] = ['scb', 'bolagsverket', 'afr', 'statistics']

export interface SyncOptions {
  dataDir: string
  sources: SyncSource[]
  /** reference year; default: the year in the name of SCB's file, else the current year */
  year?: number
  scbUrl: string
  bolagsverketUrl: string
  afr: {
    baseUrl: string
    key: string | null
    /** list paths per kind; `{sni}` is replaced by each SNI 2025 code */
    paths: Record<AfrKind, string | null>
    /** SNI 2025 codes for `{sni}`; default: every SNI 2025 code of the loaded KKB definitions */
    sni: string[] | null
    limit: number
    requestsPerSecond: number
    infoPath: string | null
  }
  retry: RetryPolicy
  /** saved selections of statistical-database tables (server/statistics/saved-queries.ts); absent file = none */
  statisticsFile: string
  signal?: AbortSignal
  /** how to wait (back-off, Retry-After, pacing); tests record the waits instead of sleeping */
  wait?: Sleep
  /** one progress line (the caller decides how to show it) */
  onProgress?: (line: string) => void
  log?: (message: string) => void
}

export interface SyncStep {
  source: string
  status: 'imported' | 'unchanged' | 'skipped'
  detail: string
  import?: Pick<ImportResult, 'batchId' | 'kind' | 'format' | 'file' | 'year' | 'counts' | 'report' | 'seconds'>
}

export interface SyncReport { year: number; steps: SyncStep[] }

const stockholmYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric' }).format(new Date()))

export async function runSync (db: DbHandle, o: SyncOptions): Promise<SyncReport> {
  const store = new StateStore(o.dataDir)
  const log = o.log ?? (() => {})
  const steps: SyncStep[] = []
  const reportDir = `${o.dataDir}/reports`
  const want = (s: SyncSource) => o.sources.includes(s)
  const onRetry = (m: string) => log(m)
  let year = o.year ?? store.state.files.scb?.importedYear ?? stockholmYear()

  const importFile = async (kind: ImportKind, format: ImportFormat, filePath: string, source?: string): Promise<ImportResult> => {
    let last = 0
    return runImport(db, {
      kind, format, filePath, year, source, createdBy: 'sync', reportDir,
      onProgress: (p: Progress) => {
        if (Date.now() - last < 1000) return
        last = Date.now()
        const pct = p.totalBytes ? Math.round(100 * p.bytes / p.totalBytes) : 0
        o.onProgress?.(`import ${format}: ${p.rows.toLocaleString('sv-SE')} rows, ${pct} %`)
      },
    })
  }
  const summary = (r: ImportResult): SyncStep['import'] =>
    ({ batchId: r.batchId, kind: r.kind, format: r.format, file: r.file, year: r.year, counts: r.counts, report: r.report, seconds: r.seconds })

  for (const [name, url, format] of [['scb', o.scbUrl, 'scb-bulk'], ['bolagsverket', o.bolagsverketUrl, 'bolagsverket']] as const) {
    if (!want(name)) continue
    let lastTick = 0
    const d = await downloadIfChanged(store, { name, url }, o.retry, {
      signal: o.signal,
      wait: o.wait,
      onRetry,
      onProgress: (bytes, total) => {
        if (Date.now() - lastTick < 1000) return
        lastTick = Date.now()
        o.onProgress?.(`${name}: ${(bytes / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`)
      },
    })
    if (name === 'scb' && o.year === undefined) year = (await zipEntryYear(d.file)) ?? year
    const f = store.state.files[name]
    if (!d.downloaded && f.importedYear === year) {
      steps.push({ source: name, status: 'unchanged', detail: `not modified since ${f.downloadedAt} (imported for ${year})` })
      continue
    }
    const why = d.downloaded ? `downloaded ${(d.bytes / 1e6).toFixed(1)} MB` : `unchanged on the server, not yet imported for ${year}`
    log(`${name}: ${why}; importing`)
    const r = await importFile('companies', format, d.file)
    Object.assign(f, { importedYear: year, importedAt: new Date().toISOString(), batchId: r.batchId })
    store.save()
    steps.push({ source: name, status: 'imported', detail: d.downloaded ? 'downloaded' : 'imported the copy on disk', import: summary(r) })
  }

  if (want('afr')) {
    if (!o.afr.key) {
      steps.push({ source: 'afr', status: 'skipped', detail: 'no API key (set SCB_API_KEY)' })
    } else {
      const sni = o.afr.sni ?? await definitionSni2025(db)
      const pacer = new Pacer(o.afr.requestsPerSecond, o.wait ?? sleep)
      for (const kind of ['companies', 'workplaces'] as const) {
        const template = o.afr.paths[kind]
        if (!template) continue
        const paths = template.includes('{sni}') ? sni.map((c) => template.replaceAll('{sni}', encodeURIComponent(c))) : [template]
        const f = await fetchAfr(store, kind, paths, year, {
          baseUrl: o.afr.baseUrl, key: o.afr.key, limit: o.afr.limit, infoPath: o.afr.infoPath, policy: o.retry, pacer,
          signal: o.signal, wait: o.wait, onProgress: o.onProgress, onRetry,
        })
        if (f.status === 'unchanged') {
          steps.push({ source: `afr ${kind}`, status: 'unchanged', detail: `the API's data date is still ${f.dataDate}` })
          continue
        }
        log(`afr ${kind}: ${f.pages} pages, ${f.rows} rows${f.resumed ? ' (resumed)' : ''}; importing`)
        const r = await importFile(kind, 'scb-api', f.file, 'scb-api')
        finishAfr(store, kind, r.batchId)
        const detail = `${paths.length} list${paths.length === 1 ? '' : 's'}, ${f.pages} pages${f.resumed ? ', resumed' : ''}`
        steps.push({ source: `afr ${kind}`, status: 'imported', detail, import: summary(r) })
      }
    }
  }
  if (want('statistics')) {
    if (!existsSync(o.statisticsFile)) {
      log(`statistics: no saved table selections (${o.statisticsFile})`)
    } else {
      const done = await fetchSavedTables(db, readSavedTables(o.statisticsFile), {
        dir: `${o.dataDir}/sync/statistics`, log,
        fetch: (url, init, what) => fetchRetrying(url, init, o.retry, what, { signal: o.signal, wait: o.wait, onRetry }),
      })
      for (const s of done) steps.push({ source: `table ${s.table}`, status: s.status, detail: s.detail })
    }
  }
  return { year, steps }
}

/** The SNI 2025 codes of every loaded KKB definition: the branches the register is about. */
async function definitionSni2025 (db: DbHandle): Promise<string[]> {
  const { rows } = await db.query<{ c: string }>("SELECT DISTINCT sni_code AS c FROM kkb_sni WHERE sni_version = '2025' ORDER BY 1")
  return rows.map((r) => r.c)
}
