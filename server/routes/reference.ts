// Small reference lists the map and API clients need (legal forms, size classes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SIZE_CLASSES } from '../reference/size-classes.js'
import { listLegalForms } from '../reference/queries.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/reference/legal-forms', {
    schema: { tags: ['reference'], summary: 'SCB legal forms (juridisk form); naturalPerson = sole traders, whose orgnr is personal data',
      response: { 200: Type.Array(Type.Object({ code: Type.String(), title: Type.String(), naturalPerson: Type.Boolean() })) } },
  }, async () => listLegalForms(app.dbHandle))
  app.get('/reference/size-classes', {
    schema: { tags: ['reference'], summary: 'SCB employee size classes with the estimate used where only the class is known' },
  }, async () => SIZE_CLASSES)
}
export default plugin
