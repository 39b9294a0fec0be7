// The curated registry (issue #16): places, organisations and people that regional staff record themselves, beside the
// register. One row per entry (no reference years: an entry is edited in place), and its history, one row per version,
// with the full snapshot so an earlier version can be restored.
import { sql } from 'drizzle-orm'
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { geometry } from './columns.js'

export const curatedEntry = pgTable('curated_entry', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  /** a type of data/curated/taxonomy.json */
  type: text().notNull(),
  subtype: text(),
  /** KKB branch group codes of the definition `definition` */
  groups: text().array().notNull().default(sql`'{}'::text[]`),
  definition: text(),
  kommunCode: text('kommun_code').notNull(),
  lanCode: text('lan_code').notNull(),
  street: text(),
  postcode: text(),
  city: text(),
  /** the exact point (given, dragged, or the kommun's point when only the address is known) */
  geom: geometry('Point')(),
  /** what the public role sees: the point, or for a person without consent to show it the kommun's point */
  geomPublic: geometry('Point')('geom_public'),
  locationPrecision: text('location_precision'),
  orgnr: text(),
  website: text(),
  description: text(),
  attributes: jsonb().notNull().default(sql`'{}'::jsonb`),
  openedOn: date('opened_on'),
  closedOn: date('closed_on'),
  source: text(),
  published: boolean().notNull().default(false),
  /** person entries: { by, at, fields[] }: who recorded the consent, when, which fields may be shown */
  consent: jsonb(),
  /** the consented fields, denormalised from consent for the visibility predicate (null = no consent) */
  consentFields: text('consent_fields').array(),
  synthetic: boolean().notNull().default(false),
  version: integer().notNull().default(1),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('curated_entry_type_check', sql`${t.type} IN ('venue', 'workspace', 'support', 'association', 'person', 'other')`),
  index('curated_entry_kommun_idx').on(t.kommunCode),
  index('curated_entry_lan_idx').on(t.lanCode, t.type),
  index('curated_entry_geom_idx').using('gist', t.geomPublic),
  index('curated_entry_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
])

/** Every create, edit, import, delete and restore of an entry: who, when, which fields old → new, and the snapshot after. */
export const curatedHistory = pgTable('curated_history', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** no foreign key: the history of a deleted entry is kept */
  entryId: bigint('entry_id', { mode: 'number' }).notNull(),
  version: integer().notNull(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  who: text().notNull(),
  action: text().notNull(), // create | update | import | delete | restore
  /** { field: { old, new } } */
  changes: jsonb().notNull(),
  /** the entry as it was after this action (before it, for delete) */
  snapshot: jsonb().notNull(),
}, (t) => [index('curated_history_entry_idx').on(t.entryId, t.version)])

/** Public suggestions of a missing place, waiting for a curator of the län. */
export const curatedSuggestion = pgTable('curated_suggestion', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  name: text().notNull(),
  type: text().notNull(),
  subtype: text(),
  kommunCode: text('kommun_code').notNull(),
  lanCode: text('lan_code').notNull(),
  street: text(),
  city: text(),
  website: text(),
  description: text(),
  contact: text(),
  status: text().notNull().default('pending'), // pending | accepted | rejected
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  entryId: bigint('entry_id', { mode: 'number' }),
}, (t) => [index('curated_suggestion_lan_idx').on(t.lanCode, t.status)])
