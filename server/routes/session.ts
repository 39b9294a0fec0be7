// Sign-in for the browser: the token goes in the body (never in a URL), comes back as an HttpOnly session cookie, and is
// not kept anywhere. GET says who the request is (the page's header and its CSRF token); DELETE signs out.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { identityOfToken } from '../auth/identity.js'
import { createSession, endSession, sessionCookie } from '../auth/sessions.js'
import { audit } from '../auth/audit.js'
import { clearSessionCookie } from '../plugins/auth.js'
import { tooManyRequests, unauthorized } from '../errors.js'
import { PUBLIC } from '../auth/tokens.js'
import { StringEnum } from '../schema.js'

export const WhoAmI = Type.Object({
  signedIn: Type.Boolean(),
  name: Type.String(),
  role: StringEnum(['public', 'promoter', 'curator', 'admin']),
  lan: Type.Array(Type.String()),
  organisation: Type.Union([Type.String(), Type.Null()]),
  via: StringEnum(['public', 'bearer', 'session']),
  csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'send it back in X-CSRF-Token with every POST/PATCH/PUT/DELETE of this session' }),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'WhoAmI' })

const whoAmI = (req: FastifyRequest, csrf = req.auth.csrf ?? null, expiresAt = req.auth.expiresAt ?? null) => ({
  signedIn: req.principal.role !== 'public', name: req.principal.name, role: req.principal.role, lan: req.principal.lan,
  organisation: req.principal.organisation, via: req.auth.via, csrfToken: csrf, expiresAt,
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/session', {
    schema: { tags: ['session'], summary: 'Who am I: name, role, län scope, organisation and the session\'s CSRF token', response: { 200: WhoAmI } },
  }, async (req, reply) => { reply.header('cache-control', 'no-store'); return whoAmI(req) })

  app.post('/session', {
    schema: {
      tags: ['session'], summary: 'Sign in with a token (in the body); sets an HttpOnly session cookie',
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }),
      response: { 200: WhoAmI },
    },
  }, async (req, reply) => {
    const throttle = app.authThrottle
    const wait = throttle.retryAfter(req.ip)
    if (wait > 0) { reply.header('retry-after', String(wait)); throw tooManyRequests(`too many failed sign-ins from this address; retry in ${wait} s`) }
    const p = await identityOfToken(app.dbHandle, req.body.token.trim(), app.config.adminToken)
    if (!p) {
      throttle.fail(req.ip)
      await audit(app.dbHandle, PUBLIC, 'sign-in-failed', null, { ip: req.ip })
      throw unauthorized('unknown or revoked token')
    }
    if (req.auth.sessionId) await endSession(app.dbHandle, req.auth.sessionId) // a new sign-in replaces the old session
    const s = await createSession(app.dbHandle, p.subject!, app.config.sessionTtlMs)
    await audit(app.dbHandle, p, 'sign-in', p.subject, { ip: req.ip, expiresAt: s.expiresAt })
    req.principal = p
    req.auth = { via: 'session', sessionId: s.id, csrf: s.csrf, expiresAt: s.expiresAt }
    reply.header('set-cookie', sessionCookie(s.id, { secure: req.protocol === 'https', maxAgeS: app.config.sessionTtlMs / 1000 }))
    reply.header('cache-control', 'no-store')
    return whoAmI(req)
  })

  app.delete('/session', {
    schema: { tags: ['session'], summary: 'Sign out: ends the session and removes its cookie' },
  }, async (req, reply) => {
    if (req.auth.sessionId) {
      await endSession(app.dbHandle, req.auth.sessionId)
      await audit(app.dbHandle, req.principal, 'sign-out', req.principal.subject)
      clearSessionCookie(req, reply)
    }
    return reply.code(204).send()
  })
}
export default plugin
