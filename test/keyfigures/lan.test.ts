// Issue #21: the kommuner of one län (`level=kommun&lan=08`), in the API and in every export, with the län and riket
// rows beside them; `level=kommun&region=08` means the same; an unknown län is a clear 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { DbHandle } from '../../server/db/client.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
let kalmar: string[]
beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  // the expectation from the reference table, not from the key-figure code
  kalmar = (await db.query<{ code: string }>("SELECT code FROM kommun WHERE lan_code = '08' ORDER BY code")).rows.map((r) => r.code)
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('level=kommun&lan=08', () => {
  it('gives only the kommuner of Kalmar län, with the län and riket rows as context', async () => {
    expect(kalmar.length).toBe(12)
    const r = await app.inject('/api/key-figures?level=kommun&lan=08&branch=total&year=2025')
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.rows.map((x: any) => x.regionCode).sort()).toEqual(kalmar)
    expect(body.rows.every((x: any) => x.regionLevel === 'kommun' && x.parentCode === '08')).toBe(true)
    expect(body.context.map((x: any) => `${x.regionLevel}:${x.regionCode}`)).toEqual(['lan:08', 'riket:SE'])
    // the context rows are the län and riket figures as their own levels give them
    const lan = (await app.inject('/api/key-figures?level=lan&region=08&branch=total&year=2025')).json().rows[0]
    const riket = (await app.inject('/api/key-figures?level=riket&branch=total&year=2025')).json().rows[0]
    expect(body.context[0]).toEqual(lan)
    expect(body.context[1]).toEqual(riket)
    // the kommun rows are those of the full kommun table, unchanged
    const all = (await app.inject('/api/key-figures?level=kommun&branch=total&year=2025')).json().rows
    for (const row of body.rows) expect(row).toEqual(all.find((x: any) => x.regionCode === row.regionCode))
    // and they add up to the län
    expect(body.rows.reduce((a: number, x: any) => a + x.companies, 0)).toBe(lan.companies)
  })

  it('level=kommun&region=08 means the same as lan=08; level=lan&lan=08 gives the län', async () => {
    const a = (await app.inject('/api/key-figures?level=kommun&lan=08&branch=total,group&year=all')).json()
    const b = (await app.inject('/api/key-figures?level=kommun&region=08&branch=total,group&year=all')).json()
    expect(b.rows).toEqual(a.rows)
    expect(b.context).toEqual(a.context)
    const c = (await app.inject('/api/key-figures?level=lan&lan=08,09&branch=total&year=2025')).json()
    expect(c.rows.map((x: any) => x.regionCode)).toEqual(['08', '09'])
    expect(c.context.map((x: any) => x.regionCode)).toEqual(['SE'])
  })

  it('refuses an unknown län, lan= at riket level and a mix of län and kommun codes with a clear message', async () => {
    const bad = await app.inject('/api/key-figures?level=kommun&lan=99')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('unknown län code(s): 99')
    const riket = await app.inject('/api/key-figures?level=riket&lan=08')
    expect(riket.statusCode).toBe(400)
    expect(riket.json().error.message).toContain('lan=')
    const mixed = await app.inject('/api/key-figures?level=kommun&region=08,0880')
    expect(mixed.statusCode).toBe(400)
    expect(mixed.json().error.message).toContain('use lan=08')
    expect((await app.inject('/api/key-figures?level=kommun&lan=8')).statusCode).toBe(400)
  })

  it('CSV: the kommun rows, then the län and riket rows, marked in Regionnivå; a file name that says län, branch and year', async () => {
    const r = await app.inject('/api/key-figures?level=kommun&lan=08&branch=total&year=2025&format=csv&locale=sv')
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-disposition']).toBe('attachment; filename="kkb-nyckeltal-kommun-lan-08-kalmar-lan-total-2025-DEMODATA.csv"')
    const rows = parse(r.body.slice(8), { delimiter: ';', columns: true }) as Record<string, string>[]
    expect(rows.map((x) => x['Regionnivå'])).toEqual([...kalmar.map(() => 'Kommun'), 'Län', 'Riket'])
    expect(rows.map((x) => x['Regionkod'])).toEqual([...kalmar, '08', 'SE'])
    expect(rows.find((x) => x['Regionkod'] === '0880')!['Region']).toBe('Kalmar')
    // codes keep their zeros without a formula trick, and every row carries the demo warning
    expect(r.body).not.toContain('="')
    expect(rows.every((x) => x['Anmärkning'].includes('DEMODATA'))).toBe(true)
  })

  it('XLSX: codes are text cells, numbers have formats, the sheet has an autofilter; JSON-stat holds the context regions', async () => {
    const r = await app.inject('/api/key-figures?level=kommun&lan=08&branch=total&year=2025&format=xlsx')
    expect(r.headers['content-disposition']).toContain('kkb-nyckeltal-kommun-lan-08-kalmar-lan-total-2025-DEMODATA.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as never)
    const ws = wb.getWorksheet('Nyckeltal')!
    const header = (ws.getRow(1).values as unknown[]).slice(1)
    const col = (name: string) => header.indexOf(name) + 1
    expect(ws.rowCount).toBe(kalmar.length + 3)
    const codeCell = ws.getRow(2).getCell(col('Regionkod'))
    expect(codeCell.type).toBe(ExcelJS.ValueType.String)
    expect(codeCell.value).toBe(kalmar[0])
    expect(ws.getRow(kalmar.length + 2).getCell(col('Regionnivå')).value).toBe('Län')
    expect(typeof ws.getRow(2).getCell(col('Företag (antal)')).value).toBe('number')
    expect(ws.getColumn(col('Företag (antal)')).numFmt).toBe('#,##0')
    expect(ws.getColumn(col('Andel av företagen (kvot)')).numFmt).toBe('0.0000')
    expect(ws.autoFilter).toBeTruthy()
    expect(String(ws.getRow(2).getCell(col('Anmärkning')).value)).toContain('DEMODATA')
    const js = (await app.inject('/api/key-figures?level=kommun&lan=08&branch=total&year=2025&format=jsonstat')).json()
    expect(js.dimension.region.category.index).toEqual([...kalmar, '08', 'SE'])
    expect(js.extension.regionLevel['08']).toBe('lan')
    expect(js.note[0]).toContain('DEMODATA')
  })
})
