// Reads a JSON-stat 2.0 dataset, the format of SCB's statistical database API (PxWebApi json-stat2):
// "class": "dataset", id, size, dimension.{id}.category.index/label, value in row-major order (the last dimension
// varies fastest), status (".." for a missing or protected cell), role.time/geo/metric. value and status may be
// arrays or sparse objects keyed by the cell's position, as the specification allows.
import { ImportError } from '../ingest/import-error.js'
import { MISSING_SYMBOLS, type Dimension, type ParsedTable, type RawCell } from './table.js'

/** SCB's API answers at most 150 000 cells per request; a table far beyond that is not one we were sent. */
export const MAX_CELLS = 5_000_000

type Json = Record<string, unknown>
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)
function refuse (message: string): never { throw new ImportError(`JSON-stat: ${message}`) }

function categories (id: string, dim: Json, size: number) {
  const cat = dim.category
  if (!isObject(cat)) refuse(`dimension "${id}" has no category object`)
  const labels = isObject(cat.label) ? cat.label as Record<string, unknown> : {}
  let codes: string[]
  if (Array.isArray(cat.index)) {
    codes = cat.index.map(String)
  } else if (isObject(cat.index)) {
    codes = new Array<string>(size)
    for (const [code, pos] of Object.entries(cat.index)) {
      if (!Number.isInteger(pos) || (pos as number) < 0 || (pos as number) >= size || codes[pos as number] !== undefined) {
        refuse(`dimension "${id}": category.index position ${String(pos)} of "${code}" is not a free position below ${size}`)
      }
      codes[pos as number] = code
    }
  } else if (cat.index === undefined && Object.keys(labels).length === 1) {
    codes = Object.keys(labels) // a single category may omit the index
  } else {
    refuse(`dimension "${id}" has no category.index`)
  }
  if (codes.length !== size || codes.some((c) => c === undefined)) refuse(`dimension "${id}" has ${codes.length} categories but size says ${size}`)
  const units = isObject(cat.unit) ? cat.unit as Record<string, Json> : {}
  return codes.map((code) => {
    const u = units[code]
    const unit = isObject(u) ? String(u.label ?? u.base ?? '') || undefined : undefined
    return { code, label: typeof labels[code] === 'string' ? labels[code] as string : code, unit }
  })
}

export function parseJsonStat (text: string): ParsedTable {
  let doc: unknown
  try { doc = JSON.parse(text) } catch (e) { refuse(`not valid JSON (${(e as Error).message})`) }
  if (!isObject(doc)) refuse('the file is not a JSON object')
  if (doc.class !== 'dataset') {
    if (isObject(doc.dataset)) refuse('this is JSON-stat 1.x ("dataset" wrapper); ask the API for json-stat2 (JSON-stat 2.0)')
    if (doc.class === 'collection' || doc.class === 'bundle') refuse(`class "${String(doc.class)}" holds several tables; import one dataset at a time`)
    refuse('"class": "dataset" is missing; this is not a JSON-stat 2.0 dataset')
  }
  if (doc.version !== undefined && doc.version !== '2.0') refuse(`version "${String(doc.version)}" is not 2.0`)
  const ids = doc.id
  const sizes = doc.size
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string') || !ids.length) refuse('"id" must be a non-empty array of dimension ids')
  if (!Array.isArray(sizes) || sizes.length !== ids.length || !sizes.every((x) => Number.isInteger(x) && x > 0)) {
    refuse('"size" must hold one positive integer per dimension id')
  }
  if (!isObject(doc.dimension)) refuse('"dimension" is missing')
  const dims = doc.dimension
  const role = isObject(doc.role) ? doc.role : {}
  const roleOf = (id: string): Dimension['role'] => {
    for (const r of ['time', 'geo', 'metric'] as const) if (Array.isArray(role[r]) && (role[r] as unknown[]).includes(id)) return r
    return undefined
  }
  const dimensions: Dimension[] = (ids as string[]).map((id, i) => {
    const d = dims[id]
    if (!isObject(d)) refuse(`dimension "${id}" is listed in "id" but not described in "dimension"`)
    return { id, label: typeof d.label === 'string' ? d.label : id, role: roleOf(id), categories: categories(id, d, sizes[i] as number) }
  })
  const total = (sizes as number[]).reduce((a, b) => a * b, 1)
  if (total > MAX_CELLS) refuse(`${total} cells is more than the ${MAX_CELLS} a statistical table may have here`)

  const valueAt = readValues(doc.value, total)
  const statusAt = readStatus(doc.status, total)
  const cells: RawCell[] = []
  const at = new Array<number>(ids.length).fill(0)
  for (let k = 0; k < total; k++) {
    const v = valueAt(k)
    const s = statusAt(k)
    // a cell whose value is null (or absent from a sparse value) is missing; its status says why (".." when none is given)
    cells.push({ at: [...at], value: v, status: v === null ? (s ?? '..') : s })
    for (let d = ids.length - 1; d >= 0; d--) { // row-major: the last dimension varies fastest
      if (++at[d] < (sizes[d] as number)) break
      at[d] = 0
    }
  }
  const ext = isObject(doc.extension) && isObject(doc.extension.px) ? doc.extension.px : {}
  const tableId = typeof ext.tableid === 'string' ? ext.tableid : typeof ext.matrix === 'string' ? ext.matrix : null
  const metric = dimensions.find((d) => d.role === 'metric')
  const units = [...new Set(metric?.categories.map((c) => c.unit).filter(Boolean))]
  return {
    id: tableId,
    title: typeof doc.label === 'string' && doc.label.trim() ? doc.label.trim() : refuse('"label" (the table title) is missing'),
    source: typeof doc.source === 'string' ? doc.source : null,
    updated: typeof doc.updated === 'string' ? doc.updated : null,
    unit: units.length ? units.join(', ') : null,
    dimensions,
    cells,
  }
}

function readValues (value: unknown, total: number): (k: number) => number | null {
  const check = (v: unknown, k: number | string): number | null => {
    if (v === null) return null
    if (typeof v === 'number' && Number.isFinite(v)) return v
    if (typeof v === 'string' && MISSING_SYMBOLS.has(v)) return null
    return refuse(`value ${JSON.stringify(v)} at position ${k} is not a number or null`)
  }
  if (Array.isArray(value)) {
    if (value.length !== total) refuse(`"value" has ${value.length} entries but the sizes give ${total} cells`)
    const vals = value.map((v, k) => check(v, k))
    return (k) => vals[k]
  }
  if (isObject(value)) {
    const vals = new Map<number, number | null>()
    for (const [key, v] of Object.entries(value)) {
      const k = Number(key)
      if (!Number.isInteger(k) || k < 0 || k >= total) refuse(`"value" key "${key}" is not a cell position below ${total}`)
      vals.set(k, check(v, key))
    }
    return (k) => vals.get(k) ?? null
  }
  return refuse('"value" must be an array or an object')
}

function readStatus (status: unknown, total: number): (k: number) => string | null {
  if (status === undefined || status === null) return () => null
  if (typeof status === 'string') return () => status
  if (Array.isArray(status)) {
    if (status.length !== total && status.length !== 1) refuse(`"status" has ${status.length} entries but the sizes give ${total} cells`)
    return status.length === 1 ? () => (status[0] === null ? null : String(status[0])) : (k) => (status[k] === null ? null : String(status[k]))
  }
  if (isObject(status)) return (k) => (status[String(k)] === undefined || status[String(k)] === null ? null : String(status[String(k)]))
  return refuse('"status" must be a string, an array or an object')
}
