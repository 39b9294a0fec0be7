// Large imports in bounded memory, with the project generator's files (server/demo/generate.ts, project CSV format).
// Always: a ~20 MB companies file (≈ 146 k rows). Optional: a ~100 MB file (≈ 700 k companies), only with
//   KKB_BIG_FILE_TEST=1 npx vitest run test/robustness/big-file.test.ts
// (CI sets nothing; the big run takes several minutes on a 2-core machine).
// Memory: process.memoryUsage().rss of the test process is sampled every 100 ms during the import. On PostgreSQL the
// database is another process, so the whole test process must stay under 500 MB. The embedded PGlite database (with
// PostGIS) lives in this process and is ~0.9 GB resident as soon as it is open (a WASM heap never shrinks), so there
// the bound is on the growth during the import: peak − RSS before the import < 500 MB.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openDb, type DbHandle } from '../../server/db/client.js'
import { generateRegister, DEFAULT_OPTIONS } from '../../server/demo/generate.js'
import { runImport } from '../../server/ingest/run-import.js'
import { openTestDb } from '../helpers/db.js'

const BIG = process.env.KKB_BIG_FILE_TEST === '1'
const LIMIT = 500 * 1024 * 1024
let db: DbHandle
let dir: string
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-big-'))
  const s = inject('snapshots')
  // embedded: an on-disk data directory as the server uses (an in-memory PGlite would hold every imported row in this
  // process too), started from the same base snapshot; PostgreSQL: the usual cloned database
  db = s.mode === 'pglite'
    ? await openDb({ url: path.join(dir, 'pglite'), loadDataDir: new Blob([readFileSync(s.files!.base)]) })
    : await openTestDb('base')
})
afterAll(async () => {
  await db?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function importGenerated (companies: number, minBytes: number, maxBytes: number, source: string) {
  const outDir = path.join(dir, source)
  const gen = await generateRegister({ ...DEFAULT_OPTIONS, companiesPerYear: companies, seed: 99, educationProviders: 0, outDir, formats: ['csv'] })
  const file = gen.files.companies['2025']
  const size = statSync(file).size
  expect(size, `${file}: ${(size / 1e6).toFixed(1)} MB`).toBeGreaterThanOrEqual(minBytes)
  expect(size).toBeLessThanOrEqual(maxBytes)
  const rows = gen.counts.years['2025'].companies
  global.gc?.()
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 100)
  const t0 = Date.now()
  try {
    const r = await runImport(db, { kind: 'companies', format: 'csv', filePath: file, year: 2025, source, reportDir: path.join(dir, 'reports') })
    expect(r.counts).toMatchObject({ read: rows, imported: rows, rejected: 0 })
  } finally {
    clearInterval(timer)
  }
  peak = Math.max(peak, process.memoryUsage().rss)
  const stored = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company WHERE source = $1', [source])).rows[0].n
  expect(stored).toBe(rows)
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`
  process.stdout.write(`${source}: ${(size / 1e6).toFixed(1)} MB, ${rows} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s (${db.driver}); ` +
    `RSS before ${mb(before)}, peak ${mb(peak)}, growth ${mb(peak - before)}\n`)
  if (db.driver === 'pg') expect(peak, `peak RSS ${mb(peak)}`).toBeLessThan(LIMIT)
  else expect(peak - before, `RSS growth ${mb(peak - before)} (peak ${mb(peak)})`).toBeLessThan(LIMIT)
  rmSync(outDir, { recursive: true, force: true })
}

describe('large files in bounded memory', () => {
  it('imports a ~20 MB generated companies file (project CSV), every row kept, RSS bounded', async () => {
    await importGenerated(146_000, 20e6, 30e6, 'big-20mb')
  }, 600_000)

  it.skipIf(!BIG)('imports a ~100 MB generated companies file (KKB_BIG_FILE_TEST=1)', async () => {
    await importGenerated(700_000, 85e6, 120e6, 'big-100mb')
  }, 3_600_000)
})
