// Vector tiles (MVT) of the register and of the kommun/län boundaries, plus TileJSON 3.0 for the actor layer.
// HTTP semantics after Martin/pg_tileserv: 204 for an empty tile, strong ETag → 304, Cache-Control, gzip from the cache.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { badRequest } from '../errors.js'
import { acceptsGzip, notModified } from '../http/conditional.js'
import { toFilters } from '../actors/resolve.js'
import { ActorQuery } from './actors.schema.js'
import type { ActorFilters } from '../actors/filters.js'
import { gunzip, type CachedTile } from '../tiles/cache.js'
import { actorTileJson, regionTileJson } from '../tiles/tilejson.js'
import { CLUSTER_CELLS, inGrid, MAX_FEATURES, MAX_ZOOM, POINTS_MIN_ZOOM } from '../tiles/tile-math.js'
import { StringEnum } from '../schema.js'
import { viewerOf } from '../curated/visibility.js'
import { CURATED_TYPES } from '../curated/taxonomy.js'

/** Query keys of /api/actors that make no sense for tiles (paging, output format). */
const NOT_FOR_TILES = ['sort', 'limit', 'cursor', 'format', 'locale'] as const
export const TileQuery = Type.Omit(ActorQuery, [...NOT_FOR_TILES])
type TQ = Static<typeof TileQuery>

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: MAX_ZOOM }),
  x: Type.Integer({ minimum: 0, maximum: 2 ** MAX_ZOOM - 1 }),
  y: Type.Integer({ minimum: 0, maximum: 2 ** MAX_ZOOM - 1 }),
})
const RegionQuery = Type.Object({ level: StringEnum(['kommun', 'lan'], { default: 'kommun' }) })

const MVT = 'application/vnd.mapbox-vector-tile'
const ACTOR_MAX_AGE = 300 // s; the ETag makes revalidation after that cheap (304)
const REGION_MAX_AGE = 86_400 // boundaries change only with a reference-data reload

async function sendTile (req: FastifyRequest, reply: FastifyReply, tile: CachedTile, maxAge: number, scope: 'public' | 'private' = 'public') {
  reply.header('cache-control', `${scope}, max-age=${maxAge}`)
  reply.header('vary', 'Accept-Encoding')
  if (!tile.gz) return reply.code(204).send() // empty tile: MapLibre draws nothing, no console noise
  const gz = acceptsGzip(req.headers['accept-encoding'])
  reply.header('etag', gz ? `"${tile.etag}-gz"` : `"${tile.etag}"`)
  if (notModified(req.headers['if-none-match'], tile.etag)) return reply.code(304).send()
  if (tile.truncated) reply.header('x-tile-truncated', String(MAX_FEATURES))
  reply.type(MVT)
  if (gz) return reply.header('content-encoding', 'gzip').send(tile.gz)
  return reply.send(await gunzip(tile.gz))
}

/** The query string of this request without the keys tiles ignore, for the TileJSON `tiles` template. */
function tileQueryString (url: string): string {
  const i = url.indexOf('?')
  const qs = new URLSearchParams(i >= 0 ? url.slice(i + 1) : '')
  for (const k of NOT_FOR_TILES) qs.delete(k)
  const s = qs.toString()
  return s ? `?${s}` : ''
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const tiles = app.tiles

  /** Filters resolved (definition, default year) once per data version and distinct query. */
  // Curated entries depend on who asks (server/curated/visibility.ts): the viewer is part of their filters, so of the key.
  const filtersFor = async (q: TQ, req: FastifyRequest): Promise<{ version: string; f: ActorFilters }> => {
    const version = await tiles.version.get()
    const viewer = q.kind === 'curated' ? viewerOf(req.principal) : undefined // part of the memo key, not a filter of the query
    return { version, f: await tiles.filters(version, viewer ? { ...q, viewer } : q, () => toFilters(app.dbHandle, q, req.principal)) }
  }

  app.get('/tiles/actors/:z/:x/:y.mvt', {
    schema: {
      tags: ['tiles'], summary: 'Actors as a Mapbox vector tile (layer "actors"): grid clusters below z12, single points from z12',
      description: `Same filters as /api/actors. z < ${POINTS_MIN_ZOOM}: one point per non-empty grid cell (${CLUSTER_CELLS}×${CLUSTER_CELLS} cells per tile) ` +
        'at the mean of its actors, with cluster=true, point_count, top_group (the KKB group with most actors, "" if none) and g_<group code> / g_none counts. ' +
        `z ≥ ${POINTS_MIN_ZOOM}: id, kind, group, category, name, precision; at most ${MAX_FEATURES} features (lowest ids first; header x-tile-truncated when cut). ` +
        'Positions are the public ones: sole traders sit at their kommun\'s point; no organisation numbers. 204 = empty tile.',
      params: TileParams, querystring: TileQuery,
    },
  }, async (req, reply) => {
    const { z, x, y } = req.params
    if (!inGrid(z, x, y)) throw badRequest(`tile ${z}/${x}/${y} is outside the zoom grid (x and y must be below ${2 ** z} at z${z})`)
    const { version, f } = await filtersFor(req.query, req)
    const tile = await tiles.actorTile(version, f, z, x, y)
    // a signed-in curator's or admin's curated tile holds unpublished entries: never for a shared cache
    return sendTile(req, reply, tile, ACTOR_MAX_AGE, f.viewer && f.viewer.role !== 'public' ? 'private' : 'public')
  })

  app.get('/tiles/actors.json', {
    schema: { tags: ['tiles'], summary: 'TileJSON 3.0 for the actor tiles; the query string (filters) is carried into the tile URL', querystring: TileQuery },
  }, async (req) => {
    const { version, f } = await filtersFor(req.query, req)
    const groups = f.kind === 'education' ? [] : f.kind === 'curated' ? [...CURATED_TYPES] : await tiles.groups(version, f.definition)
    const base = `${req.protocol}://${req.host}${req.routeOptions.url!.replace(/actors\.json$/, '')}`
    return actorTileJson({ base, query: tileQueryString(req.url), f, groups, dataVersion: version, renderer: tiles.renderer })
  })

  app.get('/tiles/regions/:z/:x/:y.mvt', {
    schema: {
      tags: ['tiles'], summary: 'Kommun or län boundaries as a vector tile (layer "regions": code, name, level), simplified per zoom',
      params: TileParams, querystring: RegionQuery,
    },
  }, async (req, reply) => {
    const { z, x, y } = req.params
    if (!inGrid(z, x, y)) throw badRequest(`tile ${z}/${x}/${y} is outside the zoom grid (x and y must be below ${2 ** z} at z${z})`)
    const version = await tiles.version.get()
    return sendTile(req, reply, await tiles.regionTile(version, req.query.level, z, x, y), REGION_MAX_AGE)
  })

  app.get('/tiles/regions.json', {
    schema: { tags: ['tiles'], summary: 'TileJSON 3.0 for the boundary tiles', querystring: RegionQuery },
  }, async (req) => {
    const base = `${req.protocol}://${req.host}${req.routeOptions.url!.replace(/regions\.json$/, '')}`
    return regionTileJson(base, req.query.level)
  })
}
export default plugin
