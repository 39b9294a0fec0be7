// Key figures as CSV (Swedish Excel or international), XLSX (data + metadata sheets) and JSON-stat 2.0.
import ExcelJS from 'exceljs'
import type { KeyFigureResult, KeyFigureRow } from './compute.js'
import { csvLine, csvPreamble, type CsvLocale } from '../csv/write.js'

export interface ExportMeta {
  source: string; generatedAt: string; suppression: string; synthetic: boolean
  sni: Array<{ version: string; code: string; category: string; title: string | null }>
}

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
/** Region and branch levels in words: the files are read by people (issue #21), the JSON keeps the keys. */
const REGION_LEVEL: Record<string, string> = { kommun: 'Kommun', lan: 'Län', riket: 'Riket', custom: 'Egen region' }
const BRANCH_LEVEL: Record<string, string> = { total: 'KKB totalt', group: 'Branschgrupp', category: 'Branschkategori', all: 'Hela näringslivet' }
const ID_COLUMNS: Array<{ key: string; label: string; get: (r: KeyFigureRow) => string | number }> = [
  { key: 'year', label: 'År', get: (r) => r.year },
  { key: 'regionLevel', label: 'Regionnivå', get: (r) => REGION_LEVEL[r.regionLevel] ?? r.regionLevel },
  { key: 'regionCode', label: 'Regionkod', get: (r) => r.regionCode }, { key: 'regionName', label: 'Region', get: (r) => r.regionName },
  { key: 'branchLevel', label: 'Branschnivå', get: (r) => BRANCH_LEVEL[r.branchLevel] ?? r.branchLevel },
  { key: 'branchCode', label: 'Branschkod', get: (r) => r.branchCode }, { key: 'branchName', label: 'Bransch', get: (r) => r.branchName },
]

/** The warning every key-figure file carries while the data are synthetic or the definition provisional (null: none). */
export function exportNotice (o: { synthetic: boolean; provisional: boolean }): string | null {
  const parts = [o.synthetic && 'DEMODATA: syntetiska uppgifter, inte verkliga företag', o.provisional && 'provisorisk KKB-definition (SNI-listan ej bekräftad)']
    .filter(Boolean)
  return parts.length ? parts.join('; ') : null
}

export const SUPPRESSED = '..'

// ---------------------------------------------------------------------------------------------------------
// The writers, for any table of figures: identifying columns + measures (with their unit and when a value is
// suppressed/missing, written as ".." as SCB does). The key figures below and the occupation figures use them.

export interface ExportColumn<R> { key: string; label: string; get: (r: R) => string | number | null | undefined }
export interface ExportMeasure<R> extends ExportColumn<R> { unit: string; suppressed?: (r: R) => boolean }
export interface ExportTable<R> { ids: Array<ExportColumn<R>>; measures: Array<ExportMeasure<R>>; rows: R[]
  /** a warning written in a last column "Anmärkning" of every row (demo data, provisional definition): it survives filtering and copying */
  notice?: string | null }

function measureCell<R> (r: R, m: ExportMeasure<R>): number | string | null {
  if (m.suppressed?.(r)) return SUPPRESSED
  const v = m.get(r)
  return v === null || v === undefined ? null : v
}
const headerOf = <R>(t: ExportTable<R>) => [...t.ids.map((c) => c.label), ...t.measures.map((m) => `${m.label} (${m.unit})`),
  ...(t.notice ? ['Anmärkning'] : [])]
const noticeOf = <R>(t: ExportTable<R>) => (t.notice ? [t.notice] : [])

/** Excel number formats per unit: thousands separated counts and sums, ratios to four decimals, percentages to one. */
const NUMBER_FORMAT: Record<string, string> = { antal: '#,##0', personer: '#,##0', tkr: '#,##0', kvot: '0.0000', procent: '0.0', rang: '0', percentil: '0.0' }

/** Ratios to 6 decimals (the JSON keeps full precision); counts and sums are integers anyway. */
const round6 = (v: number) => (Number.isInteger(v) ? v : Math.round(v * 1e6) / 1e6)

/** The table in the one CSV dialect of every export (server/csv/write.ts). */
export function tableToCsv<R> (t: ExportTable<R>, locale: CsvLocale): string {
  let out = csvPreamble(locale) + csvLine(headerOf(t), locale)
  for (const r of t.rows) {
    const values = t.measures.map((m) => { const v = measureCell(r, m); return typeof v === 'number' ? round6(v) : v })
    out += csvLine([...t.ids.map((c) => c.get(r)), ...values, ...noticeOf(t)], locale)
  }
  return out
}

/** A workbook with the data sheet and a metadata sheet (key/value rows, then optional tables such as the SNI list). */
export async function tableToXlsx<R> (t: ExportTable<R>, o: { sheet: string; generatedAt: string; metadata: Array<[string, string]>
  appendix?: { header: string[]; rows: Array<Array<string | number>> } }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'KKB Atlas'
  wb.created = new Date(o.generatedAt)
  const ws = wb.addWorksheet(o.sheet)
  const header = headerOf(t)
  ws.addRow(header).font = { bold: true }
  // identifying columns are written as they are: codes are strings, so Excel keeps them as text cells ("0880", not 880)
  for (const r of t.rows) ws.addRow([...t.ids.map((c) => c.get(r) ?? null), ...t.measures.map((m) => measureCell(r, m)), ...noticeOf(t)])
  t.ids.forEach((c, i) => { ws.getColumn(i + 1).width = Math.max(8, Math.min(40, c.label.length + 4, ...t.rows.slice(0, 500).map((r) => String(c.get(r) ?? '').length + 2))) })
  t.measures.forEach((m, i) => {
    const col = ws.getColumn(t.ids.length + i + 1)
    col.width = Math.max(12, Math.min(28, header[t.ids.length + i].length * 0.8))
    if (NUMBER_FORMAT[m.unit]) col.numFmt = NUMBER_FORMAT[m.unit]
    col.alignment = { horizontal: 'right' }
  })
  if (t.notice) ws.getColumn(header.length).width = 50
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + t.rows.length, column: header.length } }
  const md = wb.addWorksheet('Metadata')
  if (t.notice) md.addRow(['Observera', t.notice]).font = { bold: true, color: { argb: 'FFB00020' } }
  for (const [k, v] of o.metadata) md.addRow([k, v])
  if (o.appendix) {
    md.addRow([])
    md.addRow(o.appendix.header).font = { bold: true }
    for (const row of o.appendix.rows) md.addRow(row)
  }
  md.getColumn(1).width = 24
  md.getColumn(2).width = 80
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export interface CubeDimension<R> { id: string; label: string; code: (r: R) => string; name: (r: R) => string }

/** JSON-stat 2.0 dataset (the format of SCB's PxWeb API): the given dimensions × one "measure" dimension. */
export function tableToJsonStat<R> (t: ExportTable<R>, o: { label: string; source: string; updated: string; dims: Array<CubeDimension<R>>
  role: { time?: string[]; geo?: string[] }; extension: Record<string, unknown>; note: string[] }) {
  const cats = o.dims.map(() => new Map<string, string>())
  const index = new Map<string, R>()
  for (const r of t.rows) {
    const codes = o.dims.map((d, i) => { const c = d.code(r); if (!cats[i].has(c)) cats[i].set(c, d.name(r)); return c })
    index.set(codes.join('|'), r)
  }
  const value: Array<number | null> = []
  const status: Record<string, string> = {}
  const walk = (i: number, codes: string[]) => {
    if (i < o.dims.length) { for (const c of cats[i].keys()) walk(i + 1, [...codes, c]); return }
    const r = index.get(codes.join('|'))
    for (const m of t.measures) {
      const v = r ? measureCell(r, m) : null
      if (v === SUPPRESSED) status[String(value.length)] = SUPPRESSED
      value.push(typeof v === 'number' ? v : null)
    }
  }
  walk(0, [])
  const measures = t.measures
  return {
    version: '2.0', class: 'dataset', label: o.label, source: o.source, updated: o.updated,
    id: [...o.dims.map((d) => d.id), 'measure'], size: [...cats.map((c) => c.size), measures.length],
    role: { ...o.role, metric: ['measure'] },
    dimension: {
      ...Object.fromEntries(o.dims.map((d, i) => [d.id, { label: d.label, category: { index: [...cats[i].keys()], label: Object.fromEntries(cats[i]) } }])),
      measure: { label: 'Mått', category: { index: measures.map((m) => m.key), label: Object.fromEntries(measures.map((m) => [m.key, m.label])),
        unit: Object.fromEntries(measures.map((m) => [m.key, { label: m.unit, decimals: m.unit === 'kvot' ? 4 : m.unit === 'procent' ? 1 : 0 }])) } },
    },
    value, status, extension: o.extension, note: o.note,
  }
}

// ---------------------------------------------------------------------------------------------------------
// The key figures as such a table.

/**
 * The rows of a file: the requested regions, then (with lan=) their län and riket per year and branch, marked by the
 * Regionnivå column, so a kommun is read against its län and riket in the same sheet.
 */
function keyFigureTable (res: KeyFigureResult, synthetic: boolean): ExportTable<KeyFigureRow> {
  return {
    ids: ID_COLUMNS,
    measures: MEASURES.map((m) => ({ key: m.key, label: m.label, unit: m.unit, get: (r) => r[m.key] as number | null,
      suppressed: m.suppressKey ? (r) => !!r.suppressed[m.suppressKey!] : undefined })),
    rows: [...res.rows, ...res.context],
    notice: exportNotice({ synthetic, provisional: res.definition.provisional }),
  }
}

/** A file name that says what is in it: level, län or region, branch and years (ASCII, for every file system). */
export function exportFileName (res: KeyFigureResult, q: { lan?: string[]; regions?: string[]; branch: string[]; codes?: string[] },
  synthetic: boolean): string {
  const slug = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  const nameOf = (level: string, code: string) => [...res.rows, ...res.context].find((r) => r.regionLevel === level && r.regionCode === code)?.regionName
  const lan = res.lan ?? q.lan
  const regions = res.lan ? undefined : q.regions
  const where = lan?.length
    ? lan.map((l) => `lan-${l}-${slug(nameOf('lan', l) ?? '')}`).join('_')
    : regions?.length
      ? (regions.length <= 3 ? regions.map((c) => `${c}-${slug(nameOf(res.level, c) ?? '')}`).join('_') : `${regions.length}-regioner`)
      : 'alla'
  const branch = q.codes?.length ? q.codes.slice(0, 3).map(slug).join('_') : q.branch.join('_')
  const name = ['kkb-nyckeltal', res.level, where, branch, res.years.join('_') || 'inga-ar', synthetic ? 'DEMODATA' : '']
  return name.filter(Boolean).join('-').replace(/-+/g, '-').slice(0, 180)
}

export function toCsv (res: KeyFigureResult, locale: CsvLocale, synthetic = false): string {
  return tableToCsv(keyFigureTable(res, synthetic), locale)
}

export async function toXlsx (res: KeyFigureResult, meta: ExportMeta): Promise<Buffer> {
  const d = res.definition
  return tableToXlsx(keyFigureTable(res, meta.synthetic), {
    sheet: 'Nyckeltal', generatedAt: meta.generatedAt,
    metadata: [
      ['Definition', `${d.name} (${d.id}, version ${d.version})`],
      ['Provisorisk definition', d.provisional ? 'Ja – SNI-listan är inte bekräftad mot Tillväxtverkets officiella tabell' : 'Nej'],
      ['Regionnivå', res.level], ['År', res.years.join(', ')], ['Källa', meta.source],
      ['Syntetiska data', meta.synthetic ? 'Ja – DEMODATA, inte verkliga företag' : 'Nej'],
      ['Röjandekontroll', meta.suppression], ['Undertryckt värde', '".." = undertryckt uppgift på grund av röjanderisk'],
      ['Skapad', meta.generatedAt],
    ],
    appendix: { header: ['SNI-version', 'SNI-kod', 'Branschkategori', 'Benämning'], rows: meta.sni.map((s) => [s.version, s.code, s.category, s.title ?? '']) },
  })
}

/** The key figures as JSON-stat 2.0: dimensions year × region × branch × measure. */
export function toJsonStat (res: KeyFigureResult, meta: ExportMeta) {
  const t = keyFigureTable(res, meta.synthetic)
  return tableToJsonStat({ ...t, notice: null }, {
    label: `${res.definition.name}: nyckeltal per ${res.level}${meta.synthetic ? ' (DEMODATA)' : ''}`, source: meta.source, updated: meta.generatedAt,
    dims: [
      { id: 'year', label: 'År', code: (r) => String(r.year), name: (r) => String(r.year) },
      // with lan=, the region dimension lists the kommuner, then their län and riket (extension.regionLevel says which is which)
      { id: 'region', label: 'Region', code: (r) => r.regionCode, name: (r) => r.regionName },
      { id: 'branch', label: 'Bransch', code: (r) => `${r.branchLevel}:${r.branchCode}`, name: (r) => r.branchName },
    ],
    role: { time: ['year'], geo: ['region'] },
    extension: { definition: res.definition, suppression: meta.suppression, synthetic: meta.synthetic,
      regionLevel: Object.fromEntries(t.rows.map((r) => [r.regionCode, r.regionLevel])) },
    note: [...(t.notice ? [t.notice] : []), meta.suppression],
  })
}
