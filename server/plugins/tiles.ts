// The tile service (renderer probe, tile cache keyed by the data version) as `app.tiles`, for the tile routes.
import fp from 'fastify-plugin'
import { TileService } from '../tiles/service.js'

declare module 'fastify' {
  interface FastifyInstance { tiles: TileService }
}

export default fp(async (app) => {
  const tiles = await TileService.create(app.dbHandle, { version: app.dataVersion })
  app.log.info({ renderer: tiles.renderer }, 'tile renderer selected')
  app.decorate('tiles', tiles)
}, { name: 'tiles', dependencies: ['db', 'data-version'] })
