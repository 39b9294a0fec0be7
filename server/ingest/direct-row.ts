// A new year's row, written straight from a parsed record (direct-year.ts): COMPANY_SELECT's rule (merge.ts) in
// TypeScript, the columns it fills and the order they are written in. Pure: the import's thread and its line workers
// (line-workers.ts) make the same rows with it.
import { publicPoint } from './sole-trader.js'
import { isPersonalIdentityNumber } from './validate.js'
import { whole } from './staging.js'
import type { CompanyRecord } from './types.js'

/** The columns a direct row fills (id and sources take their defaults, as in COMPANY_SELECT's INSERT). */
export const DIRECT_COLUMNS = ['ref_year', 'orgnr', 'batch_id', 'source', 'sni1', 'name', 'legal_form', 'sole_trader', 'sni_version', 'sni',
  'kommun_code', 'lan_code', 'placement', 'street', 'postcode', 'city', 'geom', 'geom_public', 'location_precision', 'employees',
  'size_class', 'employees_est', 'turnover', 'value_added', 'registered_on', 'deregistered_on', 'active', 'marketing_opt_out',
  'synthetic', 'description', 'liquidation', 'co_address', 'source_fp']

/** The columns whose values never need quoting in COPY's CSV (numbers, flags, dates, validated codes, hex points). */
const PLAIN = new Set(['ref_year', 'orgnr', 'batch_id', 'sni1', 'legal_form', 'sole_trader', 'sni_version', 'sni', 'kommun_code', 'lan_code',
  'placement', 'geom', 'geom_public', 'location_precision', 'employees', 'size_class', 'employees_est', 'turnover', 'value_added',
  'registered_on', 'deregistered_on', 'active', 'marketing_opt_out', 'synthetic', 'source_fp'])
export const DIRECT_PLAIN = DIRECT_COLUMNS.map((c) => PLAIN.has(c))

/**
 * The general path's write order (merge.ts buildNewYear: kommun, SNI version, main branch, byte order, rows without a
 * kommun last) as a key of a direct row, for the blocks it is written in (staging.ts BlockOrder).
 */
export const writeOrder = (v: unknown[]) => `${(v[10] as string | null) ?? '\uffff'}|${v[8] as string}|${(v[4] as string | null) ?? ''}`

/** The four code lists COMPANY_SELECT joins, as the database holds them (the database's, not the parser's RefData). */
export interface CompanyLookups {
  /** kommun code → its län and its point (hex EWKB, as PostgreSQL gives a geometry) */
  kommun: Map<string, { lan: string; point: string | null }>
  /** legal-form code → natural_person */
  naturalPerson: Map<string, boolean>
  /** size-class code → its estimate of employees */
  sizeEstimate: Map<string, number | null>
}

export interface DirectParams { year: number; batchId: number; source: string; synthetic: boolean }

/**
 * The year's row of a parsed record: what COMPANY_SELECT (merge.ts) makes of its staged row when Bolagsverket has no
 * registration for the year (r IS NULL there), column for column in DIRECT_COLUMNS' order.
 */
export function directYearRow (r: CompanyRecord, l: CompanyLookups, p: DirectParams): unknown[] {
  const k = r.kommunCode === null ? undefined : l.kommun.get(r.kommunCode)
  // (a validated number with a 3rd digit 0 or 1 is a personal identity number: personalNumberSql's test)
  const sole = isPersonalIdentityNumber(r.orgnr) || (r.legalForm !== null && (l.naturalPerson.get(r.legalForm) ?? false))
  const exact = r.lon !== null && r.lat !== null ? pointHex(r.lon, r.lat) : null
  const pub = publicPoint(exact, sole, k?.point, r.locationPrecision)
  const employees = whole(r.employees)
  const sizeKnown = r.sizeClass !== null && l.sizeEstimate.has(r.sizeClass)
  const estimate = employees ?? (sizeKnown ? l.sizeEstimate.get(r.sizeClass!)! : null)
  return [p.year, r.orgnr, p.batchId, p.source, r.sni[0] ?? null, r.name, r.legalForm, sole, r.sniVersion, r.sni,
    k === undefined ? null : r.kommunCode, k === undefined ? null : k.lan, k === undefined ? null : r.placement, r.street, r.postcode, r.city,
    exact, pub.point, pub.precision, employees, sizeKnown ? r.sizeClass : null, estimate,
    r.turnover, r.valueAdded, r.registeredOn, r.deregisteredOn, r.active, r.marketingOptOut, p.synthetic, r.description, r.liquidation,
    r.coAddress ?? null, r.fp ?? null]
}

/**
 * ST_SetSRID(ST_MakePoint(lon, lat), 4326) as PostgreSQL writes it in COPY: hex EWKB (little-endian point with an SRID),
 * the same two doubles bit for bit.
 */
export function pointHex (lon: number, lat: number): string {
  const b = Buffer.alloc(25)
  b.writeUInt8(1, 0)
  b.writeUInt32LE(0x20000001, 1)
  b.writeUInt32LE(4326, 5)
  b.writeDoubleLE(lon, 9)
  b.writeDoubleLE(lat, 17)
  return b.toString('hex').toUpperCase()
}
