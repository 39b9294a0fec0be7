// Exports at scale, read back by real parsers: streams /api/actors?format=csv and format=xlsx over HTTP for a filter,
// parses them with csv-parse and ExcelJS's workbook reader, and compares every row (id, name) with the same filter
// answered from the database by the shared predicate. Used by `npm run bench` (register scale).
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'

export interface ExportCheck { format: 'csv' | 'xlsx'; rows: number; seconds: number; bytes: number; sameRows: boolean; firstDifference: string | null }

function download (url: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`${url}: HTTP ${res.statusCode}`)); res.resume(); return }
      let bytes = 0
      res.on('data', (c: Buffer) => { bytes += c.length })
      pipeline(res, createWriteStream(file)).then(() => resolve(bytes), reject)
    }).on('error', reject)
  })
}

async function readCsv (file: string): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = []
  const parser = createReadStream(file).pipe(parse({ bom: true, columns: true, relax_quotes: false }))
  for await (const r of parser as AsyncIterable<Record<string, string>>) out.push([Number(r.id), r.name])
  return out
}

/**
 * The whole workbook with ExcelJS's reader. Not its streaming WorkbookReader: that one decodes each zlib chunk on its
 * own and turns a multi-byte character split across chunks into U+FFFD (exceljs/exceljs#2063, #2084) — the bench
 * found "Teaterf��reningen" at row 88 209 while the file itself holds the right bytes.
 */
async function readXlsx (file: string): Promise<Array<[number, string]>> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
  const ws = wb.getWorksheet('Aktörer')
  if (!ws) throw new Error('no sheet "Aktörer" in the export')
  const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''))
  const id = header.indexOf('id'); const name = header.indexOf('name')
  const out: Array<[number, string]> = []
  ws.eachRow((row, n) => { if (n > 1) out.push([Number(row.getCell(id).value), String(row.getCell(name).value ?? '')]) })
  return out
}

/** Exports with `query` in both formats and compares them with `expected` (id, name in id order). */
export async function checkExports (baseUrl: string, query: string, expected: Array<[number, string]>): Promise<ExportCheck[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kkb-export-check-'))
  const results: ExportCheck[] = []
  try {
    for (const format of ['csv', 'xlsx'] as const) {
      const file = path.join(dir, `export.${format}`)
      const t0 = Date.now()
      const bytes = await download(`${baseUrl}/api/actors?${query}&format=${format}${format === 'csv' ? '&locale=en' : ''}`, file)
      const rows = format === 'csv' ? await readCsv(file) : await readXlsx(file)
      const seconds = (Date.now() - t0) / 1000
      let firstDifference: string | null = rows.length === expected.length ? null : `${rows.length} rows, expected ${expected.length}`
      for (let i = 0; !firstDifference && i < rows.length; i++) {
        if (rows[i][0] !== expected[i][0] || rows[i][1] !== expected[i][1]) firstDifference = `row ${i + 1}: ${JSON.stringify(rows[i])} ≠ ${JSON.stringify(expected[i])}`
      }
      results.push({ format, rows: rows.length, seconds, bytes, sameRows: firstDifference === null, firstDifference })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return results
}
