// Who is asking, on every request: `Authorization: Bearer …` (scripts) or the session cookie (the browser). Both end in
// one request identity, req.principal (name, role, län scope, organisation), which every route reads.
// An unknown token is a 401, never silently public; an address with too many failed attempts is a 429 before its token
// is looked up. A state-changing request from a browser is refused (403) unless it comes from this site (Origin,
// Sec-Fetch-Site) and, when a session cookie authenticates it, carries the session's CSRF token in X-CSRF-Token.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { PUBLIC, safeEqual, type Principal, type Role } from '../auth/tokens.js'
import { identityOfSubject, identityOfToken } from '../auth/identity.js'
import { findSession, sessionCookie, sessionIdFrom } from '../auth/sessions.js'
import { ApiError, forbidden, tooManyRequests, unauthorized } from '../errors.js'
import { FailureThrottle } from '../auth/throttle.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
    /** how the principal was proven; the session's id and CSRF secret when it came by cookie */
    auth: { via: 'public' | 'bearer' | 'session'; sessionId?: string; csrf?: string; expiresAt?: string }
  }
  interface FastifyInstance { authThrottle: FailureThrottle }
}

/** preHandler for routes open to the given roles; the admin may use every route. */
export const requireRole = (...roles: Role[]) => async (req: FastifyRequest) => {
  if (req.principal.role === 'admin' || roles.includes(req.principal.role)) return
  throw req.principal.role === 'public' ? unauthorized() : forbidden()
}

export interface AuthOptions {
  adminToken?: string
  /** failed authentications allowed per client address and window (AUTH_FAILURES_PER_HOUR) */
  maxFailures: number
  failureWindowMs?: number
  /** origins allowed besides the app's own (CORS_ORIGIN) */
  corsOrigin?: string | false
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])
const csrfRefused = (why: string) => new ApiError(403, 'CSRF', `cross-site request refused: ${why}`)

/** The origin the page was served from, as the browser sees it (behind a proxy: X-Forwarded-Proto/Host when trusted). */
export const ownOrigin = (req: FastifyRequest) => `${req.protocol}://${req.host}`

/** The Set-Cookie that removes the session cookie. */
export const clearSessionCookie = (req: FastifyRequest, reply: FastifyReply) =>
  reply.header('set-cookie', sessionCookie('', { secure: req.protocol === 'https', maxAgeS: 0 }))

export default fp(async (app, opts: AuthOptions) => {
  const throttle = new FailureThrottle(opts.maxFailures, opts.failureWindowMs ?? 3_600_000)
  app.decorate('authThrottle', throttle)
  const allowed = new Set(typeof opts.corsOrigin === 'string' ? opts.corsOrigin.split(',').map((s) => s.trim()).filter(Boolean) : [])

  app.decorateRequest('principal', null as unknown as Principal)
  app.decorateRequest('auth', null as unknown as FastifyRequest['auth'])
  app.addHook('onRequest', async (req, reply) => {
    req.principal = PUBLIC
    req.auth = { via: 'public' }
    const h = req.headers.authorization
    if (h) {
      const wait = throttle.retryAfter(req.ip)
      if (wait > 0) {
        reply.header('retry-after', String(wait))
        throw tooManyRequests(`too many failed authentications from this address; retry in ${wait} s`)
      }
      const m = /^Bearer\s+(\S{8,512})\s*$/i.exec(h)
      if (!m) { throttle.fail(req.ip); throw unauthorized('malformed Authorization header; expected "Bearer <token>"') }
      const p = await identityOfToken(app.dbHandle, m[1], opts.adminToken)
      if (!p) { throttle.fail(req.ip); throw unauthorized('unknown or revoked token') }
      req.principal = p
      req.auth = { via: 'bearer' }
      return // a script: no cookie, no CSRF (a browser cannot add this header cross-site without CORS allowing it)
    }
    const sid = sessionIdFrom(req.headers.cookie)
    if (sid) {
      const s = await findSession(app.dbHandle, sid)
      const p = s && await identityOfSubject(app.dbHandle, s.subject, opts.adminToken)
      if (s && p) {
        req.principal = p
        req.auth = { via: 'session', sessionId: sid, csrf: s.csrf, expiresAt: s.expiresAt }
      } else {
        clearSessionCookie(req, reply) // expired, signed out or revoked: the browser forgets it, the request is public
      }
    }
    if (SAFE.has(req.method)) return
    // A change from a browser must come from this site: the Origin (sent with every cross-origin and every POST) and
    // Sec-Fetch-Site tell. A cross-site form post is refused here whether or not it carries a cookie.
    const origin = req.headers.origin
    if (origin && origin !== ownOrigin(req) && !allowed.has(origin)) throw csrfRefused(`origin ${origin}`)
    const site = req.headers['sec-fetch-site']
    if (site && site !== 'same-origin' && site !== 'none' && !(origin && allowed.has(origin))) throw csrfRefused(`sec-fetch-site ${site}`)
    if (req.auth.via === 'session') {
      const sent = req.headers['x-csrf-token']
      if (typeof sent !== 'string' || !safeEqual(sent, req.auth.csrf!)) throw csrfRefused('missing or wrong X-CSRF-Token')
    }
  })
  // What a signed-in role sees is theirs: never kept by a shared cache, whatever the route says about the public answer
  app.addHook('onSend', async (req, reply) => {
    if (req.auth?.via !== 'public' && !reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-store')
  })
}, { name: 'auth', dependencies: ['db'] })
