// The promoter's workspace (#17): saved segments of the actor list, the register's change log that tells what changed in
// a segment since an import, and notes/status per firm — all held per organisation (a token belongs to one).
import {
  bigint, boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp,
} from 'drizzle-orm/pg-core'
import { locationColumns, sizeColumns } from './columns.js'
import { organisation } from './access.js'

/** A named set of /api/actors filters (validated by the actor query schema), shared within its organisation. */
export const segment = pgTable('segment', {
  id: serial().primaryKey(),
  organisationId: integer('organisation_id').notNull().references(() => organisation.id, { onDelete: 'cascade' }),
  name: text().notNull(),
  filters: jsonb().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('segment_org_idx').on(t.organisationId)])

/** The last visit of one person (session/token subject) to a segment: the newest import batch seen then, so the list can
 *  count what changed since. Per person, not per organisation: a colleague's visit does not hide news from me. */
export const segmentVisit = pgTable('segment_visit', {
  segmentId: integer('segment_id').notNull().references(() => segment.id, { onDelete: 'cascade' }),
  subject: text().notNull(),
  seenBatchId: integer('seen_batch_id').notNull(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.segmentId, t.subject] })])

/**
 * The register's history within a reference year. One (source, year) is one snapshot that each import overwrites in
 * place (server/ingest/merge.ts), so the state of a year as of an earlier import is kept here: every row the merge
 * inserts, updates or removes leaves its BEFORE image (existed = false for an insert), written in the same statement and
 * transaction as the change. The columns are the company columns the actor predicate and the list item read, under the
 * same names, so the one predicate (actors/filters.ts) runs over this table too. A year's first, bulk-loaded import writes
 * nothing here: before it, the year had no rows.
 */
export const companyChange = pgTable('company_change', {
  seq: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  changeBatchId: integer('change_batch_id').notNull(),
  existed: boolean().notNull(),
  id: bigint({ mode: 'number' }),
  refYear: integer('ref_year').notNull(),
  orgnr: text().notNull(),
  batchId: integer('batch_id'),
  source: text(),
  name: text(),
  legalForm: text('legal_form'),
  soleTrader: boolean('sole_trader'),
  sniVersion: text('sni_version'),
  sni: text().array(),
  sni1: text('sni1'),
  ...locationColumns(),
  coAddress: text('co_address'),
  ...sizeColumns(),
  registeredOn: date('registered_on'),
  deregisteredOn: date('deregistered_on'),
  active: boolean(),
  marketingOptOut: boolean('marketing_opt_out'),
  synthetic: boolean(),
}, (t) => [
  index('company_change_year_batch_idx').on(t.refYear, t.changeBatchId),
  index('company_change_orgnr_idx').on(t.refYear, t.orgnr, t.changeBatchId),
])

export const firmStatus = pgEnum('firm_status', ['new', 'contacted', 'meeting', 'in_programme', 'not_relevant'])

/** One entry of an organisation's work with a firm: the status set then and an optional short note, with who and when.
 *  The firm's current status is its newest entry's. Personal data when the firm is a sole trader (orgnr = personnummer):
 *  never leaves the organisation, removed after NOTES_RETENTION_DAYS and on request (DELETE /api/notes?orgnr=). */
export const firmNote = pgTable('firm_note', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  organisationId: integer('organisation_id').notNull().references(() => organisation.id, { onDelete: 'cascade' }),
  orgnr: text().notNull(),
  status: firmStatus().notNull(),
  note: text(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('firm_note_org_orgnr_idx').on(t.organisationId, t.orgnr, t.createdAt),
  index('firm_note_orgnr_idx').on(t.orgnr),
  index('firm_note_created_idx').on(t.createdAt),
])
