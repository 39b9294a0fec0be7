// The route map: one line per resource, each an encapsulated plugin under /api.
import type { FastifyPluginAsync } from 'fastify'
import health from './health.js'
import regions from './regions.js'
import sni from './sni.js'
import definitions from './definitions.js'
import keyFigures from './key-figures.js'
import occupations from './occupations.js'
import actors from './actors.js'
import imports from './imports.js'
import tokens from './tokens.js'
import session from './session.js'
import reference from './reference.js'
import tiles from './tiles.js'
import reports from './reports.js'
import curated from './curated.js'
import segments from './segments.js'
import compare from './compare.js'

export const routes: FastifyPluginAsync = async (app) => {
  await app.register(health)
  await app.register(regions)
  await app.register(sni)
  await app.register(definitions)
  await app.register(keyFigures)
  await app.register(occupations)
  await app.register(actors)
  await app.register(imports)
  await app.register(tokens)
  await app.register(session)
  await app.register(reference)
  await app.register(tiles)
  await app.register(reports)
  await app.register(curated)
  await app.register(segments)
  await app.register(compare)
}
