// Limits: page-size caps, body and upload size (refused by Content-Length before storing), leftover uploads swept at
// start, cancelling a running import, rate limiting of the public role, security headers, CORS, and the
// statement timeout (PostgreSQL) with its mapping to 503 QUERY_TIMEOUT.
import { mkdirSync, mkdtempSync, readdirSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { openDb, type DbHandle } from '../../server/db/client.js'
import { build } from '../../server/app.js'
import { createToken } from '../../server/auth/tokens.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { pgUrl, withDatabase } from '../helpers/fixture.js'
import { bearer, expectErrorShape, listRoutes } from './helpers.js'

const isPg = inject('snapshots').mode === 'pg'
let db: DbHandle
let app: FastifyInstance
let promoter: string
let dataDir: string
// Segments belong to an organisation: the admin token has none (403), so their routes are asked by a promoter of one.
let orgPromoter: Record<string, string>
let segmentId: number
beforeAll(async () => {
  db = await openTestDb('demo')
  dataDir = mkdtempSync(path.join(tmpdir(), 'kkb-limits-'))
  app = await buildTestApp(db, { dataDir })
  promoter = (await createToken(db, 'limits promoter', 'promoter')).token
  orgPromoter = bearer((await createToken(db, 'limits org promoter', 'promoter', { organisation: 'Limits' })).token)
  segmentId = (await app.inject({ method: 'POST', url: '/api/segments', headers: orgPromoter, payload: { name: 'limits', filters: { kind: 'company' } } })).json().id
})
afterAll(async () => { await app?.close(); await db?.close(); if (dataDir) rmSync(dataDir, { recursive: true, force: true }) })

const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n

describe('page size', () => {
  it('every route with a limit parameter rejects maximum + 1 with 400 and accepts the maximum', async () => {
    const withLimit = listRoutes(app).filter((r) => r.method === 'GET' && r.params.some((p) => p.in === 'query' && p.name === 'limit'))
    expect(withLimit.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/actors', '/api/imports', '/api/exports', '/api/sni']))
    for (const r of withLimit) {
      const max = r.params.find((p) => p.name === 'limit')!.schema.maximum as number
      expect(max, r.url).toBeLessThanOrEqual(5000)
      const segments = r.url.startsWith('/api/segments')
      const url = r.url.replace(/:\w+/g, segments ? String(segmentId) : '1')
      const headers = segments ? orgPromoter : bearer(ADMIN_TOKEN)
      const over = await app.inject({ url: `${url}?limit=${max + 1}`, headers })
      expect(over.statusCode, `${url} limit=${max + 1}`).toBe(400)
      expectErrorShape(over, url)
      expect(over.json().error.code).toBe('VALIDATION_ERROR')
      for (const bad of ['0', '-1', '1e9', 'abc']) expect((await app.inject({ url: `${url}?limit=${bad}`, headers })).statusCode, bad).toBe(400)
      expect((await app.inject({ url: `${url}?limit=${max}`, headers })).statusCode, `${url} limit=${max}`).toBeLessThan(400)
    }
    expect((await app.inject('/api/actors?limit=1001')).statusCode).toBe(400)
  })
})

describe('body and upload size', () => {
  it('a JSON body over 1 MB is a 413 with the error shape on every JSON POST route, with or without a token', async () => {
    const jsonPosts = listRoutes(app).filter((r) => r.method === 'POST' && r.url !== '/api/imports')
    expect(jsonPosts.map((r) => r.url)).toContain('/api/tokens')
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024), role: 'promoter' })
    for (const r of jsonPosts) {
      for (const headers of [bearer(ADMIN_TOKEN), {}]) {
        const res = await app.inject({ method: 'POST', url: r.url, payload: big, headers: { ...headers, 'content-type': 'application/json' } })
        expect(res.statusCode, r.url).toBe(413)
        expectErrorShape(res, r.url)
      }
    }
  })

  it('an upload over maxUploadBytes is a 413 (raw, JSON-typed and multipart) and imports nothing', async () => {
    const small = await buildTestApp(db, { dataDir, maxUploadBytes: 1024 })
    try {
      const before = [await count('company'), await count('import_batch'), await count('import_error')]
      const csv = 'orgnr;name\n' + Array.from({ length: 200 }, (_, i) => `55603607${String(i).padStart(2, '0')};Firma ${i} AB`).join('\n') + '\n'
      expect(csv.length).toBeGreaterThan(4096)
      const url = '/api/imports?kind=companies&format=csv&year=2031'
      const boundary = 'kkbboundary'
      const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`
      for (const [type, payload] of [['text/csv', csv], ['application/octet-stream', csv], ['application/json', JSON.stringify([{ csv }])],
        [`multipart/form-data; boundary=${boundary}`, multipart]]) {
        const res = await small.inject({ method: 'POST', url, payload, headers: { ...bearer(ADMIN_TOKEN), 'content-type': type } })
        expect(res.statusCode, `${type} → ${res.body}`).toBe(413)
        expectErrorShape(res, type)
      }
      // repeated: a failed upload once left its temporary file behind (the file was still being opened when removed)
      for (let i = 0; i < 20; i++) {
        expect((await small.inject({ method: 'POST', url, payload: csv, headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'text/csv' } })).statusCode).toBe(413)
      }
      expect([await count('company'), await count('import_batch'), await count('import_error')]).toEqual(before)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const uploads = path.join(dataDir, 'uploads')
      expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([]) // temporary files removed
      // just under the limit goes through to the importer
      const ok = await small.inject({ method: 'POST', url, payload: 'orgnr;name\n', headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'text/csv' } })
      expect(ok.statusCode, ok.body).toBe(201)
    } finally {
      await small.close()
    }
  })
})

describe('uploads: refused before storing, removed after a crash, cancellable', () => {
  it('an upload whose Content-Length is over the limit is refused at once, before a byte is stored', async () => {
    const small = await buildTestApp(db, { dataDir, maxUploadBytes: 1024 * 1024 })
    const port = 3430 + (process.pid % 10)
    await small.listen({ port, host: '127.0.0.1' })
    try {
      // 10 GB announced, 1 KB sent: the old code waited for the rest of the body (storing what came) before any answer
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/api/imports?kind=companies&format=csv',
          headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'text/csv', 'content-length': String(10 * 1024 ** 3) } }, (r) => {
          let body = ''
          r.on('data', (d: Buffer) => { body += d.toString() })
          r.on('end', () => resolve({ status: r.statusCode!, body }))
        })
        req.on('error', reject)
        req.write('orgnr;name\n' + 'x'.repeat(1024))
        setTimeout(() => reject(new Error('no answer while the announced body was still being sent')), 10_000)
      })
      expect(res.status).toBe(413)
      expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE')
      const uploads = path.join(dataDir, 'uploads')
      expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([])
    } finally {
      await small.close()
    }
  })

  it('uploads left behind by a crashed server are removed when the server starts', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'kkb-leftover-'))
    try {
      const uploads = path.join(own, 'uploads')
      mkdirSync(uploads, { recursive: true })
      writeFileSync(path.join(uploads, 'a1b2c3-register.csv'), '19121212-1212;Tolvan Tolvansson\n') // an older name, no pid
      writeFileSync(path.join(uploads, '999999-d4e5f6-register.csv'), 'x\n') // a process that no longer exists
      const started = await buildTestApp(db, { dataDir: own })
      await started.close()
      expect(readdirSync(uploads)).toEqual([])
    } finally {
      rmSync(own, { recursive: true, force: true })
    }
  })

  it('an admin cancels a running import: it rolls back and the import log says cancelled', async () => {
    const orgnr = (i: number) => { const p = `559${String(i).padStart(6, '0')}`; return p + luhnCheckDigit(p) }
    const csv = 'orgnr;name;sni1;kommun\n' + Array.from({ length: 300_000 }, (_, i) => `${orgnr(i)};Avbruten ${i} AB;90010;0180`).join('\n') + '\n'
    const before = await count('company')
    const pending = app.inject({ method: 'POST', url: '/api/imports?kind=companies&format=csv&year=2032&fileName=stor.csv', payload: csv,
      headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'text/csv' } })
    let id = 0
    for (let i = 0; i < 2000 && !id; i++) {
      const running = (await app.inject({ url: '/api/imports/running', headers: bearer(ADMIN_TOKEN) })).json() as Array<{ id: number; fileName: string }>
      id = running.find((r) => r.fileName === 'stor.csv')?.id ?? 0
      if (!id) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(id).toBeGreaterThan(0)
    const cancel = await app.inject({ method: 'POST', url: `/api/imports/${id}/cancel`, headers: bearer(ADMIN_TOKEN) })
    expect(cancel.statusCode, cancel.body).toBe(202)
    const res = await pending
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json().error.code).toBe('IMPORT_CANCELLED')
    expect(await count('company')).toBe(before)
    const log = (await app.inject({ url: '/api/imports?limit=5', headers: bearer(ADMIN_TOKEN) })).json() as Array<{ fileName: string; status: string; message: string }>
    expect(log.find((l) => l.fileName === 'stor.csv')).toMatchObject({ status: 'cancelled', message: 'cancelled: cancelled by admin (ADMIN_TOKEN)' })
    expect((await app.inject({ method: 'POST', url: `/api/imports/${id}/cancel`, headers: bearer(ADMIN_TOKEN) })).statusCode).toBe(404)
    expect((await app.inject({ method: 'POST', url: `/api/imports/${id}/cancel`, headers: bearer(promoter) })).statusCode).toBe(403)
    expect(readdirSync(path.join(dataDir, 'uploads'))).toEqual([])
  }, 300_000)
})

describe('rate limiting', () => {
  it('limits the public role (6th request → 429 with the error shape) but not a promoter token, nor tiles', async () => {
    const limited = await buildTestApp(db, { dataDir, rateLimitPerMinute: 5 })
    try {
      for (let i = 0; i < 5; i++) expect((await limited.inject('/api/health/live')).statusCode).toBe(200)
      const sixth = await limited.inject('/api/health/live')
      expect(sixth.statusCode).toBe(429)
      expectErrorShape(sixth, '429')
      expect(sixth.json().error.code).toBe('RATE_LIMITED')
      expect(sixth.headers['retry-after']).toBeDefined()
      expect((await limited.inject('/api/sni?limit=1')).statusCode).toBe(429) // per client, not per route
      for (let i = 0; i < 12; i++) expect((await limited.inject({ url: '/api/health/live', headers: bearer(promoter) })).statusCode).toBe(200)
      for (let i = 0; i < 8; i++) expect((await limited.inject({ url: '/api/tiles/regions/0/0/0.mvt' })).statusCode).toBeLessThan(300)
      // a different client address has its own budget
      expect((await limited.inject({ url: '/api/health/live', remoteAddress: '10.1.2.3' })).statusCode).toBe(200)
    } finally {
      await limited.close()
    }
  })
})

describe('security headers and CORS', () => {
  it('sends helmet headers on API, error and docs responses', async () => {
    for (const url of ['/api/health/live', '/api/actors?limit=1', '/no/such/route', '/api/tokens', '/api/openapi.json']) {
      const h = (await app.inject(url)).headers
      expect(h['x-content-type-options'], url).toBe('nosniff')
      expect(h['content-security-policy'], url).toContain("default-src 'self'")
      expect(h['content-security-policy'], url).toContain("script-src 'self'")
      expect(h['content-security-policy'], url).toContain("object-src 'none'")
      expect(h['content-security-policy'], url).toContain("frame-ancestors 'self'")
      expect(h['x-frame-options'], url).toBe('SAMEORIGIN')
      expect(h['strict-transport-security'], url).toMatch(/max-age=\d+/)
      expect(h['referrer-policy'], url).toBe('no-referrer')
      expect(h['cross-origin-opener-policy'], url).toBe('same-origin')
      expect(h['x-powered-by'], url).toBeUndefined()
    }
  })

  it('gives no access-control-allow-origin to a foreign origin by default, and only the configured origin otherwise', async () => {
    const evil = { origin: 'https://evil.example' }
    const get = await app.inject({ url: '/api/actors?limit=1', headers: evil })
    expect(get.statusCode).toBe(200)
    expect(get.headers['access-control-allow-origin']).toBeUndefined()
    const pre = await app.inject({ method: 'OPTIONS', url: '/api/tokens', headers: { ...evil, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } })
    expect(pre.headers['access-control-allow-origin']).toBeUndefined()
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined()
    const open = await buildTestApp(db, { dataDir, corsOrigin: 'https://atlas.example' })
    try {
      const ok = await open.inject({ url: '/api/actors?limit=1', headers: { origin: 'https://atlas.example' } })
      expect(ok.headers['access-control-allow-origin']).toBe('https://atlas.example')
      const foreign = await open.inject({ url: '/api/actors?limit=1', headers: evil })
      expect(foreign.headers['access-control-allow-origin']).not.toBe('https://evil.example')
      expect(foreign.headers['access-control-allow-origin']).not.toBe('*')
    } finally {
      await open.close()
    }
  })
})

describe('statement timeout', () => {
  it('maps a cancelled query (SQLSTATE 57014) to 503 QUERY_TIMEOUT with the error shape (both drivers)', async () => {
    // a route registered on a built (not yet ready) app, under the same error handler as every API route
    const t = await build({ db, config: { adminToken: ADMIN_TOKEN, dataDir } })
    t.get('/test/slow', async () => { throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) })
    await t.ready()
    try {
      const res = await t.inject('/test/slow')
      expect(res.statusCode).toBe(503)
      expectErrorShape(res, '57014')
      expect(res.json().error.code).toBe('QUERY_TIMEOUT')
      expect(res.body).not.toContain('canceling statement') // internals stay in the log
    } finally {
      await t.close()
    }
  })

  it.skipIf(!isPg)('PostgreSQL: the pool cancels a slow query (57014), and a real route blocked past the timeout answers 503 QUERY_TIMEOUT', async () => {
    const short = await openDb({ url: pgUrl(), statementTimeoutMs: 100, migrate: false })
    try {
      await expect(short.query('SELECT pg_sleep(1)')).rejects.toMatchObject({ code: '57014' })
      expect((await short.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1) // the pool survives
    } finally {
      await short.close()
    }
    // A real route made slow: a copy of the demo database opened with a 200 ms statement timeout, and another session
    // holding an ACCESS EXCLUSIVE lock on company, so /api/actors/count waits on the lock until statement_timeout fires.
    const name = `kkb_t_slow_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: pgUrl() })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('snapshots').templates!.demo}`)
    const slowDb = await openDb({ url: withDatabase(pgUrl(), name), statementTimeoutMs: 200, migrate: false })
    const locker = new pg.Client({ connectionString: withDatabase(pgUrl(), name) })
    await locker.connect()
    const slowApp = await buildTestApp(slowDb, { dataDir })
    try {
      expect((await slowApp.inject('/api/actors/count?year=2025')).statusCode).toBe(200)
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE company IN ACCESS EXCLUSIVE MODE')
      const t0 = Date.now()
      const res = await slowApp.inject('/api/actors/count?year=2025&kommun=0180')
      expect(res.statusCode, res.body).toBe(503)
      expectErrorShape(res, 'blocked route')
      expect(res.json().error.code).toBe('QUERY_TIMEOUT')
      expect(Date.now() - t0).toBeLessThan(5000)
      await locker.query('ROLLBACK')
      expect((await slowApp.inject('/api/actors/count?year=2025&kommun=0180')).statusCode).toBe(200)
    } finally {
      await slowApp.close()
      await locker.end().catch(() => {})
      await slowDb.close()
      await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {})
      await admin.end()
    }
  })
})
