// Issue #21, comparisons: GET /api/key-figures/compare (regions side by side with ranks and percentiles) and
// GET /api/key-figures/similar (kommuner som liknar min). The expectations are recomputed here from the published
// key-figure rows: ranks by sorting, percentiles by the database's own PERCENT_RANK, distances from the group rows.
import { describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { useTestApp } from '../helpers/db.js'

const ctx = useTestApp('demo')
type Row = Record<string, any>
const get = async (url: string) => {
  const r = await ctx.app.inject(url)
  expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200)
  return r.json()
}

/** Rank 1 = highest, ties share the better rank; by sorting, not by counting. */
const sortedRank = (values: number[], v: number) => values.slice().sort((a, b) => b - a).indexOf(v) + 1

/** PERCENT_RANK of each value, as the database computes it (ascending order), × 100. */
async function percentRanks (values: number[]): Promise<Map<number, number>> {
  const { rows } = await ctx.db.query<{ v: number; p: number }>(
    'SELECT v, (percent_rank() OVER (ORDER BY v) * 100)::float8 AS p FROM unnest($1::float8[]) AS t(v)', [values])
  return new Map(rows.map((r) => [Number(r.v), Number(r.p)]))
}

describe('GET /api/key-figures/compare', () => {
  it('gives each region its published row and its rank and percentile among all kommuner and within its län', async () => {
    const res = await get('/api/key-figures/compare?region=0880,0180,08,SE&branch=total&year=2025')
    const kommuner: Row[] = (await get('/api/key-figures?level=kommun&branch=total&year=2025')).rows
    const lan: Row[] = (await get('/api/key-figures?level=lan&branch=total&year=2025')).rows
    const riket: Row = (await get('/api/key-figures?level=riket&branch=total&year=2025')).rows[0]
    expect(res.regions.map((r: Row) => `${r.regionLevel}:${r.regionCode}`)).toEqual(['kommun:0880', 'kommun:0180', 'lan:08', 'riket:SE'])
    expect(res.year).toBe(2025)
    expect(res.peers).toEqual({ kommun: kommuner.length, lan: lan.length })
    // the rows are the published ones
    expect(res.regions[0].row).toEqual(kommuner.find((r) => r.regionCode === '0880'))
    expect(res.regions[2].row).toEqual(lan.find((r) => r.regionCode === '08'))
    expect(res.regions[3].row).toEqual(riket)
    expect(res.regions[0]).toMatchObject({ lanCode: '08', lanName: 'Kalmar län' })

    for (const m of ['per10k', 'companies', 'lqCompanies', 'shareCompanies', 'population']) {
      const all = kommuner.map((r) => r[m]).filter((v): v is number => v !== null)
      const pr = await percentRanks(all)
      for (const reg of res.regions.slice(0, 2)) {
        const own = reg.row[m]
        const r = reg.ranks[m]
        expect(r.riket.rank, `${reg.regionCode} ${m}`).toBe(sortedRank(all, own))
        expect(r.riket.of).toBe(all.length)
        expect(r.riket.percentile).toBeCloseTo(pr.get(own)!, 1)
        const inLan = kommuner.filter((k) => k.parentCode === reg.lanCode).map((k) => k[m]).filter((v): v is number => v !== null)
        const prLan = await percentRanks(inLan)
        expect(r.lan.rank, `${reg.regionCode} ${m} in its län`).toBe(sortedRank(inLan, own))
        expect(r.lan.of).toBe(inLan.length)
        expect(r.lan.percentile).toBeCloseTo(prLan.get(own)!, 1)
      }
      // a län among the län, no rank within a län; riket has none
      const lanValues = lan.map((r) => r[m]).filter((v): v is number => v !== null)
      expect(res.regions[2].ranks[m].riket.rank).toBe(sortedRank(lanValues, res.regions[2].row[m]))
      expect(res.regions[2].ranks[m].riket.of).toBe(lan.length)
      expect(res.regions[2].ranks[m].lan).toBeNull()
      expect(res.regions[3].ranks[m]).toEqual({ riket: null, lan: null })
    }
  })

  it('leaves suppressed values out of the ranking: no rank for a suppressed region, `of` counts the published values', async () => {
    // a category has small cells: some kommuner have their employees suppressed
    const kommuner: Row[] = (await get('/api/key-figures?level=kommun&branch=category&code=2.3&year=2025')).rows
    const hidden = kommuner.find((r) => r.suppressed.employees)
    const shown = kommuner.find((r) => !r.suppressed.employees && r.employees !== null)
    expect(hidden, 'the demo has a suppressed kommun in 2.3').toBeTruthy()
    const res = await get(`/api/key-figures/compare?region=${hidden!.regionCode},${shown!.regionCode}&branch=category&code=2.3&year=2025`)
    expect(res.branch).toMatchObject({ level: 'category', code: '2.3' })
    expect(res.regions[0].row.employees).toBeNull()
    expect(res.regions[0].ranks.employees).toEqual({ riket: null, lan: null })
    const published = kommuner.filter((r) => r.employees !== null).map((r) => r.employees)
    expect(res.regions[1].ranks.employees.riket).toMatchObject({ rank: sortedRank(published, shown!.employees), of: published.length })
    // company counts are never suppressed: every kommun is ranked
    expect(res.regions[0].ranks.companies.riket.of).toBe(kommuner.length)
  })

  it('exports the comparison as CSV and XLSX with ranks beside the values, codes as text and the rules in the metadata', async () => {
    const csv = await ctx.app.inject('/api/key-figures/compare?region=0880,0180&format=csv&year=2025')
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-disposition']).toMatch(/filename="kkb-jamforelse-0880_0180-total-2025(-DEMODATA)?\.csv"/)
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, '').replace(/^sep=;\r?\n/, ''), { delimiter: ';', relax_column_count: true })
    const header = rows[0]
    expect(header.slice(0, 4)).toEqual(['År', 'Regionnivå', 'Regionkod', 'Region'])
    expect(header).toContain('Företag per 10 000 invånare (antal)')
    expect(header).toContain('Företag per 10 000 invånare, rang bland alla (kommuner resp. län) (rang)')
    const json = await get('/api/key-figures/compare?region=0880,0180&year=2025')
    const line = rows.find((r) => r[2] === '0880')!
    expect(line[3]).toBe('Kalmar')
    expect(Number(line[header.indexOf('Företag per 10 000 invånare, rang inom länet (rang)')])).toBe(json.regions[0].ranks.per10k.lan.rank)

    const x = await ctx.app.inject('/api/key-figures/compare?region=0880,08,SE&format=xlsx&year=2025')
    expect(x.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('Jämförelse')!
    expect(ws.getCell('C2').value).toBe('0880')
    expect(ws.getCell('C3').value).toBe('08')
    const md = wb.getWorksheet('Metadata')!
    const keys = md.getColumn(1).values.filter(Boolean)
    expect(keys).toEqual(expect.arrayContaining(['Rang', 'Percentil', 'Jämförda regioner', 'Röjandekontroll']))
  })

  it('refuses what it cannot compare with a clear 400', async () => {
    for (const [url, msg] of [
      ['region=0180,0181,0182,0183,0184,0186,0187', /1 to 6|pattern|must/i],
      ['region=0880,9999', /unknown region code\(s\): 9999/],
      ['region=123', /not a region code: 123/],
      ['region=0880&branch=group', /needs code=/],
    ] as const) {
      const r = await ctx.app.inject(`/api/key-figures/compare?${url}`)
      expect(r.statusCode, url).toBe(400)
      expect(r.json().error.message, url).toMatch(msg)
    }
  })
})

describe('GET /api/key-figures/similar', () => {
  it('lists the kommuner closest by population and branch-group structure, recomputed from the published rows', async () => {
    const res = await get('/api/key-figures/similar?kommun=0880&n=6&year=2025')
    const total: Row[] = (await get('/api/key-figures?level=kommun&branch=total&year=2025')).rows
    const groups: Row[] = (await get('/api/key-figures?level=kommun&branch=group&year=2025')).rows
    const codes = [...new Set(groups.map((g) => g.branchCode))]
    const profile = (code: string) => {
      const t = total.find((r) => r.regionCode === code)!
      const share = (c: string) => (groups.find((g) => g.regionCode === code && g.branchCode === c)?.companies ?? 0) / t.companies
      return { pop: t.population as number, shares: codes.map(share) }
    }
    const me = profile('0880')
    const expected = total.filter((r) => r.regionCode !== '0880' && r.population && r.companies > 0).map((r) => {
      const p = profile(r.regionCode)
      const dp = Math.abs(Math.log10(p.pop) - Math.log10(me.pop))
      const ds = p.shares.reduce((s, v, i) => s + Math.abs(v - me.shares[i]), 0) / 2
      return { code: r.regionCode, d: dp + ds, dp, ds }
    }).sort((a, b) => a.d - b.d || a.code.localeCompare(b.code))
    expect(res.kommun.regionCode).toBe('0880')
    expect(res.items).toHaveLength(6)
    expect(res.items.map((i: Row) => i.regionCode)).not.toContain('0880')
    res.items.forEach((item: Row, i: number) => {
      expect(item.distance).toBeCloseTo(expected[i].d, 3)
      expect(item.populationDistance).toBeCloseTo(expected[i].dp, 3)
      expect(item.structureDistance).toBeCloseTo(expected[i].ds, 3)
    })
    // the nearest as listed (ties aside, the same kommuner)
    expect(res.items.map((i: Row) => i.distance)).toEqual(expected.slice(0, 6).map((e) => Math.round(e.d * 1e4) / 1e4))
    expect(res.method).toMatch(/log10/)
    const bad = await ctx.app.inject('/api/key-figures/similar?kommun=9999')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/unknown kommun code: 9999/)
  })

  it('publishes the comparison rules with the other formulas', async () => {
    const m = await get('/api/key-figures/methodology')
    expect(Object.keys(m.compare)).toEqual(['rank', 'percentile', 'similar'])
  })
})
