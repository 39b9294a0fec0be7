// Token (user) management for the admin: promoter tokens are shown once and stored hashed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../plugins/auth.js'
import { createToken, listTokens, revokeToken } from '../auth/tokens.js'
import { notFound } from '../errors.js'
import { StringEnum } from '../schema.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', requireRole('admin'))
  app.get('/tokens', { schema: { tags: ['admin'], summary: 'List API tokens (never the tokens themselves)', security: [{ bearer: [] }] } },
    async () => listTokens(app.dbHandle))
  app.post('/tokens', {
    schema: { tags: ['admin'], summary: 'Create a token; the token is shown once', security: [{ bearer: [] }],
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), role: StringEnum(['promoter', 'admin']) }) },
  }, async (req, reply) => reply.code(201).send(await createToken(app.dbHandle, req.body.name, req.body.role)))
  app.delete('/tokens/:id', {
    schema: { tags: ['admin'], summary: 'Revoke a token', security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) },
  }, async (req, reply) => {
    if (!await revokeToken(app.dbHandle, req.params.id)) throw notFound(`no active token ${req.params.id}`)
    return reply.code(204).send()
  })
  app.get('/exports', {
    schema: { tags: ['admin'], summary: 'Export log: who exported what, when, with how many rows', security: [{ bearer: [] }],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }) },
  }, async (req) => (await app.dbHandle.query(`SELECT id, at::text, who, role, route, format, filters, row_count AS "rowCount"
    FROM export_log ORDER BY id DESC LIMIT $1`, [req.query.limit])).rows)
}
export default plugin
