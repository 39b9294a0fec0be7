// Key figures as CSV (Swedish Excel or international), XLSX (data + metadata sheets) and JSON-stat 2.0.
import ExcelJS from 'exceljs'
import type { KeyFigureResult, KeyFigureRow } from './compute.js'
import { csvLine, csvPreamble, type CsvLocale } from '../csv/write.js'

export interface ExportMeta { source: string; generatedAt: string; suppression: string; sni: Array<{ version: string; code: string; category: string; title: string | null }>; synthetic: boolean }

/** Exported measures, with their unit, in column order. Suppressed values are written as ".." (as SCB does). */
export const MEASURES: Array<{ key: keyof KeyFigureRow; label: string; unit: string; suppressKey?: keyof KeyFigureRow['suppressed'] }> = [
  { key: 'companies', label: 'Företag', unit: 'antal' },
  { key: 'companiesAll', label: 'Alla företag i regionen', unit: 'antal' },
  { key: 'shareCompanies', label: 'Andel av företagen', unit: 'kvot' },
  { key: 'lqCompanies', label: 'Lokaliseringskvot, företag', unit: 'kvot' },
  { key: 'workplaces', label: 'Arbetsställen', unit: 'antal' },
  { key: 'employees', label: 'Anställda', unit: 'personer', suppressKey: 'employees' },
  { key: 'employeesAll', label: 'Anställda i regionen', unit: 'personer' },
  { key: 'shareEmployees', label: 'Andel av de anställda', unit: 'kvot', suppressKey: 'shareEmployees' },
  { key: 'lqEmployees', label: 'Lokaliseringskvot, anställda', unit: 'kvot', suppressKey: 'lqEmployees' },
  { key: 'turnover', label: 'Omsättning', unit: 'tkr', suppressKey: 'turnover' },
  { key: 'valueAdded', label: 'Förädlingsvärde', unit: 'tkr', suppressKey: 'valueAdded' },
  { key: 'population', label: 'Befolkning', unit: 'personer' },
  { key: 'per10k', label: 'Företag per 10 000 invånare', unit: 'antal' },
  { key: 'companiesChange', label: 'Förändring företag', unit: 'antal' },
  { key: 'companiesChangePct', label: 'Förändring företag', unit: 'procent' },
]
const ID_COLUMNS: Array<{ key: keyof KeyFigureRow; label: string }> = [
  { key: 'year', label: 'År' }, { key: 'regionCode', label: 'Regionkod' }, { key: 'regionName', label: 'Region' },
  { key: 'branchLevel', label: 'Branschnivå' }, { key: 'branchCode', label: 'Branschkod' }, { key: 'branchName', label: 'Bransch' },
]

const SUPPRESSED = '..'

function cell (r: KeyFigureRow, m: (typeof MEASURES)[number]): number | string | null {
  if (m.suppressKey && r.suppressed[m.suppressKey]) return SUPPRESSED
  const v = r[m.key] as number | null
  return v === null || v === undefined ? null : v
}

/** Ratios to 6 decimals (the JSON keeps full precision); counts and sums are integers anyway. */
const round6 = (v: number) => (Number.isInteger(v) ? v : Math.round(v * 1e6) / 1e6)

export function toCsv (res: KeyFigureResult, locale: CsvLocale): string {
  let out = csvPreamble(locale) + csvLine([...ID_COLUMNS.map((c) => c.label), ...MEASURES.map((m) => `${m.label} (${m.unit})`)], locale)
  for (const r of res.rows) {
    const ids = ID_COLUMNS.map((c) => r[c.key] as string | number | null)
    const values = MEASURES.map((m) => { const v = cell(r, m); return typeof v === 'number' ? round6(v) : v })
    out += csvLine([...ids, ...values], locale)
  }
  return out
}

export async function toXlsx (res: KeyFigureResult, meta: ExportMeta): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'KKB Atlas'
  wb.created = new Date(meta.generatedAt)
  const ws = wb.addWorksheet('Nyckeltal')
  ws.addRow([...ID_COLUMNS.map((c) => c.label), ...MEASURES.map((m) => `${m.label} (${m.unit})`)]).font = { bold: true }
  for (const r of res.rows) ws.addRow([...ID_COLUMNS.map((c) => r[c.key] as string | number), ...MEASURES.map((m) => cell(r, m))])
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  const md = wb.addWorksheet('Metadata')
  const d = res.definition
  const rows: Array<[string, string]> = [
    ['Definition', `${d.name} (${d.id}, version ${d.version})`],
    ['Provisorisk definition', d.provisional ? 'Ja – SNI-listan är inte bekräftad mot Tillväxtverkets officiella tabell' : 'Nej'],
    ['Regionnivå', res.level], ['År', res.years.join(', ')], ['Källa', meta.source],
    ['Syntetiska data', meta.synthetic ? 'Ja – DEMODATA, inte verkliga företag' : 'Nej'],
    ['Röjandekontroll', meta.suppression], ['Undertryckt värde', '".." = undertryckt uppgift på grund av röjanderisk'],
    ['Skapad', meta.generatedAt],
  ]
  for (const [k, v] of rows) md.addRow([k, v])
  md.addRow([])
  md.addRow(['SNI-version', 'SNI-kod', 'Branschkategori', 'Benämning']).font = { bold: true }
  for (const s of meta.sni) md.addRow([s.version, s.code, s.category, s.title ?? ''])
  md.getColumn(1).width = 24
  md.getColumn(2).width = 80
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** JSON-stat 2.0 dataset (the format of SCB's PxWeb API): dimensions year × region × branch × measure. */
export function toJsonStat (res: KeyFigureResult, meta: ExportMeta) {
  const years = [...new Set(res.rows.map((r) => String(r.year)))]
  const regions = new Map<string, string>()
  const branches = new Map<string, string>()
  for (const r of res.rows) { regions.set(r.regionCode, r.regionName); branches.set(`${r.branchLevel}:${r.branchCode}`, r.branchName) }
  const measures = MEASURES
  const index = new Map(res.rows.map((r) => [`${r.year}|${r.regionCode}|${r.branchLevel}:${r.branchCode}`, r]))
  const value: Array<number | null> = []
  const status: Record<string, string> = {}
  for (const y of years) for (const rc of regions.keys()) for (const b of branches.keys()) for (const m of measures) {
    const r = index.get(`${y}|${rc}|${b}`)
    const v = r ? cell(r, m) : null
    if (v === SUPPRESSED) status[String(value.length)] = SUPPRESSED
    value.push(typeof v === 'number' ? v : null)
  }
  const cat = (m: Map<string, string>) => ({ index: [...m.keys()], label: Object.fromEntries(m) })
  return {
    version: '2.0', class: 'dataset',
    label: `${res.definition.name}: nyckeltal per ${res.level}${meta.synthetic ? ' (DEMODATA)' : ''}`,
    source: meta.source, updated: meta.generatedAt,
    id: ['year', 'region', 'branch', 'measure'], size: [years.length, regions.size, branches.size, measures.length],
    role: { time: ['year'], geo: ['region'], metric: ['measure'] },
    dimension: {
      year: { label: 'År', category: { index: years, label: Object.fromEntries(years.map((y) => [y, y])) } },
      region: { label: 'Region', category: cat(regions) },
      branch: { label: 'Bransch', category: cat(branches) },
      measure: { label: 'Mått', category: { index: measures.map((m) => m.key), label: Object.fromEntries(measures.map((m) => [m.key, m.label])),
        unit: Object.fromEntries(measures.map((m) => [m.key, { label: m.unit, decimals: m.unit === 'kvot' ? 4 : m.unit === 'procent' ? 1 : 0 }])) } },
    },
    value, status,
    extension: { definition: res.definition, suppression: meta.suppression, synthetic: meta.synthetic },
    note: [meta.suppression],
  }
}
