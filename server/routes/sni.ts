import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
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
  }, async (req) => {
    const { q, level, version, parent, limit } = req.query
    const code = q?.replace(/\./g, '')
    return (await app.dbHandle.query<Static<typeof Sni>>(`
      SELECT code, version, level, title_sv AS title, title_en AS "titleEn", parent FROM sni
      WHERE ($1::int IS NULL OR level = $1) AND ($2::text IS NULL OR version = $2) AND ($3::text IS NULL OR parent = $3)
        AND ($4::text IS NULL OR replace(code, '.', '') LIKE $5 || '%' OR title_sv ILIKE '%' || $4 || '%' OR title_en ILIKE '%' || $4 || '%')
      ORDER BY version, code LIMIT $6`, [level ?? null, version ?? null, parent ?? null, q ?? null, code ?? null, limit])).rows
  })
}
export default plugin
