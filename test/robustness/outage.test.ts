// A database outage is a 503 with Retry-After and one log line (not a 500 and a stack trace per request), and the server
// recovers without a restart. PostgreSQL: the app talks to the database through a TCP proxy that the test shuts and
// reopens; the embedded database: the handle is closed (it cannot come back, so only the 503 side is checked).
import net, { type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import pino from 'pino'
import type { FastifyInstance } from 'fastify'
import { openDb, type DbHandle } from '../../server/db/client.js'
import { build } from '../../server/app.js'
import { ADMIN_TOKEN, openTestDb } from '../helpers/db.js'

const isPg = inject('snapshots').mode === 'pg'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A TCP proxy to PostgreSQL that can be shut (every connection cut, new ones refused) and reopened on the same port. */
class Proxy {
  private server?: net.Server
  private sockets = new Set<net.Socket>()
  port = 0
  constructor (private target: { host: string; port: number }) {}
  async open (): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host)
      for (const s of [client, upstream]) { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); s.on('error', () => {}) }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.server!.address() as AddressInfo).port
  }

  async shut (): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
  }
}

const lines: string[] = []
const logger = pino({ level: 'info' }, { write: (s: string) => { lines.push(s) } })
const logged = (re: RegExp) => lines.filter((l) => re.test(l)).length

let db: DbHandle
let appDb: DbHandle
let app: FastifyInstance
let proxy: Proxy | undefined
beforeAll(async () => {
  db = await openTestDb('base')
  if (isPg) {
    const url = new URL(process.env.DATABASE_URL || process.env.TEST_PG_URL || '')
    proxy = new Proxy({ host: url.hostname, port: Number(url.port || 5432) })
    await proxy.open()
    const name = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d
    url.host = `127.0.0.1:${proxy.port}`
    url.pathname = `/${name}`
    appDb = await openDb({ url: url.toString(), migrate: false, connectTimeoutMs: 2000 })
  } else {
    appDb = db
  }
  app = await build({ db: appDb, logger, config: { adminToken: ADMIN_TOKEN, rateLimitPerMinute: 100_000 } })
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  if (appDb !== db) await appDb?.close().catch(() => {})
  await db?.close().catch(() => {})
  await proxy?.shut().catch(() => {})
})

describe('database outage', () => {
  it('503 with Retry-After and one log line while the database is unreachable; recovery without a restart (PostgreSQL)', async () => {
    expect((await app.inject('/api/sni?limit=1')).statusCode).toBe(200)
    if (proxy) await proxy.shut()
    else await appDb.close()
    for (let i = 0; i < 8; i++) {
      for (const url of ['/api/sni?limit=1', '/api/actors?limit=1', '/api/key-figures?level=lan']) {
        const r = await app.inject(url)
        expect(r.statusCode, url).toBe(503)
        expect(Number(r.headers['retry-after']), url).toBeGreaterThan(0)
        expect(r.json().error.code, url).toBe('DATABASE_UNAVAILABLE')
      }
    }
    const health = await app.inject('/api/health')
    expect(health.statusCode).toBe(503)
    expect(health.json().status).toBe('unavailable')
    expect(logged(/database unreachable/)).toBe(1)
    expect(logged(/request failed/)).toBe(0) // no stack trace per request
    if (!proxy) return // a closed embedded database does not come back
    await proxy.open()
    let status = 0
    for (let i = 0; i < 60 && status !== 200; i++) {
      status = (await app.inject('/api/sni?limit=1')).statusCode
      if (status !== 200) await sleep(500)
    }
    expect(status).toBe(200)
    for (let i = 0; i < 40 && !logged(/database reachable again/); i++) await sleep(250)
    expect(logged(/database reachable again/)).toBe(1)
    expect(logged(/database unreachable/)).toBe(1)
  })
})
