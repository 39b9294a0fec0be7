// Issue #21: births and closures as files (GET /api/key-figures/flows?format=csv|xlsx) hold exactly the JSON answer's
// rows, with Swedish headers, codes as text, a null period as an empty cell (not 0) and the rules in the metadata.
import { describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { useTestApp } from '../helpers/db.js'

const ctx = useTestApp('demo')
type Row = Record<string, any>

describe('flows as CSV and XLSX', () => {
  it('CSV: one line per JSON row, same counts, file named by level, län, branch, period and years', async () => {
    const q = 'level=kommun&lan=08&branch=total,group&period=quarter'
    const json = (await ctx.app.inject(`/api/key-figures/flows?${q}`)).json()
    expect(json.rows.length).toBeGreaterThan(0)
    const r = await ctx.app.inject(`/api/key-figures/flows?${q}&format=csv`)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toMatch(/text\/csv/)
    expect(r.headers['content-disposition']).toMatch(/filename="kkb-flode-kommun-lan-08-total_group-kvartal-\d{4}-\d{4}(-DEMODATA)?\.csv"/)
    const lines: string[][] = parse(r.body.replace(/^\uFEFF/, '').replace(/^sep=;\r?\n/, ''), { delimiter: ';' })
    const [header, ...body] = lines
    expect(header.slice(0, 6)).toEqual(['Period', 'År', 'Kvartal', 'Regionnivå', 'Regionkod', 'Region'])
    expect(header).toEqual(expect.arrayContaining(['Nystartade företag (antal)', 'Nedlagda företag (antal)', 'Nettoförändring (antal)']))
    expect(body).toHaveLength(json.rows.length)
    const col = (name: string) => header.indexOf(name)
    const num = (v: string) => (v === '' ? null : Number(v))
    body.forEach((line, i) => {
      const row: Row = json.rows[i]
      expect(line[col('Period')]).toBe(row.period)
      expect(line[col('Regionkod')]).toBe(row.regionCode)
      expect(line[col('Branschkod')]).toBe(row.branchCode)
      expect(num(line[col('Nystartade företag (antal)')])).toBe(row.births)
      expect(num(line[col('Nedlagda företag (antal)')])).toBe(row.closures)
      expect(num(line[col('Nettoförändring (antal)')])).toBe(row.net)
    })
    // a year without a snapshot is an empty cell, as it is null in the JSON
    const nulls = json.rows.filter((x: Row) => x.births === null).length
    expect(body.filter((l) => l[col('Nystartade företag (antal)')] === '').length).toBe(nulls)
    // every line carries the demo warning while the data are synthetic
    if (json.meta.synthetic) expect(body.every((l) => /DEMODATA/.test(l[l.length - 1]))).toBe(true)
  })

  it('XLSX: codes as text cells, number formats, the rules and sources on the metadata sheet', async () => {
    const json = (await ctx.app.inject('/api/key-figures/flows?level=lan&region=08,01&branch=total&period=year')).json()
    const r = await ctx.app.inject('/api/key-figures/flows?level=lan&region=08,01&branch=total&period=year&format=xlsx')
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-disposition']).toMatch(/kkb-flode-lan-08_01-total-ar-/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('Flöden')!
    expect(ws.rowCount).toBe(json.rows.length + 1)
    const header = (ws.getRow(1).values as string[]).slice(1)
    const codeCol = header.indexOf('Regionkod') + 1
    expect(ws.getRow(2).getCell(codeCol).value).toBe(json.rows[0].regionCode)
    expect(typeof ws.getRow(2).getCell(codeCol).value).toBe('string')
    const births = header.indexOf('Nystartade företag (antal)') + 1
    expect(ws.getColumn(births).numFmt).toBe('#,##0')
    expect(ws.getRow(2).getCell(births).value).toBe(json.rows[0].births)
    expect(ws.autoFilter).toBeTruthy()
    const md = wb.getWorksheet('Metadata')!
    const keys = md.getColumn(1).values.filter(Boolean)
    expect(keys).toEqual(expect.arrayContaining(['Nystartade', 'Nedlagda', 'Saknad period', 'Källa']))
  })

  it('a bad format is a 400, the JSON stays the default', async () => {
    expect((await ctx.app.inject('/api/key-figures/flows?format=pdf')).statusCode).toBe(400)
    const r = await ctx.app.inject('/api/key-figures/flows?level=riket&period=year')
    expect(r.headers['content-type']).toMatch(/application\/json/)
  })
})
