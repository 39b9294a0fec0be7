// Skolverket's school-unit register, open API v2 (Skolenhetsregistret, https://api.skolverket.se/skolenhetsregistret/v2):
// the national list of upper-secondary schools offering the arts programme (Estetiska programmet, programme code ES).
// Input: the detail responses of GET /v2/school-units/{schoolUnitCode}, saved as a JSON array, NDJSON or a sequence of
// objects: `{ "data": { "schoolUnitCode", "attributes": { displayName, status, municipalityCode, schoolTypes: ["GY"],
// schoolTypeProperties: { "GY": { "programmes": ["ES", …] } }, addresses: [{ type: "BESOKSADRESS", streetAddress,
// postalCode, locality, geoCoordinates: { latitude, longitude } }], url, … } } }` (the shape as read by public clients
// of the API; the list endpoint GET /v2/school-units gives only code, name and status, so it is refused with a hint).
// Kept: active units (status AKTIV) of school type GY with ES among their programmes; the others are skipped, not errors.
import type { EducationRecord, ParsedRow, Parser } from '../types.js'
import { readJsonItems } from '../json-items.js'
import { openText } from '../text.js'
import { Invalid, clip, nameTooLong, normaliseKommun, normalisePostcode, parseCoordinates, placeLocation, CoordinateInvalid } from '../validate.js'
import { BATCH_SIZE, limitsOf, rejection } from './common.js'
import { ShapeCheck, describeItem, isPlainObject, toText } from './json-object.js'

/** the upper-secondary arts programme (Estetiska programmet) */
export const ARTS_PROGRAMME = 'ES'
const PROGRAMME_NAME = 'Estetiska programmet'

const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {})

export const skolverketSchoolUnits: Parser<EducationRecord> = async function * (input, ctx) {
  const { file, ref } = ctx
  const limits = limitsOf(ctx)
  const text = await openText(input, file, { maxUncompressedBytes: limits.maxUncompressedBytes, expected: "Skolverket's school-unit JSON (skolverket)" })
  const shape = new ShapeCheck()
  let listPage = false
  let batch: ParsedRow<EducationRecord>[] = []
  try {
    for await (const items of readJsonItems(text.chunks, file, { maxChars: limits.maxLineChars * 10 })) {
      for (const it of items) {
        if (it.error !== undefined) { batch.push(rejection(file, it.line, null, null, it.error)); continue }
        const row = build(it.value, it.line)
        if (row !== null) batch.push(row)
        if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
      }
    }
  } finally {
    await text.close()
  }
  if (listPage && shape.understood === 0) {
    throw new Error(`${file}: this is the list of school units (GET /v2/school-units: code, name and status only); ` +
      'save the detail of each unit (GET /v2/school-units/{schoolUnitCode}), which has its school types, programmes and address')
  }
  shape.assertUnderstood(file, "Skolverket's school-unit register (API v2)", '"data": {"schoolUnitCode", "attributes": {"displayName", "schoolTypes", …}}')
  if (batch.length > 0) yield batch

  function build (value: unknown, line: number): ParsedRow<EducationRecord> | null {
    const data = isPlainObject(value) && isPlainObject(value.data) ? value.data : value
    if (isPlainObject(data) && Array.isArray(data.attributes)) { listPage = true; shape.refuse('a list page'); return null }
    if (!isPlainObject(data) || !isPlainObject(data.attributes) || toText(data.schoolUnitCode) === '') {
      shape.refuse(describeItem(value))
      return rejection(file, line, null, clip(JSON.stringify(value) ?? ''), 'not a school unit of the register (expected "data": {"schoolUnitCode", "attributes": {…}})')
    }
    shape.understood++
    const code = toText(data.schoolUnitCode)
    const a = data.attributes
    const status = toText(a.status).toUpperCase()
    const types = Array.isArray(a.schoolTypes) ? a.schoolTypes.map(toText) : []
    const programmes = obj(obj(a.schoolTypeProperties).GY).programmes
    const offersArts = types.includes('GY') && Array.isArray(programmes) && programmes.map(toText).includes(ARTS_PROGRAMME)
    if (status !== 'AKTIV' || !offersArts) return null
    const name = toText(a.displayName) || toText(a.schoolName) || toText(a.name)
    if (name === '') return rejection(file, line, 'displayName', code, `school unit ${code} has no name`)
    const long = nameTooLong(name)
    if (long !== null) return rejection(file, line, 'displayName', clip(name), long.reason)
    const kRaw = toText(a.municipalityCode)
    const kommun = kRaw === '' ? null : normaliseKommun(kRaw, ref)
    if (kommun instanceof Invalid) return rejection(file, line, 'municipalityCode', kRaw, kommun.reason)
    const addresses = Array.isArray(a.addresses) ? a.addresses.filter(isPlainObject) : []
    const visit = addresses.find((x) => toText(x.type) === 'BESOKSADRESS') ?? addresses[0] ?? {}
    const pc = normalisePostcode(toText(visit.postalCode))
    const postcode = typeof pc === 'string' ? pc : null
    const geo = obj(visit.geoCoordinates)
    const c = parseCoordinates(toText(geo.latitude), toText(geo.longitude), '', '')
    // a unit's coordinates outside Sweden are dropped, not the unit: the address still places it
    const point = c === null || c instanceof CoordinateInvalid ? null : c
    const place = placeLocation(kommun, postcode, toText(visit.locality) || null, point !== null, ref)
    const url = toText(a.url)
    return {
      ok: true,
      record: {
        line,
        provider: name,
        providerType: 'gymnasium_estetiska',
        programme: PROGRAMME_NAME,
        sunCode: null,
        places: null,
        applicants: null,
        kommunCode: place.kommunCode,
        placement: place.placement,
        locationPrecision: place.locationPrecision,
        street: toText(visit.streetAddress) || null,
        postcode,
        city: toText(visit.locality) || null,
        lon: point?.lon ?? null,
        lat: point?.lat ?? null,
        startYear: null,
        url: /^https?:\/\/[^/]+\.[^/]+/i.test(url) ? url : /^www\./i.test(url) ? `https://${url}` : null,
      },
    }
  }
}
