import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import JSONstat from 'jsonstat-toolkit'
import type { DbHandle } from '../../server/db/client.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
let json: any
beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  json = (await app.inject('/api/key-figures?level=lan&branch=total,group&year=all')).json()
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('key-figure exports', () => {
  it('writes CSV for Swedish Excel: BOM, sep=; line, semicolons, decimal comma, ".." for suppressed', async () => {
    const r = await app.inject('/api/key-figures?level=lan&branch=total,group&year=all&format=csv&locale=sv')
    expect(r.headers['content-type']).toContain('text/csv')
    const text = r.body
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text.slice(1, 8)).toBe('sep=;\r\n')
    const rows = parse(text.slice(8), { delimiter: ';', columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(json.rows.length)
    const first = json.rows[0]
    expect(rows[0]['Regionkod']).toBe(first.regionCode)
    expect(Number(rows[0]['Företag (antal)'])).toBe(first.companies)
    expect(Number(rows[0]['Andel av företagen (kvot)'].replace(',', '.'))).toBeCloseTo(first.shareCompanies, 5)
    // numbers stay numbers: only digits, a minus and a decimal comma (no thousands separators)
    for (const row of rows) for (const [k, v] of Object.entries(row)) {
      if (k.includes('(antal)') || k.includes('(kvot)') || k.includes('(tkr)')) expect(v, k).toMatch(/^(-?\d+(,\d+)?|\.\.|)$/)
    }
    const suppressed = json.rows.findIndex((x: any) => x.suppressed.turnover)
    if (suppressed >= 0) expect(rows[suppressed]['Omsättning (tkr)']).toBe('..')
  })

  it('writes international CSV with commas and points', async () => {
    const r = await app.inject('/api/key-figures?level=lan&branch=total&year=2025&format=csv&locale=en')
    const rows = parse(r.body, { bom: true, columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(21)
    expect(rows[0]['Andel av företagen (kvot)']).toMatch(/^\d+\.\d+$/)
  })

  it('writes XLSX with a data sheet and a metadata sheet (read back with ExcelJS)', async () => {
    const r = await app.inject('/api/key-figures?level=lan&branch=total,group&year=all&format=xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as never)
    const data = wb.getWorksheet('Nyckeltal')!
    const md = wb.getWorksheet('Metadata')!
    expect(data.rowCount).toBe(json.rows.length + 1)
    expect(data.getRow(2).getCell(8).value).toBe(json.rows[0].companies) // a number, not text (column 8: Regionnivå came in before it, #21)
    const meta = new Map<string, string>()
    md.eachRow((row) => meta.set(String(row.getCell(1).value), String(row.getCell(2).value)))
    expect(meta.get('Definition')).toContain('kreametern-provisional')
    expect(meta.get('Röjandekontroll')).toContain('3 companies')
    expect(meta.get('Syntetiska data')).toContain('DEMODATA')
    expect([...meta.keys()]).toContain('SNI-version')
  })

  it('writes JSON-stat 2.0 that a JSON-stat library reads back to the same values', async () => {
    const r = await app.inject('/api/key-figures?level=lan&branch=total,group&year=all&format=jsonstat')
    const ds = JSONstat(r.json())
    expect(ds.class).toBe('dataset')
    expect(ds.id).toEqual(['year', 'region', 'branch', 'measure'])
    for (const row of json.rows.slice(0, 40)) {
      const cell = ds.Data({ year: String(row.year), region: row.regionCode, branch: `${row.branchLevel}:${row.branchCode}`, measure: 'companies' })
      expect(cell.value).toBe(row.companies)
      const t = ds.Data({ year: String(row.year), region: row.regionCode, branch: `${row.branchLevel}:${row.branchCode}`, measure: 'turnover' })
      if (row.suppressed.turnover) { expect(t.value).toBeNull(); expect(t.status).toBe('..') } else expect(t.value).toBeCloseTo(row.turnover, 6)
    }
  })

  it('documents the methodology with formulas, SNI list and suppression rule', async () => {
    const m = (await app.inject('/api/key-figures/methodology')).json()
    expect(m.definition.groups).toHaveLength(9)
    expect(m.formulas.lqCompanies).toContain('companies_riket')
    expect(m.suppression).toMatchObject({ minCompanies: 3, dominance: 0.85 })
    expect(m.provisionalNote).toContain('provisional')
  })
})

describe('education beside the branches', () => {
  it('counts providers, programmes and places per SUN field and region, with the related branch group\'s companies', async () => {
    const r = (await app.inject('/api/key-figures/education?level=lan')).json()
    expect(r.rows.length).toBeGreaterThan(5)
    const { rows } = await db.query<{ lan: string; sun: string; programmes: number; places: number }>(`SELECT p.lan_code AS lan, left(pr.sun_code, 3) AS sun,
      count(*)::int AS programmes, coalesce(sum(pr.places), 0)::int AS places FROM education_provider p JOIN education_programme pr ON pr.provider_id = p.id
      WHERE pr.sun_code IS NOT NULL AND p.lan_code IS NOT NULL GROUP BY 1, 2`)
    for (const e of rows) {
      const got = r.rows.find((x: any) => x.regionCode === e.lan && x.sunCode === e.sun)
      expect(got, `${e.lan} ${e.sun}`).toMatchObject({ programmes: e.programmes, places: e.places })
    }
    const music = r.rows.find((x: any) => x.sunCode === '212')
    if (music) {
      expect(music.relatedGroup).toBe('9')
      const kf = (await app.inject(`/api/key-figures?level=lan&region=${music.regionCode}&branch=group&code=9`)).json().rows[0]
      expect(music.relatedCompanies).toBe(kf.companies)
    }
  })
})
