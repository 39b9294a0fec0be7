import { describe, expect, it } from 'vitest'
import { driverName, useTestApp } from '../helpers/db.js'

const ctx = useTestApp('demo')

describe('foundation', () => {
  it('reports health with the driver and a PostGIS version', async () => {
    const r = await ctx.app.inject('/api/health')
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.status).toBe('ok')
    expect(body.database).toBe(driverName())
    expect(body.postgis).toMatch(/^3\.\d+/)
    expect(body.synthetic).toBe(true)
    expect(body.years).toEqual([2024, 2025])
  })

  it('lists 290 kommuner and 21 län with population that sums to Sweden', async () => {
    const k = (await ctx.app.inject('/api/regions?level=kommun')).json()
    const l = (await ctx.app.inject('/api/regions?level=lan')).json()
    expect(k).toHaveLength(290)
    expect(l).toHaveLength(21)
    const sum = (xs: Array<{ population: number }>) => xs.reduce((a, x) => a + x.population, 0)
    expect(sum(k)).toBe(10_587_710) // SCB, 31 Dec 2024
    expect(sum(l)).toBe(10_587_710)
    expect(k.find((x: { code: string }) => x.code === '0880')).toMatchObject({ name: 'Kalmar', county: '08' })
  })

  it('serves valid (Multi)Polygon boundaries in EPSG:4326 covering Sweden', async () => {
    for (const level of ['kommun', 'lan'] as const) {
      const r = await ctx.app.inject(`/api/regions?level=${level}&format=geojson`)
      expect(r.headers['content-type']).toContain('application/geo+json')
      const fc = r.json()
      expect(fc.features).toHaveLength(level === 'kommun' ? 290 : 21)
      let minX = 180; let maxX = -180; let minY = 90; let maxY = -90
      for (const f of fc.features) {
        expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type)
        expect(typeof f.properties.code).toBe('string')
        expect(typeof f.properties.name).toBe('string')
        for (const poly of f.geometry.coordinates) for (const ring of poly) for (const [x, y] of ring) {
          minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y)
        }
      }
      expect(minX).toBeGreaterThan(10.5); expect(maxX).toBeLessThan(24.5)
      expect(minY).toBeGreaterThan(55); expect(maxY).toBeLessThan(69.2)
    }
    const { rows } = await ctx.db.query<{ bad: number }>('SELECT count(*)::int AS bad FROM kommun WHERE NOT ST_IsValid(geom) OR ST_SRID(geom) <> 4326')
    expect(rows[0].bad).toBe(0)
  })

  it('lists both definitions; the national one has 9 groups and 21 categories and says it is provisional', async () => {
    const list = (await ctx.app.inject('/api/definitions')).json()
    expect(list.map((d: { id: string }) => d.id).sort()).toEqual(['essnet-culture', 'kreametern-provisional'])
    const d = (await ctx.app.inject('/api/definitions/kreametern-provisional')).json()
    expect(d.provisional).toBe(true)
    expect(d.groups).toHaveLength(9)
    expect(d.groups.flatMap((g: { categories: unknown[] }) => g.categories)).toHaveLength(21)
    const arkitektur = d.groups[0].categories[0]
    expect(arkitektur.sni).toContainEqual({ code: '71110', version: '2007', title: 'Arkitektverksamhet', share: 1 })
    // a code appears at most once per SNI version
    const codes = d.groups.flatMap((g: any) => g.categories.flatMap((c: any) => c.sni.map((s: any) => `${s.version}/${s.code}`)))
    expect(new Set(codes).size).toBe(codes.length)
    expect((await ctx.app.inject('/api/definitions/nope')).statusCode).toBe(404)
  })

  it('searches SNI codes by prefix and title in both versions', async () => {
    const r = (await ctx.app.inject('/api/sni?q=5911&level=5')).json()
    expect(r.map((x: { code: string; version: string }) => `${x.version}/${x.code}`)).toEqual(['2007/59110', '2025/59110'])
    const t = (await ctx.app.inject('/api/sni?q=Arkitekt&version=2007&level=5')).json()
    expect(t.some((x: { code: string }) => x.code === '71110')).toBe(true)
  })

  it('publishes an OpenAPI document that lists the routes', async () => {
    const spec = (await ctx.app.inject('/api/openapi.json')).json()
    for (const p of ['/api/health', '/api/regions', '/api/definitions/{id}', '/api/key-figures', '/api/actors']) expect(spec.paths[p]).toBeDefined()
  })

  it('answers unknown routes and bad parameters with the error shape', async () => {
    const r = await ctx.app.inject('/api/nope')
    expect(r.statusCode).toBe(404)
    expect(r.json().error.code).toBe('NOT_FOUND')
    const v = await ctx.app.inject('/api/regions?level=planet')
    expect(v.statusCode).toBe(400)
    expect(v.json().error.code).toBe('VALIDATION_ERROR')
  })
})
