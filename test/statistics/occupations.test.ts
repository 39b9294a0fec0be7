// Statistical tables as a source and the occupation key figures: a JSON-stat 2.0 table in SCB's shape (all kommuner ×
// SSYK 2012 × sex × two years, one ".." cell) imported over HTTP, its figures checked against an independent reading
// of the same file (jsonstat-toolkit), län = sum of kommuner, the CSV download variant, re-import and refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import JSONstat from 'jsonstat-toolkit'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { DbHandle } from '../../server/db/client.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { KK, KOMMUNER, MISSING, OCCUPATIONS, scbCsv, scbJsonStat, SEXES, YEARS } from './scb-table.js'

let db: DbHandle
let app: FastifyInstance
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
const post = (query: string, body: string | Buffer, type = 'application/json') =>
  app.inject({ method: 'POST', url: `/api/imports?${query}`, headers: { ...auth, 'content-type': type }, payload: body })

/** Independent sums, read from the file with jsonstat-toolkit (not our reader). */
function independentSums (doc: unknown) {
  const ds = JSONstat(doc)
  const out = new Map<string, { employed: number; kk: number; missing: number }>()
  for (const region of ds.Dimension('Region').id as string[]) for (const year of YEARS) {
    const s = { employed: 0, kk: 0, missing: 0 }
    for (const occ of OCCUPATIONS) for (const sex of SEXES) {
      const cell = ds.Data({ Region: region, Yrke2012: occ, Kon: sex, ContentsCode: '000001RR', Tid: year })
      if (cell.value === null) { s.missing++; continue }
      s.employed += cell.value
      if (KK.includes(occ)) s.kk += cell.value
    }
    out.set(`${region}|${year}`, s)
  }
  return out
}

const doc = scbJsonStat()
let sums: ReturnType<typeof independentSums>

beforeAll(async () => {
  db = await openTestDb('base')
  app = await buildTestApp(db)
  sums = independentSums(doc)
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('importing a statistical table (JSON-stat 2.0, SCB shape)', () => {
  it('imports kommuner × SSYK 2012 × sex × two years with its provenance, the ".." cell kept missing', async () => {
    const r = await post('kind=statistics&format=json-stat', JSON.stringify(doc))
    expect(r.statusCode, r.body).toBe(201)
    const body = r.json()
    expect(body).toMatchObject({ kind: 'statistics', format: 'json-stat', cells: 290 * OCCUPATIONS.length * 2 * 2, missing: 1, years: [2023, 2024], replaced: false })
    expect(body.table).toMatchObject({ id: 'YREG60N', source: 'Statistiska centralbyrån', updated: '2025-06-24T06:00:00Z', unit: 'antal' })
    expect(body.dimensions.map((d: any) => d.kind)).toEqual(['region', 'occupation', 'sex', 'contents', 'time'])
    const { rows } = await db.query<{ value: number | null; status: string | null }>(`SELECT value, status FROM stat_cell
      WHERE table_id = 'YREG60N' AND region = $1 AND occupation = $2 AND sex = $3 AND year = $4`, [MISSING.region, MISSING.occupation, MISSING.sex, Number(MISSING.year)])
    expect(rows).toEqual([{ value: null, status: '..' }])
    const { rows: t } = await db.query<{ title: string }>("SELECT title FROM stat_table WHERE id = 'YREG60N'")
    expect(t[0].title).toContain('yrke (SSYK 2012)')
  })

  it('gives employed and kkOccupations per kommun equal to an independent sum; the sum over ".." is flagged', async () => {
    const r = (await app.inject('/api/key-figures/occupations?level=kommun&year=all')).json()
    expect(r.table.id).toBe('YREG60N')
    expect(r.occupationList.codes).toHaveLength(31)
    expect(r.rows).toHaveLength(290 * 2)
    for (const row of r.rows) {
      const s = sums.get(`${row.regionCode}|${row.year}`)!
      expect(row.employed, `${row.regionCode} ${row.year}`).toBe(s.employed)
      expect(row.kkOccupations, `${row.regionCode} ${row.year}`).toBe(s.kk)
      expect(row.flags.kkOccupations).toBe(s.missing ? 'includes-missing' : null)
      expect(row.missingCells).toBe(s.missing)
      expect(row.share).toBeCloseTo(s.kk / s.employed, 10)
    }
    const kalmar = r.rows.find((x: any) => x.regionCode === MISSING.region && x.year === 2024)
    expect(kalmar.flags).toMatchObject({ employed: 'includes-missing', kkOccupations: 'includes-missing', share: 'includes-missing', lq: 'includes-missing' })
    const painters = kalmar.byOccupation.find((g: any) => g.code === MISSING.occupation)
    const women = kalmar.bySex.find((g: any) => g.code === '2')
    expect(women.flags.kkOccupations).toBe('includes-missing')
    expect(kalmar.bySex.find((g: any) => g.code === '1').flags.kkOccupations).toBeNull()
    expect(painters.flags.kkOccupations).toBe('includes-missing')
    // the one known cell of the pair (men) is the value: the missing one is never counted as 0 nor dropped silently
    const ds = JSONstat(doc)
    expect(painters.kkOccupations).toBe(ds.Data({ Region: '0880', Yrke2012: '2651', Kon: '1', ContentsCode: '000001RR', Tid: '2024' }).value)
  })

  it('adds län as the sum of their kommuner, riket as the sum of all, with LQ, per 10 000 and change', async () => {
    const kommun = (await app.inject('/api/key-figures/occupations?level=kommun&year=2024')).json().rows
    const lan = (await app.inject('/api/key-figures/occupations?level=lan&year=2024')).json().rows
    const riket = (await app.inject('/api/key-figures/occupations?level=riket&year=2024')).json().rows[0]
    expect(lan).toHaveLength(21)
    for (const l of lan) {
      const ks = kommun.filter((k: any) => k.parentCode === l.regionCode)
      expect(l.from).toBe('kommuner')
      expect(l.coverage).toEqual({ present: ks.length, of: ks.length })
      expect(l.employed).toBe(ks.reduce((a: number, k: any) => a + k.employed, 0))
      expect(l.kkOccupations).toBe(ks.reduce((a: number, k: any) => a + k.kkOccupations, 0))
    }
    expect(riket.employed).toBe(kommun.reduce((a: number, k: any) => a + k.employed, 0))
    expect(riket.lq).toBe(1)
    const k = kommun.find((x: any) => x.regionCode === '1880')
    expect(k.lq).toBeCloseTo((k.kkOccupations / k.employed) / (riket.kkOccupations / riket.employed), 10)
    const { rows: pop } = await db.query<{ population: number }>("SELECT population FROM population WHERE kommun_code = '1880' AND year <= 2024 ORDER BY year DESC LIMIT 1")
    expect(k.per10k).toBeCloseTo(k.kkOccupations / pop[0].population * 10000, 8)
    const s23 = sums.get('1880|2023')!
    expect(k.change).toBe(k.kkOccupations - s23.kk)
    const only = (await app.inject('/api/key-figures/occupations?level=kommun&lan=08&year=2024&sex=2')).json()
    expect(only.rows.map((x: any) => x.regionCode)).toEqual(KOMMUNER.filter((x) => x.lan_code === '08').map((x) => x.kommun_code))
    expect(only.sex).toBe('2')
    const kalmarAll = kommun.find((x: any) => x.regionCode === '0880')
    expect(only.rows.find((x: any) => x.regionCode === '0880').kkOccupations).toBe(kalmarAll.bySex.find((g: any) => g.code === '2').kkOccupations)
  })

  it('exports CSV (sv), XLSX with metadata and JSON-stat with ".." where nothing is known', async () => {
    const json = (await app.inject('/api/key-figures/occupations?level=lan&lan=08&year=2024')).json()
    const csv = await app.inject('/api/key-figures/occupations?level=lan&lan=08&year=2024&format=csv&locale=sv')
    expect(csv.body.slice(1, 8)).toBe('sep=;\r\n')
    const rows = parse(csv.body.slice(8), { delimiter: ';', columns: true }) as Record<string, string>[]
    const total = rows.find((x) => x.Grupp === 'totalt')!
    expect(Number(total['Kulturella och kreativa yrken (personer)'])).toBe(json.rows[0].kkOccupations)
    expect(Number(total['Saknade celler (..) i summan (antal)'])).toBe(1)
    expect(rows.filter((x) => x.Grupp === 'yrke')).toHaveLength(31)
    const xlsx = await app.inject('/api/key-figures/occupations?level=lan&lan=08&year=2024&format=xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as never)
    const meta = new Map<string, string>()
    wb.getWorksheet('Metadata')!.eachRow((row) => meta.set(String(row.getCell(1).value), String(row.getCell(2).value)))
    expect(meta.get('Källa')).toBe('Statistiska centralbyrån')
    expect(meta.get('Tabell')).toContain('YREG60N')
    const js = JSONstat((await app.inject('/api/key-figures/occupations?level=kommun&lan=08&year=2024&format=jsonstat')).json())
    expect(js.Data({ year: '2024', region: '0880', group: 'total:total', measure: 'kkOccupations' }).value)
      .toBe(json.rows[0].kkOccupations - (await app.inject('/api/key-figures/occupations?level=kommun&lan=08&year=2024')).json().rows
        .filter((x: any) => x.regionCode !== '0880').reduce((a: number, x: any) => a + x.kkOccupations, 0))
  })

  it('writes ".." for an occupation with no known cell', async () => {
    // a table of Kalmar only, where every cell of one occupation is protected
    const t = scbJsonStat({ kommuner: ['0880'], tableId: 'YREG-KALMAR' }) as any
    const pos = (occ: string) => OCCUPATIONS.indexOf(occ)
    t.value = t.value.map((v: number | null, k: number) => (Math.floor(k / (2 * 2)) % OCCUPATIONS.length === pos('2655') ? null : v))
    for (let k = 0; k < t.value.length; k++) if (t.value[k] === null) t.status[String(k)] = '..'
    expect((await post('kind=statistics&format=json-stat', JSON.stringify(t))).statusCode).toBe(201)
    const r = (await app.inject('/api/key-figures/occupations?table=YREG-KALMAR&year=2024')).json()
    const actors = r.rows[0].byOccupation.find((g: any) => g.code === '2655')
    expect(actors).toMatchObject({ kkOccupations: null, flags: { kkOccupations: 'missing' } })
    const csv = parse((await app.inject('/api/key-figures/occupations?table=YREG-KALMAR&year=2024&format=csv&locale=en')).body, { bom: true, columns: true }) as Record<string, string>[]
    expect(csv.find((x) => x.Gruppkod === '2655')!['Kulturella och kreativa yrken (personer)']).toBe('..')
  })
})

describe('the CSV download variant', () => {
  it('reads SCB\'s ISO-8859-1 CSV (title, "code name" texts, a column per year) to the same figures', async () => {
    const kalmarLan = KOMMUNER.filter((k) => k.lan_code === '08').map((k) => k.kommun_code)
    const r = await post('kind=statistics&format=csv&table=YREG60N-CSV', scbCsv({ kommuner: kalmarLan }), 'text/csv')
    expect(r.statusCode, r.body).toBe(201)
    expect(r.json()).toMatchObject({ cells: kalmarLan.length * OCCUPATIONS.length * 2 * 2, missing: 1, years: [2023, 2024] })
    expect(r.json().table.title).toBe('Anställda 16-64 år med arbetsplats i regionen (dagbef) efter region, yrke (SSYK 2012), kön och år')
    const fromCsv = (await app.inject('/api/key-figures/occupations?table=YREG60N-CSV&level=kommun&year=all')).json().rows
    expect(fromCsv).toHaveLength(kalmarLan.length * 2)
    for (const row of fromCsv) {
      const s = sums.get(`${row.regionCode}|${row.year}`)!
      expect([row.employed, row.kkOccupations]).toEqual([s.employed, s.kk])
    }
    const lan = (await app.inject('/api/key-figures/occupations?table=YREG60N-CSV&level=lan&year=2024')).json().rows
    expect(lan.map((x: any) => x.regionCode)).toEqual(['08'])
    expect(lan[0].kkOccupations).toBe(fromCsv.filter((x: any) => x.year === 2024).reduce((a: number, x: any) => a + x.kkOccupations, 0))
  })
})

describe('re-importing and refusing', () => {
  const count = async (id: string) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stat_cell WHERE table_id = $1', [id])).rows[0].n

  it('replaces a re-imported table in one go', async () => {
    const before = await count('YREG60N')
    const r = await post('kind=statistics&format=json-stat', JSON.stringify(scbJsonStat({ bump: 1 })))
    expect(r.json().replaced).toBe(true)
    expect(await count('YREG60N')).toBe(before)
    const { rows } = await db.query<{ value: number }>("SELECT value FROM stat_cell WHERE table_id = 'YREG60N' AND region = '0114' AND occupation = '2651' AND sex = '1' AND year = 2024")
    const ds = JSONstat(doc)
    expect(rows[0].value).toBe(ds.Data({ Region: '0114', Yrke2012: '2651', Kon: '1', ContentsCode: '000001RR', Tid: '2024' }).value + 1)
  })

  const refusals: Array<[string, () => unknown, RegExp]> = [
    ['JSON-stat 1.x', () => ({ dataset: scbJsonStat() }), /JSON-stat 1\.x/],
    ['a dimension not understood, with several categories', () => {
      const t = scbJsonStat({ kommuner: ['0880'] }) as any
      t.id[2] = 'Sektor'; t.dimension.Sektor = { label: 'sektor', category: t.dimension.Kon.category }; delete t.dimension.Kon
      return t
    }, /dimension "Sektor" \(sektor\) is not understood/],
    ['too few values', () => { const t = scbJsonStat({ kommuner: ['0880'] }) as any; t.value.pop(); return t }, /"value" has \d+ entries but the sizes give/],
    ['an unknown region code', () => {
      const t = scbJsonStat({ kommuner: ['0880'] }) as any
      t.dimension.Region.category = { index: { 9999: 0 }, label: { 9999: 'Nowhere' } }
      return t
    }, /"9999" is not a kommun/],
    ['an occupation level that is not 4-digit SSYK 2012', () => {
      const t = scbJsonStat({ kommuner: ['0880'] }) as any
      const idx = t.dimension.Yrke2012.category.index
      const first = Object.keys(idx)[0]
      idx['26'] = idx[first]; delete idx[first]
      return t
    }, /"26" is not a 4-digit SSYK 2012 code/],
    ['quarters instead of years', () => {
      const t = scbJsonStat({ kommuner: ['0880'] }) as any
      t.dimension.Tid.category = { index: { '2024K1': 0, '2024K2': 1 } }
      return t
    }, /only annual tables/],
    ['a text where a number belongs', () => { const t = scbJsonStat({ kommuner: ['0880'] }) as any; t.value[3] = 'many'; return t }, /not a number or null/],
  ]
  for (const [name, make, message] of refusals) {
    it(`refuses ${name}, leaving the stored table as it was`, async () => {
      const before = await count('YREG60N')
      const r = await post('kind=statistics&format=json-stat', JSON.stringify(make()))
      expect(r.statusCode, r.body).toBe(422)
      expect(r.json().error.message).toMatch(message)
      expect(await count('YREG60N')).toBe(before)
      const { rows } = await db.query<{ status: string }>("SELECT status FROM import_batch WHERE kind = 'statistics' ORDER BY id DESC LIMIT 1")
      expect(rows[0].status).toBe('failed')
    })
  }

  it('refuses a CSV value that is not a number, with its line', async () => {
    const text = scbCsv({ kommuner: ['0880'] }).toString('latin1').replace(/,(\d+),(\d+)\r\n/, ',12,x7\r\n')
    const r = await post('kind=statistics&format=csv&table=BAD', Buffer.from(text, 'latin1'), 'text/csv')
    expect(r.statusCode).toBe(422)
    expect(r.json().error.message).toMatch(/line 4, column "Anställda .* 2024": "x7" is not a number or "\.\."/)
    expect(await count('BAD')).toBe(0)
  })

  it('refuses an unknown format and an empty body', async () => {
    expect((await post('kind=statistics&format=scb-bulk', '{}')).statusCode).toBe(400)
    expect((await post('kind=statistics&format=json-stat', '')).statusCode).toBe(400)
  })
})
