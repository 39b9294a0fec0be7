import path from 'node:path'
import fp from 'fastify-plugin'
import { openDb, type DbHandle } from '../db/client.js'

declare module 'fastify' {
  interface FastifyInstance { dbHandle: DbHandle }
}

export default fp(async (app, opts: { handle?: DbHandle; databaseUrl?: string; dataDir: string; statementTimeoutMs: number }) => {
  // Tests pass an already-open handle (one PGlite boot per file); the server opens its own.
  const handle = opts.handle ?? await openDb({
    url: opts.databaseUrl,
    dataDir: path.join(opts.dataDir, 'pglite'),
    statementTimeoutMs: opts.statementTimeoutMs,
    log: (m) => app.log.info(m),
  })
  app.log.info({ driver: handle.driver }, 'database ready')
  app.decorate('dbHandle', handle)
  if (!opts.handle) app.addHook('onClose', () => handle.close())
}, { name: 'db' })
