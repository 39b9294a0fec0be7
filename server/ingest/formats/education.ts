// Education providers (arts/culture programmes): the project's CSV (same detection as csv.ts) or JSON
// (array / NDJSON; keys in snake_case, camelCase or Swedish). Mandatory columns: provider, provider_type.
import type { EducationRecord, ParseContext, ProviderType, SniVersion } from '../types.js'
import { Invalid, clip, nameTooLong, normaliseKey, parseNumber } from '../validate.js'
import { LOCATION_SPECS, RowError, type ColumnSpec } from './common.js'
import { projectCsv, projectJson, projectLocation, type ProjectFormat, type RowAccess } from './project.js'

export const EDUCATION_COLUMNS: ColumnSpec[] = [
  { name: 'provider', aliases: ['anordnare', 'utbildningsanordnare', 'skola'] },
  { name: 'provider_type', aliases: ['anordnartyp', 'typ', 'type', 'skolform'] },
  { name: 'programme', aliases: ['utbildning', 'program', 'program_name', 'utbildningsnamn'] },
  { name: 'sun_code', aliases: ['sun', 'sunkod', 'sun_kod', 'sun2020', 'inriktning'] },
  { name: 'places', aliases: ['platser', 'antal_platser'] },
  // MYH and the admission statistics give applicants per programme (antal sökande)
  { name: 'applicants', aliases: ['sokande', 'sökande', 'antal_sokande', 'antal_sökande'] },
  ...LOCATION_SPECS,
  { name: 'start_year', aliases: ['startar', 'startår', 'start'] },
  { name: 'url', aliases: ['webbadress', 'lank', 'länk', 'webb', 'website'] },
]

const TYPE_LABELS: Array<[ProviderType, string[]]> = [
  ['folkhogskola', ['folkhogskola', 'folkhögskola', 'folkhögskolor']],
  ['yh', ['yh', 'yrkeshögskola', 'yrkeshogskola', 'yrkeshögskoleutbildning']],
  ['hogskola', ['hogskola', 'högskola', 'universitet', 'universitet/högskola', 'universitet och högskola', 'lärosäte', 'konstnärlig högskola']],
  ['gymnasium_estetiska', ['gymnasium_estetiska', 'gymnasium – estetiska programmet', 'gymnasium - estetiska programmet', 'estetiska programmet', 'gymnasieskola estetiska programmet', 'gymnasium estetiska', 'gymnasium']],
  ['kulturskola', ['kulturskola', 'kommunal kulturskola', 'musik- och kulturskola', 'musikskola']],
  ['studieforbund', ['studieforbund', 'studieförbund']],
  ['other', ['other', 'övrigt', 'ovrigt', 'övrig', 'annat', 'annan']],
]
const TYPE_INDEX = new Map<string, ProviderType>()
for (const [t, labels] of TYPE_LABELS) for (const l of labels) TYPE_INDEX.set(normaliseKey(l), t)

/** Provider type from a code or a Swedish label (case, diacritics, dashes and spacing ignored). */
export function parseProviderType (raw: string): ProviderType | Invalid {
  const t = TYPE_INDEX.get(normaliseKey(raw))
  if (t !== undefined) return t
  return new Invalid(`unknown provider type "${raw}" (expected folkhogskola, yh, hogskola, gymnasium_estetiska, kulturskola, studieforbund or other)`)
}

const SUN_STRIP = /[\s.]/g
const HTTP_RE = /^https?:\/\//i
const WWW_RE = /^www\./i

export function buildEducation (row: RowAccess, line: number, _version: SniVersion, ctx: ParseContext): EducationRecord | RowError {
  const provider = row.get('provider')
  if (provider === '') return new RowError(row.label('provider'), '', 'provider is empty')
  const long = nameTooLong(provider)
  if (long !== null) return new RowError(row.label('provider'), clip(provider), long.reason)
  const typeRaw = row.get('provider_type')
  if (typeRaw === '') return new RowError(row.label('provider_type'), '', 'provider type is empty')
  const providerType = parseProviderType(typeRaw)
  if (providerType instanceof Invalid) return new RowError(row.label('provider_type'), typeRaw, providerType.reason)

  const sunRaw = row.get('sun_code')
  let sunCode: string | null = null
  if (sunRaw !== '') {
    const s = sunRaw.replace(SUN_STRIP, '').toLowerCase()
    if (!ctx.ref.sunCodes.has(s)) return new RowError(row.label('sun_code'), sunRaw, `unknown SUN 2020 inriktning code "${sunRaw}"`)
    sunCode = s
  }
  const pRaw = row.get('places')
  const places = parseNumber(pRaw, { min: 0, max: 100_000, integer: true, label: 'places' })
  if (places instanceof Invalid) return new RowError(row.label('places'), pRaw, places.reason)
  const aRaw = row.get('applicants')
  const applicants = parseNumber(aRaw, { min: 0, max: 1_000_000, integer: true, label: 'applicants' })
  if (applicants instanceof Invalid) return new RowError(row.label('applicants'), aRaw, applicants.reason)
  const yRaw = row.get('start_year')
  const startYear = parseNumber(yRaw, { min: 1900, max: 2100, integer: true, label: 'start year' })
  if (startYear instanceof Invalid) return new RowError(row.label('start_year'), yRaw, startYear.reason)

  const uRaw = row.get('url')
  let url: string | null = null
  if (uRaw !== '') {
    const candidate = HTTP_RE.test(uRaw) ? uRaw : WWW_RE.test(uRaw) ? `https://${uRaw}` : null
    let ok = false
    if (candidate !== null) { try { ok = new URL(candidate).hostname.includes('.') } catch { ok = false } }
    if (!ok) return new RowError(row.label('url'), uRaw, `invalid URL "${uRaw}" (expected http(s)://…)`)
    url = candidate
  }

  const loc = projectLocation(row, ctx)
  if (loc instanceof RowError) return loc
  const programme = row.get('programme')
  return {
    line,
    provider,
    providerType,
    programme: programme === '' ? null : programme,
    sunCode,
    places,
    applicants,
    ...loc, // kommunCode, placement, street, postcode, city, lon, lat, locationPrecision
    startYear,
    url,
  }
}

export const EDUCATION_FORMAT: ProjectFormat<EducationRecord> = {
  specs: EDUCATION_COLUMNS,
  mandatory: ['provider', 'provider_type'],
  build: buildEducation,
  hasSni: false,
  title: 'education csv/json',
}

export const educationCsv = projectCsv(EDUCATION_FORMAT)
export const educationJson = projectJson(EDUCATION_FORMAT)
