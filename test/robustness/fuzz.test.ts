// Property-based fuzzing of every route (enumerated from the router, parameters from the OpenAPI spec) through
// app.inject(): hostile query strings, path segments, bodies, content types and Authorization headers.
// Invariants: no 5xx, every 4xx has the { error: { code, message } } shape, inject never throws, and SQL injection
// attempts in any filter give 400/404 or a normal result, never a database error (and drop nothing).
// Deterministic: FUZZ_SEED (printed) fixes every case; FUZZ_SEED=<n> npx vitest run test/robustness/fuzz.test.ts replays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { createToken } from '../../server/auth/tokens.js'
import { Writable } from 'node:stream'
import pino from 'pino'
import { build } from '../../server/app.js'
import { ADMIN_TOKEN, openTestDb } from '../helpers/db.js'
import { concretePath, needsToken, expectErrorShape, listRoutes, type RouteInfo } from './helpers.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20260601)
const RUNS = { query: 800, paths: 500, bodies: 500 } // + the exhaustive SQL-injection and range checks: ~3.5 k requests

const SQLI = [
  "'; DROP TABLE company;--", "' OR 1=1 --", "' OR '1'='1", '1; SELECT pg_sleep(5)--', "') UNION SELECT token_hash FROM api_token--",
  '$1', '1) OR (1=1', "\\'; DROP TABLE api_token; --", '%27%20OR%201%3D1', "0180' AND 1=CAST((SELECT version()) AS int)--",
]
const HOSTILE = [
  ...SQLI, '%00', '\u0000', 'a\u0000b', '\\', '\\\\', '"', "'", '%', '%%', '_', '*', '..', '../../etc/passwd', '<script>alert(1)</script>',
  '${jndi:ldap://x/a}', '{{7*7}}', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '1_000', '99999999999999999999999',
  '2147483648', '-2147483649', '9007199254740993', '-1', '0', '1.5', ',', ',,', 'a,', ',a', 'a,,b', ' ', '\t', '\r\n', '\u00a0',
  'ÅÄÖåäö', '🎭🎨', '\ud800', '\udfff', '\u202e', '\ufeff', 'Ｓｔｏｃｋｈｏｌｍ', 'x'.repeat(101), 'x'.repeat(4001), '9'.repeat(5000),
  'true', 'false', 'null', 'undefined', '[]', '{}', '[object Object]', '2025-02-30', '0000-00-00', '2025', '1899', '2101',
  'kommun', 'lan', 'riket', 'custom', 'all', 'latest', 'json', 'csv', 'xlsx', 'geojson', 'jsonstat', 'company', 'education',
  '0180', '01', '90010', '-name', 'relevance', '10,10,20,20', '20,60,10,55', '10.5,55,24.5,69.5',
]

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD instead of making enc throw). */
const enc = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')

/** A raw value for a query/path parameter: hostile constants, random unicode, numbers, very long strings. */
const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 9000, unit: 'grapheme-ascii' }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...HOSTILE), { minLength: 2, maxLength: 4 }).map((a) => a.join(',')) },
)

/** One query-string entry "k=v" in one of the ways clients (and attackers) write them. */
const entry = (keys: string[]) => fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 12 })), value, fc.nat(9)).map(([k, v, how]) => {
  const ek = enc(k)
  const ev = enc(v)
  switch (how) {
    case 0: return `${ek}[]=${ev}` // array syntax
    case 1: return `${ek}[${enc(v.slice(0, 5))}]=c` // nested brackets a[b]=c
    case 2: return `${ek}=${ev}&${ek}=${ev}` // repeated key → array
    case 3: return `${ek}` // no value
    case 4: return `${ek}=${v.replace(/[#&\s]/g, '')}` // unencoded (raw %, unicode, quotes)
    case 5: return `${ek}=%${v.slice(0, 2)}` // broken percent-encoding
    default: return `${ek}=${ev}`
  }
})

const TOKENS = (promoter: string) => fc.oneof(
  fc.constant(undefined),
  fc.constant(`Bearer ${promoter}`),
  fc.constant(`Bearer ${ADMIN_TOKEN}`),
  fc.string({ minLength: 8, maxLength: 80, unit: 'grapheme-ascii' }).map((s) => `Bearer ${s.replace(/\s/g, 'x')}`), // bogus token
  fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer short', `Bearer ${'a'.repeat(600)}`, 'Token abc', `Bearer ${ADMIN_TOKEN} extra`,
    `Bearer ${ADMIN_TOKEN.slice(0, -1)}`, `${ADMIN_TOKEN}`, 'Bearer \u00e5\u00e4\u00f6\u00e5\u00e4\u00f6\u00e5\u00e4', ' ', 'Bearer null', `Bearer ${"' OR 1=1 --".padEnd(12, 'x')}`),
)

let db: DbHandle
let app: FastifyInstance
let routes: RouteInfo[]
let promoter: string
let companies: number
let allActive: number
let cases = 0
const serverErrors: string[] = []

beforeAll(async () => {
  db = await openTestDb('demo')
  // the app's own error log (level error) is kept so that a 5xx failure shows the server-side cause
  const logger = pino({ level: 'error' }, new Writable({ write (chunk, _e, done) { serverErrors.push(String(chunk)); done() } }))
  app = await build({ db, logger, config: { adminToken: ADMIN_TOKEN, rateLimitPerMinute: 1_000_000, tileRateLimitPerMinute: 1_000_000,
    authFailuresPerHour: 1_000_000 } }) // one address sends thousands of bogus tokens here: stay clear of the throttles
  await app.ready()
  routes = listRoutes(app)
  promoter = (await createToken(db, 'fuzz promoter', 'promoter')).token
  companies = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company')).rows[0].n
  allActive = (await app.inject('/api/actors/count')).json().total
  process.stdout.write(`fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED}); ${routes.length} routes\n`)
})
afterAll(async () => {
  process.stdout.write(`fuzz: ${cases} requests\n`)
  await app?.close(); await db?.close()
})

/** Sends one request; inject must never reject; checks the invariants. */
async function send (opts: InjectOptions, what: string): Promise<LightMyRequestResponse> {
  cases++
  let res: LightMyRequestResponse
  try {
    res = await app.inject(opts)
  } catch (err) {
    throw new Error(`${what}: inject threw ${(err as Error).stack}`, { cause: err })
  }
  const ctx = `${what} ${opts.method ?? 'GET'} ${String(opts.url).slice(0, 300)} auth=${String(opts.headers?.authorization ?? '').slice(0, 40)}` +
    ` content-type=${String(opts.headers?.['content-type'] ?? '')} body=${JSON.stringify(String(opts.payload ?? '').slice(0, 200))}`
  expect(res.statusCode, `${ctx} → ${res.body.slice(0, 300)}; server log: ${serverErrors.slice(-1).join('').slice(0, 1500)}`).toBeLessThan(500)
  if (res.statusCode >= 400) expectErrorShape(res, ctx)
  return res
}

const header = (auth: string | undefined) => (auth === undefined ? {} : { authorization: auth })

describe('fuzz', () => {
  it('enumerates every route', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`)
    for (const k of ['GET /api/health', 'GET /api/actors', 'GET /api/actors/:id', 'GET /api/key-figures', 'POST /api/imports', 'POST /api/tokens',
      'DELETE /api/tokens/:id', 'GET /api/exports', 'GET /api/openapi.json', 'GET /docs']) expect(keys).toContain(k)
    // every API route with a schema is in the OpenAPI spec with its parameters
    expect(routes.find((r) => r.url === '/api/actors')!.params.map((p) => p.name)).toContain('bbox')
  })

  it('random and hostile query strings at every route: no 5xx, 4xx have the error shape', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000 }).map((i) => routes[i % routes.length]).chain((route) => {
        const keys = route.params.filter((p) => p.in === 'query').map((p) => p.name)
        return fc.tuple(fc.constant(route), fc.array(entry(keys.length ? keys : ['q']), { maxLength: 8 }))
      }),
      TOKENS(promoter),
      async ([route, entries], auth) => {
        const url = `${concretePath(route.url)}${entries.length ? '?' : ''}${entries.join('&')}`
        // POST routes get a small body so that the query is what is fuzzed here
        const body = route.method === 'POST' ? { payload: route.url.endsWith('tokens') ? { name: 'x', role: 'promoter' } : 'orgnr;name\n', headers: { 'content-type': route.url.endsWith('tokens') ? 'application/json' : 'text/csv', ...header(auth) } } : { headers: header(auth) }
        const res = await send({ method: route.method as 'GET', url, ...body }, 'query')
        if (needsToken(route.method, route.url) && (auth === undefined)) expect(res.statusCode, url).not.toBeLessThan(400)
      }), { seed: SEED, numRuns: RUNS.query })
  }, 120_000)

  it('SQL injection in every query parameter of every route gives 400/404 or a normal result, and drops nothing', async () => {
    // exhaustive rather than random: each payload in each declared parameter (encoded), as public and as admin
    for (const route of routes) {
      if (route.method !== 'GET') continue
      for (const p of route.params) {
        for (const payload of SQLI) {
          const url = p.in === 'path'
            ? concretePath(route.url.replace(`:${p.name}`, enc(payload)))
            : `${concretePath(route.url)}?${enc(p.name)}=${enc(payload)}`
          const auth = needsToken(route.method, route.url) ? `Bearer ${ADMIN_TOKEN}` : undefined
          const res = await send({ url, headers: header(auth) }, 'sqli')
          expect([200, 204, 307, 400, 404], `${url} → ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode)
        }
      }
      // and in free-text filters combined (q and definition reach SQL as bound parameters)
    }
    for (const payload of SQLI) {
      for (const url of [`/api/actors?q=${enc(payload)}`, `/api/actors/count?q=${enc(payload)}`,
        `/api/sni?q=${enc(payload)}`, `/api/sni?parent=${enc(payload.slice(0, 10))}`,
        `/api/definitions/${enc(payload)}`, `/api/actors?cursor=${enc(payload)}`]) {
        const res = await send({ url }, 'sqli')
        expect([200, 400, 404], `${url} → ${res.body.slice(0, 200)}`).toContain(res.statusCode)
        // name search is typo-tolerant (trigrams), so a few similar names may match, but never "all rows"
        if (res.statusCode === 200 && url.startsWith('/api/actors?q')) expect(res.json().total).toBeLessThan(allActive)
      }
    }
    const after = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company')).rows[0].n
    expect(after).toBe(companies)
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_token')).rows[0].n).toBeGreaterThan(0)
  }, 120_000)

  it('numbers out of range in every integer/number parameter (incl. Infinity, 1e400, NaN) give 400', async () => {
    // found by this file: ajv coerces "Infinity" to Infinity and then skips minimum/maximum, and PostgreSQL rejected it (500)
    let checked = 0
    for (const route of routes) {
      for (const p of route.params) {
        const type = p.schema.type
        if (type !== 'integer' && type !== 'number') continue
        const bad = ['Infinity', '-Infinity', '1e400', '-1e400', 'NaN', 'abc', '']
        if (typeof p.schema.maximum === 'number') bad.push(String(p.schema.maximum + 1))
        if (typeof p.schema.minimum === 'number') bad.push(String(p.schema.minimum - 1))
        if (type === 'integer') bad.push('1.5')
        for (const v of bad) {
          if (v === '' && p.in === 'path') continue // an empty path segment is another route
          const url = p.in === 'path'
            ? concretePath(route.url.replace(`:${p.name}`, enc(v)))
            : `${concretePath(route.url)}?${p.name}=${enc(v)}${route.url === '/api/imports' && route.method === 'POST' ? '&kind=companies&format=csv' : ''}`
          // a POST carries a body its route reads (a CSV for imports, JSON elsewhere), so only the number decides
          const csv = route.url === '/api/imports'
          const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, ...(route.method === 'POST' ? { 'content-type': csv ? 'text/csv' : 'application/json' } : {}) }
          const res = await send({ method: route.method as 'GET', url, headers, ...(route.method === 'POST' ? { payload: csv ? 'orgnr;name\n' : '{}' } : {}) }, 'range')
          expect(res.statusCode, `${route.method} ${url} → ${res.body.slice(0, 200)}`).toBe(400)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(50)
  }, 120_000)

  it('random path segments and unknown paths: 404/400 with the error shape, never 5xx', async () => {
    const segment = fc.oneof(value, fc.constantFrom('%', '%2F', '%2e%2e', '..', '.', '', '%00', '%ff', '%C0%AF', ';', '?', '#', '//'))
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000 }).map((i) => routes[i % routes.length]),
      fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean(), TOKENS(promoter),
      async (route, segs, raw, auth) => {
        const e = (s: string) => (raw ? s.replace(/[?#/\s]/g, '').replace(/[\ud800-\udfff]/g, '') : enc(s))
        let i = 0
        const filled = route.url.replace(/:(\w+)/g, () => e(segs[i++ % segs.length]) || '0')
        const url = route.url.includes(':') ? filled : `${route.url}/${segs.map(e).join('/')}`
        await send({ method: route.method as 'GET', url, headers: header(auth), ...(route.method === 'POST' ? { payload: '{}', headers: { ...header(auth), 'content-type': 'application/json' } } : {}) }, 'path')
      }), { seed: SEED + 1, numRuns: RUNS.paths })
  }, 120_000)

  const OPEN_WRITES = new Set(['DELETE /api/session'])

  it('random JSON and garbage bodies with random content types at every POST/DELETE route, any Authorization header', async () => {
    const bodyRoutes = routes.filter((r) => r.method === 'POST' || r.method === 'DELETE')
    expect(bodyRoutes.length).toBeGreaterThanOrEqual(3)
    const contentType = fc.oneof(
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'text/csv',
        'application/octet-stream', 'multipart/form-data', 'multipart/form-data; boundary=xyz', 'application/x-www-form-urlencoded',
        'application/xml', '', ';;;', 'application/json, text/plain', 'text/html; charset=utf-16', '*/*', 'application/vnd.api+json'),
      fc.string({ maxLength: 30, unit: 'grapheme-ascii' }))
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }), fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
      fc.anything({ maxDepth: 3 }).map((x) => { try { return JSON.stringify(x) ?? '' } catch { return 'null' } }),
      fc.record({ name: value, role: fc.oneof(value, fc.constantFrom('promoter', 'admin', 'public')) }).map((o) => JSON.stringify(o)),
      fc.constantFrom('{"name":"x","role":"admin","__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":'.repeat(500),
        '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\norgnr;name\r\n--xyz--\r\n', '--xyz\r\n\r\n--', 'orgnr;name\n5560360793;X\n'),
    )
    const importQuery = fc.constantFrom('?kind=companies&format=csv', '?kind=education&format=json', '?kind=companies&format=scb-bulk',
      '?kind=workplaces&format=scb-api', '?kind=companies&format=bolagsverket', '', '?kind=x&format=y', '?kind=companies&format=csv&fileName=../../etc/passwd')
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000 }).map((i) => bodyRoutes[i % bodyRoutes.length]),
      body, contentType, TOKENS(promoter), importQuery, fc.oneof(fc.constant('999999'), value.map(enc)),
      async (route, payload, type, auth, q, id) => {
        const url = route.url === '/api/imports' ? `${route.url}${q}` : route.url.replace(':id', id || '0')
        const res = await send({ method: route.method as 'POST', url, payload, headers: { ...header(auth), ...(type ? { 'content-type': type } : {}) } }, 'body')
        // Signing out is idempotent and open to anyone (it only clears the caller's own cookie); every other write needs a role.
        if (!auth && !OPEN_WRITES.has(`${route.method} ${route.url}`)) expect(res.statusCode, url).toBeGreaterThanOrEqual(400)
      }), { seed: SEED + 2, numRuns: RUNS.bodies })
  }, 120_000)
})
