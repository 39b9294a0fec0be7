// The role matrix over every route (enumerated from the router, not hand-listed): no token, promoter, admin.
// Plus: revoked tokens, tokens stored only as hashes, ADMIN_TOKEN comparison behaviour, and no token in the logs.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { build } from '../../server/app.js'
import { createToken, revokeToken, safeEqual } from '../../server/auth/tokens.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { SIGNED_IN, adminOnly, bearer, curatorOnly, concretePath, expectErrorShape, listRoutes, type RouteInfo } from './helpers.js'

let db: DbHandle
let app: FastifyInstance
let promoter: string
let dataDir: string
beforeAll(async () => {
  db = await openTestDb('base')
  dataDir = mkdtempSync(path.join(tmpdir(), 'kkb-auth-'))
  app = await buildTestApp(db, { dataDir })
  // of an organisation: segments and notes are held per organisation
  promoter = (await createToken(db, 'matrix promoter', 'promoter', { organisation: 'Matrix' })).token
})
afterAll(async () => { await app?.close(); await db?.close(); if (dataDir) rmSync(dataDir, { recursive: true, force: true }) })

/** A minimal valid value for an OpenAPI/TypeBox schema: first enum member, minimum, or a short string. */
function sample (s: Record<string, any>): unknown {
  if (s.default !== undefined) return s.default
  if (s.enum) return s.enum[0]
  if (s.anyOf) return sample(s.anyOf[0])
  if (s.const !== undefined) return s.const
  if (s.pattern === '^[0-9-]+$') return '5560000001' // an organisation number (Luhn-valid)
  if (s.type === 'object') {
    // the required properties, and enough others for a minProperties (PATCH bodies: at least one field)
    const keys = [...new Set([...(s.required ?? []), ...Object.keys(s.properties ?? {}).slice(0, s.minProperties ?? 0)])]
    return Object.fromEntries(keys.map((k: string) => [k, sample(s.properties[k])]))
  }
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1
  if (s.type === 'boolean') return true
  return 'matrix'
}

/** A request that passes validation, so that only the role decides the outcome. */
function validRequest (r: RouteInfo): InjectOptions {
  const query = r.params.filter((p) => p.in === 'query' && p.required && p.schema.default === undefined)
    // the parameter's documented example where it has one: a real code where the pattern asks for one (region=0880,08,SE)
    .map((p) => `${p.name}=${encodeURIComponent(String((p as { example?: unknown }).example ?? sample(p.schema)))}`).join('&')
  const url = concretePath(r.url) + (query ? `?${query}` : '')
  if (r.method === 'POST' && r.url === '/api/imports') {
    return { method: 'POST', url: `${r.url}?kind=companies&format=csv`, payload: 'orgnr;name\n', headers: { 'content-type': 'text/csv' } } // header only: 0 rows
  }
  if (r.method === 'POST' && r.url === '/api/session') return { method: 'POST', url: r.url, payload: { token: ADMIN_TOKEN } } // sign-in needs a real token
  if (r.method === 'POST' && (r.url === '/api/curated' || r.url === '/api/curated/suggestions')) return { method: 'POST', url: r.url, payload: { name: 'Matrisscen', type: 'venue', kommun: '0880' } } // a real kommun
  if (r.body) return { method: r.method as 'POST', url, payload: sample(r.body) as object }
  return { method: r.method as 'GET', url }
}

describe('role matrix', () => {
  it('enumerates the admin-only routes and the public ones from the router', () => {
    const routes = listRoutes(app)
    const admin = routes.filter((r) => adminOnly(r.method, r.url)).map((r) => `${r.method} ${r.url}`).sort()
    expect(admin).toEqual(['DELETE /api/notes', 'DELETE /api/tokens/:id', 'GET /api/audit', 'GET /api/exports', 'GET /api/imports', 'GET /api/imports/:id/errors', 'GET /api/imports/:id/events',
      'GET /api/imports/running', 'GET /api/tokens', 'POST /api/imports', 'POST /api/imports/:id/cancel', 'POST /api/tokens'])
    const signedIn = routes.filter((r) => SIGNED_IN.test(r.url) && !adminOnly(r.method, r.url)).map((r) => `${r.method} ${r.url}`).sort()
    expect(signedIn).toEqual(['DELETE /api/segments/:id', 'GET /api/notes', 'GET /api/segments', 'GET /api/segments/:id', 'GET /api/segments/:id/changes',
      'GET /api/segments/:id/export', 'PATCH /api/segments/:id', 'POST /api/notes', 'POST /api/segments', 'POST /api/segments/:id/seen'])
    expect(routes.length - admin.length - signedIn.length).toBeGreaterThanOrEqual(15)
  })

  it('admin-only routes: 401 without a token, 403 for a promoter, allowed for the admin; promoter routes: 401 without a token; public routes open to all', async () => {
    const seen: string[] = []
    for (const r of listRoutes(app)) {
      const req = validRequest(r)
      const as = async (auth?: string) => app.inject({ ...req, headers: { ...req.headers, ...(auth ? bearer(auth) : {}) } })
      const [none, prom, admin] = [await as(), await as(promoter), await as(ADMIN_TOKEN)]
      const what = `${r.method} ${req.url}`
      for (const res of [none, prom, admin]) expect(res.statusCode, `${what} → ${res.body.slice(0, 200)}`).toBeLessThan(500)
      if (adminOnly(r.method, r.url) || curatorOnly(r.method, r.url)) {
        expect(none.statusCode, what).toBe(401)
        expectErrorShape(none, what)
        expect(none.json().error.code).toBe('UNAUTHORIZED')
        expect(prom.statusCode, what).toBe(403)
        expect(prom.json().error.code).toBe('FORBIDDEN')
        expect([401, 403], `${what} as admin → ${admin.body.slice(0, 200)}`).not.toContain(admin.statusCode)
      } else if (SIGNED_IN.test(r.url)) {
        expect(none.statusCode, what).toBe(401)
        expectErrorShape(none, what)
        expect([401, 403], `${what} as promoter → ${prom.body.slice(0, 200)}`).not.toContain(prom.statusCode)
        // ADMIN_TOKEN belongs to no organisation: a 403 that says so, never the data of some organisation
        expect(admin.statusCode, what).toBe(403)
        expect(admin.json().error.code).toBe('FORBIDDEN')
      } else {
        for (const res of [none, prom, admin]) expect([401, 403], `${what} → ${res.statusCode}`).not.toContain(res.statusCode)
      }
      seen.push(`${what} ${none.statusCode}/${prom.statusCode}/${admin.statusCode}`)
    }
    expect(seen.length).toBeGreaterThanOrEqual(20)
    // the requests were valid: what the role allows succeeds (or is a 404 for the made-up ids)
    for (const line of seen) {
      const codes = line.split(' ').pop()!.split('/').map(Number)
      const [method, url] = line.split(' ')
      const allowed = adminOnly(method, url) || curatorOnly(method, url) ? [codes[2]] : SIGNED_IN.test(url) ? [codes[1]] : codes
      for (const c of allowed) expect(c < 400 || c === 404, line).toBe(true)
    }
  })

  it('a revoked token gets 401 everywhere, an unknown or malformed one too (never silently public)', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/tokens', headers: bearer(ADMIN_TOKEN), payload: { name: 'short-lived', role: 'promoter' } })
    expect(created.statusCode).toBe(201)
    const { id, token } = created.json()
    expect((await app.inject({ url: '/api/actors?limit=1', headers: bearer(token) })).statusCode).toBe(200)
    expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: bearer(ADMIN_TOKEN) })).statusCode).toBe(204)
    for (const url of ['/api/actors?limit=1', '/api/health', '/api/tokens']) {
      const res = await app.inject({ url, headers: bearer(token) })
      expect(res.statusCode, url).toBe(401)
      expectErrorShape(res, url)
    }
    const admin2 = await createToken(db, 'second admin', 'admin')
    expect((await app.inject({ url: '/api/tokens', headers: bearer(admin2.token) })).statusCode).toBe(200)
    expect(await revokeToken(db, admin2.id)).toBe(true)
    expect((await app.inject({ url: '/api/tokens', headers: bearer(admin2.token) })).statusCode).toBe(401)
    for (const h of ['Bearer kkb_unknown_token_000000', 'Basic YWRtaW46YWRtaW4=', 'Bearer', `Bearer ${ADMIN_TOKEN} x`, 'Bearer short']) {
      const res = await app.inject({ url: '/api/actors?limit=1', headers: { authorization: h } })
      expect(res.statusCode, h).toBe(401)
      expectErrorShape(res, h)
    }
  })
})

describe('token storage and comparison', () => {
  it('stores tokens only as SHA-256 hashes and never lists them', async () => {
    const created = (await app.inject({ method: 'POST', url: '/api/tokens', headers: bearer(ADMIN_TOKEN), payload: { name: 'hash check', role: 'promoter' } })).json()
    const tokens = [created.token as string, promoter]
    const rows = (await db.query('SELECT * FROM api_token')).rows
    const dump = JSON.stringify(rows)
    for (const t of tokens) {
      expect(dump).not.toContain(t)
      expect(dump).toContain(createHash('sha256').update(t).digest('hex'))
    }
    const listed = (await app.inject({ url: '/api/tokens', headers: bearer(ADMIN_TOKEN) })).body
    for (const t of tokens) expect(listed).not.toContain(t)
    expect(listed).not.toMatch(/token_hash|tokenHash|[0-9a-f]{64}/)
  })

  it('ADMIN_TOKEN: only the exact token works; near misses of any length are a plain 401 (compared as fixed-length hashes)', async () => {
    // server/auth/tokens.ts safeEqual: timingSafeEqual over the SHA-256 digests of both sides, so equal-length buffers,
    // no early exit and no length leak. Behaviour is what can be tested here:
    for (const t of [ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, ADMIN_TOKEN.toUpperCase(), `${ADMIN_TOKEN.slice(0, -1)}8`, 'x'.repeat(500), ADMIN_TOKEN.slice(0, 8)]) {
      expect(safeEqual(t, ADMIN_TOKEN)).toBe(false)
      expect((await app.inject({ url: '/api/tokens', headers: bearer(t) })).statusCode, t).toBe(401)
    }
    expect(safeEqual(ADMIN_TOKEN, ADMIN_TOKEN)).toBe(true)
    expect(() => safeEqual('', 'a much longer secret value')).not.toThrow()
    expect((await app.inject({ url: '/api/tokens', headers: bearer(ADMIN_TOKEN) })).statusCode).toBe(200)
  })
})

describe('logs', () => {
  it('never contain the Authorization header or a token, for good, bad and failing requests', async () => {
    const lines: string[] = []
    const stream = new Writable({ write (chunk, _e, done) { lines.push(String(chunk)); done() } })
    const logged = await build({ db, logger: pino({ level: 'info' }, stream), config: { adminToken: ADMIN_TOKEN, rateLimitPerMinute: 100_000, dataDir } })
    await logged.ready()
    try {
      const bogus = 'kkb_bogus_secret_value_123456789'
      const reqs: InjectOptions[] = [
        { url: '/api/actors?limit=1', headers: bearer(promoter) },
        { url: '/api/tokens', headers: bearer(ADMIN_TOKEN) },
        { url: '/api/tokens', headers: bearer(promoter) },
        { url: '/api/actors?limit=1', headers: bearer(bogus) },
        { url: '/api/actors?limit=99999', headers: bearer(ADMIN_TOKEN) }, // 400
        { url: '/api/definitions/%00', headers: bearer(ADMIN_TOKEN) }, // database error path
        { url: '/no/such/route', headers: bearer(ADMIN_TOKEN) },
        { url: '/api/actors?limit=1', headers: { authorization: `Basic ${ADMIN_TOKEN}` } },
        { method: 'POST', url: '/api/imports?kind=companies&format=csv', headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'text/csv' }, payload: 'namn\nx\n' }, // 422
        { method: 'POST', url: '/api/tokens', headers: bearer(ADMIN_TOKEN), payload: { name: 'logged', role: 'promoter' } },
      ]
      for (const r of reqs) await logged.inject(r)
      const log = lines.join('')
      // the logger did log the requests (one line each, plugins/request-log.ts)
      expect(lines.filter((l) => JSON.parse(l).msg === 'request')).toHaveLength(reqs.length)
      for (const secret of [ADMIN_TOKEN, promoter, bogus]) expect(log).not.toContain(secret)
      expect(log.toLowerCase()).not.toContain('authorization')
      expect(log).not.toMatch(/Bearer /i)
    } finally {
      await logged.close()
    }
  })
})
