import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { boundaryCache, listRegions, listRegionSets } from '../regions/queries.js'
import { StringEnum } from '../schema.js'

const Region = Type.Object({
  code: Type.String(), name: Type.String(), county: Type.Union([Type.String(), Type.Null()]),
  countyName: Type.Union([Type.String(), Type.Null()]),
  population: Type.Union([Type.Integer(), Type.Null()]), populationYear: Type.Union([Type.Integer(), Type.Null()]),
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const boundaries = boundaryCache(app.dbHandle)
  app.get('/regions', {
    schema: {
      tags: ['regions'], summary: 'Län or kommuner with population; format=geojson gives the boundaries (EPSG:4326)',
      querystring: Type.Object({
        level: StringEnum(['lan', 'kommun'], { default: 'kommun' }),
        format: StringEnum(['json', 'geojson'], { default: 'json' }),
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
        detail: Type.Optional(Type.Boolean({ description: 'geojson: Lantmäteriet 1:1 M boundaries incl. water instead of the land-clipped SCB layer' })),
        tolerance: Type.Optional(Type.Number({ minimum: 0, maximum: 0.1, description: 'geojson: simplification tolerance in degrees' })),
      }),
      response: { 200: Type.Union([Type.Array(Region), Type.Unknown()]) },
    },
  }, async (req, reply) => {
    const { level, format, year, detail, tolerance } = req.query
    if (format === 'geojson') {
      const body = await boundaries(level, { detail, tolerance })
      return reply.type('application/geo+json').header('cache-control', 'public, max-age=3600').send(body)
    }
    return listRegions(app.dbHandle, level, year)
  })
  app.get('/region-sets', {
    schema: { tags: ['regions'], summary: 'Named custom region sets (level=custom in key figures)' },
  }, async () => listRegionSets(app.dbHandle))
}
export default plugin
