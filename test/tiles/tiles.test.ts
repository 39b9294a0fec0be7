// Vector tiles of the register on the fixture database (PGlite, or PostgreSQL when TEST_PG_URL/DATABASE_URL is set):
// decoded tiles against counts and positions computed independently from the same filter predicate.
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import type { ActorFilters } from '../../server/actors/filters.js'
import { resolveDefinition } from '../../server/definitions/queries.js'
import { bumpDataVersion, DataVersion } from '../../server/meta/data-version.js'
import { probeRenderer } from '../../server/tiles/render.js'
import { TileService } from '../../server/tiles/service.js'
import { POINT_PROPS, STACK_FID_BASE } from '../../server/tiles/sql.js'
import { inGrid, tileOf } from '../../server/tiles/tile-math.js'
import { buildTestApp, driverName, openTestDb } from '../helpers/db.js'
import { actorPoints, canonical, decode, densestTile, expectedClusters, expectedPoints, regionAreas, sameRegions, tileCoords, type ActorPoint, type Decoded } from './helpers.js'

let db: DbHandle
let app: FastifyInstance
let def: string
let groups: string[]
let all: ActorPoint[]
const F = (extra: Partial<ActorFilters> = {}): ActorFilters =>
  ({ kind: 'company', year: 2025, definition: def, status: 'active', sniRank: 'primary', ...extra })

beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  def = (await resolveDefinition(db)).id
  groups = (await db.query<{ code: string }>('SELECT code FROM kkb_group WHERE definition_id = $1 ORDER BY sort, code', [def])).rows.map((r) => r.code)
  all = await actorPoints(db, F())
})
afterAll(async () => { await app?.close(); await db?.close() })

const svc = () => app.tiles
const get = (path: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/tiles/${path}`, headers })
const tileOfActors = async (z: number, x: number, y: number, qs = '') => {
  const r = await get(`actors/${z}/${x}/${y}.mvt${qs ? `?${qs}` : ''}`)
  if (r.statusCode === 204) return []
  expect(r.statusCode, r.body).toBe(200)
  return decode(r.rawPayload)
}
const sumCount = (fs: Decoded[]) => fs.reduce((a, f) => a + Number(f.props.point_count), 0)

/** Compares a cluster tile with the clusters computed in JS from the actors' lon/lat. */
function expectClusters (got: Decoded[], pts: ActorPoint[], z: number, x: number, y: number) {
  const want = expectedClusters(pts, z, x, y)
  expect(got.map((f) => f.id).sort()).toEqual(want.map((c) => c.fid).sort())
  const byId = new Map(got.map((f) => [f.id, f]))
  for (const c of want) {
    const f = byId.get(c.fid)!
    expect(f.props.cluster).toBe(true)
    expect(f.props.point_count).toBe(c.count)
    for (const g of groups) expect(f.props[`g_${g}`]).toBe(c.groups.get(g) ?? 0)
    expect(f.props.g_none).toBe(c.groups.get(null) ?? 0)
    const top = [...c.groups.entries()].filter(([g]) => g !== null).sort((a, b) => b[1] - a[1] || (a[0]! < b[0]! ? -1 : 1))[0]
    expect(f.props.top_group).toBe(top ? top[0] : '')
    expect(Math.abs(f.x - c.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(f.y - c.y)).toBeLessThanOrEqual(1)
  }
}

/**
 * Compares a high-zoom tile with the actors in the tile + buffer: one point per actor with an address point, and one
 * stack per kommun for the actors placed at their kommun's point (count, per-group counts, top group, that point).
 */
function expectPoints (got: Decoded[], pts: ActorPoint[], z: number, x: number, y: number, kind = 'company') {
  const inTile = expectedPoints(pts, z, x, y)
  const want = inTile.filter((p) => p.precision !== 'kommun')
  const singles = got.filter((f) => !f.props.cluster)
  expect(singles.map((f) => f.id).sort((a, b) => a! - b!)).toEqual(want.map((p) => p.id))
  const byId = new Map(singles.map((f) => [f.id, f]))
  for (const p of want) {
    const f = byId.get(p.id)!
    expect(Object.keys(f.props).sort()).toEqual([...POINT_PROPS].sort())
    expect(f.props).toEqual({ id: p.id, kind, group: p.grp ?? '', category: p.category ?? '', name: p.name, precision: p.precision ?? '' })
    const [tx, ty] = tileCoords(p.lon, p.lat, z, x, y)
    expect(Math.abs(f.x - tx)).toBeLessThanOrEqual(0.51)
    expect(Math.abs(f.y - ty)).toBeLessThanOrEqual(0.51)
  }
  const stacked = new Map<string, ActorPoint[]>()
  for (const p of inTile.filter((q) => q.precision === 'kommun')) stacked.set(p.kommun!, [...(stacked.get(p.kommun!) ?? []), p])
  const stacks = got.filter((f) => f.props.cluster)
  expect(stacks.map((f) => f.props.kommun).sort()).toEqual([...stacked.keys()].sort())
  for (const f of stacks) {
    const members = stacked.get(String(f.props.kommun))!
    expect(f.id).toBe(STACK_FID_BASE + Number(f.props.kommun))
    expect(f.props).toMatchObject({ kind, precision: 'kommun', point_count: members.length })
    expect(f.props.id).toBeUndefined()
    expect(f.props.name).toBeUndefined()
    const count = (g: string | null) => members.filter((m) => m.grp === g).length
    for (const g of kind === 'education' ? [] : groups) expect(f.props[`g_${g}`]).toBe(count(g))
    expect(f.props.g_none).toBe(count(null))
    const top = [...new Set(members.map((m) => m.grp).filter((g) => g !== null))].sort((a, b) => count(b) - count(a) || (a! < b! ? -1 : 1))[0]
    expect(f.props.top_group).toBe(top ?? '')
    for (const m of members) { // they all sit on the kommun's point
      const [tx, ty] = tileCoords(m.lon, m.lat, z, x, y)
      expect(Math.abs(f.x - tx) + Math.abs(f.y - ty)).toBeLessThanOrEqual(1)
    }
  }
  // every actor of the tile is in it exactly once: as a point or in its kommun's stack
  expect(singles.length + stacks.reduce((a, f) => a + Number(f.props.point_count), 0)).toBe(inTile.length)
}

describe('actor tiles: content', () => {
  it('z0: the clusters count every placed actor exactly once, as /api/actors/count does', async () => {
    const fs = await tileOfActors(0, 0, 0)
    expect(all.length).toBeGreaterThan(1000)
    expect(sumCount(fs)).toBe(all.length)
    const total = (await app.inject('/api/actors/count?kind=company')).json().total
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company WHERE ref_year = 2025 AND active AND geom_public IS NULL')
    expect(sumCount(fs)).toBe(total - rows[0].n)
    for (const f of fs) {
      expect(groups.reduce((a, g) => a + Number(f.props[`g_${g}`]), Number(f.props.g_none))).toBe(f.props.point_count)
    }
  })

  it('low zoom (z < 12): grid clusters match a JS grid over the same actors (count, per-group counts, top group, mean point)', async () => {
    for (const z of [2, 5, 8, 11]) {
      const [x, y] = densestTile(all, z)
      const fs = await tileOfActors(z, x, y)
      expect(fs.length, `z${z}`).toBeGreaterThan(0)
      expectClusters(fs, all, z, x, y)
    }
  })

  it('high zoom (z ≥ 12): one point per actor with an address in the tile + buffer (id, kind, group, category, name, precision), one stack per kommun for the rest', async () => {
    let stacks = 0
    for (const z of [12, 13, 14]) {
      const [x, y] = densestTile(all, z)
      const fs = await tileOfActors(z, x, y)
      expect(fs.length, `z${z}`).toBeGreaterThan(0)
      expectPoints(fs, all, z, x, y)
      for (const f of fs) if (!f.props.cluster) expect(f.id).toBe(f.props.id)
      stacks += fs.filter((f) => f.props.cluster).length
    }
    expect(stacks).toBeGreaterThan(0)
  })

  it('filters narrow the tile exactly as they narrow /api/actors', async () => {
    const some = all.find((p) => p.grp)!
    const kommun = (await db.query<{ k: string }>(`SELECT kommun_code AS k FROM company WHERE ref_year = 2025 AND active
      GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows[0].k
    const cases: Array<[string, Partial<ActorFilters>]> = [
      ['kkb=true', { kkb: true }],
      [`group=${some.grp}`, { group: [some.grp!] }],
      [`category=${some.category}`, { category: [some.category!] }],
      [`kommun=${kommun}`, { kommun: [kommun] }],
      ['lan=01,12', { lan: ['01', '12'] }],
      ['sizeClass=0,1', { sizeClass: ['0', '1'] }],
      ['legalForm=49', { legalForm: ['49'] }],
      ['q=ab', { q: 'ab' }],
      ['year=2024&status=all', { year: 2024, status: 'all' }],
      ['sni=90', { sni: ['90'] }],
    ]
    for (const [qs, extra] of cases) {
      const pts = await actorPoints(db, F(extra))
      expect(pts.length, qs).toBeGreaterThan(0)
      const z0 = await tileOfActors(0, 0, 0, qs)
      expect(sumCount(z0), qs).toBe(pts.length)
      if (qs !== 'year=2024&status=all') expect(pts.length, qs).toBeLessThan(all.length)
      const [x5, y5] = densestTile(pts, 5)
      expectClusters(await tileOfActors(5, x5, y5, qs), pts, 5, x5, y5)
      const [x, y] = densestTile(pts, 13)
      expectPoints(await tileOfActors(13, x, y, qs), pts, 13, x, y)
    }
    const grp = some.grp!
    for (const f of await tileOfActors(4, ...densestTile(all, 4), `group=${grp}`)) {
      expect(f.props[`g_${grp}`]).toBe(f.props.point_count)
      expect(f.props.top_group).toBe(grp)
    }
  })

  it('workplaces and education providers have their own tiles', async () => {
    const edu = await actorPoints(db, F({ kind: 'education', year: 2025 }))
    expect(edu.length).toBeGreaterThan(10)
    expect(sumCount(await tileOfActors(0, 0, 0, 'kind=education'))).toBe(edu.length)
    const [x, y] = densestTile(edu, 12)
    expectPoints(await tileOfActors(12, x, y, 'kind=education'), edu.map((p) => ({ ...p, grp: null, category: null })), 12, x, y, 'education')
    const wp = await actorPoints(db, F({ kind: 'workplace' }))
    expect(sumCount(await tileOfActors(0, 0, 0, 'kind=workplace'))).toBe(wp.length)
  })

  it('sole traders appear only in their kommun\'s stack at the kommun point, never at their exact point, and no organisation number is in any tile', async () => {
    const { rows } = await db.query<{ id: number; orgnr: string; kommun: string; lon: number; lat: number; plon: number; plat: number }>(`
      SELECT id::int AS id, orgnr, kommun_code AS kommun, ST_X(geom) AS lon, ST_Y(geom) AS lat, ST_X(geom_public) AS plon, ST_Y(geom_public) AS plat
      FROM company WHERE sole_trader AND ref_year = 2025 AND active AND geom IS NOT NULL AND ST_Distance(geom, geom_public) > 0.005
      ORDER BY id LIMIT 25`)
    expect(rows.length).toBeGreaterThan(5)
    for (const s of rows) {
      const [x, y] = tileOf(s.lon, s.lat, 14)
      const exact = await get(`actors/14/${x}/${y}.mvt`)
      const fs = exact.statusCode === 204 ? [] : decode(exact.rawPayload)
      const [ex, ey] = tileCoords(s.lon, s.lat, 14, x, y)
      expect(fs.find((f) => f.id === s.id || f.props.id === s.id), `sole trader ${s.id} as a single point`).toBeUndefined()
      expect(fs.filter((f) => Math.abs(f.x - ex) < 1 && Math.abs(f.y - ey) < 1 && f.props.precision === 'kommun')).toEqual([])
      const [px, py] = tileOf(s.plon, s.plat, 14)
      const pub = await get(`actors/14/${px}/${py}.mvt`)
      const stack = decode(pub.rawPayload).find((g) => g.props.kommun === s.kommun)
      expect(stack?.props).toMatchObject({ cluster: true, precision: 'kommun' })
      expect(Number(stack!.props.point_count)).toBeGreaterThan(0)
      const [qx, qy] = tileCoords(s.plon, s.plat, 14, px, py)
      expect(Math.abs(stack!.x - qx)).toBeLessThanOrEqual(0.51)
      expect(Math.abs(stack!.y - qy)).toBeLessThanOrEqual(0.51)
      for (const body of [exact.rawPayload, pub.rawPayload]) {
        expect(body.includes(Buffer.from(s.orgnr))).toBe(false)
        expect(body.includes(Buffer.from(`${s.orgnr.slice(0, 6)}-${s.orgnr.slice(6)}`))).toBe(false)
      }
    }
  })

  it('sends the cached gzip bytes with Content-Encoding: gzip when the client accepts it', async () => {
    const [x, y] = densestTile(all, 6)
    const plain = await get(`actors/6/${x}/${y}.mvt`)
    const gz = await get(`actors/6/${x}/${y}.mvt`, { 'accept-encoding': 'br, gzip;q=0.8' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-gz"`)
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true)
    expect((await get(`actors/6/${x}/${y}.mvt`, { 'accept-encoding': 'gzip;q=0, br' })).headers['content-encoding']).toBeUndefined()
    expect((await get(`actors/6/${x}/${y}.mvt`, { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) })).statusCode).toBe(304)
  })

  it('204 for an empty tile; 400 (error shape) outside the zoom grid or for bad filters', async () => {
    const empty = await get('actors/14/0/0.mvt')
    expect(empty.statusCode).toBe(204)
    expect(empty.rawPayload.length).toBe(0)
    expect(empty.headers['cache-control']).toMatch(/^public/)
    expect((await get('actors/10/512/300.mvt?q=zzzzqqqqxxxx')).statusCode).toBe(204)
    for (const [path, code] of [['actors/2/4/0.mvt', 'BAD_REQUEST'], ['actors/3/0/8.mvt', 'BAD_REQUEST'], ['actors/0/1/0.mvt', 'BAD_REQUEST'],
      ['actors/23/0/0.mvt', 'VALIDATION_ERROR'], ['actors/5/-1/0.mvt', 'VALIDATION_ERROR'], ['actors/5/a/0.mvt', 'VALIDATION_ERROR'],
      ['actors/5/1/1.mvt?sni=ab', 'BAD_REQUEST'], ['actors/5/1/1.mvt?kind=ship', 'VALIDATION_ERROR'], ['regions/1/2/0.mvt', 'BAD_REQUEST']] as const) {
      const r = await get(path)
      expect(r.statusCode, path).toBe(400)
      expect(r.json().error.code, path).toBe(code)
      expect(typeof r.json().error.message).toBe('string')
    }
  })

  it('renders a tile once for many concurrent misses (promise cache), then serves it from memory', async () => {
    const [x, y] = densestTile(all, 7)
    const url = `actors/7/${x}/${y}.mvt?status=all&sizeClass=0,1,2`
    const before = svc().stats().renders
    const rs = await Promise.all(Array.from({ length: 25 }, () => get(url)))
    expect(new Set(rs.map((r) => r.statusCode))).toEqual(new Set([200]))
    expect(new Set(rs.map((r) => r.headers.etag)).size).toBe(1)
    expect(svc().stats().renders - before).toBe(1)
    await get(url.replace('sizeClass=0,1,2', 'sizeClass=2,1,0,1')) // same filters, other spelling: same cache entry
    expect(svc().stats().renders - before).toBe(1)
  })

  it('a new data version (an import) invalidates the cache; the version is re-read at most every ~2 s', async () => {
    const [x, y] = densestTile(all, 10)
    await get(`actors/10/${x}/${y}.mvt`)
    const r0 = svc().stats().renders
    await get(`actors/10/${x}/${y}.mvt`)
    expect(svc().stats().renders).toBe(r0)
    await bumpDataVersion(db)
    app.dataVersion.invalidate() // what an in-process import does (dataChanged()); another process's import is seen within ~1 s
    await get(`actors/10/${x}/${y}.mvt`)
    expect(svc().stats().renders).toBe(r0 + 1)

    const dv = new DataVersion(db, 150)
    const v1 = await dv.get()
    await bumpDataVersion(db)
    expect(await dv.get()).toBe(v1)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await dv.get()).not.toBe(v1)
  })
})

describe('renderers', () => {
  it(`probes the renderer: ST_AsMVT on PostgreSQL, geojson-vt on PGlite (${driverName()})`, async () => {
    expect(await probeRenderer(db)).toBe(driverName() === 'postgres' ? 'st_asmvt' : 'geojson-vt')
    expect(svc().renderer).toBe(await probeRenderer(db))
  })

  it('ST_AsMVT and geojson-vt give the same features for the same rows (where ST_AsMVT exists)', async (ctx) => {
    if (driverName() !== 'postgres') ctx.skip()
    const st = await TileService.create(db, { renderer: 'st_asmvt' })
    const js = await TileService.create(db, { renderer: 'geojson-vt' })
    let compared = 0
    for (const [f, pts] of [[F(), all], [F({ kkb: true }), await actorPoints(db, F({ kkb: true }))]] as const) {
      for (const z of [0, 3, 5, 7, 9, 11, 12, 13, 14]) {
        const [x, y] = densestTile(pts, z)
        for (const [tx, ty] of [[x, y], [x + 1, y], [x, y + 1]].filter(([i, j]) => inGrid(z, i, j))) {
          const a = await st.renderActors(f, z, tx, ty, groups)
          const b = await js.renderActors(f, z, tx, ty, groups)
          expect(canonical(decode(b.mvt)), `${z}/${tx}/${ty}`).toEqual(canonical(decode(a.mvt)))
          expect(b.features).toBe(a.features)
          compared += a.features
        }
      }
    }
    expect(compared).toBeGreaterThan(300)
  })
})

describe('TileJSON', () => {
  it('describes the layer and carries the filters into an absolute tile URL', async () => {
    const r = await app.inject({ url: '/api/tiles/actors.json?kkb=true&group=1,2&limit=5&format=csv&sort=name', headers: { host: 'atlas.example:8080' } })
    expect(r.statusCode).toBe(200)
    const tj = r.json()
    expect(tj.tilejson).toBe('3.0.0')
    expect(tj.tiles).toEqual(['http://atlas.example:8080/api/tiles/actors/{z}/{x}/{y}.mvt?kkb=true&group=1%2C2'])
    expect(tj.minzoom).toBe(0)
    expect(tj.maxzoom).toBe(14)
    expect(tj.bounds).toHaveLength(4)
    expect(tj.bounds[0]).toBeLessThan(11.2); expect(tj.bounds[2]).toBeGreaterThan(24)
    expect(tj.vector_layers[0].id).toBe('actors')
    const fields = Object.keys(tj.vector_layers[0].fields)
    for (const k of ['cluster', 'point_count', 'top_group', 'kommun', 'g_none', ...groups.map((g) => `g_${g}`), ...POINT_PROPS]) expect(fields).toContain(k)
    const plain = (await app.inject('/api/tiles/actors.json')).json()
    expect(plain.tiles[0]).toMatch(/^http:\/\/[^/]+\/api\/tiles\/actors\/\{z\}\/\{x\}\/\{y\}\.mvt$/)
    expect((await app.inject('/api/tiles/actors.json?kind=ship')).statusCode).toBe(400)
  })
})

describe('region tiles', () => {
  it('serve kommun and län polygons (layer "regions": code, name, level), simplified per zoom', async () => {
    const z0 = await get('regions/0/0/0.mvt?level=lan')
    expect(z0.statusCode).toBe(200)
    const lan = decode(z0.rawPayload, 'regions')
    expect(lan.map((f) => f.props.code).sort()).toEqual((await db.query<{ code: string }>('SELECT code FROM lan ORDER BY code')).rows.map((r) => r.code))
    for (const f of lan) expect(Object.keys(f.props).sort()).toEqual(['code', 'level', 'name'])
    expect(lan.every((f) => f.props.level === 'lan' && f.id === Number(f.props.code))).toBe(true)

    const [x, y] = tileOf(18.07, 59.33, 8) // Stockholm
    const k = await get(`regions/8/${x}/${y}.mvt`)
    const codes = decode(k.rawPayload, 'regions').map((f) => f.props.code)
    expect(codes).toContain('0180')
    const { rows } = await db.query<{ code: string }>(`SELECT code FROM kommun
      WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(8, $1, $2)) ORDER BY code`, [x, y])
    for (const r of rows) expect(codes).toContain(r.code)
    expect(k.headers['cache-control']).toMatch(/max-age=\d{4,}/)
    const small = (await get('regions/3/4/2.mvt')).rawPayload.length
    expect(small).toBeLessThan(400_000)
    expect((await get('regions/6/0/0.mvt')).statusCode).toBe(204)
    expect((await get('regions/3/4/2.mvt?level=county')).statusCode).toBe(400)
  })

  it('both renderers give the same regions per tile (where ST_AsMVT exists)', async (ctx) => {
    if (driverName() !== 'postgres') ctx.skip()
    const st = await TileService.create(db, { renderer: 'st_asmvt' })
    const js = await TileService.create(db, { renderer: 'geojson-vt' })
    for (const [z, x, y] of [[0, 0, 0], [4, 8, 4], [7, 70, 37], [10, 562, 300]]) {
      const a = (await st.renderRegions('kommun', z, x, y)).mvt
      const b = (await js.renderRegions('kommun', z, x, y)).mvt
      expect(sameRegions(a, b), `${z}/${x}/${y}`).toEqual({ onlyA: [], onlyB: [] })
      expect(regionAreas(a).size).toBeGreaterThan(0)
    }
  })
})
