// Saved selections of statistical-database tables, fetched by `npm run sync` and imported like a file. A selection is
// what SCB's statistical database shows under "API för denna tabell": the table's API URL and the query (PxWebApi v1,
// POSTed with the response format forced to json-stat2), or a PxWebApi v2 data URL whose valueCodes are the selection
// (GET, outputFormat=json-stat2). A table whose `updated` is the one already imported is not imported again.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { DbHandle } from '../db/client.js'
import { runStatisticsImport, type StatisticsImportResult } from './import.js'

export interface SavedTable { table: string; url: string; query?: { query: unknown[]; response?: unknown } }
export type FetchFn = (url: string, init: RequestInit, what: string) => Promise<Response>
export interface SavedTableStep { table: string; status: 'imported' | 'unchanged'; detail: string; import?: StatisticsImportResult }

const TABLE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/** Reads and checks the saved selections file: `{ "tables": [{ "table": "ID", "url": "https://…", "query": { "query": [ … ] } }] }`. */
export function readSavedTables (file: string): SavedTable[] {
  let doc: unknown
  try { doc = JSON.parse(readFileSync(file, 'utf8')) } catch (e) { throw new Error(`${file}: ${(e as Error).message}`, { cause: e }) }
  const tables = (doc as { tables?: unknown }).tables
  if (!Array.isArray(tables)) throw new Error(`${file}: expected { "tables": [ … ] }`)
  return tables.map((t, i) => {
    const where = `${file}: tables[${i}]`
    if (typeof t !== 'object' || t === null) throw new Error(`${where} is not an object`)
    const { table, url, query } = t as Record<string, unknown>
    if (typeof table !== 'string' || !TABLE_ID.test(table)) throw new Error(`${where}.table must be a table id (letters, digits, "_", ".", "-")`)
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error(`${where}.url must be an http(s) URL`)
    if (query !== undefined && (typeof query !== 'object' || query === null || !Array.isArray((query as { query?: unknown }).query))) {
      throw new Error(`${where}.query must be the statistical database's API query: { "query": [ … ] }`)
    }
    return { table, url, query: query as SavedTable['query'] }
  })
}

function request (t: SavedTable): { url: string; init: RequestInit } {
  if (t.query) {
    return { url: t.url, init: { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...t.query, response: { format: 'json-stat2' } }) } }
  }
  const u = new URL(t.url)
  u.searchParams.set('outputFormat', 'json-stat2')
  return { url: u.toString(), init: { method: 'GET', headers: { accept: 'application/json' } } }
}

export interface FetchTablesOptions { dir: string; fetch: FetchFn; log?: (m: string) => void }

export async function fetchSavedTables (db: DbHandle, tables: SavedTable[], o: FetchTablesOptions): Promise<SavedTableStep[]> {
  mkdirSync(o.dir, { recursive: true })
  const steps: SavedTableStep[] = []
  for (const t of tables) {
    const { url, init } = request(t)
    const res = await o.fetch(url, init, `table ${t.table}`)
    if (!res.ok) throw new Error(`table ${t.table}: HTTP ${res.status} from the statistical database`)
    const body = Buffer.from(await res.arrayBuffer())
    const file = path.join(o.dir, `${t.table}.json`)
    writeFileSync(file, body)
    let updated: string | null = null
    try { updated = (JSON.parse(body.toString('utf8')) as { updated?: string }).updated ?? null } catch { /* the import names the problem */ }
    const { rows } = await db.query<{ updated: string | null }>('SELECT updated FROM stat_table WHERE id = $1', [t.table])
    if (updated && rows[0]?.updated === updated) {
      steps.push({ table: t.table, status: 'unchanged', detail: `updated ${updated}, as imported` })
      continue
    }
    o.log?.(`table ${t.table}: ${body.length} bytes${updated ? `, updated ${updated}` : ''}; importing`)
    const r = await runStatisticsImport(db, { format: 'json-stat', filePath: file, fileName: `${t.table}.json`, table: t.table, createdBy: 'sync' })
    steps.push({ table: t.table, status: 'imported', detail: `${r.cells} cells (${r.missing} missing), years ${r.years.join(', ')}`, import: r })
  }
  return steps
}
