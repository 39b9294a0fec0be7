import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { dataInfo } from '../meta/data-info.js'

const Health = Type.Object({
  status: Type.String(), database: Type.String(), postgis: Type.String(),
  dataVersion: Type.Integer(), synthetic: Type.Boolean(), years: Type.Array(Type.Integer()),
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const driverName = app.dbHandle.driver === 'pg' ? 'postgres' : 'pglite'
  app.get('/health', {
    schema: { tags: ['health'], summary: 'Readiness: the database answers and PostGIS is loaded',
      response: { 200: Health, 503: Type.Object({ status: Type.String(), database: Type.String(), error: Type.String() }) } },
  }, async (_req, reply) => {
    try {
      const { rows } = await app.dbHandle.query<{ v: string }>('SELECT postgis_lib_version() AS v')
      const info = await dataInfo(app.dbHandle)
      return { status: 'ok', database: driverName, postgis: rows[0].v, dataVersion: info.dataVersion, synthetic: info.synthetic, years: info.years }
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', database: driverName, error: (err as Error).message })
    }
  })
  app.get('/health/live', { schema: { tags: ['health'], summary: 'Liveness: the process runs (no database call)',
    response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }))
  app.get('/health/ready', { schema: { tags: ['health'], summary: 'Readiness (alias of /api/health)' } },
    async (_req, reply) => reply.redirect('/api/health', 307))
}
export default plugin
