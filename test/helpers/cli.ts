// A sandbox for tests that run the import CLI as a user runs it (a child process): a scratch DATA_DIR, and on
// PostgreSQL a database of its own (created before the file's tests, dropped after), so the child and the test see the
// same data. Call at the top of a test file: it registers its own beforeAll/afterAll.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, inject } from 'vitest'
import { openDb, type DbHandle } from '../../server/db/client.js'
import { pgUrl, withDatabase } from './fixture.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface CliSandbox {
  /** the scratch folder (DATA_DIR is its `data`) */
  readonly dir: string
  /** the child's environment: DATA_DIR, SEED_DEMO=false, DATABASE_URL on PostgreSQL */
  readonly env: NodeJS.ProcessEnv
  /** `npx tsx scripts/import.ts …args`, synchronously */
  cli (args: string[]): SpawnSyncReturns<string>
  /** the sandbox's database, as the CLI opens it */
  openDb (): Promise<DbHandle>
}

async function admin (sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl() })
  await c.connect()
  try { await c.query(sql) } finally { await c.end() }
}

/** `name` names the scratch folder and database; `commandPrefix` goes before every cli() call's arguments. */
export function cliSandbox (name: string, commandPrefix: string[] = []): CliSandbox {
  const dbName = `kkb_${name}_${process.pid}`
  let dir = ''
  let env: NodeJS.ProcessEnv = {}
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), `kkb-${name}-`))
    env = { ...process.env, DATA_DIR: path.join(dir, 'data'), SEED_DEMO: 'false' }
    if (inject('snapshots').mode === 'pg') {
      await admin(`DROP DATABASE IF EXISTS ${dbName}`)
      await admin(`CREATE DATABASE ${dbName}`)
      env.DATABASE_URL = withDatabase(pgUrl(), dbName)
    } else delete env.DATABASE_URL
  })
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    if (env.DATABASE_URL) await admin(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => {})
  })
  return {
    get dir () { return dir },
    get env () { return env },
    cli: (args) => spawnSync('npx', ['tsx', 'scripts/import.ts', ...commandPrefix, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 }),
    openDb: () => openDb({ url: env.DATABASE_URL, dataDir: path.join(env.DATA_DIR!, 'pglite') }),
  }
}
