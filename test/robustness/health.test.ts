// Health: readiness (database reachable, PostGIS, data version), liveness without the database, and 503 when the
// database handle is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { buildTestApp, driverName, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
beforeAll(async () => { db = await openTestDb('base'); app = await buildTestApp(db) })
afterAll(async () => { await app?.close(); await db?.close().catch(() => {}) })

describe('health', () => {
  it('/api/health reports the driver, PostGIS and the data version; /api/health/ready redirects to it', async () => {
    const r = await app.inject('/api/health')
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body).toMatchObject({ status: 'ok', database: driverName() })
    expect(body.postgis).toMatch(/^3\.\d+/)
    expect(Number.isInteger(body.dataVersion)).toBe(true)
    expect(Array.isArray(body.years)).toBe(true)
    const ready = await app.inject('/api/health/ready')
    expect(ready.statusCode).toBe(307)
    expect(ready.headers.location).toBe('/api/health')
  })

  it('/api/health/live answers without the database', async () => {
    const r = await app.inject('/api/health/live')
    expect(r.statusCode).toBe(200)
    expect(r.json()).toEqual({ status: 'ok' })
  })

  it('with the database closed: /api/health is 503 {status: unavailable}, /api/health/live still 200', async () => {
    await db.close()
    const r = await app.inject('/api/health')
    expect(r.statusCode).toBe(503)
    expect(r.json()).toMatchObject({ status: 'unavailable', database: driverName() })
    expect(typeof r.json().error).toBe('string')
    expect((await app.inject('/api/health/live')).statusCode).toBe(200)
    // other routes fail cleanly too (5xx with the error shape, no hang)
    const a = await app.inject('/api/sni?limit=1')
    expect(a.statusCode).toBeGreaterThanOrEqual(500)
    expect(a.json().error.code).toBeTypeOf('string')
  })
})
