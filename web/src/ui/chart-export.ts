// Each chart as a file: the SVG as shown (colours and fonts are attributes, so it stands alone), a PNG drawn from that
// SVG at twice the size, and its data as CSV in the one CSV dialect of every export (server/csv/write.ts: BOM, `sep=;`
// and decimal comma in Swedish; text cells through the formula neutraliser; codes beside their names, never as formulas).
import { csvLine, csvPreamble } from '../../../server/csv/write'
import type { ChartData } from './chart'
import { h } from './dom'
import { getLang, t } from './i18n'

/** The SVG document of a chart, with a white background (a transparent PNG looks broken in most viewers). */
export function svgDocument (svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const [, , w, hgt] = (copy.getAttribute('viewBox') ?? '0 0 360 200').split(' ').map(Number)
  copy.setAttribute('width', String(w)); copy.setAttribute('height', String(hgt))
  copy.removeAttribute('class')
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect')
  bg.setAttribute('width', '100%'); bg.setAttribute('height', '100%'); bg.setAttribute('fill', '#ffffff')
  copy.insertBefore(bg, copy.firstChild)
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title')
  title.textContent = svg.getAttribute('aria-label') ?? ''
  copy.insertBefore(title, copy.firstChild)
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy)
}

/** The PNG of a chart: its SVG drawn on a canvas at `scale` × its size. */
export async function pngBlob (svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const doc = svgDocument(svg)
  const img = new Image()
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(doc)}`
  await img.decode()
  const canvas = document.createElement('canvas')
  canvas.width = img.naturalWidth * scale; canvas.height = img.naturalHeight * scale
  const g = canvas.getContext('2d')!
  g.scale(scale, scale)
  g.drawImage(img, 0, 0)
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG failed'))), 'image/png'))
}

/** The data of a chart as CSV in the UI's language; the warning (demo data, provisional definition) is a last column of every row. */
export function chartCsv (d: ChartData): string {
  const locale = getLang()
  const notice = d.notice ? [t('col_notice')] : []
  let out = csvPreamble(locale) + csvLine([...d.header, ...notice], locale)
  for (const r of d.rows) out += csvLine([...r, ...(d.notice ? [d.notice] : [])], locale)
  return out
}

/** A file name that says what is in it: lower case, ASCII, no spaces ("kkb-0880-kalmar-foretag-2024-2025.csv"). */
export function fileSlug (parts: (string | number | null | undefined)[]): string {
  return parts.filter((p) => p !== null && p !== undefined && p !== '').map((p) => String(p).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')).filter(Boolean).join('-')
}

function save (blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = h('a', { href: url, download: name, hidden: true })
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** The three download buttons of a chart. `svg` is read when clicked, so a redrawn chart downloads as it is shown. */
export function chartDownloads (svg: () => SVGSVGElement | null, data: () => ChartData, base: string, what: string): HTMLElement {
  const btn = (fmt: string, run: () => Promise<void> | void) => h('button', {
    type: 'button', class: 'btn small', 'data-download': fmt.toLowerCase(), 'aria-label': t('downloadAs', { what, fmt }),
    onclick: async () => { try { await run() } catch (err) { console.error(err) } },
  }, fmt)
  return h('div', { class: 'chart-downloads no-print' },
    h('span', { class: 'muted' }, `${t('download')}:`),
    btn('SVG', () => { const el = svg(); if (el) save(new Blob([svgDocument(el)], { type: 'image/svg+xml' }), `${base}.svg`) }),
    btn('PNG', async () => { const el = svg(); if (el) save(await pngBlob(el), `${base}.png`) }),
    btn('CSV', () => save(new Blob([chartCsv(data())], { type: 'text/csv;charset=utf-8' }), `${base}.csv`)))
}
