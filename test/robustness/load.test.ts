// Load against a real listening server (in this process, on the fixture database) with autocannon, 50 connections:
// key figures, actor list, name search and the actor tile (when the route exists). Zero errors, timeouts and non-2xx;
// and memory stays flat when the same load runs three times (heapUsed after a forced GC).
// scripts/load-test.ts holds the load code; run it with --duration 30 against a server for real figures.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'
import { formatResult, runLoad, TILE_PATH, type Endpoint } from '../../scripts/load-test.js'

const SECONDS = Number(process.env.LOAD_TEST_SECONDS ?? 3)
const CONNECTIONS = 50

/** A real GC: global.gc when node runs with --expose-gc, else the same function obtained at run time. */
function getGc (): (() => void) | null {
  if (typeof global.gc === 'function') return global.gc
  try {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  } catch {
    return null
  }
}

let db: DbHandle
let app: FastifyInstance
let base: string
let endpoints: Endpoint[]
beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db, { rateLimitPerMinute: 1_000_000 }) // the load comes from one address: stay clear of the limit
  base = await app.listen({ port: 0, host: '127.0.0.1' })
  const { rows } = await db.query<{ name: string }>("SELECT name FROM company WHERE ref_year = 2025 AND name ~ '^[A-ZÅÄÖ][a-zåäö]{3,}' ORDER BY id LIMIT 1")
  endpoints = [
    { name: 'key figures', path: '/api/key-figures?level=kommun&branch=category' },
    { name: 'actor list', path: '/api/actors?kkb=true&limit=100' },
    { name: 'name search', path: `/api/actors?q=${encodeURIComponent(rows[0].name.split(' ')[0])}&limit=20` },
  ]
  if (app.hasRoute({ method: 'GET', url: '/api/tiles/actors/:z/:x/:y.mvt' })) endpoints.push({ name: 'actor tile z6', path: TILE_PATH })
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('load', () => {
  it(`${CONNECTIONS} connections, ${SECONDS} s per endpoint: no errors, no timeouts, only 2xx`, async () => {
    for (const ep of endpoints) expect((await fetch(base + ep.path)).status, ep.path).toBeLessThan(300)
    const results = await runLoad(base, endpoints, { duration: SECONDS, connections: CONNECTIONS, timeout: 30 },
      (r) => process.stdout.write(`${db.driver} ${formatResult(r)}\n`))
    for (const r of results) {
      expect(r.requests, r.name).toBeGreaterThan(CONNECTIONS)
      expect({ name: r.name, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx }).toEqual({ name: r.name, errors: 0, timeouts: 0, non2xx: 0 })
    }
  }, 120_000)

  it('memory stays flat over three identical runs (heapUsed after a forced GC)', async () => {
    const gc = getGc()
    const measure = () => {
      if (gc) { gc(); gc() }
      return gc ? process.memoryUsage().heapUsed : process.memoryUsage().rss
    }
    const after: number[] = []
    for (let run = 0; run < 3; run++) {
      const results = await runLoad(base, endpoints, { duration: Math.max(1, Math.round(SECONDS / 2)), connections: CONNECTIONS, timeout: 30 })
      for (const r of results) expect(r.errors + r.timeouts + r.non2xx, r.name).toBe(0)
      await new Promise((resolve) => setTimeout(resolve, 200)) // let closed sockets be released
      after.push(measure())
    }
    const mb = after.map((b) => (b / 1048576).toFixed(1))
    process.stdout.write(`${gc ? 'heapUsed after GC' : 'RSS (no GC available)'} after runs 1..3: ${mb.join(', ')} MB\n`)
    // run 1 warms the caches (tiles, filters, key-figure inputs); later identical runs must not keep growing.
    // With a real GC, heapUsed may grow by at most 16 MB; without one only RSS is available, with a generous 150 MB.
    const slack = (gc ? 16 : 150) * 1048576
    expect(after[2] - after[0]).toBeLessThan(slack)
    expect(after[2] - after[1]).toBeLessThan(slack)
  }, 120_000)
})
