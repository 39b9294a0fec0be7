// Serves the built map (web/dist) at /. Built by `npm start` (scripts/build-web.mjs) before the server starts.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { ROOT } from '../paths.js'

export default fp(async (app) => {
  const dist = path.join(ROOT, 'web', 'dist')
  if (!existsSync(path.join(dist, 'index.html'))) {
    app.log.warn('web/dist is missing: run `npm run build:web`; only the API is served')
    return
  }
  await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: ['index.html'],
    setHeaders: (reply, file) => {
      reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
    } })

  // /embed: the same app in its embed layout (one chart or the map of a region, for an iframe on another site). Only
  // here may other origins frame the page (CSP frame-ancestors from EMBED_ORIGINS, no X-Frame-Options); every other
  // page keeps helmet's framing protection.
  const index = readFileSync(path.join(dist, 'index.html'))
  const ancestors = app.config.embedOrigins.length ? app.config.embedOrigins.join(' ') : "'none'"
  app.get('/embed', { schema: { hide: true } }, async (_req, reply) => {
    const csp = String(reply.getHeader('content-security-policy') ?? '')
    reply.removeHeader('x-frame-options')
    reply.header('content-security-policy', `${csp.replace(/;?\s*frame-ancestors [^;]*/, '')};frame-ancestors ${ancestors}`)
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index)
  })
}, { name: 'web' })
