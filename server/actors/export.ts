// Streaming exports of the actor list: CSV, XLSX (streaming writer) and GeoJSON, in constant memory, no row cap.
import { once } from 'node:events'
import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { ActorItem } from './queries.js'
import { neutraliseFormula } from '../csv/neutralise.js'

export type ExportFormat = 'csv' | 'xlsx' | 'geojson'

export const EXPORT_COLUMNS: Array<{ key: keyof ActorItem; label: string }> = [
  { key: 'id', label: 'id' }, { key: 'kind', label: 'kind' }, { key: 'orgnr', label: 'orgnr' }, { key: 'name', label: 'name' },
  { key: 'legalForm', label: 'legalForm' }, { key: 'sni', label: 'sni' }, { key: 'sniVersion', label: 'sniVersion' },
  { key: 'group', label: 'group' }, { key: 'category', label: 'category' }, { key: 'kommunCode', label: 'kommunCode' },
  { key: 'lanCode', label: 'lanCode' }, { key: 'employees', label: 'employees' }, { key: 'sizeClass', label: 'sizeClass' },
  { key: 'street', label: 'street' }, { key: 'postcode', label: 'postcode' }, { key: 'city', label: 'city' },
  { key: 'registeredOn', label: 'registeredOn' }, { key: 'lon', label: 'lon' }, { key: 'lat', label: 'lat' },
  { key: 'locationPrecision', label: 'locationPrecision' }, { key: 'soleTrader', label: 'soleTrader' }, { key: 'synthetic', label: 'synthetic' },
]

const value = (a: ActorItem, k: keyof ActorItem): string | number | boolean | null => {
  const v = a[k]
  if (Array.isArray(v)) return v.join(' ')
  return (v as string | number | boolean | null | undefined) ?? null
}

/** Writes pages to a stream, respecting backpressure; stops quietly if the client went away. */
export class Sink {
  out = new PassThrough()
  closed = false
  constructor () { this.out.on('close', () => { this.closed = true }) }
  async write (chunk: string | Buffer): Promise<boolean> {
    if (this.closed) return false
    if (!this.out.write(chunk)) await Promise.race([once(this.out, 'drain'), once(this.out, 'close')])
    return !this.closed
  }
}

export interface ExportWriter { begin(): Promise<void>; page(items: ActorItem[]): Promise<boolean>; end(): Promise<void>; stream: Readable }

export function csvWriter (locale: 'sv' | 'en'): ExportWriter {
  const sink = new Sink()
  const sep = locale === 'sv' ? ';' : ','
  const q = (v: string | number | boolean | null) => {
    if (v === null) return ''
    // numbers (and booleans) are written as they are; only text can carry a formula
    const s = typeof v === 'number' ? (locale === 'sv' ? String(v).replace('.', ',') : String(v))
      : typeof v === 'string' ? neutraliseFormula(v) : String(v)
    return s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s
  }
  return {
    stream: sink.out,
    begin: async () => { await sink.write('\ufeff' + EXPORT_COLUMNS.map((c) => c.label).join(sep) + '\r\n') },
    page: (items) => sink.write(items.map((a) => EXPORT_COLUMNS.map((c) => q(value(a, c.key))).join(sep)).join('\r\n') + '\r\n'),
    end: async () => { sink.out.end() },
  }
}

export function geojsonWriter (metadata: Record<string, unknown>): ExportWriter {
  const sink = new Sink()
  let first = true
  return {
    stream: sink.out,
    begin: async () => { await sink.write(`{"type":"FeatureCollection","metadata":${JSON.stringify(metadata)},"features":[`) },
    page: (items) => {
      const parts = items.map((a) => {
        const { lon, lat, ...props } = a
        const f = JSON.stringify({ type: 'Feature', id: a.id, geometry: lon === null || lat === null ? null : { type: 'Point', coordinates: [lon, lat] }, properties: props })
        const s = first ? f : `,${f}`
        first = false
        return s
      })
      return sink.write(parts.join('\n'))
    },
    end: async () => { await sink.write(']}\n'); sink.out.end() },
  }
}

export function xlsxWriter (metadata: Record<string, unknown>): ExportWriter {
  const sink = new Sink()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink.out, useStyles: false, useSharedStrings: false })
  const ws = wb.addWorksheet('Aktörer')
  return {
    stream: sink.out,
    begin: async () => { ws.addRow(EXPORT_COLUMNS.map((c) => c.label)).commit() },
    async page (items) {
      for (const a of items) ws.addRow(EXPORT_COLUMNS.map((c) => value(a, c.key))).commit()
      // the workbook writer pipes into the sink; yield to let it drain
      if (sink.out.writableNeedDrain) await Promise.race([once(sink.out, 'drain'), once(sink.out, 'close')])
      return !sink.closed
    },
    async end () {
      ws.commit()
      const md = wb.addWorksheet('Metadata')
      for (const [k, v] of Object.entries(metadata)) md.addRow([k, typeof v === 'string' ? v : JSON.stringify(v)]).commit()
      md.commit()
      await wb.commit()
    },
  }
}
