import { describe, expect, it } from 'vitest'
import { myhResults, parseDecision } from '../../server/ingest/formats/myh.js'
import { collect, ctx, streamOf } from './helpers.js'
import { myhWorkbook } from './myh-content.js'

describe('MYH results (XLSX)', () => {
  it('finds the header below the title rows and reads one application per row with its decision', async () => {
    const { records, rejections } = await collect(myhResults, streamOf(await myhWorkbook()), ctx('resultat-for-program-2026.xlsx'))
    expect(records.map((r) => [r.line, r.provider, r.programme, r.kommunCode, r.places, r.application?.decision])).toEqual([
      [6, 'Sydkustens YH (fiktiv)', 'Ljudtekniker för scen och event', '1280', 30, 'granted'],
      [7, 'Sydkustens YH (fiktiv)', 'Scenteknik', '1280', null, 'rejected'],
      [8, 'Nordljus Utbildning AB (fiktiv)', 'Spelgrafiker', null, 35, 'granted'], // "Flera kommuner": no single kommun, not an error
      [9, 'Nordljus Utbildning AB (fiktiv)', 'Grafisk produktion', '1480', null, 'rejected'],
    ])
    expect(records[0]).toMatchObject({ providerType: 'yh', sunCode: '213', startYear: null, placement: 'seat',
      application: { reference: 'MYH 2026/1001', area: 'Kultur, media och design', decisionText: 'Beviljad', placesApplied: 60, placesGranted: 30 } })
    expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
      [10, 'Kommun', 'unknown kommun "Atlantis" (a programme in several kommuner is "Flera kommuner")'],
      [11, 'Beslut', 'the decision (Beslut) is empty'],
    ])
  })

  it('reads the decisions as written and refuses a workbook without the table', async () => {
    expect(['Beviljad', 'BEVILJAD', 'Avslag', 'Ej beviljad', 'Avslagen', 'Återkallad', 'Delvis beviljad', 'beviljad ', 'Ej Beviljad'].map(parseDecision))
      .toEqual(['granted', 'granted', 'rejected', 'rejected', 'rejected', 'other', 'granted', 'granted', 'rejected'])
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Blad1').addRow(['Namn', 'Kommun'])
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    await expect(collect(myhResults, streamOf(buf), ctx('x.xlsx'))).rejects.toThrow(/x.xlsx: no header with the columns "Utbildningsanordnare administrativ enhet" and "Beslut"/)
    await expect(collect(myhResults, streamOf('a;b\n1;2\n'), ctx('x.csv'))).rejects.toThrow(/x.csv: not an Excel \(XLSX\) file/)
  })
})
