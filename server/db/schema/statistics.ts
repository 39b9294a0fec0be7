// Statistical tables (aggregates from SCB's statistical database: JSON-stat 2.0 or SCB's CSV download) and the
// occupation lists that read them. A table is stored as published: its recognised dimensions become columns of its
// cells (region, SSYK 2012 occupation, sex, age group, year, contents), a missing or protected cell keeps value NULL
// and its status (".."), never 0. Importing a table with the same id replaces it.
import { boolean, doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

export const statTable = pgTable('stat_table', {
  /** the publisher's table id (SCB: extension.px.tableid), or the one given at import */
  id: text().primaryKey(),
  title: text().notNull(),
  source: text().notNull(),
  /** the publisher's update date, as published */
  updated: text(),
  unit: text(),
  format: text().notNull(), // json-stat | csv
  fileName: text('file_name').notNull(),
  batchId: integer('batch_id'),
  /** [{ id, label, kind, categories: [{ code, label, total? }] }] in the table's order; kind = region|occupation|sex|age|time|contents */
  dimensions: jsonb().notNull(),
  /** single-category dimensions that are not recognised (e.g. a fixed sector), kept as provenance */
  fixed: jsonb(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
})

export const statCell = pgTable('stat_cell', {
  tableId: text('table_id').notNull().references(() => statTable.id, { onDelete: 'cascade' }),
  contents: text().notNull(),
  year: integer().notNull(),
  region: text().notNull(),
  /** '' where the table has no such dimension */
  occupation: text().notNull(),
  sex: text().notNull(),
  age: text().notNull(),
  /** NULL = missing or protected (see status) */
  value: doublePrecision(),
  status: text(),
}, (t) => [primaryKey({ columns: [t.tableId, t.contents, t.year, t.region, t.occupation, t.sex, t.age] })])

/** Versioned lists of occupations (SSYK 2012 codes), e.g. Kreametern's 31 cultural and creative occupations. */
export const occupationList = pgTable('occupation_list', {
  id: text().primaryKey(),
  version: text().notNull(),
  name: text().notNull(),
  classification: text().notNull(),
  provisional: boolean().notNull().default(false),
  source: text(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
})

export const occupationListCode = pgTable('occupation_list_code', {
  listId: text('list_id').notNull().references(() => occupationList.id, { onDelete: 'cascade' }),
  code: text().notNull(),
  name: text().notNull(),
  sort: integer().notNull(),
}, (t) => [primaryKey({ columns: [t.listId, t.code] })])
