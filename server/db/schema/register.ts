// The register: companies (legal units), workplaces (arbetsställen) and education providers, one row per
// reference year; import batches with their rejected rows; precomputed key-figure cells.
import { sql } from 'drizzle-orm'
import {
  bigint, boolean, check, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core'
import { geometry, locationColumns, sizeColumns } from './columns.js'
import { organisation } from './access.js'

export const importBatch = pgTable('import_batch', {
  id: serial().primaryKey(),
  kind: text().notNull(), // companies | workplaces | education | enrichment | definition
  format: text().notNull(),
  source: text().notNull(),
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256'),
  refYear: integer('ref_year'),
  sniVersion: text('sni_version'),
  status: text().notNull(), // running | done | failed
  synthetic: boolean().notNull().default(false),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  counts: jsonb(),
  message: text(),
  createdBy: text('created_by'),
})

export const importError = pgTable('import_error', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  batchId: integer('batch_id').notNull().references(() => importBatch.id, { onDelete: 'cascade' }),
  file: text().notNull(),
  line: integer().notNull(),
  column: text(),
  value: text(),
  reason: text().notNull(),
}, (t) => [index('import_error_batch_idx').on(t.batchId, t.line)])

export const company = pgTable('company', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  refYear: integer('ref_year').notNull(),
  orgnr: text().notNull(),
  source: text().notNull(),
  batchId: integer('batch_id').notNull(),
  name: text().notNull(),
  legalForm: text('legal_form'),
  soleTrader: boolean('sole_trader').notNull(),
  sniVersion: text('sni_version').notNull(),
  sni: text().array().notNull(),
  /** primary SNI code (first in rank), denormalised for the key-figure and filter indexes */
  sni1: text('sni1'),
  ...locationColumns(),
  /** c/o line of the postal address (Bolagsverket's postadress, the project formats' `co`); personal data like the street */
  coAddress: text('co_address'),
  ...sizeColumns(),
  turnover: doublePrecision(),
  valueAdded: doublePrecision('value_added'),
  registeredOn: date('registered_on'),
  deregisteredOn: date('deregistered_on'),
  active: boolean().notNull(),
  marketingOptOut: boolean('marketing_opt_out'),
  description: text(),
  liquidation: text(),
  synthetic: boolean().notNull().default(false),
  /** the company sources that supplied this row's fields when more than its `source` did (null = only `source`);
   * see ingest/merge.ts: a source never overwrites what another supplied */
  sources: text().array(),
  /** fingerprint of the source line this row was last read from, when `source` alone supplied it (null otherwise): a
   * refresh of the same file reads, validates and writes only the lines whose fingerprint changed (ingest/fingerprint.ts) */
  sourceFp: bigint('source_fp', { mode: 'number' }),
}, (t) => [
  uniqueIndex('company_year_orgnr_uq').on(t.refYear, t.orgnr),
  index('company_year_sni1_idx').on(t.refYear, t.sniVersion, t.sni1, t.kommunCode),
  index('company_year_kommun_idx').on(t.refYear, t.kommunCode),
  // län + branch in one range (the sni1 index needs the kommun list): a county's KKB firms without a scan of the county
  index('company_year_lan_sni_idx').on(t.refYear, t.lanCode, t.sniVersion, t.sni1, t.kommunCode),
  // (source, year) snapshot removal and id-ordered paging use the unique and primary keys: no index of their own,
  // every index costs time on register-scale imports
  index('company_geom_idx').using('gist', t.geomPublic),
  index('company_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
  // name search's first tier (names starting with the text) as an ordered range: a page without ranking every match
  index('company_year_name_idx').on(t.refYear, sql`(lower(${t.name}) COLLATE "C")`),
  // "is any data synthetic?" is asked on every page view: a partial index answers it without a scan
  index('company_synthetic_idx').on(t.id).where(sql`synthetic`),
])

/**
 * Bolagsverket's own record of a company (its bulk file), one per reference year and organisation number: owned by that
 * source alone, so a re-import of SCB's files never touches it. The register (company) takes from it the deregistration
 * date, the ongoing proceedings and the business description (ingest/merge.ts).
 */
export const companyRegistration = pgTable('company_registration', {
  refYear: integer('ref_year').notNull(),
  orgnr: text().notNull(),
  batchId: integer('batch_id').notNull(),
  name: text(),
  /** every name of every name-protection number: [{name, kind, registeredOn, protectionNo}] */
  names: jsonb().notNull(),
  legalFormText: text('legal_form_text'),
  registeredOn: date('registered_on'),
  deregisteredOn: date('deregistered_on'),
  deregistrationReason: text('deregistration_reason'),
  /** ongoing liquidation, bankruptcy or restructuring as written in the file; parsed into company_event */
  proceedings: text(),
  description: text(),
  street: text(),
  coAddress: text('co_address'),
  postcode: text(),
  city: text(),
  country: text(),
}, (t) => [primaryKey({ columns: [t.refYear, t.orgnr] })])

/** Every name a company is registered under (Bolagsverket: firm names of each name-protection number, secondary and
 * foreign-language names), so a name search finds a company by any of them. */
export const companyName = pgTable('company_name', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  refYear: integer('ref_year').notNull(),
  orgnr: text().notNull(),
  name: text().notNull(),
  kind: text(),
  protectionNo: integer('protection_no'),
  registeredOn: date('registered_on'),
}, (t) => [
  index('company_name_year_orgnr_idx').on(t.refYear, t.orgnr),
  index('company_alt_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
])

/** Registered events of a company: ongoing liquidation, bankruptcy or restructuring (Bolagsverket's `pagande…`). */
export const companyEvent = pgTable('company_event', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  refYear: integer('ref_year').notNull(),
  orgnr: text().notNull(),
  code: text().notNull(),
  date: date(),
}, (t) => [index('company_event_year_orgnr_idx').on(t.refYear, t.orgnr)])

export const workplace = pgTable('workplace', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  refYear: integer('ref_year').notNull(),
  workplaceId: text('workplace_id').notNull(),
  orgnr: text(),
  source: text().notNull(),
  batchId: integer('batch_id').notNull(),
  name: text().notNull(),
  soleTrader: boolean('sole_trader').notNull().default(false),
  sniVersion: text('sni_version').notNull(),
  sni: text().array().notNull(),
  sni1: text('sni1'),
  ...locationColumns(),
  ...sizeColumns(),
  active: boolean().notNull(),
  synthetic: boolean().notNull().default(false),
}, (t) => [
  uniqueIndex('workplace_year_id_uq').on(t.refYear, t.workplaceId),
  index('workplace_year_sni1_idx').on(t.refYear, t.sniVersion, t.sni1, t.kommunCode),
  index('workplace_orgnr_idx').on(t.orgnr, t.refYear),
  index('workplace_source_year_idx').on(t.source, t.refYear),
  index('workplace_geom_idx').using('gist', t.geomPublic),
  index('workplace_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
])

export const educationProvider = pgTable('education_provider', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  refYear: integer('ref_year').notNull(),
  source: text().notNull(),
  batchId: integer('batch_id').notNull(),
  name: text().notNull(),
  providerType: text('provider_type').notNull(),
  kommunCode: text('kommun_code'),
  lanCode: text('lan_code'),
  placement: text(),
  street: text(),
  postcode: text(),
  city: text(),
  geom: geometry('Point')(),
  locationPrecision: text('location_precision'),
  url: text(),
  synthetic: boolean().notNull().default(false),
}, (t) => [
  uniqueIndex('education_provider_uq').on(t.refYear, t.source, t.name, t.kommunCode),
  index('education_provider_geom_idx').using('gist', t.geom),
  index('education_provider_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
])

export const educationProgramme = pgTable('education_programme', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  providerId: bigint('provider_id', { mode: 'number' }).notNull().references(() => educationProvider.id, { onDelete: 'cascade' }),
  name: text(),
  sunCode: text('sun_code'),
  places: integer(),
  /** applicants (sökande) to the programme where the source gives them, e.g. MYH's statistics per programme */
  applicants: integer(),
  startYear: integer('start_year'),
}, (t) => [index('education_programme_provider_idx').on(t.providerId)])

/**
 * Applications for programmes as the authority publishes its decisions (MYH's results: one row per application, with
 * `Beslut`). Only granted ones become programmes (education_programme, the supply); rejected ones are kept here only.
 */
export const educationApplication = pgTable('education_application', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  refYear: integer('ref_year').notNull(),
  source: text().notNull(),
  batchId: integer('batch_id').notNull(),
  /** the authority's case number (diarienummer), when given */
  reference: text(),
  provider: text().notNull(),
  programme: text(),
  /** null: several kommuner ("Flera kommuner") or none given */
  kommunCode: text('kommun_code'),
  area: text(),
  sunCode: text('sun_code'),
  /** granted | rejected | other (the text as written is in decision_text) */
  decision: text().notNull(),
  decisionText: text('decision_text'),
  placesApplied: integer('places_applied'),
  placesGranted: integer('places_granted'),
}, (t) => [index('education_application_year_source_idx').on(t.refYear, t.source)])

/**
 * Precomputed key-figure cells: active companies by primary SNI code and seat kommun (kommun_code '' = unplaced).
 * Refreshed inside the import transaction, so key figures and the actor list always see the same data.
 * The *_max columns carry the largest single contribution, for the dominance rule of disclosure control.
 * The *_withheld columns sum only the contributions the public role cannot see per company (a sole trader's turnover and
 * value added, see server/actors/queries.ts): disclosure control counts those, since the public figures can be subtracted.
 */
export const kfCompanyCell = pgTable('kf_company_cell', {
  refYear: integer('ref_year').notNull(),
  kommunCode: text('kommun_code').notNull(),
  sniVersion: text('sni_version').notNull(),
  sniCode: text('sni_code').notNull(),
  companies: integer().notNull(),
  employees: doublePrecision().notNull(),
  employeesN: integer('employees_n').notNull(),
  employeesExactN: integer('employees_exact_n').notNull(),
  employeesMax: doublePrecision('employees_max'),
  turnover: doublePrecision().notNull(),
  turnoverN: integer('turnover_n').notNull(),
  turnoverMax: doublePrecision('turnover_max'),
  valueAdded: doublePrecision('value_added').notNull(),
  valueAddedN: integer('value_added_n').notNull(),
  valueAddedMax: doublePrecision('value_added_max'),
  turnoverWithheldN: integer('turnover_withheld_n').notNull().default(0),
  turnoverWithheld: doublePrecision('turnover_withheld').notNull().default(0),
  turnoverWithheldMax: doublePrecision('turnover_withheld_max'),
  valueAddedWithheldN: integer('value_added_withheld_n').notNull().default(0),
  valueAddedWithheld: doublePrecision('value_added_withheld').notNull().default(0),
  valueAddedWithheldMax: doublePrecision('value_added_withheld_max'),
}, (t) => [primaryKey({ columns: [t.refYear, t.kommunCode, t.sniVersion, t.sniCode] })])

export const kfWorkplaceCell = pgTable('kf_workplace_cell', {
  refYear: integer('ref_year').notNull(),
  kommunCode: text('kommun_code').notNull(),
  sniVersion: text('sni_version').notNull(),
  sniCode: text('sni_code').notNull(),
  workplaces: integer().notNull(),
}, (t) => [primaryKey({ columns: [t.refYear, t.kommunCode, t.sniVersion, t.sniCode] })])

/** Key/value facts about the data: data_version (bumped by every import; keys the tile cache), seeded_at… */
export const meta = pgTable('meta', {
  key: text().primaryKey(),
  value: text().notNull(),
})

export const apiToken = pgTable('api_token', {
  id: serial().primaryKey(),
  name: text().notNull(),
  role: text().notNull(), // promoter | curator | admin
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** län codes (2 digits) a curator may edit; required non-empty for a curator, empty for the other roles */
  lan: text().array().notNull().default(sql`'{}'::text[]`),
  organisationId: integer('organisation_id').references(() => organisation.id),
}, (t) => [
  check('api_token_role_check', sql`${t.role} IN ('promoter', 'curator', 'admin')`),
  check('api_token_curator_lan_check', sql`${t.role} <> 'curator' OR cardinality(${t.lan}) > 0`),
])

export const exportLog = pgTable('export_log', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  who: text().notNull(),
  role: text().notNull(),
  route: text().notNull(),
  format: text().notNull(),
  filters: jsonb().notNull(),
  rowCount: integer('row_count'),
})
