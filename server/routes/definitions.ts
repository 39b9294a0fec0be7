import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getDefinition, listDefinitions } from '../definitions/queries.js'

const Summary = Type.Object({ id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean() })
const Sni = Type.Object({ code: Type.String(), version: Type.String(), title: Type.Union([Type.String(), Type.Null()]), share: Type.Number() })
const Tree = Type.Object({
  id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean(),
  description: Type.Union([Type.String(), Type.Null()]), source: Type.Union([Type.String(), Type.Null()]),
  groups: Type.Array(Type.Object({ code: Type.String(), name: Type.String(),
    categories: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), sni: Type.Array(Sni) })) })),
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/definitions', {
    schema: { tags: ['definitions'], summary: 'KKB definitions (versioned data; provisional ones say so)', response: { 200: Type.Array(Summary) } },
  }, async () => listDefinitions(app.dbHandle))
  app.get('/definitions/:id', {
    schema: {
      tags: ['definitions'], summary: 'A definition: branch groups → categories → SNI codes (both SNI versions)',
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: Tree },
    },
  }, async (req) => getDefinition(app.dbHandle, req.params.id))
}
export default plugin
