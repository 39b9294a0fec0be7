// Each test file gets its own copy of a fixture database: a PGlite restored from the snapshot file, or a PostgreSQL
// database cloned from the template. Real PostGIS in both cases, never a mock.
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, inject } from 'vitest'
import { openDb, type DbHandle } from '../../server/db/client.js'
import { build } from '../../server/app.js'
import type { Config } from '../../server/config.js'
import { pgUrl, withDatabase, type Snapshot } from './fixture.js'

export const driverName = () => (inject('snapshots').mode === 'pg' ? 'postgres' : 'pglite')

export async function openTestDb (snapshot: Snapshot = 'demo'): Promise<DbHandle> {
  const s = inject('snapshots')
  if (s.mode === 'pglite') {
    const blob = new Blob([readFileSync(s.files![snapshot])])
    return openDb({ url: 'memory://', loadDataDir: blob })
  }
  const name = `kkb_t_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: pgUrl() })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${s.templates![snapshot]}`)
  await admin.end()
  const db = await openDb({ url: withDatabase(pgUrl(), name), statementTimeoutMs: 30_000 })
  const close = db.close
  db.close = async () => {
    await close()
    const a = new pg.Client({ connectionString: pgUrl() })
    await a.connect()
    await a.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {})
    await a.end()
  }
  return db
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789'

export async function buildTestApp (db: DbHandle, config: Partial<Config> = {}) {
  const limits = { rateLimitPerMinute: 100_000, tileRateLimitPerMinute: 100_000, authFailuresPerHour: 100_000 }
  const app = await build({ db, config: { adminToken: ADMIN_TOKEN, ...limits, ...config } })
  await app.ready()
  return app
}

/** A test file's database and app, opened before its tests and closed after them: `const ctx = useTestApp('demo')`, then
 *  `ctx.app.inject(…)`, `ctx.db.query(…)` inside the tests (the fields are set when beforeAll has run). */
export function useTestApp (snapshot: Snapshot = 'demo', config: Partial<Config> = {}): { db: DbHandle; app: Awaited<ReturnType<typeof buildTestApp>> } {
  const t = {} as { db: DbHandle; app: Awaited<ReturnType<typeof buildTestApp>> }
  beforeAll(async () => { t.db = await openTestDb(snapshot); t.app = await buildTestApp(t.db, config) })
  afterAll(async () => { await t.app?.close(); await t.db?.close() })
  return t
}
