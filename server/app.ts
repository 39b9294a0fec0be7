// build() assembles the app and never listens: the server and the tests use the same function.
import Fastify, { type FastifyBaseLogger, type FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { Config } from './config.js'
import { loadConfig } from './config.js'
import { ApiError, badRequest } from './errors.js'
import { OneLinePerRequest } from './logging.js'
import type { DbHandle } from './db/client.js'
import dbPlugin from './plugins/db.js'
import authPlugin from './plugins/auth.js'
import errorsPlugin from './plugins/errors.js'
import swaggerPlugin from './plugins/swagger.js'
import exportSlotsPlugin from './plugins/export-slots.js'
import dataVersionPlugin from './plugins/data-version.js'
import tilesPlugin from './plugins/tiles.js'
import retentionPlugin from './plugins/retention.js'
import { cutStalledSockets } from './http/stalled-sockets.js'
import { routes } from './routes/index.js'

export interface BuildOptions {
  config?: Partial<Config>
  /** an already opened database (server, tests); otherwise opened from config */
  db?: DbHandle
  logger?: FastifyBaseLogger
  /** serve the built web app from web/dist at / */
  web?: boolean
}

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

export async function build (opts: BuildOptions = {}) {
  const config: Config = { ...loadConfig(), ...opts.config }
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    logController: new OneLinePerRequest(), // one short line per request instead of two raw ones
    bodyLimit: 1024 * 1024,
    // behind a load balancer: the client's address, and whether the page came over TLS (Secure cookies), from X-Forwarded-*
    trustProxy: config.trustProxy as boolean, // (typed as boolean only to keep Fastify's http1 overload; numbers and address lists work too)
    // Uploads and exports stream for minutes, so no limit on a whole request (requestTimeout); instead a connection with
    // no traffic for IDLE_TIMEOUT_MS is closed when the client is the one stalling (http/stalled-sockets.ts).
    requestTimeout: 0,
    connectionTimeout: config.idleTimeoutMs,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: 'all', allErrors: false } },
    pluginTimeout: 180_000, // the embedded database boots PostGIS in ~20 s on a cold 2-core machine
    // router errors (bad %-encoding in the path, over-long path parameter) bypass the error handler: same shape here
    frameworkErrors: (err, _req, reply) => { (reply as unknown as FastifyReply).code(400).send({ error: { code: err.code, message: err.message } }) },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.decorate('config', config)
  cutStalledSockets(app.server, (why) => app.log.info(`connection closed after ${config.idleTimeoutMs} ms: ${why}`))
  const basemapOrigins = config.basemapStyleUrl ? [new URL(config.basemapStyleUrl).origin] : []
  await app.register(errorsPlugin)
  // ajv coerces "Infinity" or "1e400" to Infinity and then skips minimum/maximum (it only checks finite numbers): refuse them
  app.addHook('preHandler', async (req) => {
    for (const part of [req.query, req.params, req.body]) {
      if (!part || typeof part !== 'object' || typeof (part as { pipe?: unknown }).pipe === 'function') continue // not an upload stream
      for (const [k, v] of Object.entries(part)) if (typeof v === 'number' && !Number.isFinite(v)) throw badRequest(`${k} must be a finite number`)
    }
  })
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"],
        // an optional external basemap (BASEMAP_STYLE_URL) is the only other origin the map may talk to
        imgSrc: ["'self'", 'data:', 'blob:', ...basemapOrigins], workerSrc: ["'self'", 'blob:'], connectSrc: ["'self'", ...basemapOrigins],
        fontSrc: ["'self'", 'data:'], childSrc: ["'self'", 'blob:'],
      },
    },
    crossOriginEmbedderPolicy: false,
  })
  await app.register(cors, { origin: config.corsOrigin, exposedHeaders: ['etag', 'content-disposition'] })
  await app.register(swaggerPlugin)
  await app.register(dbPlugin, { handle: opts.db, databaseUrl: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: config.statementTimeoutMs })
  await app.register(dataVersionPlugin)
  await app.register(tilesPlugin)
  await app.register(authPlugin, { adminToken: config.adminToken, maxFailures: config.authFailuresPerHour, corsOrigin: config.corsOrigin })
  await app.register(exportSlotsPlugin)
  await app.register(retentionPlugin)
  // Rate limit the public role only: tokens are accountable and exports by them are logged. Tiles and TileJSON have
  // their own, generous budget (a map view loads dozens of tiles) in a separate bucket, so panning does not eat the
  // list's budget, yet a scraper of the z12+ tiles (ids and names) is throttled too.
  const isTile = (req: { url: string }) => req.url.startsWith('/api/tiles/')
  await app.register(rateLimit, {
    global: true, timeWindow: '1 minute',
    max: (req) => (isTile(req) ? config.tileRateLimitPerMinute : config.rateLimitPerMinute),
    keyGenerator: (req) => (isTile(req) ? `tiles|${req.ip}` : req.ip),
    allowList: (req) => req.principal?.role !== 'public',
    hook: 'preHandler',
    // thrown by the plugin and rendered by the error handler: an ApiError keeps code and message
    errorResponseBuilder: (_req, ctx) => new ApiError(ctx.statusCode, 'RATE_LIMITED', `too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
  })
  await app.register(routes, { prefix: '/api' })
  if (opts.web) {
    const { default: webPlugin } = await import('./plugins/web.js')
    await app.register(webPlugin)
  }
  return app
}
