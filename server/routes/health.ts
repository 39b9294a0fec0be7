import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { dataInfo } from '../meta/data-info.js'
import { postgisVersion } from '../db/availability.js'

const Health = Type.Object({
  status: Type.String(), database: Type.String(), postgis: Type.String(),
  dataVersion: Type.Integer(), synthetic: Type.Boolean(), years: Type.Array(Type.Integer()),
  // how dense the seeded demo is (server/demo/density.ts); null for real data
  demo: Type.Union([Type.Null(), Type.Object({ sampleCompanies: Type.Integer(), registerCompanies: Type.Integer(),
    fullDensityLan: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) })]),
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const driverName = app.dbHandle.driver === 'pg' ? 'postgres' : 'pglite'
  app.get('/health', {
    schema: { tags: ['health'], summary: 'Readiness: the database answers (within HEALTH_TIMEOUT_MS) and PostGIS is loaded',
      description: '503 status "busy" when the database does not answer a trivial query in time (a long import on the embedded database, a full pool), "unavailable" when it cannot be reached.',
      response: { 200: Health, 503: Type.Object({ status: Type.String(), database: Type.String(), error: Type.String() }) } },
  }, async (_req, reply) => {
    const check = async () => {
      const postgis = await postgisVersion(app.dbHandle)
      const info = await dataInfo(app.dbHandle)
      return { status: 'ok', database: driverName, postgis, dataVersion: info.dataVersion, synthetic: info.synthetic, years: info.years, demo: info.demo }
    }
    const ms = app.config.healthTimeoutMs
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), ms) })
    try {
      const checking = check()
      checking.catch(() => {}) // when it fails after the deadline, nobody awaits it any more
      const r = await Promise.race([checking, late]) // the query stays queued; the probe answers in bounded time
      if (r === 'late') {
        return reply.code(503).header('retry-after', '5').send({ status: 'busy', database: driverName, error: `the database did not answer within ${ms} ms` })
      }
      return r
    } catch (err) {
      return reply.code(503).header('retry-after', '5').send({ status: 'unavailable', database: driverName, error: (err as Error).message })
    } finally {
      clearTimeout(timer)
    }
  })
  app.get('/health/live', { schema: { tags: ['health'], summary: 'Liveness: the process runs (no database call)',
    response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }))
  app.get('/health/ready', { schema: { tags: ['health'], summary: 'Readiness (alias of /api/health)' } },
    async (_req, reply) => reply.redirect('/api/health', 307))
}
export default plugin
