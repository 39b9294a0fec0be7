// The demo's synthetic occupation table: seeded beside the synthetic register through the real statistics import,
// labelled synthetic in the database (its import batch) and in every answer, and removed by the first real table.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { seedDemoOccupations } from '../../server/demo/seed-demo.js'
import { DEMO_OCCUPATION_TABLE } from '../../server/demo/occupations.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { runImport } from '../../server/ingest/run-import.js'
import { DATA_DIR } from '../../server/paths.js'
import { scbJsonStat } from './scb-table.js'

let db: DbHandle
let app: FastifyInstance
let dir: string

beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-demo-occ-'))
})
afterAll(async () => { await app?.close(); await db?.close(); rmSync(dir, { recursive: true, force: true }) })

describe('the synthetic demo occupation table', () => {
  it('is seeded beside the synthetic register, once, labelled synthetic', async () => {
    const logs: string[] = []
    expect(await seedDemoOccupations(db, dir, (m) => logs.push(m))).toBe(true)
    expect(logs.join('\n')).toMatch(/synthetic occupation table DEMO-YRKEN/)
    expect(await seedDemoOccupations(db, dir, () => {})).toBe(false) // a table exists: not again
    const { rows } = await db.query<{ synthetic: boolean; source: string; title: string }>(`SELECT b.synthetic, t.source, t.title
      FROM stat_table t JOIN import_batch b ON b.id = t.batch_id WHERE t.id = $1`, [DEMO_OCCUPATION_TABLE])
    expect(rows).toEqual([{ synthetic: true, source: expect.stringMatching(/syntetisk/), title: expect.stringMatching(/^DEMODATA/) }])
    const { rows: years } = await db.query<{ y: number }>('SELECT DISTINCT ref_year AS y FROM company ORDER BY 1')
    const r = (await app.inject('/api/key-figures/occupations?level=lan&year=all')).json()
    expect(r.table).toMatchObject({ id: DEMO_OCCUPATION_TABLE, synthetic: true })
    expect(r.allYears).toEqual(years.map((x) => x.y))
    expect(r.rows).toHaveLength(21 * years.length)
    const row = r.rows.find((x: any) => x.regionCode === '08' && x.year === years[years.length - 1].y)
    // sex and age groups, the people measures, and the one protected cell flagged
    expect(row.bySex.map((g: any) => g.code)).toEqual(['1', '2'])
    expect(row.byAge.map((g: any) => g.code)).toEqual(['16-29', '30-49', '50-64'])
    expect(row.kkOccupations).toBe(row.bySex.reduce((a: number, g: any) => a + g.kkOccupations, 0))
    expect(row.kkOccupations).toBe(row.byAge.reduce((a: number, g: any) => a + g.kkOccupations, 0))
    expect(row.flags.kkOccupations).toBe('includes-missing')
    expect(row.share).toBeGreaterThan(0)
    expect(row.share).toBeLessThan(0.2)
    const need = (await app.inject('/api/key-figures/education-need?lan=08')).json()
    expect(need.occupationTable).toMatchObject({ id: DEMO_OCCUPATION_TABLE, synthetic: true })
    expect(need.rows.some((x: any) => x.people > 0)).toBe(true)
  })

  it('is removed by the first real statistical table', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/imports?kind=statistics&format=json-stat',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, payload: JSON.stringify(scbJsonStat({ kommuner: ['0880'] })) })
    expect(res.statusCode, res.body).toBe(201)
    const { rows } = await db.query<{ id: string }>('SELECT id FROM stat_table ORDER BY id')
    expect(rows.map((r) => r.id)).toEqual(['YREG60N'])
    const r = (await app.inject('/api/key-figures/occupations?level=kommun')).json()
    expect(r.table).toMatchObject({ id: 'YREG60N', synthetic: false })
  })

  it('goes with the demo register when the first real register file is imported', async () => {
    const other = await openTestDb('demo')
    try {
      expect(await seedDemoOccupations(other, dir, () => {})).toBe(true)
      await runImport(other, { kind: 'companies', format: 'csv', filePath: path.join(DATA_DIR, 'examples', 'companies.csv'), year: 2025, source: 'example', reportDir: dir })
      const { rows } = await other.query<{ n: number }>('SELECT count(*)::int AS n FROM stat_table')
      expect(rows[0].n).toBe(0)
      const { rows: cells } = await other.query<{ n: number }>(`SELECT count(*)::int AS n FROM stat_cell WHERE table_id = '${DEMO_OCCUPATION_TABLE}'`)
      expect(cells[0].n).toBe(0)
    } finally { await other.close() }
  })
})
