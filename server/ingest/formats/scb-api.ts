// SCB Företagsregistret API responses saved to disk: a JSON array of flat objects or NDJSON (one object per
// line), streamed through the incremental splitter in json-items.ts. Keys are SCB's Swedish labels
// ("Säteskommun, kod", "Bransch_1, kod", …), matched tolerantly (see JsonRow).
//
// Companies (JE): PeOrgNr | OrgNr | "OrgNr (10 siffror)"; Företagsnamn | Namn | Firma; "Juridisk form, kod";
//   "Säteskommun, kod"; "Bransch_n, kod" (fallback "Bransch_nP, kod", dotted); "Stkl, kod" |
//   "Storleksklass, kod" | "Storleksklass Anställda, kod"; "Företagsstatus, kod" (1 = active; when absent:
//   active unless Slutdatum); "Reklam, kod" (first digit 1 = accepts, 2 = opted out); PostAdress/PostNr/PostOrt;
//   Registreringsdatum (fallback Startdatum), Slutdatum → deregisteredOn.
// Workplaces (AE) — ASSUMED from public notes on the AE endpoints (not verified against a live response):
//   CFARNr | CfarNr (mandatory); PeOrgNr | OrgNr (optional, validated when present); Benämning | Namn |
//   Företagsnamn; "Kommun, kod" (fallback "Kommun", code or name); "Bransch_n, kod"; "Stkl, kod" (as above);
//   "Arbetsställestatus, kod" (1 = active; when absent: active unless Slutdatum); the visiting address
//   BesöksAdress/BesöksPostNr/BesöksPostOrt when any of it is present, else PostAdress/PostNr/PostOrt.
import type { Readable } from 'node:stream'
import type { CompanyRecord, ParseContext, ParsedRow, Parser, SniVersion, WorkplaceRecord } from '../types.js'
import { readJsonItems, type JsonItem } from '../json-items.js'
import { openText } from '../text.js'
import { Invalid, normaliseLegalForm, normaliseOrgnr, normaliseSizeClass, parseDate, isSoleTrader } from '../validate.js'
import {
  BATCH_SIZE, RowError, SniVersionPicker, buildLocation, collectSni, fromRowError, referenceYearFromFileName,
  rejection, withSniVersion,
} from './common.js'
import { JsonRow, isPlainObject } from './json-object.js'

const BRANSCH = [1, 2, 3, 4, 5].map((n) => [`bransch${n}kod`, `bransch${n}pkod`])
const BRANSCH_LABEL = [1, 2, 3, 4, 5].map((n) => `Bransch_${n}, kod`)
const SIZE_KEYS = ['stklkod', 'storleksklasskod', 'storleksklassanstalldakod']

type Item = { line: number; row: JsonRow | null; error: string | null }

function toItem (it: JsonItem): Item {
  if (it.error !== undefined) return { line: it.line, row: null, error: it.error }
  if (!isPlainObject(it.value)) return { line: it.line, row: null, error: 'expected a JSON object' }
  return { line: it.line, row: new JsonRow(it.value), error: null }
}

async function * items (ctx: ParseContext, input: Readable): AsyncGenerator<{ version: SniVersion; rows: Item[] }> {
  const text = await openText(input, ctx.file)
  const fileYear = (): number | null => (text.entryName ? referenceYearFromFileName(text.entryName) : null) ?? referenceYearFromFileName(ctx.file)
  const picker = new SniVersionPicker(ctx, fileYear)
  async function * mapped (): AsyncGenerator<Item[]> {
    for await (const batch of readJsonItems(text.chunks, ctx.file)) yield batch.map(toItem)
  }
  try {
    yield * withSniVersion(mapped(), picker, ctx.ref, (it, p) => {
      if (it.row === null) return
      for (const keys of BRANSCH) p.sample(it.row.s(...keys))
    })
  } finally {
    await text.close()
  }
}

function sniOf (row: JsonRow, version: SniVersion, ctx: ParseContext): string[] | RowError {
  const raws = BRANSCH.map((keys) => row.s(...keys))
  const labels = BRANSCH.map((keys, k) => row.label(BRANSCH_LABEL[k], ...keys))
  return collectSni(raws, labels, version, ctx.ref)
}

function orgnrOf (row: JsonRow): { raw: string; label: string } {
  const keys = ['peorgnr', 'orgnr', 'orgnr10siffror', 'organisationsnummer']
  return { raw: row.s(...keys), label: row.label('PeOrgNr', ...keys) }
}

function sizeClassOf (row: JsonRow): string | null | RowError {
  const raw = row.s(...SIZE_KEYS)
  const sc = normaliseSizeClass(raw)
  if (sc instanceof Invalid) return new RowError(row.label('Stkl, kod', ...SIZE_KEYS), raw, sc.reason)
  return sc
}

function marketingOf (raw: string): boolean | null {
  const c = raw.charCodeAt(0)
  return c === 49 ? false : c === 50 ? true : null
}

export function buildApiCompany (row: JsonRow, line: number, version: SniVersion, ctx: ParseContext): CompanyRecord | RowError {
  const { ref } = ctx
  const org = orgnrOf(row)
  if (org.raw === '') return new RowError(org.label, '', 'missing organisation number (PeOrgNr/OrgNr)')
  const o = normaliseOrgnr(org.raw)
  if (o instanceof Invalid) return new RowError(org.label, org.raw, o.reason)
  const name = row.s('foretagsnamn', 'namn', 'firma')
  if (name === '') return new RowError(row.label('Företagsnamn', 'foretagsnamn', 'namn', 'firma'), '', 'name is empty')
  const jurRaw = row.s('juridiskformkod')
  const legalForm = normaliseLegalForm(jurRaw, ref)
  if (legalForm instanceof Invalid) return new RowError(row.label('Juridisk form, kod', 'juridiskformkod'), jurRaw, legalForm.reason)
  const sni = sniOf(row, version, ctx)
  if (sni instanceof RowError) return sni
  const sizeClass = sizeClassOf(row)
  if (sizeClass instanceof RowError) return sizeClass
  const regRaw = row.s('registreringsdatum', 'startdatum')
  const registeredOn = parseDate(regRaw)
  if (registeredOn instanceof Invalid) return new RowError(row.label('Registreringsdatum', 'registreringsdatum', 'startdatum'), regRaw, registeredOn.reason)
  const endRaw = row.s('slutdatum')
  const deregisteredOn = parseDate(endRaw)
  if (deregisteredOn instanceof Invalid) return new RowError(row.label('Slutdatum', 'slutdatum'), endRaw, deregisteredOn.reason)
  const status = row.s('foretagsstatuskod')
  const loc = buildLocation({
    kommun: row.s('sateskommunkod'),
    street: row.s('postadress'),
    postcode: row.s('postnr'),
    city: row.s('postort'),
    lat: '', lon: '', x: '', y: '',
  }, ref, false, (n) => n === 'kommun' ? row.label('Säteskommun, kod', 'sateskommunkod') : n)
  if (loc instanceof RowError) return loc
  return {
    line,
    orgnr: o.orgnr,
    name,
    legalForm,
    soleTrader: isSoleTrader(o.personal, legalForm),
    sni,
    sniVersion: version,
    ...loc, // kommunCode, placement, street, postcode, city, lon, lat, locationPrecision
    employees: null,
    sizeClass,
    turnover: null,
    valueAdded: null,
    registeredOn,
    deregisteredOn,
    active: status !== '' ? status === '1' : deregisteredOn === null,
    marketingOptOut: marketingOf(row.s('reklamkod')),
    description: null,
    liquidation: null,
  }
}

export function buildApiWorkplace (row: JsonRow, line: number, version: SniVersion, ctx: ParseContext): WorkplaceRecord | RowError {
  const { ref } = ctx
  const idKeys = ['cfarnr', 'cfarnummer', 'cfar']
  const workplaceId = row.s(...idKeys)
  if (workplaceId === '') return new RowError(row.label('CFARNr', ...idKeys), '', 'missing workplace id (CFARNr)')
  let orgnr: string | null = null
  const org = orgnrOf(row)
  if (org.raw !== '') {
    const o = normaliseOrgnr(org.raw)
    if (o instanceof Invalid) return new RowError(org.label, org.raw, o.reason)
    orgnr = o.orgnr
  }
  const name = row.s('benamning', 'namn', 'foretagsnamn', 'firma')
  if (name === '') return new RowError(row.label('Benämning', 'benamning', 'namn'), '', 'name is empty')
  const sni = sniOf(row, version, ctx)
  if (sni instanceof RowError) return sni
  const sizeClass = sizeClassOf(row)
  if (sizeClass instanceof RowError) return sizeClass
  const endRaw = row.s('slutdatum')
  const end = parseDate(endRaw)
  if (end instanceof Invalid) return new RowError(row.label('Slutdatum', 'slutdatum'), endRaw, end.reason)
  const visit = row.s('besoksadress') !== '' || row.s('besokspostnr') !== '' || row.s('besokspostort') !== ''
  const kommunKeys = ['kommunkod', 'kommun']
  const loc = buildLocation({
    kommun: row.s(...kommunKeys),
    street: visit ? row.s('besoksadress') : row.s('postadress'),
    postcode: visit ? row.s('besokspostnr') : row.s('postnr'),
    city: visit ? row.s('besokspostort') : row.s('postort'),
    lat: '', lon: '', x: '', y: '',
  }, ref, false, (n) => n === 'kommun' ? row.label('Kommun, kod', ...kommunKeys) : n)
  if (loc instanceof RowError) return loc
  const status = row.s('arbetsstallestatuskod')
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

function makeParser<T> (build: (row: JsonRow, line: number, version: SniVersion, ctx: ParseContext) => T | RowError): Parser<T> {
  return async function * (input, ctx) {
    let batch: ParsedRow<T>[] = []
    for await (const { version, rows } of items(ctx, input)) {
      for (const it of rows) {
        if (it.row === null) batch.push(rejection(ctx.file, it.line, null, null, it.error!))
        else {
          const r = build(it.row, it.line, version, ctx)
          batch.push(r instanceof RowError ? fromRowError(ctx.file, it.line, r) : { ok: true, record: r })
        }
        if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
      }
    }
    if (batch.length > 0) yield batch
  }
}

export const scbApiCompanies: Parser<CompanyRecord> = makeParser(buildApiCompany)
export const scbApiWorkplaces: Parser<WorkplaceRecord> = makeParser(buildApiWorkplace)
