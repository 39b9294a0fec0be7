// Streaming exports of the actor list: CSV, XLSX (streaming writer) and GeoJSON, in constant memory, no row cap.
import { once } from 'node:events'
import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { csvLine, csvPreamble, type CsvLocale } from '../csv/write.js'
import type { DbHandle } from '../db/client.js'
import type { Role } from '../auth/tokens.js'
import { currentDataVersion } from '../meta/data-version.js'
import type { ActorFilters } from './filters.js'
import { streamActors, type ActorItem } from './queries.js'

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

/** The columns of an export of this kind: curated entries add their type, subtype, website and published flag. */
export const exportColumns = (kind: string): typeof EXPORT_COLUMNS => kind !== 'curated' ? EXPORT_COLUMNS
  : [...EXPORT_COLUMNS, { key: 'type', label: 'type' }, { key: 'subtype', label: 'subtype' }, { key: 'website', label: 'website' }, { key: 'published', label: 'published' }]

const value = (a: ActorItem, k: keyof ActorItem): string | number | boolean | null => {
  const v = a[k]
  if (Array.isArray(v)) return v.join(' ')
  return (v as string | number | boolean | null | undefined) ?? null
}

/** Thrown into an export whose client read nothing for the stall time: the connection is closed. */
export class ExportStalled extends Error {
  constructor (ms: number) { super(`the client read nothing for ${Math.round(ms / 1000)} s; export cut off`) }
}

/**
 * Writes pages to a stream, respecting backpressure; stops quietly if the client went away, and cuts the client off if
 * it stops reading for `stallMs`. Nothing here holds a database connection: the caller reads the next page only after
 * write() resolves.
 */
export class Sink {
  out = new PassThrough()
  closed = false
  constructor (private stallMs = 30_000) { this.out.on('close', () => { this.closed = true }) }
  async write (chunk: string | Buffer): Promise<boolean> {
    if (this.closed) return false
    if (!this.out.write(chunk)) await this.drained()
    return !this.closed
  }

  /** Resolves when the client has read the buffer (or went away); destroys the stream if it reads nothing in time. */
  async drained (): Promise<void> {
    if (this.closed || !this.out.writableNeedDrain) return
    let timer: NodeJS.Timeout | undefined
    let done = () => {}
    const stalled = await new Promise<boolean>((resolve) => {
      done = () => resolve(false)
      timer = setTimeout(() => resolve(true), this.stallMs)
      this.out.once('drain', done)
      this.out.once('close', done)
    })
    clearTimeout(timer)
    this.out.off('drain', done)
    this.out.off('close', done)
    if (stalled && !this.closed) {
      this.closed = true
      this.out.destroy(new ExportStalled(this.stallMs))
    }
  }
}

export interface ExportWriter { begin(): Promise<void>; page(items: ActorItem[]): Promise<boolean>; end(): Promise<void>; stream: Readable }

export function csvWriter (locale: CsvLocale, stallMs?: number, columns = EXPORT_COLUMNS): ExportWriter {
  const sink = new Sink(stallMs)
  return {
    stream: sink.out,
    begin: async () => { await sink.write(csvPreamble(locale) + csvLine(columns.map((c) => c.label), locale)) },
    page: (items) => sink.write(items.map((a) => csvLine(columns.map((c) => value(a, c.key)), locale)).join('')),
    end: async () => { sink.out.end() },
  }
}

export function geojsonWriter (metadata: Record<string, unknown>, stallMs?: number): ExportWriter {
  const sink = new Sink(stallMs)
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

export function xlsxWriter (metadata: Record<string, unknown>, stallMs?: number, columns = EXPORT_COLUMNS): ExportWriter {
  const sink = new Sink(stallMs)
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink.out, useStyles: false, useSharedStrings: false })
  const ws = wb.addWorksheet('Aktörer')
  return {
    stream: sink.out,
    begin: async () => { ws.addRow(columns.map((c) => c.label)).commit() },
    async page (items) {
      for (const a of items) ws.addRow(columns.map((c) => value(a, c.key))).commit()
      // the workbook writer pipes into the sink; yield to let it drain
      await sink.drained()
      return !sink.closed
    },
    async end () {
      ws.commit()
      const md = wb.addWorksheet('Metadata')
      for (const [k, v] of Object.entries(metadata)) md.addRow([k, typeof v === 'string' ? v : JSON.stringify(v)]).commit()
      md.commit()
      await Promise.race([wb.commit(), once(sink.out, 'close')]) // a client cut off while the zip is finished
    },
  }
}

/** An import committed while the export was being read: its pages would mix two versions of the data. */
export class DataChanged extends Error {
  constructor () { super('the data changed during the export (an import finished); download it again') }
}

/**
 * Streams every matching actor into `writer`, one short query per page, waiting for the client between pages without
 * holding a database connection. Each page is checked against the data version read at the start, so a file never
 * mixes two imports: if one commits meanwhile, the export fails (the client sees a cut download) instead.
 * Resolves to the number of rows written (fewer than match when the client went away).
 */
export async function exportActors (db: Pick<DbHandle, 'query'>, f: ActorFilters, role: Role, writer: ExportWriter,
  opts: { excludeOptedOut: boolean; dataVersion: number; pageSize?: number }): Promise<number> {
  let rows = 0
  await writer.begin()
  for await (const page of streamActors(db, f, role, opts)) {
    if (await currentDataVersion(db) !== opts.dataVersion) throw new DataChanged()
    rows += page.length
    if (!await writer.page(page)) return rows
  }
  await writer.end()
  return rows
}
