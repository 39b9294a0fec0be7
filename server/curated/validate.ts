// One reading of a curated entry for every way in: the JSON API (typed values), a restore (a history snapshot) and the
// staff-list import (text cells). Each value that cannot be read is one problem (field, value, reason): the API answers
// 400 with all of them, the import rejects the row with each. Placement is the register's rule (validate.ts placeLocation).
import type { RefData } from '../reference/ref-data.js'
import { inSweden, Invalid, normaliseKommun, normaliseOrgnr, normalisePostcode, parseBoolean, parseDate, placeLocation } from '../ingest/validate.js'
import { MAX_NAME_CHARS } from '../ingest/limits.js'
import { isCuratedType, taxonomy, type CuratedType } from './taxonomy.js'

/** An entry as it is stored in a history snapshot and given to the API (the editable fields). */
export interface CuratedFields {
  name: string
  type: CuratedType
  subtype: string | null
  groups: string[]
  definition: string | null
  kommun: string
  street: string | null
  postcode: string | null
  city: string | null
  lat: number | null
  lon: number | null
  orgnr: string | null
  website: string | null
  description: string | null
  attributes: Record<string, unknown>
  openedOn: string | null
  closedOn: string | null
  source: string | null
  published: boolean
  consent: Consent | null
}
export interface Consent { by: string; at: string; fields: string[] }
export const FIELD_NAMES: Array<keyof CuratedFields> = ['name', 'type', 'subtype', 'groups', 'definition', 'kommun', 'street', 'postcode', 'city',
  'lat', 'lon', 'orgnr', 'website', 'description', 'attributes', 'openedOn', 'closedOn', 'source', 'published', 'consent']

export interface Problem { field: string; value: string | null; reason: string }

const text = (v: unknown): string | null => {
  if (v === undefined || v === null) return null
  const s = String(v).trim()
  return s === '' ? null : s
}
const LIMITS: Partial<Record<keyof CuratedFields, number>> = { subtype: 100, street: 200, city: 100, website: 500, description: 5000, source: 500 }

/**
 * Reads raw values into the stored form. `who` records a newly given consent (by, at) unless the value carries its own
 * (a restored snapshot). Returns the fields or the problems; never both.
 */
export type ReadResult = { fields: CuratedFields; problems: [] } | { fields: null; problems: Problem[] }
export function readEntry (raw: Record<string, unknown>, ref: RefData, who: string): ReadResult {
  const problems: Problem[] = []
  const bad = (field: string, value: unknown, reason: string) => { problems.push({ field, value: value == null ? null : String(value).slice(0, 200), reason }) }

  const name = text(raw.name)
  if (!name) bad('name', raw.name, 'required')
  else if (name.length > MAX_NAME_CHARS) bad('name', name, `too long: at most ${MAX_NAME_CHARS} characters`)
  const typeRaw = text(raw.type)?.toLowerCase() ?? null
  if (!typeRaw) bad('type', raw.type, `required (${taxonomy().types.map((t) => t.code).join(', ')})`)
  else if (!isCuratedType(typeRaw)) bad('type', raw.type, `unknown type (use ${taxonomy().types.map((t) => t.code).join(', ')})`)
  const type = typeRaw as CuratedType

  const opt: Record<string, string | null> = {}
  for (const k of ['subtype', 'street', 'city', 'website', 'description', 'source'] as const) {
    const v = text(raw[k])
    if (v && v.length > LIMITS[k]!) bad(k, v, `too long: at most ${LIMITS[k]} characters`)
    opt[k] = v
  }
  if (opt.website && !/^https?:\/\/[^\s]+$/i.test(opt.website)) {
    if (/^[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i.test(opt.website)) opt.website = `https://${opt.website}` // "www.x.se" from a spreadsheet
    else bad('website', opt.website, 'not a web address (http:// or https://)')
  }

  let postcode: string | null = null
  const pc = normalisePostcode(text(raw.postcode) ?? '')
  if (pc instanceof Invalid) bad('postcode', raw.postcode, pc.reason)
  else postcode = pc

  let kommun: string | null = null
  const k = normaliseKommun(text(raw.kommun) ?? '', ref)
  if (k instanceof Invalid) bad('kommun', raw.kommun, k.reason)
  else kommun = k

  let lat: number | null = null
  let lon: number | null = null
  const num = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number(String(v).trim().replace(',', '.')))
  const la = num(raw.lat)
  const lo = num(raw.lon)
  if ((la === null) !== (lo === null)) bad(la === null ? 'lat' : 'lon', la === null ? raw.lat : raw.lon, 'give both lat and lon, or neither')
  else if (la !== null && lo !== null) {
    if (!Number.isFinite(la) || !Number.isFinite(lo) || !inSweden(la, lo)) bad('lat', `${String(raw.lat)},${String(raw.lon)}`, 'not a WGS84 point in Sweden (lat 55–69.5, lon 10.5–24.5)')
    else { lat = la; lon = lo }
  }
  // the register's placement rule: the kommun given, else from the postcode, else from the postort
  if (!(k instanceof Invalid)) {
    const place = placeLocation(kommun, postcode, opt.city, lat !== null, ref)
    if (place.kommunCode === null) bad('kommun', raw.kommun, 'required (or a postcode or postort that lies in one kommun)')
    kommun = place.kommunCode
  }

  let orgnr: string | null = null
  const o = text(raw.orgnr)
  if (o) {
    const n = normaliseOrgnr(o)
    if (n instanceof Invalid) bad('orgnr', o, n.reason)
    else orgnr = n.orgnr
  }

  const groups: string[] = []
  const g = raw.groups ?? raw.group
  for (const x of (Array.isArray(g) ? g : (text(g) ?? '').split(/[,|]/)).map((s) => String(s).trim()).filter(Boolean)) {
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(x)) bad('groups', x, 'a KKB group code (letters, digits, . _ -)')
    else groups.push(x)
  }
  const definition = text(raw.definition)

  let attributes: Record<string, unknown> = {}
  if (raw.attributes !== undefined && raw.attributes !== null) {
    if (typeof raw.attributes !== 'object' || Array.isArray(raw.attributes)) bad('attributes', JSON.stringify(raw.attributes), 'an object, e.g. {"seats": 120}')
    else if (JSON.stringify(raw.attributes).length > 5000) bad('attributes', null, 'too large (at most 5000 characters as JSON)')
    else attributes = raw.attributes as Record<string, unknown>
  }

  const date = (field: 'openedOn' | 'closedOn') => {
    const d = parseDate(text(raw[field]) ?? '')
    if (d instanceof Invalid) { bad(field, raw[field], d.reason); return null }
    return d
  }
  const openedOn = date('openedOn')
  const closedOn = date('closedOn')
  if (openedOn && closedOn && closedOn < openedOn) bad('closedOn', closedOn, 'before openedOn')

  let published = false
  if (typeof raw.published === 'boolean') published = raw.published
  else if (raw.published !== undefined && raw.published !== null) {
    const b = parseBoolean(String(raw.published).trim())
    if (b instanceof Invalid) bad('published', raw.published, b.reason)
    else published = b ?? false
  }

  let consent: Consent | null = null
  if (raw.consent !== undefined && raw.consent !== null && raw.consent !== '') {
    const c = readConsent(raw.consent, who)
    if (typeof c === 'string') bad('consent', typeof raw.consent === 'string' ? raw.consent : JSON.stringify(raw.consent), c)
    else consent = c
  }
  // consent is a person's: for a place or organisation there is nothing to consent to
  if (type !== 'person') consent = null

  if (problems.length) return { fields: null, problems }
  return {
    fields: { name: name!, type, subtype: opt.subtype, groups, definition, kommun: kommun!, street: opt.street, postcode, city: opt.city, lat, lon,
      orgnr, website: opt.website, description: opt.description, attributes, openedOn, closedOn, source: opt.source, published, consent },
    problems: [],
  }
}

/**
 * A consent: `{ fields: [...] }` (the API; by and at kept when given, as in a snapshot), or in a spreadsheet cell
 * "ja" (shown with name, type and kommun only), "nej"/empty (none), or the consented fields ("street, website").
 */
function readConsent (v: unknown, who: string): Consent | null | string {
  const allowed = taxonomy().consentFields
  let fields: unknown
  let by = who
  let at = new Date().toISOString()
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase()
    const yn = parseBoolean(s)
    if (!(yn instanceof Invalid)) return yn ? { by, at, fields: [] } : null
    fields = s.split(/[,;| ]+/).filter(Boolean)
  } else if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    fields = o.fields ?? []
    if (typeof o.by === 'string' && typeof o.at === 'string') { by = o.by; at = o.at }
  } else return 'an object {"fields": [...]}, or ja/nej, or the consented fields'
  if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string' || !allowed.includes(f))) {
    return `consented fields must be among ${allowed.join(', ')}`
  }
  return { by, at, fields: [...new Set(fields as string[])].sort() }
}
