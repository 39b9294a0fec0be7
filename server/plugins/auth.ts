// Resolves `Authorization: Bearer …` to a role on every request. An unknown token is a 401, never silently public.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { PUBLIC, resolveToken, type Principal, type Role } from '../auth/tokens.js'
import { forbidden, unauthorized } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal }
}

const RANK: Record<Role, number> = { public: 0, promoter: 1, admin: 2 }

/** preHandler for routes that need at least `role`. */
export const requireRole = (role: Role) => async (req: FastifyRequest) => {
  if (RANK[req.principal.role] >= RANK[role]) return
  throw req.principal.role === 'public' ? unauthorized() : forbidden()
}

export default fp(async (app, opts: { adminToken?: string }) => {
  app.decorateRequest('principal', null as unknown as Principal)
  app.addHook('onRequest', async (req) => {
    req.principal = PUBLIC
    const h = req.headers.authorization
    if (!h) return
    const m = /^Bearer\s+(\S{8,512})\s*$/i.exec(h)
    if (!m) throw unauthorized('malformed Authorization header; expected "Bearer <token>"')
    const p = await resolveToken(app.dbHandle, m[1], opts.adminToken)
    if (!p) throw unauthorized('unknown or revoked token')
    req.principal = p
  })
}, { name: 'auth', dependencies: ['db'] })
