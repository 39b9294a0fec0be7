// Saved selections of statistical-database tables fetched from a local server standing in for SCB's API (PxWebApi v1
// POST with the query, v2 GET with valueCodes), imported, skipped while `updated` is unchanged, re-imported when not.
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { fetchSavedTables, readSavedTables, type FetchFn } from '../../server/statistics/saved-queries.js'
import { openTestDb } from '../helpers/db.js'
import { KOMMUNER, OCCUPATIONS, scbJsonStat } from './scb-table.js'

let db: DbHandle
let server: Server
let base: string
let dir: string
let updated = '2025-06-24T06:00:00Z'
let fail = false
const seen: Array<{ method: string; url: string; body: any }> = []
const kalmar = KOMMUNER.filter((k) => k.lan_code === '08').map((k) => k.kommun_code)

beforeAll(async () => {
  db = await openTestDb('base')
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-saved-'))
  server = createServer((req, res) => {
    let text = ''
    req.on('data', (c) => { text += c })
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body: text ? JSON.parse(text) : null })
      if (fail) { res.writeHead(500).end('{"error":"busy"}'); return }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify({ ...scbJsonStat({ kommuner: kalmar }), updated }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  server?.close(); await db?.close(); rmSync(dir, { recursive: true, force: true })
})

const fetchFn: FetchFn = (url, init) => fetch(url, init)

describe('saved table selections', () => {
  it('reads the saved selections and refuses a malformed one with its place', () => {
    const file = path.join(dir, 'statistics.json')
    writeFileSync(file, JSON.stringify({ tables: [{ table: 'YREG-KALMAR', url: `${base}/OV0104/v1/doris/sv/ssd/AM/YREG`, query: { query: [], response: { format: 'csv' } } }] }))
    expect(readSavedTables(file)).toHaveLength(1)
    writeFileSync(file, JSON.stringify({ tables: [{ table: 'x y', url: base }] }))
    expect(() => readSavedTables(file)).toThrow(/tables\[0\]\.table must be a table id/)
  })

  it('POSTs a v1 query as json-stat2, GETs a v2 URL with outputFormat, imports both, then skips them while unchanged', async () => {
    const query = { query: [{ code: 'Region', selection: { filter: 'item', values: kalmar } }], response: { format: 'csv' } }
    const tables = [{ table: 'YREG-KALMAR', url: `${base}/OV0104/v1/doris/sv/ssd/AM/YREG`, query },
      { table: 'YREG-V2', url: `${base}/api/v2/tables/TAB1/data?lang=sv&valueCodes[Region]=0880` }]
    const first = await fetchSavedTables(db, tables, { dir, fetch: fetchFn })
    expect(first.map((s) => s.status)).toEqual(['imported', 'imported'])
    expect(first[0].import).toMatchObject({ cells: kalmar.length * OCCUPATIONS.length * 4, missing: 1, table: { id: 'YREG-KALMAR' } })
    expect(seen[0]).toMatchObject({ method: 'POST', body: { query: query.query, response: { format: 'json-stat2' } } })
    expect(seen[1].method).toBe('GET')
    expect(new URL(seen[1].url, base).searchParams.get('outputFormat')).toBe('json-stat2')
    expect(new URL(seen[1].url, base).searchParams.get('valueCodes[Region]')).toBe('0880')
    const again = await fetchSavedTables(db, tables, { dir, fetch: fetchFn })
    expect(again.map((s) => s.status)).toEqual(['unchanged', 'unchanged'])
    updated = '2026-06-24T06:00:00Z'
    const changed = await fetchSavedTables(db, tables.slice(0, 1), { dir, fetch: fetchFn })
    expect(changed[0]).toMatchObject({ status: 'imported', import: { replaced: true } })
    const { rows } = await db.query<{ updated: string }>("SELECT updated FROM stat_table WHERE id = 'YREG-KALMAR'")
    expect(rows[0].updated).toBe(updated)
  })

  it('stops on an error answer and keeps what was imported', async () => {
    fail = true
    await expect(fetchSavedTables(db, [{ table: 'YREG-KALMAR', url: `${base}/x`, query: { query: [] } }], { dir, fetch: fetchFn })).rejects.toThrow(/HTTP 500/)
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM stat_cell WHERE table_id = 'YREG-KALMAR'")
    expect(rows[0].n).toBe(kalmar.length * OCCUPATIONS.length * 4)
    fail = false
  })
})

describe('npm run sync with saved table selections', () => {
  it('fetches and imports them as the "statistics" source, retrying a passing server error, and skips them while unchanged', async () => {
    const { runSync } = await import('../../server/sync/run.js')
    const { syncOptions } = await import('../../server/sync/config.js')
    const file = path.join(dir, 'saved.json')
    writeFileSync(file, JSON.stringify({ tables: [{ table: 'YREG-SYNC', url: `${base}/OV0104/v1/doris/sv/ssd/AM/YREG`, query: { query: [] } }] }))
    const options = { ...syncOptions(dir, { SYNC_STATISTICS_FILE: file, SYNC_MAX_RETRIES: '2' }, { only: 'statistics' }), wait: async () => {} }
    fail = true
    setTimeout(() => { fail = false }, 50) // the first answer is a 500; the retry gets the table
    const waitFor = async () => { while (fail) await new Promise((resolve) => setTimeout(resolve, 10)) }
    const report = await runSync(db, { ...options, wait: waitFor })
    expect(report.steps.map((s) => [s.source, s.status])).toEqual([['table YREG-SYNC', 'imported']])
    const again = await runSync(db, options)
    expect(again.steps.map((s) => [s.source, s.status])).toEqual([['table YREG-SYNC', 'unchanged']])
    const none = await runSync(db, { ...options, statisticsFile: path.join(dir, 'absent.json') })
    expect(none.steps).toEqual([])
  })
})
