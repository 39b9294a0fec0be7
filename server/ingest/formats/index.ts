// Parser registry: (kind, format) → Parser.
import type { CompanyRecord, EducationRecord, EnrichmentRecord, KeyReader, LineSplitter, Parser, WorkplaceRecord } from '../types.js'
import { bolagsverket } from './bolagsverket.js'
import { csvCompanies, csvWorkplaces, jsonCompanies, jsonWorkplaces } from './csv.js'
import { educationCsv, educationJson } from './education.js'
import { myhResults } from './myh.js'
import { skolverketSchoolUnits } from './skolverket.js'
import { scbApiCompanies, scbApiWorkplaces } from './scb-api.js'
import { scbBulk, scbBulkKeys, scbBulkLines } from './scb-bulk.js'
import { curatedCsv, curatedXlsx, type CuratedRecord } from './curated.js'

export { referenceYearFromFileName } from './common.js'
export {
  bolagsverket, csvCompanies, csvWorkplaces, jsonCompanies, jsonWorkplaces, educationCsv, educationJson, myhResults, skolverketSchoolUnits,
  scbApiCompanies, scbApiWorkplaces, scbBulk,
}

/** The records a parser yields: one per import kind, plus Bolagsverket's enrichment of companies. */
export type ParserKind = 'companies' | 'workplaces' | 'education' | 'enrichment' | 'curated'

// The one list of what can be imported, in which format. The HTTP route's schema, the CLI's usage line, the OpenAPI
// summary and the table in server/ingest/README.md (checked by a test) are all built from it.
export const IMPORT_KINDS = ['companies', 'workplaces', 'education', 'curated'] as const
export const IMPORT_FORMATS = ['scb-bulk', 'scb-api', 'bolagsverket', 'csv', 'json', 'myh', 'skolverket', 'xlsx'] as const
export type ImportKind = typeof IMPORT_KINDS[number]
export type ImportFormat = typeof IMPORT_FORMATS[number]

/** Per import kind: the formats it accepts, and the records each yields (a Bolagsverket file enriches companies). */
export const IMPORTS: Record<ImportKind, Partial<Record<ImportFormat, ParserKind>>> = {
  companies: { 'scb-bulk': 'companies', 'scb-api': 'companies', bolagsverket: 'enrichment', csv: 'companies', json: 'companies' },
  workplaces: { 'scb-api': 'workplaces', csv: 'workplaces', json: 'workplaces' },
  education: { csv: 'education', json: 'education', myh: 'education', skolverket: 'education' },
  // staff lists of the curated registry (issue #16): added to it, never a snapshot that removes entries
  curated: { csv: 'curated', xlsx: 'curated' },
}

/** The formats an import kind accepts (empty for an unknown kind). */
export function importFormats (kind: string): ImportFormat[] {
  return Object.hasOwn(IMPORTS, kind) ? Object.keys(IMPORTS[kind as ImportKind]) as ImportFormat[] : []
}

/** Throws a clear message unless (kind, format) can be imported. */
export function checkImport (kind: string, format: string): asserts kind is ImportKind {
  if (!Object.hasOwn(IMPORTS, kind)) throw new Error(`unknown import kind "${kind}" (${IMPORT_KINDS.join(', ')}, definition)`)
  const formats = importFormats(kind)
  if (!formats.includes(format as ImportFormat)) throw new Error(`format "${format}" is not supported for ${kind} (use ${formats.join(', ')})`)
}

/** "companies: scb-bulk|…; workplaces: …" for usage lines and API summaries. */
export function describeImports (): string {
  return IMPORT_KINDS.map((k) => `${k}: ${importFormats(k).join('|')}`).join('; ')
}

/** The parser of an import (kind, format) and the kind of records it yields. */
export function importParser (kind: ImportKind, format: ImportFormat): { parserKind: ParserKind; parser: Parser<RecordByKind[ParserKind]> } {
  checkImport(kind, format)
  const parserKind = IMPORTS[kind][format]!
  return { parserKind, parser: getParser(parserKind, format) }
}

export interface RecordByKind {
  companies: CompanyRecord
  workplaces: WorkplaceRecord
  education: EducationRecord
  enrichment: EnrichmentRecord
  curated: CuratedRecord
}

const REGISTRY: { [K in ParserKind]: Partial<Record<ImportFormat, Parser<RecordByKind[K]>>> } = {
  companies: { 'scb-bulk': scbBulk, 'scb-api': scbApiCompanies, csv: csvCompanies, json: jsonCompanies },
  workplaces: { 'scb-api': scbApiWorkplaces, csv: csvWorkplaces, json: jsonWorkplaces },
  education: { csv: educationCsv, json: educationJson, myh: myhResults, skolverket: skolverketSchoolUnits },
  enrichment: { bolagsverket },
  curated: { csv: curatedCsv, xlsx: curatedXlsx },
}

/** Formats with a parser for a kind of records, for help texts and validation. */
export function supportedFormats (kind: ParserKind): ImportFormat[] {
  const m = REGISTRY[kind] as Record<string, unknown> | undefined
  return m ? Object.keys(m) as ImportFormat[] : []
}

/** Returns the parser for a kind/format pair; throws a clear error for unsupported combinations. */
export function getParser<K extends ParserKind> (kind: K, format: ImportFormat): Parser<RecordByKind[K]> {
  const byFormat = REGISTRY[kind] as Partial<Record<ImportFormat, Parser<RecordByKind[K]>>> | undefined
  if (byFormat === undefined) {
    throw new Error(`unknown import kind "${String(kind)}" (expected one of ${Object.keys(REGISTRY).join(', ')})`)
  }
  const p = byFormat[format]
  if (p === undefined) {
    throw new Error(`unsupported format "${String(format)}" for ${kind} (supported: ${Object.keys(byFormat).join(', ')})`)
  }
  return p
}

/**
 * The first pass of a refresh (keys and fingerprints of every line, see fingerprint.ts) for the formats that have one:
 * the register-scale company files, one record per line. Null for the others (always read in full).
 */
export function keyReader (kind: ImportKind, format: ImportFormat): KeyReader | null {
  return kind === 'companies' && format === 'scb-bulk' ? scbBulkKeys : null
}

/**
 * The formats whose records are their lines, which worker threads can read (line-workers.ts): the register-scale
 * company file. Null for the others (read in the import's thread).
 */
export function lineSplitter (kind: ImportKind, format: ImportFormat): { format: 'scb-bulk'; split: LineSplitter } | null {
  return kind === 'companies' && format === 'scb-bulk' ? { format, split: scbBulkLines } : null
}
