// The printable regional profile (GET /api/reports/region/{code}.pdf, issue #21): one region's key figures against its
// län and riket, the trend, births and closures, the strongest branches by location quotient, a chart drawn with
// pdfkit's vector operations, the sources; definition version, data date and the demo/provisional warning on every page.
// The figures come from the same domain modules as the API (computeKeyFigures, computeFlows), so the PDF cannot say
// anything the API does not. Standard PDF fonts (Helvetica, WinAnsi): å, ä, ö and é print; no other glyphs are used.
import PDFDocument from 'pdfkit'
import type { DbHandle } from '../db/client.js'
import { notFound } from '../errors.js'
import { computeKeyFigures, type KeyFigureRow, type RegionLevel } from '../keyfigures/compute.js'
import { computeFlows, type FlowRow } from '../keyfigures/flows.js'
import type { SuppressionRule } from '../keyfigures/formulas.js'
import { describeSources, type DataInfo } from '../meta/data-info.js'
import { niceTicks } from './ticks.js'

export type ReportLang = 'sv' | 'en'

const T = {
  sv: {
    title: 'Regionprofil', subtitle: 'Kulturella och kreativa branscher (KKB)', keyFigures: 'Nyckeltal', measure: 'Mått', riket: 'Riket',
    companies: 'Företag', shareCompanies: 'Andel av alla företag', lqCompanies: 'Lokaliseringskvot, företag', employees: 'Anställda',
    per10k: 'Företag per 10 000 invånare', population: 'Befolkning', change: 'Förändring företag från föregående år', turnover: 'Omsättning (tkr)',
    trend: 'Utveckling: KKB-företag per år', index: 'Index (första året = 100)', year: 'År', flows: 'Nyetablerade och avslutade KKB-företag',
    births: 'Nya', closures: 'Avslutade', net: 'Netto', noSnapshot: 'ingen ögonblicksbild', strongest: 'Starkaste branscher efter lokaliseringskvot',
    branch: 'Bransch', lq: 'LK', sources: 'Källor och metod', suppressed: '..', suppressedNote: '".." = undertryckt uppgift (röjanderisk). En nolla visas som 0.',
    definition: 'Definition', dataDate: 'Data', page: 'Sida', demo: 'DEMODATA: syntetiska uppgifter, inte verkliga företag.',
    provisional: 'Provisorisk definition: SNI-listan är inte bekräftad mot den officiella tabellen.',
    lqText: 'Lokaliseringskvot (LK) = regionens andel KKB-företag i branschen delad med rikets andel; över 1 = fler än riksgenomsnittet.',
    flowsText: 'Nya = företag i årets register med registreringsdatum under året; avslutade = avregistrerade under året, eller aktiva förra året och borta eller inaktiva i år.',
    methodology: 'Alla formler: /api/key-figures/methodology', generated: 'Skapad', noBranches: 'Inga branscher med minst 3 företag.',
    series: 'KKB-företag', lanLabel: 'Län',
  },
  en: {
    title: 'Regional profile', subtitle: 'Cultural and creative industries (CCI)', keyFigures: 'Key figures', measure: 'Measure', riket: 'Sweden',
    companies: 'Companies', shareCompanies: 'Share of all companies', lqCompanies: 'Location quotient, companies', employees: 'Employees',
    per10k: 'Companies per 10,000 inhabitants', population: 'Population', change: 'Change in companies from the previous year', turnover: 'Turnover (kSEK)',
    trend: 'Trend: CCI companies per year', index: 'Index (first year = 100)', year: 'Year', flows: 'New and closed CCI companies',
    births: 'New', closures: 'Closed', net: 'Net', noSnapshot: 'no snapshot', strongest: 'Strongest branches by location quotient',
    branch: 'Branch', lq: 'LQ', sources: 'Sources and method', suppressed: '..', suppressedNote: '".." = suppressed (disclosure risk). A zero is shown as 0.',
    definition: 'Definition', dataDate: 'Data', page: 'Page', demo: 'DEMO DATA: synthetic, not real companies.',
    provisional: 'Provisional definition: the SNI list is not confirmed against the official table.',
    lqText: 'Location quotient (LQ) = the region\'s share of companies in the branch divided by Sweden\'s share; above 1 = more than the national average.',
    flowsText: 'New = companies in the year\'s register with a registration date in the year; closed = deregistered in the year, or active the year before and gone or inactive now.',
    methodology: 'All formulas: /api/key-figures/methodology', generated: 'Generated', noBranches: 'No branch with at least 3 companies.',
    series: 'CCI companies', lanLabel: 'County',
  },
} as const

export interface RegionReport { pdf: Buffer; fileName: string; regionName: string }

interface Ctx { db: DbHandle; rule: SuppressionRule; definition?: string; year?: number }

async function figures (c: Ctx, level: RegionLevel, code: string, branch: Array<'total' | 'group' | 'category'>, years: number[] | 'all') {
  return computeKeyFigures(c.db, { definition: c.definition, level, regions: [code], branch, years }, c.rule)
}

/** The region a code names: a kommun (4 digits), a län (2 digits) or riket (SE). */
async function regionOf (db: DbHandle, code: string): Promise<{ level: RegionLevel; code: string; name: string; lan: { code: string; name: string } | null }> {
  if (code.toUpperCase() === 'SE') return { level: 'riket', code: 'SE', name: 'Riket', lan: null }
  if (/^\d{4}$/.test(code)) {
    const { rows } = await db.query<{ name: string; lan: string; lan_name: string }>(
      'SELECT k.name, k.lan_code AS lan, l.name AS lan_name FROM kommun k JOIN lan l ON l.code = k.lan_code WHERE k.code = $1', [code])
    if (rows[0]) return { level: 'kommun', code, name: rows[0].name, lan: { code: rows[0].lan, name: rows[0].lan_name } }
  } else if (/^\d{2}$/.test(code)) {
    const { rows } = await db.query<{ name: string }>('SELECT name FROM lan WHERE code = $1', [code])
    if (rows[0]) return { level: 'lan', code, name: rows[0].name, lan: null }
  }
  throw notFound(`no kommun (4 digits), län (2 digits) or riket (SE) with code ${code}`)
}

export interface ReportOptions { lang: ReportLang; rule: SuppressionRule; definition?: string; info: DataInfo }

export async function regionReport (db: DbHandle, code: string, o: ReportOptions): Promise<RegionReport> {
  const t = T[o.lang]
  const region = await regionOf(db, code)
  const c: Ctx = { db, rule: o.rule, definition: o.definition }
  const own = await figures(c, region.level, region.code, ['total', 'group', 'category'], 'all')
  const latest = own.allYears[own.allYears.length - 1]
  const lan = region.lan ? await figures(c, 'lan', region.lan.code, ['total'], 'all') : null
  const riket = region.level === 'riket' ? own : await figures(c, 'riket', 'SE', ['total'], 'all')
  const flows = await computeFlows(db, { definition: o.definition, level: region.level as 'kommun' | 'lan' | 'riket', regions: [region.code],
    branch: ['total'], period: 'year', years: 'all' })
  const def = own.definition
  const total = (rows: KeyFigureRow[], year: number) => rows.find((r) => r.branchLevel === 'total' && r.year === year)
  const columns: Array<{ label: string; rows: KeyFigureRow[] }> = [
    { label: region.name, rows: own.rows },
    ...(lan ? [{ label: region.lan!.name, rows: lan.rows }] : []),
    ...(region.level !== 'riket' ? [{ label: t.riket, rows: riket.rows }] : []),
  ]

  const doc = new PDFDocument({ size: 'A4', margins: { top: 72, bottom: 64, left: 56, right: 56 }, bufferPages: true,
    info: { Title: `${t.title}: ${region.name}`, Author: 'KKB Atlas', Subject: t.subtitle } })
  const chunks: Buffer[] = []
  doc.on('data', (b: Buffer) => chunks.push(b))
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()))
  const W = doc.page.width - 112
  const left = 56

  const num = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? '–'
    : v.toLocaleString(o.lang === 'sv' ? 'sv-SE' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/\u2212/g, '-').replace(/\u00a0/g, ' '))
  const heading = (s: string) => { ensure(60); doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('#1b3a57').text(s, left, doc.y, { width: W }); doc.moveDown(0.3) }
  const ensure = (h: number) => { if (doc.y + h > doc.page.height - 70) doc.addPage() }

  /** A simple table: first column left, the rest right-aligned; header bold; thin rules. */
  function table (header: string[], rows: string[][], widths: number[]) {
    const rowH = 16
    ensure(rowH * Math.min(rows.length + 1, 6))
    const draw = (cells: string[], bold: boolean) => {
      ensure(rowH)
      const y = doc.y
      let x = left
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor('#111111')
      cells.forEach((cell, i) => {
        doc.text(cell, x + 2, y + 4, { width: widths[i] - 4, align: i === 0 ? 'left' : 'right', lineBreak: false, ellipsis: true })
        x += widths[i]
      })
      doc.moveTo(left, y + rowH).lineTo(left + widths.reduce((a, b) => a + b, 0), y + rowH).lineWidth(bold ? 0.8 : 0.3).strokeColor('#999999').stroke()
      doc.x = left; doc.y = y + rowH
    }
    draw(header, true)
    for (const r of rows) draw(r, false)
    doc.moveDown(0.3)
  }

  // --- page 1: title and warnings
  doc.font('Helvetica-Bold').fontSize(20).fillColor('#1b3a57').text(`${t.title}: ${region.name}`, left, 72, { width: W })
  doc.font('Helvetica').fontSize(11).fillColor('#333333')
    .text(`${t.subtitle} · ${region.lan ? `${region.lan.name} · ` : ''}${latest ?? ''}`, { width: W })
  const warnings: string[] = [...(o.info.synthetic ? [t.demo] : []), ...(def.provisional ? [t.provisional] : [])]
  if (warnings.length) {
    doc.moveDown(0.5)
    const y = doc.y
    const h = 14 * warnings.length + 10
    doc.rect(left, y, W, h).fillAndStroke('#fff3cd', '#b58900')
    doc.font('Helvetica-Bold').fontSize(9.5).fillColor('#6b4e00')
    warnings.forEach((w, i) => doc.text(w, left + 8, y + 6 + i * 14, { width: W - 16, lineBreak: false }))
    doc.x = left; doc.y = y + h + 4
  }

  // --- key figures: region against län and riket, latest year
  heading(`${t.keyFigures} ${latest ?? ''}`)
  const measure = (label: string, get: (r: KeyFigureRow | undefined) => string) => [label, ...columns.map((col) => get(total(col.rows, latest)))]
  const sup = (r: KeyFigureRow | undefined, key: 'employees' | 'turnover') => (r?.suppressed[key] ? t.suppressed : num(r?.[key]))
  const colW = (W - 190) / columns.length
  table([t.measure, ...columns.map((x) => x.label)], [
    measure(t.companies, (r) => num(r?.companies)),
    measure(t.shareCompanies, (r) => (r?.shareCompanies === null || r === undefined ? '–' : `${num(r.shareCompanies * 100, 1)} %`)),
    measure(t.lqCompanies, (r) => num(r?.lqCompanies, 2)),
    measure(t.per10k, (r) => num(r?.per10k, 1)),
    measure(t.employees, (r) => sup(r, 'employees')),
    measure(t.turnover, (r) => sup(r, 'turnover')),
    measure(t.population, (r) => num(r?.population)),
    measure(t.change, (r) => (r?.companiesChange === null || r === undefined ? '–' : `${r.companiesChange > 0 ? '+' : ''}${num(r.companiesChange)}`)),
  ], [190, ...columns.map(() => colW)])

  // --- trend: index chart (vector) and the counts
  heading(t.trend)
  const years = own.allYears
  const series = columns.map((col) => ({ label: col.label, values: years.map((y) => total(col.rows, y)?.companies ?? null) }))
  chart(doc, { left, width: W, height: 170, years, series, yLabel: t.index, lang: o.lang })
  table([t.year, ...columns.map((x) => x.label)], years.map((y) => [String(y), ...series.map((s) => num(s.values[years.indexOf(y)]))]),
    [80, ...columns.map(() => (W - 80) / columns.length)])

  // --- flows per year
  heading(t.flows)
  const fl = flows.rows.filter((r: FlowRow) => r.branchLevel === 'total')
  table([t.year, t.births, t.closures, t.net], fl.map((r) => [r.period, ...(r.births === null ? [t.noSnapshot, '', ''] : [num(r.births), num(r.closures),
    `${(r.net ?? 0) > 0 ? '+' : ''}${num(r.net)}`])]), [80, (W - 80) / 3, (W - 80) / 3, (W - 80) / 3])
  doc.font('Helvetica').fontSize(8).fillColor('#555555').text(t.flowsText, left, doc.y, { width: W })

  // --- strongest branches by LQ (categories with at least 3 companies, so a single firm does not top the list)
  heading(`${t.strongest} (${latest ?? ''})`)
  const cats = own.rows.filter((r) => r.year === latest && r.branchLevel === 'category' && r.companies >= 3 && r.lqCompanies !== null)
    .sort((a, b) => b.lqCompanies! - a.lqCompanies!).slice(0, 8)
  if (cats.length) {
    table([t.branch, t.companies, t.lq], cats.map((r) => [r.branchName, num(r.companies), num(r.lqCompanies, 2)]), [W - 160, 80, 80])
  } else doc.font('Helvetica').fontSize(9).text(t.noBranches, left, doc.y)
  doc.font('Helvetica').fontSize(8).fillColor('#555555').text(t.lqText, left, doc.y, { width: W })

  // --- sources
  heading(t.sources)
  doc.font('Helvetica').fontSize(9).fillColor('#111111')
  for (const line of [
    `${t.definition}: ${def.name} (${def.id}, version ${def.version})`,
    `${describeSources(o.info)}`,
    t.suppressedNote, t.methodology,
  ]) doc.text(line, left, doc.y, { width: W }).moveDown(0.2)

  // --- on every page: header with region and definition version, footer with data date, warning and page number
  const range = doc.bufferedPageRange()
  const generated = new Date().toISOString().slice(0, 10)
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0 // writing into the margin must not open a new page
    doc.font('Helvetica').fontSize(8).fillColor('#555555')
      .text(`KKB Atlas · ${t.title}: ${region.name} · ${t.definition} ${def.id} v${def.version}`, left, 30, { width: W, lineBreak: false })
    doc.moveTo(left, 44).lineTo(left + W, 44).lineWidth(0.5).strokeColor('#1b3a57').stroke()
    const foot = `${t.dataDate}: ${o.info.years.join(', ') || '–'} (version ${o.info.dataVersion}) · ${t.generated} ${generated}` +
      `${warnings.length ? ` · ${o.info.synthetic ? t.demo : t.provisional}` : ''} · ${t.page} ${i + 1}/${range.count}`
    doc.fillColor(warnings.length ? '#8a6100' : '#555555').text(foot, left, doc.page.height - 40, { width: W, lineBreak: false, ellipsis: true })
    doc.page.margins.bottom = bottom
  }
  doc.end()
  await done
  const slug = region.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  return { pdf: Buffer.concat(chunks), fileName: `kkb-regionprofil-${region.code}-${slug}-${latest ?? ''}${o.info.synthetic ? '-DEMODATA' : ''}.pdf`, regionName: region.name }
}

/** A line chart of the series as an index (first year with data = 100), with exact ticks, a legend and year labels. */
function chart (doc: PDFKit.PDFDocument, o: { left: number; width: number; height: number; years: number[]; lang: ReportLang
  series: Array<{ label: string; values: Array<number | null> }>; yLabel: string }) {
  if (doc.y + o.height + 40 > doc.page.height - 70) doc.addPage()
  const top = doc.y + 6
  const plot = { x: o.left + 40, y: top, w: o.width - 150, h: o.height - 30 }
  const indexed = o.series.map((s) => {
    const base = s.values.find((v) => v !== null && v > 0) ?? null
    return { label: s.label, values: s.values.map((v) => (v === null || base === null ? null : (v / base) * 100)) }
  })
  const all = indexed.flatMap((s) => s.values.filter((v): v is number => v !== null))
  const ticks = niceTicks(Math.min(100, ...all), Math.max(100, ...all), 5)
  const lo = ticks[0]; const hi = ticks[ticks.length - 1]
  const yOf = (v: number) => plot.y + plot.h - ((v - lo) / (hi - lo || 1)) * plot.h
  const xOf = (i: number) => plot.x + (o.years.length === 1 ? plot.w / 2 : (i / (o.years.length - 1)) * plot.w)
  doc.font('Helvetica').fontSize(7.5).fillColor('#333333')
  for (const tk of ticks) {
    doc.moveTo(plot.x, yOf(tk)).lineTo(plot.x + plot.w, yOf(tk)).lineWidth(0.3).strokeColor('#cccccc').stroke()
    doc.text(tk.toLocaleString(o.lang === 'sv' ? 'sv-SE' : 'en-GB').replace(/\u00a0/g, ' '), plot.x - 38, yOf(tk) - 3, { width: 34, align: 'right', lineBreak: false })
  }
  o.years.forEach((y, i) => doc.text(String(y), xOf(i) - 15, plot.y + plot.h + 7, { width: 30, align: 'center', lineBreak: false }))
  doc.save().rotate(-90, { origin: [o.left + 4, plot.y + plot.h / 2] })
    .text(o.yLabel, o.left + 4 - 60, plot.y + plot.h / 2 - 4, { width: 120, align: 'center', lineBreak: false }).restore()
  const colors = ['#c0392b', '#2e86c1', '#7f8c8d']
  indexed.forEach((s, k) => {
    const pts = s.values.map((v, i) => (v === null ? null : [xOf(i), yOf(v)] as const)).filter((p): p is readonly [number, number] => p !== null)
    if (!pts.length) return
    doc.lineWidth(k === 0 ? 2 : 1.3).strokeColor(colors[k % colors.length])
    if (k === 2) doc.dash(3, { space: 2 })
    doc.moveTo(pts[0][0], pts[0][1])
    for (const p of pts.slice(1)) doc.lineTo(p[0], p[1])
    doc.stroke().undash()
    for (const p of pts) doc.circle(p[0], p[1], 2).fill(colors[k % colors.length])
    const ly = plot.y + 8 + k * 14
    doc.rect(plot.x + plot.w + 12, ly, 12, 3).fill(colors[k % colors.length])
    doc.fillColor('#111111').fontSize(8).text(s.label, plot.x + plot.w + 28, ly - 3, { width: 90, lineBreak: false, ellipsis: true })
  })
  doc.x = o.left; doc.y = plot.y + plot.h + 18
}
