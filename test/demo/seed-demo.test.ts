// First-start seeding (server/demo/seed-demo.ts) with a full-density län: the register it imports, labelled synthetic,
// and the line on how dense it is that /api/health and the methodology carry (the UI's banner and methods page).
// Gotland (09), the smallest län, keeps it quick; the product seeds Kalmar län (08) the same way.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { seedDemoIfEmpty } from '../../server/demo/seed-demo.js'
import { PRODUCT_DEMO } from '../../server/demo/density.js'
import { loadConfig } from '../../server/config.js'
import { useTestApp } from '../helpers/db.js'

const t = useTestApp('base')
let dir: string
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'kkb-seed-demo-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('seeding the demo with a full-density län', () => {
  it('imports the sample plus the län at register density, every company synthetic, and says so in health and methods', async () => {
    expect((await t.app.inject('/api/health')).json().demo).toBeNull() // nothing seeded yet
    const logs: string[] = []
    expect(await seedDemoIfEmpty(t.db, dir, (m) => logs.push(m), { companiesPerYear: 1000, fullDensityLan: ['09'] })).toBe(true)
    expect(logs.join('\n')).toMatch(/län 09 at full register density/)
    const { rows } = await t.db.query<{ lan: string; n: number; real: number }>(`SELECT k.lan_code AS lan, count(*)::int AS n,
      count(*) FILTER (WHERE NOT c.synthetic)::int AS real FROM company c JOIN kommun k ON k.code = c.kommun_code
      WHERE c.ref_year = 2025 AND c.active GROUP BY 1`)
    const byLan = new Map(rows.map((r) => [r.lan, r.n]))
    expect(rows.every((r) => r.real === 0)).toBe(true)
    // Gotland (≈ 61 000 inhabitants) at ≈ 120 active firms per 1000; Jämtland (≈ 132 000) only the sample's share of 1000
    expect(byLan.get('09')).toBeGreaterThan(6500)
    expect(byLan.get('09')).toBeLessThan(9500)
    expect(byLan.get('23')).toBeLessThan(60)

    const demo = { sampleCompanies: 1000, registerCompanies: 1_250_000, fullDensityLan: [{ code: '09', name: 'Gotlands län' }] }
    const health = (await t.app.inject('/api/health')).json()
    expect(health).toMatchObject({ synthetic: true, demo })
    expect((await t.app.inject('/api/key-figures/methodology')).json().data).toMatchObject({ synthetic: true, demo })
    // a second start does not seed again
    expect(await seedDemoIfEmpty(t.db, dir, () => {}, { companiesPerYear: 1000, fullDensityLan: ['09'] })).toBe(false)
  }, 180_000)

  it('is configured by DEMO_COMPANIES and DEMO_FULL_DENSITY_LAN, the product default when unset', () => {
    expect(loadConfig({}).demo).toEqual({ companiesPerYear: PRODUCT_DEMO.companiesPerYear, fullDensityLan: [...PRODUCT_DEMO.fullDensityLan] })
    expect(PRODUCT_DEMO.fullDensityLan).toEqual(['08'])
    expect(loadConfig({ DEMO_FULL_DENSITY_LAN: 'none' }).demo.fullDensityLan).toEqual([])
    expect(loadConfig({ DEMO_FULL_DENSITY_LAN: '08, 09' }).demo.fullDensityLan).toEqual(['08', '09'])
    expect(() => loadConfig({ DEMO_FULL_DENSITY_LAN: 'Kalmar' })).toThrow(/DEMO_FULL_DENSITY_LAN/)
    // config.ts reads numbers from process.env, whatever env loadConfig is given
    vi.stubEnv('DEMO_COMPANIES', '5000')
    try {
      expect(loadConfig({}).demo.companiesPerYear).toBe(5000)
      vi.stubEnv('DEMO_COMPANIES', '10')
      expect(() => loadConfig({})).toThrow(/DEMO_COMPANIES/)
    } finally { vi.unstubAllEnvs() }
  })
})
