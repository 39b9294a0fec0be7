// PostgreSQL run only: the same fixture register imported into an embedded PGlite too, and the same tiles rendered on
// both back-ends (ST_AsMVT vs geojson-vt over the same feature SQL) must decode to the same features.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type DbHandle } from '../../server/db/client.js'
import type { ActorFilters } from '../../server/actors/filters.js'
import { seedReference } from '../../server/reference/seed-reference.js'
import { seedDefinitions } from '../../server/definitions/load.js'
import { TileService } from '../../server/tiles/service.js'
import { driverName, openTestDb } from '../helpers/db.js'
import { importFixtureRegister } from '../helpers/fixture.js'
import { actorPoints, decode, densestTile, regionAreas, sameRegions, type Decoded } from './helpers.js'

const onPg = driverName() === 'postgres'
let pgDb: DbHandle
let lite: DbHandle
let dir: string

beforeAll(async () => {
  if (!onPg) return
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-tiles-x-'))
  pgDb = await openTestDb('demo')
  lite = await openDb({ url: 'memory://' })
  await seedReference(lite)
  await seedDefinitions(lite)
  await importFixtureRegister(lite, dir)
}, 300_000)
afterAll(async () => { await lite?.close(); await pgDb?.close(); if (dir) rmSync(dir, { recursive: true, force: true }) })

/** Clusters compare with their (grid-derived) ids; points without the actor id (identity values may differ per database). */
const key = (fs: Decoded[]) => fs.map((f) => {
  const { id: _id, ...props } = f.props
  return JSON.stringify([f.props.cluster ? f.id : null, f.x, f.y, Object.entries(props).sort()])
}).sort()

describe.runIf(onPg)('PGlite and PostgreSQL give the same tiles', () => {
  it('actor tiles z0–14, unfiltered and filtered', async () => {
    const pgSvc = await TileService.create(pgDb)
    const liteSvc = await TileService.create(lite)
    expect(pgSvc.renderer).toBe('st_asmvt')
    expect(liteSvc.renderer).toBe('geojson-vt')
    const def = 'kreametern-provisional'
    const groups = await pgSvc.groups('x', def)
    expect(await liteSvc.groups('x', def)).toEqual(groups)
    const base: ActorFilters = { kind: 'company', year: 2025, definition: def, status: 'active', sniRank: 'primary' }
    let features = 0
    for (const f of [base, { ...base, kkb: true }, { ...base, kind: 'workplace' } as ActorFilters, { ...base, year: 2024, lan: ['01', '14'] }]) {
      const pts = await actorPoints(pgDb, f)
      expect((await actorPoints(lite, f)).length).toBe(pts.length)
      for (let z = 0; z <= 14; z++) {
        const [x, y] = densestTile(pts, z)
        const a = await pgSvc.renderActors(f, z, x, y, groups)
        const b = await liteSvc.renderActors(f, z, x, y, groups)
        expect(key(decode(b.mvt)), `${JSON.stringify(f)} ${z}/${x}/${y}`).toEqual(key(decode(a.mvt)))
        features += a.features
      }
    }
    expect(features).toBeGreaterThan(1000)
  })

  it('region tiles hold the same regions', async () => {
    const pgSvc = await TileService.create(pgDb)
    const liteSvc = await TileService.create(lite)
    for (const [z, x, y] of [[0, 0, 0], [5, 17, 9], [8, 140, 74]]) {
      for (const level of ['kommun', 'lan'] as const) {
        const a = (await pgSvc.renderRegions(level, z, x, y)).mvt
        const b = (await liteSvc.renderRegions(level, z, x, y)).mvt
        expect(sameRegions(a, b), `${level} ${z}/${x}/${y}`).toEqual({ onlyA: [], onlyB: [] })
        expect(regionAreas(b).size).toBeGreaterThan(0)
      }
    }
  })
})
