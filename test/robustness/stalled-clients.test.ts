// Slow and stalled clients over real sockets (both databases): a client that opens an export and stops reading must not
// freeze the service or pin a database connection, and is cut off; an upload that stops arriving is closed; a request
// the server is still working on is not; each client gets a bounded number of concurrent exports; readiness answers
// "busy" in bounded time while the database is held.
import { request } from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { DataChanged, exportActors, type ExportWriter } from '../../server/actors/export.js'
import type { ActorItem } from '../../server/actors/queries.js'
import { bumpDataVersion, currentDataVersion } from '../../server/meta/data-version.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

const EXPORT_STALL_MS = 5000
const IDLE_TIMEOUT_MS = 4000
let db: DbHandle
let app: FastifyInstance
let port: number
/**
 * Ten times the 2025 companies (copies with new organisation numbers): an export far larger than what the socket buffers
 * absorb (~4 MB on Linux loopback), so that a client that stops reading really makes the server wait.
 */
async function enlarge () {
  const { rows } = await db.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns
    WHERE table_name = 'company' AND table_schema = current_schema() AND column_name NOT IN ('id', 'orgnr') ORDER BY ordinal_position`)
  const cols = rows.map((r) => `"${r.c}"`).join(', ')
  await db.query(`INSERT INTO company (orgnr, ${cols}) SELECT orgnr || '-' || g, ${cols} FROM company CROSS JOIN generate_series(1, 9) g WHERE ref_year = 2025`)
}

beforeAll(async () => {
  db = await openTestDb('demo')
  await enlarge()
  app = await buildTestApp(db, { exportStallMs: EXPORT_STALL_MS, idleTimeoutMs: IDLE_TIMEOUT_MS, exportsPerClient: 2, healthTimeoutMs: 500 })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as AddressInfo).port
})
afterAll(async () => { await app?.close(); await db?.close() })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Fails instead of hanging: the bounds are generous, the point is "answers at all while …". */
async function within<T> (ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_r, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms) })
  try { return await Promise.race([p, late]) } finally { clearTimeout(timer) }
}

/** A GET over a real connection, whole body read. */
function get (path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    }).on('error', reject).end()
  })
}

interface Stalled { socket: net.Socket; head: string; closed: Promise<void> }
/** Sends a GET on a raw connection, reads the response head, then stops reading: TCP backpressure reaches the server. */
function stalledGet (path: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const closed = new Promise<void>((r) => socket.once('close', () => r()))
    let head = ''
    socket.on('error', () => {}) // the server cutting us off is the expected end
    socket.on('data', function onData (c: Buffer) {
      head += c.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onData)
      socket.pause()
      resolve({ socket, head: head.slice(0, head.indexOf('\r\n\r\n')), closed })
    })
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`))
    socket.once('error', reject)
  })
}

const openConnections = () => new Promise<number>((resolve, reject) => app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))))

/** Connections checked out of the pool right now (PostgreSQL); PGlite has one, shared by a queue. */
const checkedOut = () => (db.pool ? db.pool.totalCount - db.pool.idleCount : 0)

/** Holds the database the way a long import does: the PGlite connection in a transaction, or every pooled connection. */
async function holdDatabase (): Promise<() => Promise<void>> {
  if (db.pglite) {
    let release!: () => void
    let started!: () => void
    const isStarted = new Promise<void>((r) => { started = r })
    const done = db.transaction(async () => { started(); await new Promise<void>((r) => { release = r }) })
    await isStarted
    return async () => { release(); await done }
  }
  const clients = await Promise.all(Array.from({ length: db.pool!.options.max }, () => db.pool!.connect()))
  return async () => { for (const c of clients) c.release() }
}

describe('a client that stops reading an export', () => {
  it('does not block other requests, holds no database connection while stalled, and is cut off', async () => {
    const s = await stalledGet('/api/actors?format=geojson&status=all')
    expect(s.head).toMatch(/^HTTP\/1\.1 200/)
    expect(s.head).not.toMatch(/content-length/i) // streamed, and (see enlarge) larger than the socket buffers
    await sleep(500) // the server fills the socket buffers and waits for the client
    // Before: the export held the embedded database's only connection (or a pooled one) until the client disconnected.
    const list = await within(15_000, 'actor list during a stalled export', get('/api/actors?limit=5'))
    expect(list.status).toBe(200)
    expect(JSON.parse(list.body).items).toHaveLength(5)
    expect((await within(15_000, 'key figures during a stalled export', get('/api/key-figures?level=lan'))).status).toBe(200)
    // no pooled connection stays checked out (a query of the requests above may still be returning it)
    await within(2000, 'every pooled connection back', (async () => { while (checkedOut() > 0) await sleep(50) })())
    // the server closes the connection (a paused client does not see that until it reads what is buffered)
    await within(30_000, 'the server closes the stalled export', (async () => { while (await openConnections() > 0) await sleep(200) })())
    let rest = ''
    s.socket.on('data', (c: Buffer) => { rest += c.toString('latin1') })
    s.socket.resume()
    await within(15_000, 'the rest of the buffered response', s.closed)
    expect(rest.endsWith('\r\n0\r\n\r\n')).toBe(false) // cut off: the chunked body has no last chunk
    expect((await get('/api/actors?limit=1')).status).toBe(200)
  })

  it('the CSV export of the same client, read to the end, has every row once', async () => {
    const csv = await get('/api/actors?format=csv&status=all&locale=en')
    const ids = csv.body.replace(/^\ufeff/, '').trim().split('\r\n').slice(1).map((l) => Number(l.split(',')[0]))
    const total = JSON.parse((await get('/api/actors/count?status=all')).body).total
    expect(ids.length).toBe(total)
    expect(new Set(ids).size).toBe(total)
  })
})

describe('paged export (actors/export.ts)', () => {
  const collect = (): ExportWriter & { ids: number[] } => {
    const ids: number[] = []
    const page = async (items: ActorItem[]) => { ids.push(...items.map((a) => a.id)); return true }
    return { ids, stream: null as never, begin: async () => {}, end: async () => {}, page }
  }
  const filters = { kind: 'company' as const, year: 2025, definition: 'kreametern-provisional', status: 'all' as const }

  it('pages of 997 give every matching row exactly once, in id order', async () => {
    const w = collect()
    const n = await exportActors(db, filters, 'public', w, { excludeOptedOut: false, dataVersion: await currentDataVersion(db), pageSize: 997 })
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company WHERE ref_year = 2025')
    expect(n).toBe(rows[0].n)
    expect(w.ids).toEqual([...w.ids].sort((a, b) => a - b))
    expect(new Set(w.ids).size).toBe(rows[0].n)
  })

  it('an import committed during the export fails it instead of mixing two versions', async () => {
    const w = collect()
    let pages = 0
    const page = w.page
    w.page = async (items) => { if (++pages === 2) await bumpDataVersion(db); return page(items) }
    await expect(exportActors(db, filters, 'public', w, { excludeOptedOut: false, dataVersion: await currentDataVersion(db), pageSize: 100 }))
      .rejects.toBeInstanceOf(DataChanged)
  })
})

describe('socket timeouts', () => {
  it('an upload that stops arriving is closed after the idle timeout', async () => {
    const socket = net.connect(port, '127.0.0.1')
    socket.on('error', () => {})
    const closed = new Promise<void>((r) => socket.once('close', () => r()))
    socket.write('POST /api/imports?kind=companies&format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n' +
      `Authorization: Bearer ${ADMIN_TOKEN}\r\nContent-Length: 100000\r\n\r\norgnr;namn\n`)
    await within(30_000, 'the stalled upload is closed', closed)
  })

  it('a request the server is still working on is not cut, however long it waits for the database', async () => {
    const release = await holdDatabase()
    const answer = get('/api/actors?limit=1')
    await sleep(IDLE_TIMEOUT_MS * 2)
    await release()
    expect((await within(15_000, 'the waiting request', answer)).status).toBe(200)
  })
})

describe('exports per client', () => {
  it('a third concurrent export from one client is 429 with Retry-After; other requests and later exports go through', async () => {
    // an app whose stalled exports are not cut off during the test
    const patient = await buildTestApp(db, { exportStallMs: 600_000, idleTimeoutMs: 600_000, exportsPerClient: 2 })
    await patient.listen({ port: 0, host: '127.0.0.1' })
    const portBefore = port
    port = (patient.server.address() as AddressInfo).port
    try {
      const a = await stalledGet('/api/actors?format=geojson&status=all')
      const b = await stalledGet('/api/actors?format=geojson&status=all&locale=en')
      await sleep(300)
      for (const url of ['/api/actors?format=xlsx', '/api/key-figures?level=lan&format=csv']) {
        const r = await get(url)
        expect(r.status, url).toBe(429)
        expect(Number(r.headers['retry-after']), url).toBeGreaterThan(0)
        expect(JSON.parse(r.body).error.code).toBe('TOO_MANY_EXPORTS')
      }
      expect((await get('/api/actors?limit=1')).status).toBe(200)
      a.socket.destroy()
      await a.closed
      await sleep(300)
      expect((await get('/api/key-figures?level=lan&format=csv')).status).toBe(200)
      b.socket.destroy()
    } finally {
      port = portBefore
      await patient.close()
    }
  })
})

describe('readiness', () => {
  it('/api/health answers 503 busy in bounded time while the database is held; liveness stays 200', async () => {
    const release = await holdDatabase()
    try {
      const r = await within(10_000, 'readiness with the database held', get('/api/health'))
      expect(r.status).toBe(503)
      expect(JSON.parse(r.body).status).toBe('busy')
      expect(r.headers['retry-after']).toBeDefined()
      expect((await within(5000, 'liveness', get('/api/health/live'))).status).toBe(200)
    } finally {
      await release()
    }
    expect((await get('/api/health')).status).toBe(200)
  })
})
