// Builds the test fixture database once (reference data, definitions, a small synthetic register imported through the
// real import path) and snapshots it: PGlite → dumpDataDir() file; PostgreSQL → a template database.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openDb, type DbHandle } from '../../server/db/client.js'
import { seedReference } from '../../server/reference/seed-reference.js'
import { seedDefinitions } from '../../server/definitions/load.js'
import { generateRegister, DEFAULT_OPTIONS } from '../../server/demo/generate.js'
import { runImport } from '../../server/ingest/run-import.js'

export const FIXTURE_COMPANIES = 3000
export const FIXTURE_YEARS: [number, number] = [2024, 2025]
export type Snapshot = 'base' | 'demo'

/** The PostgreSQL server for the pg run: DATABASE_URL (CI) or TEST_PG_URL. */
export const pgUrl = () => process.env.DATABASE_URL || process.env.TEST_PG_URL || ''
export const withDatabase = (url: string, db: string) => { const u = new URL(url); u.pathname = `/${db}`; return u.toString() }

export async function importFixtureRegister (db: DbHandle, workDir: string): Promise<void> {
  const gen = await generateRegister({ ...DEFAULT_OPTIONS, companiesPerYear: FIXTURE_COMPANIES, years: FIXTURE_YEARS, seed: 7,
    educationProviders: 60, outDir: path.join(workDir, 'gen'), formats: ['csv'] })
  const reportDir = path.join(workDir, 'reports')
  for (const [year, file] of Object.entries(gen.files.companies)) {
    await runImport(db, { kind: 'companies', format: 'csv', filePath: file, year: Number(year), source: 'demo', synthetic: true, reportDir })
  }
  for (const [year, file] of Object.entries(gen.files.workplaces)) {
    await runImport(db, { kind: 'workplaces', format: 'csv', filePath: file, year: Number(year), source: 'demo', synthetic: true, reportDir })
  }
  if (gen.files.education) {
    await runImport(db, { kind: 'education', format: 'csv', filePath: gen.files.education, year: FIXTURE_YEARS[1], source: 'demo', synthetic: true, reportDir })
  }
}

export interface Snapshots { mode: 'pglite' | 'pg'; files?: Record<Snapshot, string>; templates?: Record<Snapshot, string>; dir: string }

export async function buildSnapshots (): Promise<Snapshots> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kkb-test-'))
  const url = pgUrl()
  if (url) {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    // per-run names: two test runs against one server (CI and a developer, or parallel jobs) must not collide
    const templates = { base: `kkb_test_base_${process.pid}`, demo: `kkb_test_demo_${process.pid}` } as Record<Snapshot, string>
    for (const [kind, name] of Object.entries(templates)) {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`)
      await admin.query(`CREATE DATABASE ${name}`)
      const db = await openDb({ url: withDatabase(url, name) })
      await seedReference(db)
      await seedDefinitions(db)
      if (kind === 'demo') await importFixtureRegister(db, dir)
      await db.close()
    }
    await admin.end()
    return { mode: 'pg', templates, dir }
  }
  const db = await openDb({ url: 'memory://' })
  await seedReference(db)
  await seedDefinitions(db)
  const files = {} as Record<Snapshot, string>
  files.base = path.join(dir, 'base.tar.gz')
  writeFileSync(files.base, Buffer.from(await (await db.pglite!.dumpDataDir('gzip')).arrayBuffer()))
  await importFixtureRegister(db, dir)
  files.demo = path.join(dir, 'demo.tar.gz')
  writeFileSync(files.demo, Buffer.from(await (await db.pglite!.dumpDataDir('gzip')).arrayBuffer()))
  await db.close()
  return { mode: 'pglite', files, dir }
}

export async function dropSnapshots (s: Snapshots): Promise<void> {
  rmSync(s.dir, { recursive: true, force: true })
  if (s.mode === 'pg') {
    const admin = new pg.Client({ connectionString: pgUrl() })
    await admin.connect()
    for (const name of Object.values(s.templates!)) await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {})
    await admin.end()
  }
}

export { mkdirSync }
