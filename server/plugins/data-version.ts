// The data version service of the app's database (meta/data-version.ts) as `app.dataVersion`: every cache of the app
// is keyed by it and subscribes to it; imports, wherever they run, only bump the counter row.
import fp from 'fastify-plugin'
import { dataVersionOf, type DataVersion } from '../meta/data-version.js'

declare module 'fastify' {
  interface FastifyInstance { dataVersion: DataVersion }
}

export default fp(async (app) => {
  app.decorate('dataVersion', dataVersionOf(app.dbHandle))
}, { name: 'data-version', dependencies: ['db'] })
