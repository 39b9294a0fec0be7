// MYH's "Resultat för program" as published: an Excel workbook whose sheet starts with title rows, the header below them,
// one row per application with its decision (Beslut), notes under the table. Written with exceljs: a real XLSX file.
import ExcelJS from 'exceljs'

export const MYH_HEADER = ['Diarienummer', 'Utbildningsanordnare administrativ enhet', 'Utbildningsnamn', 'Utbildningsområde', 'Kommun', 'Län',
  'YH-poäng', 'Studieform', 'Studietakt %', 'SUN-inriktning', 'Beslut', 'Sökta platser totalt', 'Beviljade platser totalt']

export const MYH_ROWS: unknown[][] = [
  ['MYH 2026/1001', 'Sydkustens YH (fiktiv)', 'Ljudtekniker för scen och event', 'Kultur, media och design', 'Malmö', 'Skåne län', 400, 'Bunden', 100, '213', 'Beviljad', 60, 30], // 6
  ['MYH 2026/1002', 'Sydkustens YH (fiktiv)', 'Scenteknik', 'Kultur, media och design', 'Malmö', 'Skåne län', 400, 'Bunden', 100, '', 'Avslag', 30, 0], // 7
  ['MYH 2026/1003', 'Nordljus Utbildning AB (fiktiv)', 'Spelgrafiker', 'Data/IT', 'Flera kommuner', '', 400, 'Distans', 100, '', 'Beviljad', 70, 35], // 8
  ['MYH 2026/1004', 'Nordljus Utbildning AB (fiktiv)', 'Grafisk produktion', 'Kultur, media och design', '1480', 'Västra Götalands län', 300, 'Bunden', 100, '', 'Ej beviljad', 25, ''], // 9
  ['MYH 2026/1005', 'Trasig Rad AB', 'X', 'Data/IT', 'Atlantis', '', 200, 'Bunden', 100, '', 'Beviljad', 20, 10], // 10
  ['MYH 2026/1006', 'Utan Beslut AB', 'Y', 'Data/IT', 'Malmö', '', 200, 'Bunden', 100, '', '', 20, ''], // 11
]

/** The workbook: a title sheet's worth of rows above the table, a blank row, the header on row 5, a note under the table. */
export async function myhWorkbook (rows: unknown[][] = MYH_ROWS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('Info').addRow(['Myndigheten för yrkeshögskolan'])
  const ws = wb.addWorksheet('Tabell 3')
  ws.addRow(['Resultat för program, ansökningsomgång 2026'])
  ws.addRow(['Tabell 3. Ansökningar om att bedriva yrkeshögskoleutbildning, per ansökan och beslut'])
  ws.addRow([{ richText: [{ text: 'Källa: ' }, { text: 'Myndigheten för yrkeshögskolan' }] }])
  ws.addRow([])
  ws.addRow(MYH_HEADER)
  for (const r of rows) ws.addRow(r)
  ws.addRow([])
  ws.addRow(['Anm. Beviljade platser avser det totala antalet platser för samtliga omgångar.'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
