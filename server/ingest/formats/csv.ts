// The project's own documented company / workplace formats (see data/examples/README.md). CSV with a header
// row (`;`, `,` or TAB; UTF-8 ± BOM or Windows-1252; quoted fields; decimal comma), and the same columns as a
// JSON array / NDJSON of objects. Column names are case-insensitive; Swedish aliases are accepted.
import type { CompanyRecord, ParseContext, SniVersion, WorkplaceRecord } from '../types.js'
import { sizeClassFor } from '../../reference/size-classes.js'
import {
  Invalid, MAX_EMPLOYEES, MAX_KSEK, normaliseLegalForm, normaliseOrgnr, normaliseSizeClass, parseBoolean, parseDate,
  parseNumber, parseSniVersion, isSoleTrader, clip, nameTooLong,
} from '../validate.js'
import { MAX_KEY_CHARS } from '../limits.js'
import { LOCATION_SPECS, RowError, SNI_COLUMNS, collectSni, type ColumnSpec } from './common.js'
import { projectCsv, projectJson, projectLocation, type ProjectFormat, type RowAccess } from './project.js'

const SNI_SPECS: ColumnSpec[] = [
  ...SNI_COLUMNS.map((c, k) => ({ name: c, aliases: [`ng${k + 1}`, `sni_${k + 1}`, `sni_kod_${k + 1}`, `bransch_${k + 1}`] })),
  { name: 'sni_version', aliases: ['sniversion', 'sni_ver'] },
]

export const COMPANY_COLUMNS: ColumnSpec[] = [
  { name: 'orgnr', aliases: ['organisationsnummer', 'orgnummer', 'org_nr', 'peorgnr'] },
  { name: 'name', aliases: ['namn', 'foretagsnamn', 'company_name'] },
  { name: 'legal_form', aliases: ['juridisk_form', 'jurform', 'juridisk_form_kod'] },
  ...SNI_SPECS,
  ...LOCATION_SPECS,
  { name: 'co', aliases: ['c/o', 'c_o', 'co_adress', 'co_address', 'care_of'] },
  { name: 'employees', aliases: ['anstallda', 'antal_anstallda'] },
  { name: 'size_class', aliases: ['storleksklass', 'stkl'] },
  { name: 'turnover_ksek', aliases: ['omsattning_tkr', 'omsattning'] },
  { name: 'value_added_ksek', aliases: ['foradlingsvarde_tkr', 'foradlingsvarde'] },
  { name: 'registered', aliases: ['registreringsdatum', 'registered_on'] },
  { name: 'deregistered', aliases: ['avregistreringsdatum', 'deregistered_on'] },
  { name: 'active', aliases: ['aktiv', 'verksam'] },
  { name: 'marketing_optout', aliases: ['reklamsparr', 'marketing_opt_out'] },
  { name: 'description', aliases: ['verksamhetsbeskrivning', 'beskrivning'] },
]

export const WORKPLACE_COLUMNS: ColumnSpec[] = [
  { name: 'workplace_id', aliases: ['cfar', 'cfarnr', 'cfar_nr', 'arbetsstalle_id'] },
  { name: 'orgnr', aliases: ['organisationsnummer', 'orgnummer', 'org_nr', 'peorgnr'] },
  { name: 'name', aliases: ['namn', 'benamning'] },
  ...SNI_SPECS,
  ...LOCATION_SPECS,
  { name: 'employees', aliases: ['anstallda', 'antal_anstallda'] },
  { name: 'size_class', aliases: ['storleksklass', 'stkl'] },
  { name: 'active', aliases: ['aktiv', 'verksam'] },
]

function sniFor (row: RowAccess, ctxVersion: SniVersion, ctx: ParseContext): { codes: string[]; version: SniVersion } | RowError {
  let version = ctxVersion
  const vRaw = row.get('sni_version')
  const v = parseSniVersion(vRaw)
  if (v instanceof Invalid) return new RowError(row.label('sni_version'), vRaw, v.reason)
  if (v !== null) version = v
  const codes = collectSni(SNI_COLUMNS.map((c) => row.get(c)), SNI_COLUMNS.map((c) => row.label(c)), version, ctx.ref)
  if (codes instanceof RowError) return codes
  return { codes, version }
}

function employeesAndClass (row: RowAccess): { employees: number | null; sizeClass: string | null } | RowError {
  const eRaw = row.get('employees')
  const employees = parseNumber(eRaw, { min: 0, max: MAX_EMPLOYEES, label: 'employees' })
  if (employees instanceof Invalid) return new RowError(row.label('employees'), eRaw, employees.reason)
  const sRaw = row.get('size_class')
  let sizeClass = normaliseSizeClass(sRaw)
  if (sizeClass instanceof Invalid) return new RowError(row.label('size_class'), sRaw, sizeClass.reason)
  if (sizeClass === null && employees !== null) sizeClass = sizeClassFor(Math.round(employees))
  return { employees, sizeClass }
}

function dateField (row: RowAccess, name: string): string | null | RowError {
  const raw = row.get(name)
  const d = parseDate(raw)
  return d instanceof Invalid ? new RowError(row.label(name), raw, d.reason) : d
}

function boolField (row: RowAccess, name: string): boolean | null | RowError {
  const raw = row.get(name)
  const b = parseBoolean(raw)
  return b instanceof Invalid ? new RowError(row.label(name), raw, b.reason) : b
}

export function buildCompany (row: RowAccess, line: number, version: SniVersion, ctx: ParseContext): CompanyRecord | RowError {
  const orgRaw = row.get('orgnr')
  if (orgRaw === '') return new RowError(row.label('orgnr'), '', 'missing organisation number')
  const o = normaliseOrgnr(orgRaw)
  if (o instanceof Invalid) return new RowError(row.label('orgnr'), orgRaw, o.reason)
  const name = row.get('name')
  if (name === '') return new RowError(row.label('name'), '', 'name is empty')
  const long = nameTooLong(name)
  if (long !== null) return new RowError(row.label('name'), clip(name), long.reason)
  const lfRaw = row.get('legal_form')
  const legalForm = normaliseLegalForm(lfRaw, ctx.ref)
  if (legalForm instanceof Invalid) return new RowError(row.label('legal_form'), lfRaw, legalForm.reason)
  const sni = sniFor(row, version, ctx)
  if (sni instanceof RowError) return sni
  const loc = projectLocation(row, ctx)
  if (loc instanceof RowError) return loc
  const ec = employeesAndClass(row)
  if (ec instanceof RowError) return ec
  const tRaw = row.get('turnover_ksek')
  const turnover = parseNumber(tRaw, { min: 0, max: MAX_KSEK, label: 'turnover' })
  if (turnover instanceof Invalid) return new RowError(row.label('turnover_ksek'), tRaw, turnover.reason)
  const vRaw = row.get('value_added_ksek')
  const valueAdded = parseNumber(vRaw, { min: -MAX_KSEK, max: MAX_KSEK, label: 'value added' })
  if (valueAdded instanceof Invalid) return new RowError(row.label('value_added_ksek'), vRaw, valueAdded.reason)
  const registeredOn = dateField(row, 'registered')
  if (registeredOn instanceof RowError) return registeredOn
  const deregisteredOn = dateField(row, 'deregistered')
  if (deregisteredOn instanceof RowError) return deregisteredOn
  const active = boolField(row, 'active')
  if (active instanceof RowError) return active
  const optOut = boolField(row, 'marketing_optout')
  if (optOut instanceof RowError) return optOut
  const description = row.get('description')
  return {
    line,
    orgnr: o.orgnr,
    name,
    legalForm,
    soleTrader: isSoleTrader(o.personal, legalForm),
    sni: sni.codes,
    sniVersion: sni.version,
    ...loc, // kommunCode, placement, street, postcode, city, lon, lat, locationPrecision
    coAddress: row.get('co') || null,
    employees: ec.employees,
    sizeClass: ec.sizeClass,
    turnover,
    valueAdded,
    registeredOn,
    deregisteredOn,
    active: active ?? deregisteredOn === null,
    marketingOptOut: optOut,
    description: description === '' ? null : description,
    liquidation: null,
  }
}

export function buildWorkplace (row: RowAccess, line: number, version: SniVersion, ctx: ParseContext): WorkplaceRecord | RowError {
  const workplaceId = row.get('workplace_id')
  if (workplaceId === '') return new RowError(row.label('workplace_id'), '', 'missing workplace id')
  const longId = nameTooLong(workplaceId, MAX_KEY_CHARS)
  if (longId !== null) return new RowError(row.label('workplace_id'), clip(workplaceId), longId.reason)
  let orgnr: string | null = null
  const orgRaw = row.get('orgnr')
  if (orgRaw !== '') {
    const o = normaliseOrgnr(orgRaw)
    if (o instanceof Invalid) return new RowError(row.label('orgnr'), orgRaw, o.reason)
    orgnr = o.orgnr
  }
  const name = row.get('name')
  if (name === '') return new RowError(row.label('name'), '', 'name is empty')
  const long = nameTooLong(name)
  if (long !== null) return new RowError(row.label('name'), clip(name), long.reason)
  const sni = sniFor(row, version, ctx)
  if (sni instanceof RowError) return sni
  const loc = projectLocation(row, ctx)
  if (loc instanceof RowError) return loc
  const ec = employeesAndClass(row)
  if (ec instanceof RowError) return ec
  const active = boolField(row, 'active')
  if (active instanceof RowError) return active
  return {
    line,
    workplaceId,
    orgnr,
    name,
    sni: sni.codes,
    sniVersion: sni.version,
    ...loc, // kommunCode, placement, street, postcode, city, lon, lat, locationPrecision
    employees: ec.employees,
    sizeClass: ec.sizeClass,
    active: active ?? true,
  }
}

export const COMPANY_FORMAT: ProjectFormat<CompanyRecord> = { specs: COMPANY_COLUMNS, mandatory: ['orgnr', 'name'], build: buildCompany, hasSni: true, title: 'companies csv/json' }
export const WORKPLACE_FORMAT: ProjectFormat<WorkplaceRecord> = { specs: WORKPLACE_COLUMNS, mandatory: ['workplace_id', 'name'], build: buildWorkplace, hasSni: true, title: 'workplaces csv/json' }

export const csvCompanies = projectCsv(COMPANY_FORMAT)
export const csvWorkplaces = projectCsv(WORKPLACE_FORMAT)
export const jsonCompanies = projectJson(COMPANY_FORMAT)
export const jsonWorkplaces = projectJson(WORKPLACE_FORMAT)
