// KKB definitions as versioned data: definition → branch groups → branch categories → SNI codes (per SNI version).
import { boolean, integer, pgTable, primaryKey, real, text, timestamp, foreignKey } from 'drizzle-orm/pg-core'

export const kkbDefinition = pgTable('kkb_definition', {
  id: text().primaryKey(),
  version: text().notNull(),
  name: text().notNull(),
  provisional: boolean().notNull(),
  national: boolean().notNull().default(false),
  description: text(),
  source: text(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
})

export const kkbGroup = pgTable('kkb_group', {
  definitionId: text('definition_id').notNull().references(() => kkbDefinition.id, { onDelete: 'cascade' }),
  code: text().notNull(),
  name: text().notNull(),
  sort: integer().notNull(),
}, (t) => [primaryKey({ columns: [t.definitionId, t.code] })])

export const kkbCategory = pgTable('kkb_category', {
  definitionId: text('definition_id').notNull(),
  code: text().notNull(),
  groupCode: text('group_code').notNull(),
  name: text().notNull(),
  sort: integer().notNull(),
}, (t) => [
  primaryKey({ columns: [t.definitionId, t.code] }),
  foreignKey({ columns: [t.definitionId, t.groupCode], foreignColumns: [kkbGroup.definitionId, kkbGroup.code] }).onDelete('cascade'),
])

export const kkbSni = pgTable('kkb_sni', {
  definitionId: text('definition_id').notNull(),
  sniVersion: text('sni_version').notNull(),
  sniCode: text('sni_code').notNull(),
  categoryCode: text('category_code').notNull(),
  share: real().notNull().default(1),
  confidence: text(),
  note: text(),
}, (t) => [
  primaryKey({ columns: [t.definitionId, t.sniVersion, t.sniCode] }),
  foreignKey({ columns: [t.definitionId, t.categoryCode], foreignColumns: [kkbCategory.definitionId, kkbCategory.code] }).onDelete('cascade'),
])
