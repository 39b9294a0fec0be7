// Resolves `Authorization: Bearer …` to a role on every request. An unknown token is a 401, never silently public;
// an address with too many failed attempts is a 429 before its token is looked up.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { PUBLIC, resolveToken, type Principal, type Role } from '../auth/tokens.js'
import { forbidden, tooManyRequests, unauthorized } from '../errors.js'
import { FailureThrottle } from '../auth/throttle.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal }
}

const RANK: Record<Role, number> = { public: 0, promoter: 1, admin: 2 }

/** preHandler for routes that need at least `role`. */
export const requireRole = (role: Role) => async (req: FastifyRequest) => {
  if (RANK[req.principal.role] >= RANK[role]) return
  throw req.principal.role === 'public' ? unauthorized() : forbidden()
}

export interface AuthOptions {
  adminToken?: string
  /** failed authentications allowed per client address and window (AUTH_FAILURES_PER_HOUR) */
  maxFailures: number
  failureWindowMs?: number
}

export default fp(async (app, opts: AuthOptions) => {
  const throttle = new FailureThrottle(opts.maxFailures, opts.failureWindowMs ?? 3_600_000)
  app.decorateRequest('principal', null as unknown as Principal)
  app.addHook('onRequest', async (req, reply) => {
    req.principal = PUBLIC
    const h = req.headers.authorization
    if (!h) return
    const wait = throttle.retryAfter(req.ip)
    if (wait > 0) {
      reply.header('retry-after', String(wait))
      throw tooManyRequests(`too many failed authentications from this address; retry in ${wait} s`)
    }
    const m = /^Bearer\s+(\S{8,512})\s*$/i.exec(h)
    if (!m) { throttle.fail(req.ip); throw unauthorized('malformed Authorization header; expected "Bearer <token>"') }
    const p = await resolveToken(app.dbHandle, m[1], opts.adminToken)
    if (!p) { throttle.fail(req.ip); throw unauthorized('unknown or revoked token') }
    req.principal = p
  })
}, { name: 'auth', dependencies: ['db'] })
