// Small reference lists the map and API clients need (legal forms, size classes) and the client configuration.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SIZE_CLASSES } from '../reference/size-classes.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/reference/legal-forms', {
    schema: { tags: ['reference'], summary: 'SCB legal forms (juridisk form); naturalPerson = sole traders, whose orgnr is personal data',
      response: { 200: Type.Array(Type.Object({ code: Type.String(), title: Type.String(), naturalPerson: Type.Boolean() })) } },
  }, async () => (await app.dbHandle.query<{ code: string; title: string; naturalPerson: boolean }>(
    'SELECT code, title_sv AS title, natural_person AS "naturalPerson" FROM legal_form ORDER BY code')).rows)
  app.get('/reference/size-classes', {
    schema: { tags: ['reference'], summary: 'SCB employee size classes with the estimate used where only the class is known' },
  }, async () => SIZE_CLASSES)
  app.get('/config', {
    schema: { tags: ['reference'], summary: 'Client configuration: optional external basemap style',
      response: { 200: Type.Object({ basemapStyleUrl: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async () => ({ basemapStyleUrl: app.config.basemapStyleUrl ?? null }))
}
export default plugin
