// Reference data: regions with boundaries, population, classifications. Loaded from data/ on first start.
import { boolean, integer, pgTable, primaryKey, real, text } from 'drizzle-orm/pg-core'
import { geometry } from './columns.js'

export const lan = pgTable('lan', {
  code: text().primaryKey(),
  name: text().notNull(),
  /** generalised, land-clipped (SCB) boundary: for the choropleth */
  geom: geometry('MultiPolygon')(),
  /** Lantmäteriet 1:1 M legal boundary incl. sea: for point-in-polygon */
  geomDetail: geometry('MultiPolygon')('geom_detail'),
  /** representative point inside the land area: where generalised actors are drawn */
  point: geometry('Point')(),
})

export const kommun = pgTable('kommun', {
  code: text().primaryKey(),
  name: text().notNull(),
  lanCode: text('lan_code').notNull().references(() => lan.code),
  geom: geometry('MultiPolygon')(),
  geomDetail: geometry('MultiPolygon')('geom_detail'),
  point: geometry('Point')(),
})

export const population = pgTable('population', {
  kommunCode: text('kommun_code').notNull().references(() => kommun.code),
  year: integer().notNull(),
  population: integer().notNull(),
}, (t) => [primaryKey({ columns: [t.kommunCode, t.year] })])

export const sni = pgTable('sni', {
  version: text().notNull(), // '2007' | '2025'
  code: text().notNull(), // 'J', '58', '58.1', '58.11', '58110'
  level: integer().notNull(),
  titleSv: text('title_sv'),
  titleEn: text('title_en'),
  parent: text(),
}, (t) => [primaryKey({ columns: [t.version, t.code] })])

export const legalForm = pgTable('legal_form', {
  code: text().primaryKey(),
  titleSv: text('title_sv').notNull(),
  /** natural person (enskild näringsidkare): the organisation number is a personal identity number */
  naturalPerson: boolean('natural_person').notNull().default(false),
})

export const sizeClass = pgTable('size_class', {
  code: text().primaryKey(),
  label: text().notNull(),
  min: integer().notNull(),
  max: integer(),
  estimate: real().notNull(),
})

export const sunField = pgTable('sun_field', {
  code: text().primaryKey(),
  level: integer().notNull(),
  titleSv: text('title_sv').notNull(),
  parent: text(),
  cciRelevance: text('cci_relevance'),
})

/** Named sets of regions ("Regionsamverkan Sydsverige" = several län), defined as data. */
export const regionSet = pgTable('region_set', {
  code: text().primaryKey(),
  name: text().notNull(),
  description: text(),
})

export const regionSetMember = pgTable('region_set_member', {
  setCode: text('set_code').notNull().references(() => regionSet.code, { onDelete: 'cascade' }),
  level: text().notNull(), // 'lan' | 'kommun'
  regionCode: text('region_code').notNull(),
}, (t) => [primaryKey({ columns: [t.setCode, t.level, t.regionCode] })])
