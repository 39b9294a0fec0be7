// Token (user) management for the admin: tokens are shown once and stored hashed; each has a role, a län scope
// (curators) and an organisation. The export log and the audit log are read here too.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../plugins/auth.js'
import { createToken, listTokens, revokeToken, tokenInfo, TOKEN_ROLES } from '../auth/tokens.js'
import { audit, listAudit, listExports } from '../auth/audit.js'
import { notFound } from '../errors.js'
import { StringEnum } from '../schema.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', requireRole('admin'))
  app.get('/tokens', { schema: { tags: ['admin'], summary: 'List API tokens (never the tokens themselves)', security: [{ bearer: [] }] } },
    async () => listTokens(app.dbHandle))
  app.post('/tokens', {
    schema: {
      tags: ['admin'], summary: 'Create a token; the token is shown once', security: [{ bearer: [] }],
      description: 'A curator token needs its län scope: `{"name": "Region Örebro", "role": "curator", "lan": ["18"]}`. `organisation` (a name) groups tokens whose saved work is shared.',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        role: StringEnum([...TOKEN_ROLES]),
        lan: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2}$' }), { maxItems: 21, description: 'län codes (curator: required, at least one)' })),
        organisation: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      }),
    },
  }, async (req, reply) => {
    const t = await createToken(app.dbHandle, req.body.name, req.body.role, { lan: req.body.lan, organisation: req.body.organisation })
    await audit(app.dbHandle, req.principal, 'token.create', `token:${t.id}`, { name: t.name, role: t.role, lan: t.lan, organisation: t.organisation })
    return reply.code(201).send(t)
  })
  app.delete('/tokens/:id', {
    schema: { tags: ['admin'], summary: 'Revoke a token (its sessions end at once)', security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) },
  }, async (req, reply) => {
    if (!await revokeToken(app.dbHandle, req.params.id)) throw notFound(`no active token ${req.params.id}`)
    const t = await tokenInfo(app.dbHandle, req.params.id)
    await audit(app.dbHandle, req.principal, 'token.revoke', `token:${req.params.id}`, { name: t?.name, role: t?.role })
    return reply.code(204).send()
  })
  app.get('/exports', {
    schema: { tags: ['admin'], summary: 'Export log: who exported what, when, with how many rows', security: [{ bearer: [] }],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }) },
  }, async (req) => listExports(app.dbHandle, req.query.limit))
  app.get('/audit', {
    schema: {
      tags: ['admin'], summary: 'Audit log: sign-ins, imports, exports, tokens created and revoked; newest first', security: [{ bearer: [] }],
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        before: Type.Optional(Type.Integer({ minimum: 1, description: 'the `next` of the previous page' })),
        action: Type.Optional(Type.String({ maxLength: 40 })),
        actor: Type.Optional(Type.String({ maxLength: 100 })),
        since: Type.Optional(Type.String({ format: 'date-time' })),
        until: Type.Optional(Type.String({ format: 'date-time' })),
      }),
    },
  }, async (req) => listAudit(app.dbHandle, req.query))
}
export default plugin
