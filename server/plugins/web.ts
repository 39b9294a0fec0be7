// Serves the built map (web/dist) at /. Built by `npm start` (scripts/build-web.mjs) before the server starts.
import { existsSync } from 'node:fs'
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
}, { name: 'web' })
