// One entry to the database: PGlite (+PostGIS, pg_trgm) on disk when DATABASE_URL is unset, node-postgres otherwise.
// Routes and services depend on the driver-agnostic DbHandle; capabilities (ST_AsMVT) are probed, not assumed.
import { mkdirSync } from 'node:fs'
import type { PGlite } from '@electric-sql/pglite'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type { SQL } from 'drizzle-orm'
import type pg from 'pg'
import { MIGRATIONS_DIR } from '../paths.js'
import * as schema from './schema/index.js'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/** A connection inside a transaction: raw parameterised SQL plus bulk loading, the same on both drivers. */
export interface Tx {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>
  /**
   * COPY <table> FROM … with CSV text; pg streams it (COPY FROM STDIN), PGlite reads one Blob per call. `freeze`
   * (PostgreSQL; the table was created in this transaction): the rows are written frozen, so no later reader has to
   * set their hint bits (which dirties every page of a register-scale table once more).
   */
  copyCsv(table: string, columns: string[], chunks: AsyncIterable<string | Uint8Array>, o?: { freeze?: boolean }): Promise<void>
}

/**
 * One session (connection) outside a transaction, ending in a transaction on the same session: an import stages its
 * file into TEMP tables statement by statement, then merges in one short transaction. Outside the transaction each
 * statement stands alone, so on the embedded database (one session for everyone) public reads run between them
 * instead of waiting for the whole import; what is staged is invisible to them (TEMP tables), and a failure before or
 * inside the transaction leaves the database as it was. Sessions run one at a time per handle on the embedded
 * database (they share its TEMP namespace); on PostgreSQL each has its own connection.
 */
export interface Session extends Tx {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
}

export interface DbHandle {
  db: Db
  driver: 'pg' | 'pglite'
  pool?: pg.Pool
  pglite?: PGlite
  /** Raw SQL outside a transaction. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>
  /** Runs fn in one transaction on one connection; rolls back on any error. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  /** Runs fn on one session (see Session); TEMP tables fn creates are dropped when it ends. */
  session<T>(fn: (s: Session) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface OpenOptions {
  /** postgres://… or postgresql://… → node-postgres; otherwise a PGlite data directory or 'memory://' */
  url?: string
  dataDir?: string
  /** per-statement timeout for API queries on PostgreSQL (ms) */
  statementTimeoutMs?: number
  poolSize?: number
  /** PostgreSQL: how long a query may wait for a connection (opening one, or a free one in a full pool) */
  connectTimeoutMs?: number
  migrate?: boolean
  log?: (msg: string) => void
  /** PGlite only: start from a dumpDataDir() snapshot (tests boot in ~4 s instead of ~20 s) */
  loadDataDir?: Blob
}

/** Session settings on every connection. A lower word-similarity threshold (default 0.6) lets name search tolerate
 * one transposed or mistyped letter ("Rimahmn" finds "Rimhamn"); results are ranked by similarity anyway. */
const SESSION_SETTINGS: Record<string, string> = { 'pg_trgm.word_similarity_threshold': '0.35' }

export const isPostgresUrl = (url?: string) => !!url && /^postgres(ql)?:\/\//.test(url)

export async function openDb (opts: OpenOptions = {}): Promise<DbHandle> {
  const handle = isPostgresUrl(opts.url) ? await openPg(opts.url!, opts) : await openPglite(opts)
  if (opts.migrate !== false) {
    opts.log?.('applying migrations')
    await migrate(handle)
  }
  return handle
}

async function migrate (h: DbHandle) {
  if (h.driver === 'pg') {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator')
    // Two processes starting at once (server + CLI) must not both migrate: serialise on an advisory lock.
    const client = await h.pool!.connect()
    try {
      await client.query('SELECT pg_advisory_lock(4242001)')
      const { drizzle } = await import('drizzle-orm/node-postgres')
      await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS_DIR })
    } finally {
      await client.query('SELECT pg_advisory_unlock(4242001)').catch(() => {})
      client.release()
    }
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator')
    await migrate(h.db as never, { migrationsFolder: MIGRATIONS_DIR })
  }
}

async function openPg (url: string, opts: OpenOptions): Promise<DbHandle> {
  const { default: pgmod } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const { from: copyFrom } = await import('pg-copy-streams')
  const { pipeline } = await import('node:stream/promises')
  const { Readable } = await import('node:stream')
  // int8/numeric as numbers (counts fit easily), dates as ISO strings, never JS Dates in local time.
  pgmod.types.setTypeParser(20, (v) => Number(v))
  pgmod.types.setTypeParser(1700, (v) => Number(v))
  pgmod.types.setTypeParser(1082, (v) => v)
  const pool = new pgmod.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // an unreachable host (or a pool that stays full) fails the request with a 503 instead of hanging it
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    options: [...Object.entries(SESSION_SETTINGS).map(([k, v]) => `-c ${k}=${v}`),
      ...(opts.statementTimeoutMs ? [`-c statement_timeout=${opts.statementTimeoutMs}`] : [])].join(' '),
  })
  // An idle connection that dies (server restart, terminated backend) must never crash the process; when the server goes
  // away every idle connection reports it at once: one line per minute is enough (requests log the outage themselves).
  let quietUntil = 0
  pool.on('error', (err) => {
    if (Date.now() < quietUntil) return
    quietUntil = Date.now() + 60_000
    opts.log?.(`idle database connection error: ${err.message}`)
  })
  const db = drizzle({ client: pool, schema }) as unknown as Db
  const wrap = (c: pg.Pool | pg.PoolClient) => async <T>(text: string, params?: unknown[]) => {
    const r = await c.query(text, params as unknown[])
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 }
  }
  const onClient = (client: pg.PoolClient): Tx => ({
    query: wrap(client),
    async copyCsv (table, columns, chunks, o) {
      const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv${o?.freeze ? ', FREEZE' : ''})`
      // (a chunk ahead at most: the rows wait in the producer, not in a queue of up to 16 blocks of megabytes)
      await pipeline(Readable.from(chunks, { highWaterMark: 1 }), client.query(copyFrom(sql)))
    },
  })
  const inTransaction = async <T>(client: pg.PoolClient, fn: (tx: Tx) => Promise<T>): Promise<T> => {
    try {
      await client.query('BEGIN')
      await client.query('SET LOCAL statement_timeout = 0') // imports are long by nature
      const out = await fn(onClient(client))
      await client.query('COMMIT')
      return out
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    }
  }
  return {
    db,
    driver: 'pg',
    pool,
    query: wrap(pool),
    async transaction (fn) {
      const client = await pool.connect()
      try { return await inTransaction(client, fn) } finally { client.release() }
    },
    async session (fn) {
      const client = await pool.connect()
      let clean = false
      try {
        await client.query('SET statement_timeout = 0') // staging a register file is long by nature
        const out = await fn({ ...onClient(client), transaction: (f) => inTransaction(client, f) })
        clean = true
        return out
      } finally {
        // the pooled connection goes back as it came: no TEMP tables, no advisory locks (a new year's pending table,
        // pending-year.ts), the configured timeout (or it is closed)
        const reset = clean
          ? await client.query('DISCARD TEMP').then(() => client.query('SELECT pg_advisory_unlock_all()'))
              .then(() => client.query('RESET statement_timeout')).then(() => true, () => false)
          : false
        client.release(!reset)
      }
    },
    close: () => pool.end(),
  }
}

async function openPglite (opts: OpenOptions): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { postgis } = await import('@electric-sql/pglite-postgis')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { drizzle } = await import('drizzle-orm/pglite')
  const dir = opts.url && opts.url !== 'memory://' ? opts.url : opts.url === 'memory://' ? undefined : opts.dataDir
  if (dir) mkdirSync(dir, { recursive: true })
  const client = await PGlite.create({ dataDir: dir, extensions: { postgis, pg_trgm }, loadDataDir: opts.loadDataDir })
  for (const [k, v] of Object.entries(SESSION_SETTINGS)) await client.exec(`SET ${k} = ${v}`)
  const db = drizzle({ client, schema }) as unknown as Db
  const query = async <T>(c: Pick<PGlite, 'query'>, text: string, params?: unknown[]) => {
    const r = await c.query<T>(text, params as unknown[])
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length }
  }
  // Outside a transaction (a session), each statement first lets the event loop turn: PGlite runs a statement without
  // giving the loop back, so statements that follow one another as promise callbacks would otherwise hold it, and a read
  // (its timer, an HTTP request) would not even be asked for until the last one. After the turn it queues behind them.
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
  const on = (c: Pick<PGlite, 'query'>, blobBytes: number, yieldFirst = false): Tx => ({
    query: async (text, params) => {
      if (yieldFirst) await turn()
      return query(c, text, params)
    },
    async copyCsv (table, columns, chunks) {
      // PGlite has no COPY FROM STDIN: it reads a Blob at /dev/blob. Send bounded blobs, each its own statement.
      const sql = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`
      let parts: Array<string | Uint8Array> = []
      let size = 0
      const flush = async () => {
        if (!parts.length) return
        if (yieldFirst) await turn()
        await c.query(sql, [], { blob: new Blob(parts as BlobPart[]) })
        parts = []
        size = 0
      }
      for await (const chunk of chunks) {
        parts.push(chunk)
        size += chunk.length
        if (size > blobBytes) await flush()
      }
      await flush()
    },
  })
  // sessions share the one PGlite session and its TEMP namespace: one at a time
  let sessions: Promise<unknown> = Promise.resolve()
  return {
    db,
    driver: 'pglite',
    pglite: client,
    query: (text, params) => query(client, text, params),
    transaction: (fn) => client.transaction(async (t) => fn(on(t, 8 << 20))) as Promise<never>,
    session (fn) {
      const run = async () => {
        const temps = async () => (await client.query<{ t: string }>(
          "SELECT c.relname AS t FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'r'")).rows.map((r) => r.t)
        const before = new Set(await temps())
        try {
          // outside the transaction every statement is its own: smaller blobs (256 kB) let reads in between sooner
          return await fn({ ...on(client, 256 << 10, true), transaction: (f) => client.transaction(async (t) => f(on(t, 8 << 20))) as Promise<never> })
        } finally {
          for (const t of await temps()) if (!before.has(t)) await client.query(`DROP TABLE IF EXISTS pg_temp.${t}`).catch(() => {})
        }
      }
      const out = sessions.then(run, run)
      sessions = out.catch(() => {})
      return out
    },
    close: () => client.close(),
  }
}

/** Typed rows from a drizzle `sql` template, the same on both drivers (db.execute() is untyped on the shared base). */
export async function rows<T> (db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows
}
