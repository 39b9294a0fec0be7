import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { searchSni } from '../reference/queries.js'
import { StringEnum } from '../schema.js'

const Sni = Type.Object({
  code: Type.String(), version: Type.String(), level: Type.Integer(), title: Type.Union([Type.String(), Type.Null()]),
  titleEn: Type.Union([Type.String(), Type.Null()]), parent: Type.Union([Type.String(), Type.Null()]),
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/sni', {
    schema: {
      tags: ['reference'], summary: 'SNI codes (2007 and 2025), searchable by code prefix or title',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 100 })),
        level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
        version: Type.Optional(StringEnum(['2007', '2025'])),
        parent: Type.Optional(Type.String({ maxLength: 10 })),
        limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
      }),
      response: { 200: Type.Array(Sni) },
    },
  }, async (req) => searchSni(app.dbHandle, req.query))
}
export default plugin
