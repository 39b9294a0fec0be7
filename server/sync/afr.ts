// SCB's key-based register API (AFR): every page of every configured list, fetched with cursor paging into one NDJSON
// file per kind (one page a line, as the scb-api format reads it). The cursor and the pages fetched so far are kept
// under DATA_DIR/sync, so an interrupted run continues where it stopped instead of starting again.
// Evidence (not a specification, which could not be read offline): base URL https://apiafr.scb.se/v1, header X-API-Key,
// `?limit=&cursorId=`, `{"pagination": {nextCursorId, limit, hasMore}, "jes" | "arbetsstallen": [...]}`, end only on
// hasMore = false, limit at most 5000, 429 when overloaded, GET /api-info → senasteUppdateringsDatum. The list paths
// are assumptions and configurable (see the README).
import { appendFileSync, existsSync, openSync, closeSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs'
import { SCB_API_ENVELOPES } from '../ingest/formats/scb-api.js'
import { envelopeKey } from '../ingest/json-items.js'
import { HttpError, fetchRetrying, type Pacer, type RetryPolicy, type Sleep } from './http.js'
import type { AfrRunState, StateStore } from './state.js'

export type AfrKind = 'companies' | 'workplaces'

export interface AfrClientOptions {
  baseUrl: string
  key: string
  limit: number
  /** path of the API's information endpoint (its data date), or null to always fetch */
  infoPath: string | null
  policy: RetryPolicy
  pacer: Pacer
  signal?: AbortSignal
  wait?: Sleep
  onProgress?: (line: string) => void
  onRetry?: (m: string) => void
}

export type AfrFetchResult =
  | { status: 'unchanged'; dataDate: string }
  | { status: 'fetched'; file: string; pages: number; rows: number; resumed: boolean; dataDate: string | null }

function url (o: AfrClientOptions, path: string, query: Record<string, string> = {}): string {
  const u = new URL(o.baseUrl.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''))
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v)
  return u.toString()
}

async function get (o: AfrClientOptions, path: string, query: Record<string, string>, what: string): Promise<unknown> {
  const res = await fetchRetrying(url(o, path, query), { headers: { 'x-api-key': o.key, accept: 'application/json' } }, o.policy, what,
    { pacer: o.pacer, signal: o.signal, wait: o.wait, onRetry: o.onRetry })
  const text = await res.text()
  if (res.status === 401 || res.status === 403) {
    throw new HttpError(`${what}: the AFR API refused the key (HTTP ${res.status}); check SCB_API_KEY`, res.status)
  }
  if (res.status === 404) {
    throw new HttpError(`${what}: HTTP 404 for ${path}: the AFR list paths are assumptions, set AFR_COMPANIES_PATH / AFR_WORKPLACES_PATH`, 404)
  }
  if (res.status !== 200) throw new HttpError(`${what}: HTTP ${res.status}: ${text.slice(0, 200)}`, res.status)
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(`${what}: the answer is not JSON (${text.slice(0, 80)})`, res.status)
  }
}

/** The API's own data date, or null when it gives none (the information endpoint is optional). */
async function dataDate (o: AfrClientOptions): Promise<string | null> {
  if (o.infoPath === null) return null
  try {
    const info = await get(o, o.infoPath, {}, 'AFR api-info') as Record<string, unknown>
    const d = info?.senasteUppdateringsDatum
    return typeof d === 'string' && d !== '' ? d : null
  } catch (e) {
    if (o.signal?.aborted) throw e
    return null
  }
}

/**
 * Fetches every page of `paths` for one kind (resuming a run left in the state) and returns the NDJSON file, or
 * 'unchanged' when the API's data date is the one of the last complete import for the same year.
 */
export async function fetchAfr (store: StateStore, kind: AfrKind, paths: string[], year: number, o: AfrClientOptions): Promise<AfrFetchResult> {
  const afr = store.state.afr
  let run: AfrRunState | undefined = afr.running[kind]
  const samePlan = run !== undefined && run.year === year && Object.keys(run.lists).length === paths.length &&
    paths.every((p) => p in run!.lists)
  let resumed = samePlan
  if (!samePlan) {
    const date = await dataDate(o)
    const last = afr.done[kind]
    if (date !== null && last?.dataDate === date && last.year === year) return { status: 'unchanged', dataDate: date }
    run = { year, startedAt: new Date().toISOString(), file: `afr-${kind}.ndjson`, bytes: 0, dataDate: date, lists: {} }
    for (const p of paths) run.lists[p] = { cursor: null, pages: 0, rows: 0, done: false }
    writeFileSync(store.path(run.file), '')
    afr.running[kind] = run
    store.save()
    resumed = false
  }
  const r = run!
  const file = store.path(r.file)
  // Drop what a crash may have appended after the last saved page.
  if (!existsSync(file)) { // the pages are gone: start the lists again
    writeFileSync(file, '')
    for (const l of Object.values(r.lists)) Object.assign(l, { cursor: null, pages: 0, rows: 0, done: false })
    r.bytes = 0
  }
  const fd = openSync(file, 'r+')
  try { ftruncateSync(fd, r.bytes) } finally { closeSync(fd) }

  const total = () => Object.values(r.lists).reduce((a, l) => ({ pages: a.pages + l.pages, rows: a.rows + l.rows }), { pages: 0, rows: 0 })
  let listNo = 0
  for (const p of paths) {
    listNo++
    const l = r.lists[p]
    while (!l.done) {
      const query: Record<string, string> = { limit: String(o.limit) }
      if (l.cursor !== null) query.cursorId = l.cursor
      const what = `AFR ${kind} ${p} page ${l.pages + 1}`
      const page = await get(o, p, query, what)
      const key = envelopeKey(page, SCB_API_ENVELOPES)
      const pagination = (page as { pagination?: { nextCursorId?: unknown; hasMore?: unknown } } | null)?.pagination
      if (key === null || typeof pagination?.hasMore !== 'boolean') {
        throw new HttpError(`${what}: not a list page (expected {"pagination": {…, "hasMore"}, "jes" | "arbetsstallen": [...]})`, 200)
      }
      const rows = ((page as Record<string, unknown[]>)[key]).length
      if (pagination.hasMore && (pagination.nextCursorId === undefined || pagination.nextCursorId === null || pagination.nextCursorId === '')) {
        throw new HttpError(`${what}: hasMore without a nextCursorId`, 200)
      }
      const line = JSON.stringify(page) + '\n'
      appendFileSync(file, line)
      r.bytes += Buffer.byteLength(line)
      l.pages++
      l.rows += rows
      l.done = !pagination.hasMore
      l.cursor = l.done ? null : String(pagination.nextCursorId)
      store.save()
      const t = total()
      const n = (v: number) => v.toLocaleString('sv-SE')
      o.onProgress?.(`AFR ${kind}: list ${listNo}/${paths.length} (${p}), ${n(t.pages)} pages, ${n(t.rows)} rows`)
    }
  }
  const t = total()
  return { status: 'fetched', file, pages: t.pages, rows: t.rows, resumed, dataDate: r.dataDate }
}

/** After the import: the run is complete, its pages can go. */
export function finishAfr (store: StateStore, kind: AfrKind, batchId: number): void {
  const run = store.state.afr.running[kind]
  if (!run) return
  store.state.afr.done[kind] = { dataDate: run.dataDate, importedAt: new Date().toISOString(), batchId, year: run.year }
  delete store.state.afr.running[kind]
  store.save()
  rmSync(store.path(run.file), { force: true })
}
