import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { DbHandle } from '../../server/db/client.js'
import { createToken } from '../../server/auth/tokens.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
let promoter: string
let soleTraderIds: number[]
let soleOrgnrs: string[]
beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  promoter = (await createToken(db, 'test promoter', 'promoter')).token
  const { rows } = await db.query<{ id: number; orgnr: string }>('SELECT id, orgnr FROM company WHERE sole_trader AND ref_year = 2025 ORDER BY id')
  soleTraderIds = rows.map((r) => r.id)
  soleOrgnrs = rows.map((r) => r.orgnr)
})
afterAll(async () => { await app?.close(); await db?.close() })
const auth = (t: string) => ({ authorization: `Bearer ${t}` })

describe('drill-down consistency', () => {
  it('actors total equals key-figure companies for every kommun × category (and total/all) in both years', async () => {
    for (const year of [2024, 2025]) {
      const kf = (await app.inject(`/api/key-figures?level=kommun&branch=category,total,all&year=${year}`)).json().rows
      // count per (kommun, category) from the list endpoint's predicate, grouped in one pass per category
      for (const row of kf.filter((r: any) => r.companies > 0).slice(0, 400)) {
        const branch = row.branchLevel === 'category' ? `&category=${row.branchCode}` : row.branchLevel === 'total' ? '&kkb=true' : ''
        const r = (await app.inject(`/api/actors/count?kind=company&kommun=${row.regionCode}&year=${year}${branch}`)).json()
        expect(r.total, `${year} ${row.regionCode} ${row.branchLevel} ${row.branchCode}`).toBe(row.companies)
      }
    }
  }, 300_000)

  it('lists the same number as the figure, with keyset pagination that visits every row once', async () => {
    const kf = (await app.inject('/api/key-figures?level=lan&region=01&branch=total&year=2025')).json().rows[0]
    const seen = new Set<number>()
    let cursor: string | null = null
    let total: number
    do {
      const page: any = (await app.inject(`/api/actors?lan=01&kkb=true&year=2025&limit=37&sort=-name${cursor ? `&cursor=${cursor}` : ''}`)).json()
      total = page.total
      for (const it of page.items) { expect(seen.has(it.id)).toBe(false); seen.add(it.id) }
      cursor = page.nextCursor
    } while (cursor)
    expect(total).toBe(kf.companies)
    expect(seen.size).toBe(kf.companies)
  })
})

describe('sole-trader privacy', () => {
  it('never returns a sole trader\'s organisation number or address to the public role, in any format', async () => {
    expect(soleTraderIds.length).toBeGreaterThan(100)
    const texts: string[] = []
    texts.push((await app.inject('/api/actors?year=2025&limit=1000&kkb=true')).body)
    texts.push((await app.inject('/api/actors?year=2025&format=csv&kkb=true')).body)
    texts.push((await app.inject('/api/actors?year=2025&format=geojson&kkb=true')).body)
    texts.push((await app.inject(`/api/actors/${soleTraderIds[0]}`)).body)
    texts.push((await app.inject(`/api/actors/${soleTraderIds[1]}`)).body)
    const name = (await db.query<{ name: string }>('SELECT name FROM company WHERE id = $1', [soleTraderIds[2]])).rows[0].name
    texts.push((await app.inject(`/api/actors?year=2025&q=${encodeURIComponent(name.split(' ')[0])}`)).body)
    const x = await app.inject('/api/actors?year=2025&format=xlsx&kkb=true')
    const wb = new ExcelJS.Workbook(); await wb.xlsx.load(x.rawPayload as never)
    const cells: string[] = []
    wb.getWorksheet('Aktörer')!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))))
    texts.push(cells.join('\n'))
    const all = texts.join('\n')
    const leaked = soleOrgnrs.filter((o) => all.includes(o))
    expect(leaked).toEqual([])
    const detail = (await app.inject(`/api/actors/${soleTraderIds[0]}`)).json()
    expect(detail.orgnr).toBeUndefined()
    expect(detail.street).toBeNull()
    expect(detail.locationPrecision).toBe('kommun')
    expect(detail.turnover).toBeUndefined()
  })

  it('gives a promoter token the organisation number, address and exact point', async () => {
    const d = (await app.inject({ url: `/api/actors/${soleTraderIds[0]}`, headers: auth(promoter) })).json()
    expect(d.orgnr).toBe(soleOrgnrs[0])
    expect(d.locationPrecision).toBe('address')
    const csv = (await app.inject({ url: '/api/actors?year=2025&format=csv&legalForm=10', headers: auth(promoter) })).body
    expect(soleOrgnrs.some((o) => csv.includes(o))).toBe(true)
  })

  it('rejects unknown tokens and logs every export by a token', async () => {
    expect((await app.inject({ url: '/api/actors', headers: auth('kkb_not-a-real-token') })).statusCode).toBe(401)
    await app.inject({ url: '/api/actors?format=csv&kommun=0180', headers: auth(promoter) })
    await new Promise((r) => setTimeout(r, 200))
    const { rows } = await db.query<{ who: string; row_count: number; filters: { kommun: string } }>("SELECT who, row_count, filters FROM export_log WHERE role = 'promoter' ORDER BY id DESC LIMIT 1")
    expect(rows[0].who).toContain('test promoter')
    expect(rows[0].filters.kommun).toBe('0180')
    expect(rows[0].row_count).toBeGreaterThan(0)
  })

  it('leaves companies with marketing opt-out out of promoter exports', async () => {
    const { rows } = await db.query<{ n: number; opted: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE marketing_opt_out)::int AS opted
      FROM company WHERE ref_year = 2025 AND active`)
    expect(rows[0].opted).toBeGreaterThan(0)
    const csv = (await app.inject({ url: '/api/actors?year=2025&format=csv&locale=en', headers: auth(promoter) })).body
    expect(parse(csv, { bom: true, columns: true })).toHaveLength(rows[0].n - rows[0].opted)
  })
})

describe('search and filters', () => {
  it('finds names by prefix and tolerates a typo', async () => {
    const { rows } = await db.query<{ name: string }>("SELECT name FROM company WHERE ref_year = 2025 AND active AND name ~ '^[A-ZÅÄÖ][a-zåäö]{6,} ' LIMIT 1")
    const word = rows[0].name.split(' ')[0]
    const prefix = (await app.inject(`/api/actors?q=${encodeURIComponent(word.slice(0, 4))}&year=2025`)).json()
    expect(prefix.items.some((i: any) => i.name.startsWith(word.slice(0, 4)))).toBe(true)
    const typo = word.slice(0, 3) + word[4] + word[3] + word.slice(5) // swap two letters
    const fuzzy = (await app.inject(`/api/actors?q=${encodeURIComponent(typo)}&year=2025`)).json()
    expect(fuzzy.items.some((i: any) => i.name.includes(word))).toBe(true)
  })

  it('filters by size class, employees, legal form, SNI (primary or any rank), bbox and registration date', async () => {
    const count = async (qs: string) => (await app.inject(`/api/actors/count?year=2025&${qs}`)).json().total
    const sql = async (where: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM company t WHERE ref_year = 2025 AND active AND ${where}`)).rows[0].n
    expect(await count('sizeClass=2')).toBe(await sql("size_class = '2'"))
    expect(await count('employeesMin=1&employeesMax=9')).toBe(await sql('employees_est BETWEEN 1 AND 9'))
    expect(await count('legalForm=49')).toBe(await sql("legal_form = '49'"))
    expect(await count('sni=71110')).toBe(await sql("sni1 = '71110'"))
    expect(await count('sni=71110&sniRank=any')).toBe(await sql("'71110' = ANY(sni)"))
    expect(await count('sni=59')).toBe(await sql("sni1 LIKE '59%'"))
    expect(await count('registeredSince=2025-01-01')).toBe(await sql("registered_on >= '2025-01-01'"))
    expect(await count('bbox=17.8,59.2,18.3,59.45')).toBe(await sql('geom_public && ST_MakeEnvelope(17.8, 59.2, 18.3, 59.45, 4326)'))
    expect((await app.inject('/api/actors?bbox=18,59,17,60')).statusCode).toBe(400)
    expect((await app.inject('/api/actors?limit=5000')).statusCode).toBe(400)
  })

  it('lists education providers with programmes and workplaces of companies', async () => {
    const e = (await app.inject('/api/actors?kind=education&limit=5')).json()
    expect(e.total).toBeGreaterThan(10)
    const d = (await app.inject(`/api/actors/${e.items[0].id}?kind=education`)).json()
    expect(d.programmes.length).toBeGreaterThan(0)
    const w = (await app.inject('/api/actors?kind=workplace&limit=5&year=2025')).json()
    expect(w.total).toBeGreaterThan(100)
  })

  it('streams a large export that re-parses to the same rows as the list', async () => {
    const total = (await app.inject('/api/actors/count?year=2025&status=all')).json().total
    const csv = (await app.inject('/api/actors?year=2025&status=all&format=csv&locale=sv')).body
    const rows = parse(csv, { bom: true, columns: true, delimiter: ';', from_line: 2 /* after sep=; */ }) as Record<string, string>[]
    expect(rows).toHaveLength(total)
    const ids = new Set(rows.map((r) => Number(r.id)))
    expect(ids.size).toBe(total)
    const gj = (await app.inject('/api/actors?year=2025&status=all&format=geojson')).json()
    expect(gj.features).toHaveLength(total)
    expect(gj.metadata.synthetic).toBe(true)
  })
})
