// SCB Företagsregistret API responses saved to disk, both generations, recognised per object by its shape
// (see ../shared/research/real-formats.md, "SCB Företagsregistret API"):
//
// * the certificate API (until 2026): flat objects with Swedish labels, `"<label>, kod"` for a code. Keys are matched
//   tolerantly (see JsonRow). JE: PeOrgNr | OrgNr; Företagsnamn | Namn | Firma; "Juridisk form, kod";
//   "Säteskommun, kod"; "Bransch_n, kod" (fallback "Bransch_nP, kod"; a blank slot is five spaces); "Stkl, kod" |
//   "Storleksklass, kod"; "Företagsstatus, kod"; "Reklam, kod" (first digit 1 = accepts, 2 = opted out);
//   PostAdress/PostNr/PostOrt; Registreringsdatum (fallback Startdatum); Slutdatum. AE: CfarNr; Benämning; PeOrgNr;
//   BesöksAdress/BesöksPostNr/BesöksPostOrt (else PostAdress…); "Kommun, kod" and "Arbetsställestatus, kod"
//   (assumed by analogy: evidence names only the bare labels).
// * AFR, the key-based API (from autumn 2026): nested camelCase objects. JE: peOrgNr, foretagsnamn | namn (for a
//   sole trader `namn` is the owner's name), postAdress{gatuAdress, coAdress, postNr, postOrt}, kommunSate, jurform,
//   anstKl, ftgStat, reklamSparrTyp (a number), regDat | startDat, slutDat, naringsgrenar[{rangordning, naringsgren}]
//   (full objects) or primarNaringsgren{…} (list rows). AE: cfarNr (a number), peOrgNr, ben (usually "" or " "),
//   belagenhetsadress{kommun, bGatuAdress, bPostNr, bPostOrt}, aeStat, anstKl, geografiskInformation{nordKoordinatSW,
//   ostKoordinatSW} (SWEREF 99 TM). Dates are UTC timestamps of Swedish midnight (see swedish-date.ts).
//
// Files: a JSON array, NDJSON, a single object, or list pages in their envelopes (`{"jes": [...], "pagination": …}`,
// `{"pagination": …, "arbetsstallen": [...]}`), as saved one page per line by `npm run sync`. Blanks are "" or " ".
// An object of neither shape, or of the other kind (a workplace given as a company), is refused with a reason; a file
// in which no object was understood fails as a whole (ShapeCheck).
import type { Readable } from 'node:stream'
import type { CompanyRecord, LocationFields, ParseContext, ParsedRow, Parser, RefData, SniVersion, WorkplaceRecord } from '../types.js'
import { readJsonItems, type JsonItem } from '../json-items.js'
import { swedishDate } from '../swedish-date.js'
import { openText } from '../text.js'
import { MAX_KEY_CHARS, type ImportLimits } from '../limits.js'
import {
  CoordinateInvalid, Invalid, clip, nameTooLong, isPersonalIdentityNumber,
  normaliseLegalForm, normaliseOrgnr, normaliseSizeClass, parseCoordinates, isSoleTrader,
} from '../validate.js'
import {
  BATCH_SIZE, RowError, SniVersionPicker, buildLocation, collectSni, fromRowError, limitsOf, referenceYearFromFileName,
  rejection, withSniVersion,
} from './common.js'
import { JsonRow, ShapeCheck, describeItem, isPlainObject, toText } from './json-object.js'

type Kind = 'companies' | 'workplaces'
type Generation = 'certificate' | 'afr'
/** A raw value and the key it came from (as written in the object, for rejection reports). */
interface Field { value: string; label: string }

/** One object read into the fields both generations share. */
interface ScbFields {
  generation: Generation
  orgnr: Field
  name: Field
  legalForm: Field
  sni: Field[] // in rank order
  sizeClass: Field
  status: Field
  marketing: Field
  kommun: Field
  street: Field
  coAddress: Field
  postcode: Field
  city: Field
  registered: Field
  deregistered: Field
  workplaceId: Field
  northing: Field // SWEREF 99 TM, AFR workplaces only
  easting: Field
}

/** The keys of the list pages' arrays (JE and AE pages); `npm run sync` checks its pages with the same list. */
export const SCB_API_ENVELOPES = ['jes', 'arbetsstallen', 'juridiskaEnheter']

// ---------------------------------------------------------------------------------------------------------
// Shape recognition

/** Keys only AFR objects have (normalised, see normaliseKey). */
const AFR_KEYS = new Set(['kommunsate', 'lansate', 'ftgstat', 'jurform', 'anstkl', 'naringsgrenar', 'primarnaringsgren',
  'belagenhetsadress', 'aestat', 'ben', 'reklamsparrtyp', 'telefonsparrtyp', 'epostsparrtyp', 'regdat', 'startdat', 'slutdat'])
/** Keys of the certificate API's objects (plus every "<label>, kod"). */
const CERTIFICATE_KEYS = new Set(['peorgnr', 'orgnr', 'orgnr10siffror', 'organisationsnummer', 'foretagsnamn', 'namn', 'firma',
  'cfarnr', 'cfarnummer', 'cfar', 'benamning', 'postadress', 'postnr', 'postort', 'besoksadress', 'besokspostnr', 'besokspostort',
  'kommun', 'registreringsdatum', 'startdatum', 'slutdatum'])
const WORKPLACE_ID_KEYS = ['cfarnr', 'cfarnummer', 'cfar']
const COMPANY_ONLY_KEYS = ['kommunsate', 'ftgstat', 'jurform', 'sateskommunkod', 'foretagsstatuskod', 'juridiskformkod']

function generationOf (row: JsonRow): Generation | null {
  let certificate = false
  for (const k of row.keys()) {
    if (AFR_KEYS.has(k)) return 'afr'
    if (CERTIFICATE_KEYS.has(k) || k.endsWith('kod')) certificate = true
  }
  if (isPlainObject(row.raw('postadress'))) return 'afr'
  return certificate ? 'certificate' : null
}

/** Why an object of a known shape is still the wrong kind for this import, or null. */
function wrongKind (row: JsonRow, kind: Kind): string | null {
  const isWorkplace = WORKPLACE_ID_KEYS.some((k) => row.has(k))
  if (kind === 'companies' && isWorkplace) return 'a workplace (AE, it has cfarNr), not a company: import it as workplaces'
  if (kind === 'workplaces' && !isWorkplace && COMPANY_ONLY_KEYS.some((k) => row.has(k))) {
    return 'a company (JE), not a workplace (no cfarNr): import it as companies'
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------
// The two generations, read into ScbFields

const BRANSCH = [1, 2, 3, 4, 5].map((n) => [`bransch${n}kod`, `bransch${n}pkod`])
const SIZE_KEYS = ['stklkod', 'storleksklasskod', 'storleksklassanstalldakod']

function certificateFields (row: JsonRow, kind: Kind): ScbFields {
  const f = (fallback: string, ...keys: string[]): Field => ({ value: row.s(...keys), label: row.label(fallback, ...keys) })
  const visit = row.s('besoksadress') !== '' || row.s('besokspostnr') !== '' || row.s('besokspostort') !== ''
  const workplace = kind === 'workplaces'
  return {
    generation: 'certificate',
    orgnr: f('PeOrgNr', 'peorgnr', 'orgnr', 'orgnr10siffror', 'organisationsnummer'),
    name: workplace ? f('Benämning', 'benamning', 'namn', 'foretagsnamn', 'firma') : f('Företagsnamn', 'foretagsnamn', 'namn', 'firma'),
    legalForm: f('Juridisk form, kod', 'juridiskformkod'),
    sni: BRANSCH.map((keys, k) => f(`Bransch_${k + 1}, kod`, ...keys)),
    sizeClass: f('Stkl, kod', ...SIZE_KEYS),
    status: workplace ? f('Arbetsställestatus, kod', 'arbetsstallestatuskod') : f('Företagsstatus, kod', 'foretagsstatuskod'),
    marketing: f('Reklam, kod', 'reklamkod'),
    kommun: workplace ? f('Kommun, kod', 'kommunkod', 'kommun') : f('Säteskommun, kod', 'sateskommunkod'),
    street: visit ? f('BesöksAdress', 'besoksadress') : f('PostAdress', 'postadress'),
    coAddress: f('COAdress', 'coadress'),
    postcode: visit ? f('BesöksPostNr', 'besokspostnr') : f('PostNr', 'postnr'),
    city: visit ? f('BesöksPostOrt', 'besokspostort') : f('PostOrt', 'postort'),
    registered: f('Registreringsdatum', 'registreringsdatum', 'startdatum'),
    deregistered: f('Slutdatum', 'slutdatum'),
    workplaceId: f('CfarNr', ...WORKPLACE_ID_KEYS),
    northing: { value: '', label: '' },
    easting: { value: '', label: '' },
  }
}

/** Text of a nested value (path of keys as AFR spells them), with the path as its label. */
function at (obj: Record<string, unknown>, ...path: string[]): Field {
  let v: unknown = obj
  for (const k of path) v = isPlainObject(v) ? v[k] : undefined
  return { value: toText(v), label: path.join('.') }
}

/** naringsgrenar[] sorted by rangordning (full objects), else primarNaringsgren (list rows). */
function afrSni (obj: Record<string, unknown>): Field[] {
  const list = obj.naringsgrenar
  if (Array.isArray(list)) {
    const ranked = list.map((g, k) => ({ g, k, rank: isPlainObject(g) ? Number(toText(g.rangordning)) : NaN }))
      .sort((a, b) => (Number.isFinite(a.rank) ? a.rank : 99) - (Number.isFinite(b.rank) ? b.rank : 99) || a.k - b.k)
    return ranked.slice(0, 5)
      .map(({ g, k }) => ({ value: isPlainObject(g) ? toText(g.naringsgren) : '', label: `naringsgrenar[${k}].naringsgren` }))
  }
  return [at(obj, 'primarNaringsgren', 'naringsgren')]
}

function afrFields (obj: Record<string, unknown>, kind: Kind): ScbFields {
  const first = (...fields: Field[]): Field => fields.find((x) => x.value !== '') ?? fields[0]
  const workplace = kind === 'workplaces'
  // A workplace's place is its own address (belagenhetsadress), never the company's postal address.
  const place = workplace ? 'belagenhetsadress' : 'postAdress'
  return {
    generation: 'afr',
    orgnr: first(at(obj, 'peOrgNr'), at(obj, 'orgNr')),
    name: workplace ? at(obj, 'ben') : first(at(obj, 'foretagsnamn'), at(obj, 'namn')),
    legalForm: at(obj, 'jurform'),
    sni: afrSni(obj),
    sizeClass: at(obj, 'anstKl'),
    status: workplace ? at(obj, 'aeStat') : at(obj, 'ftgStat'),
    marketing: at(obj, 'reklamSparrTyp'),
    kommun: workplace ? at(obj, 'belagenhetsadress', 'kommun') : at(obj, 'kommunSate'),
    street: at(obj, place, workplace ? 'bGatuAdress' : 'gatuAdress'),
    coAddress: workplace ? { value: '', label: '' } : at(obj, 'postAdress', 'coAdress'),
    postcode: at(obj, place, workplace ? 'bPostNr' : 'postNr'),
    city: at(obj, place, workplace ? 'bPostOrt' : 'postOrt'),
    registered: first(at(obj, 'regDat'), at(obj, 'startDat')),
    deregistered: at(obj, 'slutDat'),
    workplaceId: at(obj, 'cfarNr'),
    northing: at(obj, 'geografiskInformation', 'nordKoordinatSW'),
    easting: at(obj, 'geografiskInformation', 'ostKoordinatSW'),
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading a file: items → fields (or a refusal) → SNI version → records

/** `bad`: a value over the length limit, with a NUL byte or invalid UTF-8 (checkValues): the row is rejected */
type Item = { line: number; fields: ScbFields | null; error: string | null; bad?: RowError | null }

function toItem (it: JsonItem, kind: Kind, check: ShapeCheck, limits: ImportLimits): Item {
  if (it.error !== undefined) return { line: it.line, fields: null, error: it.error }
  if (!isPlainObject(it.value)) {
    check.refuse(describeItem(it.value))
    return { line: it.line, fields: null, error: `expected a JSON object, found ${describeItem(it.value)}` }
  }
  const row = new JsonRow(it.value)
  const generation = generationOf(row)
  const wrong = generation === null ? null : wrongKind(row, kind)
  if (generation === null || wrong !== null) {
    check.refuse(describeItem(it.value))
    const reason = wrong ?? `none of the keys of the ${FORMAT[kind]} format (${EXPECTED[kind]}), found ${describeItem(it.value)}`
    return { line: it.line, fields: null, error: reason }
  }
  check.understood++
  const fields = generation === 'afr' ? afrFields(it.value, kind) : certificateFields(row, kind)
  return { line: it.line, fields, error: null, bad: row.check(limits) }
}

const FORMAT: Record<Kind, string> = { companies: 'SCB register API companies (scb-api)', workplaces: 'SCB register API workplaces (scb-api)' }
const EXPECTED: Record<Kind, string> = {
  companies: 'peOrgNr, namn, kommunSate, … (AFR) or PeOrgNr, Företagsnamn, "Säteskommun, kod", … (certificate API)',
  workplaces: 'cfarNr, ben, belagenhetsadress, … (AFR) or CfarNr, Benämning, "Kommun, kod", … (certificate API)',
}

type Versioned = { version: SniVersion; rows: Item[] }

async function * items (ctx: ParseContext, input: Readable, kind: Kind, check: ShapeCheck): AsyncGenerator<Versioned> {
  const limits = limitsOf(ctx)
  const text = await openText(input, ctx.file, { maxUncompressedBytes: limits.maxUncompressedBytes, expected: `${FORMAT[kind]} JSON` })
  let afrSeen = false
  // AFR started in 2026 and codes in SNI 2025: where the codes fit both versions, an AFR file counts as a 2025+ file.
  const fileYear = (): number | null => {
    const y = (text.entryName ? referenceYearFromFileName(text.entryName) : null) ?? referenceYearFromFileName(ctx.file)
    return afrSeen ? Math.max(y ?? 2025, 2025) : y
  }
  const picker = new SniVersionPicker(ctx, fileYear)
  async function * mapped (): AsyncGenerator<Item[]> {
    for await (const batch of readJsonItems(text.chunks, ctx.file, { envelopes: SCB_API_ENVELOPES, maxChars: limits.maxLineChars })) {
      yield batch.map((it) => toItem(it, kind, check, limits))
    }
  }
  try {
    yield * withSniVersion(mapped(), picker, ctx.ref, (it, p) => {
      if (it.fields === null) return
      if (it.fields.generation === 'afr') afrSeen = true
      for (const s of it.fields.sni) p.sample(s.value)
    })
  } finally {
    await text.close()
  }
}

// ---------------------------------------------------------------------------------------------------------
// Validation into records

const err = (f: Field, reason: string) => new RowError(f.label, f.value, reason)

function sizeClassOf (f: Field): string | null | RowError {
  if (f.value === '0') return null // anstKl 0 = "uppgift saknas" (SCB's code table)
  const sc = normaliseSizeClass(f.value)
  return sc instanceof Invalid ? err(f, sc.reason) : sc
}

function dateOf (f: Field): string | null | RowError {
  const d = swedishDate(f.value)
  return d instanceof Invalid ? err(f, d.reason) : d
}

function marketingOf (raw: string): boolean | null {
  const c = raw.charCodeAt(0)
  return c === 49 ? false : c === 50 ? true : null
}

/** SWEREF 99 TM coordinates of an AFR workplace; dropped when unusable (their presence is only assumed), and never
 * taken for a sole trader, whose workplace may be their home. */
function coordinatesOf (x: ScbFields, personal: boolean): { x: string; y: string } {
  if (personal || x.northing.value === '' || x.easting.value === '') return { x: '', y: '' }
  const c = parseCoordinates('', '', x.northing.value, x.easting.value)
  return c === null || c instanceof CoordinateInvalid ? { x: '', y: '' } : { x: x.northing.value, y: x.easting.value }
}

/** Kommun and address, validated (a register's postcode may be foreign or garbled: dropped, not a rejection). */
function locationOf (x: ScbFields, coords: { x: string; y: string }, ref: RefData): LocationFields | RowError {
  const raw = { kommun: x.kommun.value, street: x.street.value, postcode: x.postcode.value, city: x.city.value, lat: '', lon: '', ...coords }
  return buildLocation(raw,
    ref, false, (n) => n === 'kommun' ? x.kommun.label : n === 'postcode' ? x.postcode.label : n)
}

export function buildApiCompany (x: ScbFields, line: number, version: SniVersion, ctx: ParseContext): CompanyRecord | RowError {
  const { ref } = ctx
  if (x.orgnr.value === '') return err(x.orgnr, 'missing organisation number (PeOrgNr/OrgNr)')
  const o = normaliseOrgnr(x.orgnr.value)
  if (o instanceof Invalid) return err(x.orgnr, o.reason)
  if (x.name.value === '') return err(x.name, 'name is empty')
  if (nameTooLong(x.name.value)) return new RowError(x.name.label, clip(x.name.value), nameTooLong(x.name.value)!.reason)
  const legalForm = normaliseLegalForm(x.legalForm.value, ref)
  if (legalForm instanceof Invalid) return err(x.legalForm, legalForm.reason)
  const sni = collectSni(x.sni.map((s) => s.value), x.sni.map((s) => s.label), version, ref)
  if (sni instanceof RowError) return sni
  const sizeClass = sizeClassOf(x.sizeClass)
  if (sizeClass instanceof RowError) return sizeClass
  const registeredOn = dateOf(x.registered)
  if (registeredOn instanceof RowError) return registeredOn
  const endedOn = dateOf(x.deregistered)
  if (endedOn instanceof RowError) return endedOn
  const status = x.status.value
  const active = status !== '' ? status === '1' : endedOn === null
  // AFR's slutDat can be an old date on a company that is active again: the status decides, not the date.
  const deregisteredOn = x.generation === 'afr' && active ? null : endedOn
  const loc = locationOf(x, { x: '', y: '' }, ref)
  if (loc instanceof RowError) return loc
  return {
    line,
    orgnr: o.orgnr,
    name: x.name.value,
    legalForm,
    soleTrader: isSoleTrader(o.personal, legalForm),
    sni,
    sniVersion: version,
    ...loc, // kommunCode, placement, street, postcode, city, lon, lat, locationPrecision
    coAddress: x.coAddress.value !== '' ? x.coAddress.value : null,
    employees: null,
    sizeClass,
    turnover: null,
    valueAdded: null,
    registeredOn,
    deregisteredOn,
    active,
    marketingOptOut: marketingOf(x.marketing.value),
    description: null,
    liquidation: null,
  }
}

export function buildApiWorkplace (x: ScbFields, line: number, version: SniVersion, ctx: ParseContext): WorkplaceRecord | RowError {
  const { ref } = ctx
  const workplaceId = x.workplaceId.value
  if (workplaceId === '') return err(x.workplaceId, 'missing workplace id (CFARNr)')
  const longId = nameTooLong(workplaceId, MAX_KEY_CHARS)
  if (longId) return new RowError(x.workplaceId.label, clip(workplaceId), longId.reason)
  let orgnr: string | null = null
  if (x.orgnr.value !== '') {
    const o = normaliseOrgnr(x.orgnr.value)
    if (o instanceof Invalid) return err(x.orgnr, o.reason)
    orgnr = o.orgnr
  }
  // Most workplaces have no name of their own (AFR's ben is "" or " "): SCB then knows them by their CFAR number.
  const name = x.name.value !== '' ? x.name.value : `Arbetsställe ${workplaceId}`
  const sni = collectSni(x.sni.map((s) => s.value), x.sni.map((s) => s.label), version, ref)
  if (sni instanceof RowError) return sni
  const sizeClass = sizeClassOf(x.sizeClass)
  if (sizeClass instanceof RowError) return sizeClass
  const end = dateOf(x.deregistered)
  if (end instanceof RowError) return end
  const coords = coordinatesOf(x, orgnr !== null && isPersonalIdentityNumber(orgnr))
  const loc = locationOf(x, coords, ref)
  if (loc instanceof RowError) return loc
  const status = x.status.value
  return {
    line,
    workplaceId,
    orgnr,
    name,
    sni,
    sniVersion: version,
    ...loc, // kommunCode, placement, street, postcode, city, lon, lat, locationPrecision
    employees: null,
    sizeClass,
    active: status !== '' ? status === '1' : end === null,
  }
}

function makeParser<T> (kind: Kind, build: (x: ScbFields, line: number, version: SniVersion, ctx: ParseContext) => T | RowError): Parser<T> {
  return async function * (input, ctx) {
    const check = new ShapeCheck()
    let batch: ParsedRow<T>[] = []
    for await (const { version, rows } of items(ctx, input, kind, check)) {
      for (const it of rows) {
        if (it.fields === null) batch.push(rejection(ctx.file, it.line, null, null, it.error!))
        else if (it.bad) batch.push(fromRowError(ctx.file, it.line, it.bad))
        else {
          const r = build(it.fields, it.line, version, ctx)
          batch.push(r instanceof RowError ? fromRowError(ctx.file, it.line, r) : { ok: true, record: r })
        }
        if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
      }
    }
    check.assertUnderstood(ctx.file, FORMAT[kind], EXPECTED[kind])
    if (batch.length > 0) yield batch
  }
}

export const scbApiCompanies: Parser<CompanyRecord> = makeParser('companies', buildApiCompany)
export const scbApiWorkplaces: Parser<WorkplaceRecord> = makeParser('workplaces', buildApiWorkplace)
