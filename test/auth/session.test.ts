// The signed-in workspace's server side: curator tokens with their län scope, organisations, sign-in with a session
// cookie, CSRF refusal, expiry, revocation ending a session, sign-out, and the audit log. Real PostGIS (fixture database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { createToken } from '../../server/auth/tokens.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
const ORIGIN = 'http://localhost:80' // what light-my-request's host header makes the app's own origin

beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
})
afterAll(async () => { await app?.close(); await db?.close() })

/** The session cookie a response set ("" when it removed it). */
function cookieOf (res: LightMyRequestResponse): { value: string; attrs: string } {
  const raw = [res.headers['set-cookie']].flat().find((c): c is string => typeof c === 'string' && c.startsWith('kkb_session='))
  if (!raw) throw new Error(`no session cookie in ${JSON.stringify(res.headers)}`)
  const [pair, ...attrs] = raw.split(';')
  return { value: pair.slice('kkb_session='.length), attrs: attrs.join(';') }
}

async function signIn (token: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { token }, headers: { origin: ORIGIN, ...headers } })
  expect(res.statusCode, res.body).toBe(200)
  const cookie = `kkb_session=${cookieOf(res).value}`
  return { res, cookie, csrf: res.json().csrfToken as string }
}

describe('tokens: roles, län scope, organisations', () => {
  it('creates a curator token from exactly {"name","role":"curator","lan":["18"]}', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'Region Örebro kultur', role: 'curator', lan: ['18'] } })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({ name: 'Region Örebro kultur', role: 'curator', lan: ['18'], organisation: null })
    expect(body.token).toMatch(/^kkb_/)
    const listed = (await app.inject({ url: '/api/tokens', headers: admin })).json().find((t: { id: number }) => t.id === body.id)
    expect(listed).toMatchObject({ role: 'curator', lan: ['18'] })
    expect(JSON.stringify(listed)).not.toContain(body.token)
  })

  it('refuses a curator without a valid län scope, and a scope on other roles', async () => {
    const bad = [
      { name: 'c', role: 'curator' }, { name: 'c', role: 'curator', lan: [] }, { name: 'c', role: 'curator', lan: ['99'] },
      { name: 'c', role: 'curator', lan: ['1'] }, { name: 'c', role: 'curator', lan: ['18', 'x1'] }, { name: 'p', role: 'promoter', lan: ['18'] },
      { name: 'x', role: 'public' },
    ]
    for (const payload of bad) {
      const res = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json().error.message).toMatch(/lan|role/)
    }
    // the database holds the same rule, whoever writes
    await expect(db.query(`INSERT INTO api_token (name, role, token_hash) VALUES ('raw', 'curator', 'h-raw')`)).rejects.toThrow(/api_token_curator_lan_check/)
    await expect(db.query(`INSERT INTO api_token (name, role, token_hash) VALUES ('raw', 'superuser', 'h-raw2')`)).rejects.toThrow(/api_token_role_check/)
  })

  it('tokens of one organisation share it (names compare case-insensitively)', async () => {
    const a = (await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'Anna', role: 'promoter', organisation: 'Almi Kalmar' } })).json()
    const b = (await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'Bo', role: 'promoter', organisation: 'almi kalmar ' } })).json()
    expect(a.organisation).toBe('Almi Kalmar')
    const { rows } = await db.query<{ id: number; organisation_id: number }>('SELECT id, organisation_id FROM api_token WHERE id = ANY($1::int[])', [[a.id, b.id]])
    expect(rows).toHaveLength(2)
    expect(rows[0].organisation_id).toBe(rows[1].organisation_id)
    const me = await signIn(b.token)
    expect(me.res.json()).toMatchObject({ name: 'Bo', role: 'promoter', organisation: 'Almi Kalmar', lan: [] })
  })
})

describe('sign-in and the session cookie', () => {
  it('a token in the body gives an HttpOnly SameSite=Strict cookie; GET /api/session says who I am', async () => {
    const t = await createToken(db, 'Kurator Gävleborg', 'curator', { lan: ['21', '18'], organisation: 'Region Gävleborg' })
    const { res, cookie, csrf } = await signIn(t.token)
    const c = cookieOf(res)
    expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/) // 256 random bits
    expect(c.attrs).toMatch(/HttpOnly/)
    expect(c.attrs).toMatch(/SameSite=Strict/)
    expect(c.attrs).toMatch(/Path=\//)
    expect(c.attrs).not.toMatch(/Secure/) // plain http here
    expect(res.headers['cache-control']).toBe('no-store')
    const me = (await app.inject({ url: '/api/session', headers: { cookie } })).json()
    expect(me).toMatchObject({ signedIn: true, name: 'Kurator Gävleborg', role: 'curator', lan: ['18', '21'], organisation: 'Region Gävleborg', via: 'session' })
    expect(me.csrfToken).toBe(csrf)
    expect(csrf.length).toBeGreaterThanOrEqual(43)
    // the session id and the token are kept only as hashes
    const dump = JSON.stringify((await db.query('SELECT * FROM session')).rows)
    expect(dump).not.toContain(c.value)
    expect(dump).not.toContain(t.token)
    expect(dump).toContain(`token:${t.id}`)
    // no cookie: the public
    expect((await app.inject({ url: '/api/session' })).json()).toMatchObject({ signedIn: false, role: 'public', csrfToken: null })
  })

  it('the cookie is Secure over TLS: behind a trusted proxy that says https, not when the proxy is not trusted', async () => {
    const proxied = await buildTestApp(db, { trustProxy: true })
    try {
      const res = await proxied.inject({ method: 'POST', url: '/api/session', payload: { token: ADMIN_TOKEN },
        headers: { 'x-forwarded-proto': 'https', origin: 'https://localhost:80' } })
      expect(res.statusCode, res.body).toBe(200)
      expect(cookieOf(res).attrs).toMatch(/Secure/)
    } finally { await proxied.close() }
    const direct = await app.inject({ method: 'POST', url: '/api/session', payload: { token: ADMIN_TOKEN }, headers: { 'x-forwarded-proto': 'https' } })
    expect(cookieOf(direct).attrs).not.toMatch(/Secure/)
  })

  it('a wrong token is a 401, audited without the token', async () => {
    const bogus = 'kkb_not_a_token_0123456789abcdef'
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { token: bogus } })
    expect(res.statusCode).toBe(401)
    expect(res.headers['set-cookie']).toBeUndefined()
    const { rows } = await db.query<{ details: unknown }>(`SELECT details FROM audit_log WHERE action = 'sign-in-failed'`)
    expect(rows.length).toBeGreaterThan(0)
    expect(JSON.stringify((await db.query('SELECT * FROM audit_log')).rows)).not.toContain(bogus)
  })

  it('the session shows what the role may see: a promoter sees sole traders\' organisation numbers, the public never', async () => {
    const t = await createToken(db, 'Almi promoter', 'promoter')
    const { cookie } = await signIn(t.token)
    const { rows } = await db.query<{ id: number; orgnr: string }>('SELECT id, orgnr FROM company WHERE sole_trader AND ref_year = 2025 ORDER BY id LIMIT 1')
    const asSession = (await app.inject({ url: `/api/actors/${rows[0].id}?kind=company`, headers: { cookie } })).json()
    const asPublic = (await app.inject({ url: `/api/actors/${rows[0].id}?kind=company` })).json()
    expect(asSession.orgnr).toBe(rows[0].orgnr)
    expect(asPublic.orgnr).toBeUndefined()
    expect(JSON.stringify(asPublic)).not.toContain(rows[0].orgnr)
  })
})

describe('CSRF', () => {
  it('a change by cookie needs the session\'s X-CSRF-Token and this site\'s origin; bearer scripts need neither', async () => {
    const { cookie, csrf } = await signIn(ADMIN_TOKEN)
    const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie, ...headers }, payload: { name: 'via session', role: 'promoter' } })
    for (const [headers, why] of [
      [{ origin: ORIGIN }, /X-CSRF-Token/],
      [{ origin: ORIGIN, 'x-csrf-token': `${csrf}x` }, /X-CSRF-Token/],
      [{ origin: 'https://evil.example', 'x-csrf-token': csrf }, /origin/],
      [{ 'sec-fetch-site': 'cross-site', 'x-csrf-token': csrf }, /sec-fetch-site/],
      [{ 'sec-fetch-site': 'same-site', 'x-csrf-token': csrf }, /sec-fetch-site/],
    ] as const) {
      const res = await post(headers)
      expect(res.statusCode, JSON.stringify(headers)).toBe(403)
      expect(res.json().error.code).toBe('CSRF')
      expect(res.json().error.message).toMatch(why)
    }
    expect((await post({ origin: ORIGIN, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201)
    expect((await post({ 'x-csrf-token': csrf })).statusCode).toBe(201) // a non-browser client with the cookie: no Origin to check
    // reads need no CSRF token
    expect((await app.inject({ url: '/api/tokens', headers: { cookie } })).statusCode).toBe(200)
    // scripts with a bearer token: no cookie, no CSRF header
    expect((await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'script', role: 'promoter' } })).statusCode).toBe(201)
  })

  it('a cross-site form post is refused, with or without the cookie, before anything is done', async () => {
    const { cookie } = await signIn(ADMIN_TOKEN)
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_token')).rows[0].n
    for (const headers of [{ cookie }, {}]) {
      const res = await app.inject({ method: 'POST', url: '/api/tokens', payload: 'name=evil&role=admin',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('CSRF')
    }
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_token')).rows[0].n).toBe(before)
    // a cross-site sign-in (login CSRF) is refused too
    expect((await app.inject({ method: 'POST', url: '/api/session', payload: { token: ADMIN_TOKEN }, headers: { origin: 'https://evil.example' } })).statusCode).toBe(403)
  })
})

describe('session end: expiry, revocation, sign-out', () => {
  it('expires after SESSION_TTL: the row says so, and an expired cookie is the public (and is removed)', async () => {
    const short = await buildTestApp(db, { sessionTtlMs: 90_000 })
    try {
      const res = await short.inject({ method: 'POST', url: '/api/session', payload: { token: ADMIN_TOKEN } })
      const c = cookieOf(res)
      expect(c.attrs).toMatch(/Max-Age=90\b/)
      const { rows } = await db.query<{ s: number }>(`SELECT extract(epoch FROM expires_at - created_at)::float AS s FROM session ORDER BY created_at DESC LIMIT 1`)
      expect(rows[0].s).toBeCloseTo(90, 0)
      const cookie = `kkb_session=${c.value}`
      expect((await short.inject({ url: '/api/session', headers: { cookie } })).json().role).toBe('admin')
      await db.query(`UPDATE session SET expires_at = now() - interval '1 second' WHERE subject LIKE 'admin-env:%'`) // the clock moved on
      const after = await short.inject({ url: '/api/session', headers: { cookie } })
      expect(after.json()).toMatchObject({ signedIn: false, role: 'public' })
      expect(cookieOf(after).value).toBe('')
      expect((await short.inject({ url: '/api/tokens', headers: { cookie } })).statusCode).toBe(401)
    } finally { await short.close() }
  })

  it('revoking the token ends its sessions at once', async () => {
    const t = await createToken(db, 'to be revoked', 'curator', { lan: ['18'] })
    const { cookie } = await signIn(t.token)
    expect((await app.inject({ url: '/api/session', headers: { cookie } })).json().role).toBe('curator')
    const { csrf: adminCsrf, cookie: adminCookie } = await signIn(ADMIN_TOKEN)
    const rev = await app.inject({ method: 'DELETE', url: `/api/tokens/${t.id}`, headers: { cookie: adminCookie, 'x-csrf-token': adminCsrf, origin: ORIGIN } })
    expect(rev.statusCode).toBe(204)
    expect((await app.inject({ url: '/api/session', headers: { cookie } })).json().role).toBe('public')
    expect((await db.query('SELECT 1 FROM session WHERE subject = $1', [`token:${t.id}`])).rows).toHaveLength(0)
    expect((await app.inject({ method: 'POST', url: '/api/session', payload: { token: t.token } })).statusCode).toBe(401)
  })

  it('sign-out ends the session and removes the cookie', async () => {
    const { cookie, csrf } = await signIn(ADMIN_TOKEN)
    expect((await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } })).statusCode).toBe(403) // CSRF
    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrf, origin: ORIGIN } })
    expect(out.statusCode).toBe(204)
    expect(cookieOf(out).value).toBe('')
    expect((await app.inject({ url: '/api/session', headers: { cookie } })).json().role).toBe('public')
  })
})

describe('audit log', () => {
  it('records sign-in/out, token create/revoke, imports and exports under the signed-in name; admin only; paged', async () => {
    const t = await createToken(db, 'Exporting Eva', 'promoter', { organisation: 'Almi Kalmar' })
    const { cookie, csrf } = await signIn(t.token)
    const exp = await app.inject({ url: '/api/actors?format=csv&kommun=0880', headers: { cookie } })
    expect(exp.statusCode).toBe(200)
    // the export's log rows are written when its stream has ended, just after the response: wait for them (bounded)
    for (let i = 0; i < 100 && !(await db.query(`SELECT 1 FROM audit_log WHERE action = 'export' AND actor = 'Exporting Eva'`)).rows.length; i++) {
      await new Promise((resolve) => setImmediate(resolve))
    }
    await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrf } })
    const imp = await app.inject({ method: 'POST', url: '/api/imports?kind=companies&format=csv&year=2025&source=audit-test', headers: { ...admin, 'content-type': 'text/csv' },
      payload: 'orgnr;name;legal_form;sni;kommun\n5560000001;x;49;90010;0880\n' })
    expect(imp.statusCode).toBeLessThan(500)
    const created = (await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'temp', role: 'promoter' } })).json()
    await app.inject({ method: 'DELETE', url: `/api/tokens/${created.id}`, headers: admin })

    expect((await app.inject({ url: '/api/audit', headers: { cookie: (await signIn(t.token)).cookie } })).statusCode).toBe(403)
    expect((await app.inject({ url: '/api/audit' })).statusCode).toBe(401)
    const all = (await app.inject({ url: '/api/audit?limit=1000', headers: admin })).json()
    const mine = all.items.filter((e: { actor: string }) => e.actor === 'Exporting Eva')
    expect(mine.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['sign-in', 'export', 'sign-out']))
    const ex = mine.find((e: { action: string }) => e.action === 'export')
    expect(ex).toMatchObject({ role: 'promoter', organisation: 'Almi Kalmar', target: '/api/actors' })
    expect(ex.details).toMatchObject({ format: 'csv', filters: { kommun: '0880' } })
    expect((await db.query<{ who: string }>(`SELECT who FROM export_log ORDER BY id DESC LIMIT 1`)).rows[0].who).toMatch(/Exporting Eva/)
    const actions = all.items.map((e: { action: string }) => e.action)
    for (const a of ['token.create', 'token.revoke', 'import', 'sign-in-failed']) expect(actions).toContain(a)
    expect(all.items.find((e: { action: string; target: string }) => e.action === 'token.revoke' && e.target === `token:${created.id}`)?.actor).toBe('admin (ADMIN_TOKEN)')
    // no token anywhere in the log
    const dump = JSON.stringify((await db.query('SELECT * FROM audit_log')).rows)
    for (const secret of [t.token, created.token, ADMIN_TOKEN]) expect(dump).not.toContain(secret)
    // filters and keyset paging: two pages of two, newest first, no overlap
    const p1 = (await app.inject({ url: '/api/audit?limit=2&action=sign-in', headers: admin })).json()
    expect(p1.items).toHaveLength(2)
    expect(p1.items.every((e: { action: string }) => e.action === 'sign-in')).toBe(true)
    const p2 = (await app.inject({ url: `/api/audit?limit=2&action=sign-in&before=${p1.next}`, headers: admin })).json()
    expect(p2.items[0].id).toBeLessThan(p1.items[1].id)
    const byActor = (await app.inject({ url: `/api/audit?actor=${encodeURIComponent('Exporting Eva')}`, headers: admin })).json()
    expect(byActor.items.every((e: { actor: string }) => e.actor === 'Exporting Eva')).toBe(true)
    const future = (await app.inject({ url: '/api/audit?since=2999-01-01T00:00:00Z', headers: admin })).json()
    expect(future.items).toHaveLength(0)
  })
})
