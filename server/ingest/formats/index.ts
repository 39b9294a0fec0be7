// Parser registry: (kind, format) → Parser.
import type { CompanyRecord, EducationRecord, EnrichmentRecord, Parser, WorkplaceRecord } from '../types.js'
import { bolagsverket } from './bolagsverket.js'
import { csvCompanies, csvWorkplaces, jsonCompanies, jsonWorkplaces } from './csv.js'
import { educationCsv, educationJson } from './education.js'
import { scbApiCompanies, scbApiWorkplaces } from './scb-api.js'
import { scbBulk } from './scb-bulk.js'

export { referenceYearFromFileName } from './common.js'
export { bolagsverket, csvCompanies, csvWorkplaces, jsonCompanies, jsonWorkplaces, educationCsv, educationJson, scbApiCompanies, scbApiWorkplaces, scbBulk }

export type ImportKind = 'companies' | 'workplaces' | 'education' | 'enrichment'
export type ImportFormat = 'scb-bulk' | 'scb-api' | 'bolagsverket' | 'csv' | 'json'

export interface RecordByKind {
  companies: CompanyRecord
  workplaces: WorkplaceRecord
  education: EducationRecord
  enrichment: EnrichmentRecord
}

const REGISTRY: { [K in ImportKind]: Partial<Record<ImportFormat, Parser<RecordByKind[K]>>> } = {
  companies: { 'scb-bulk': scbBulk, 'scb-api': scbApiCompanies, csv: csvCompanies, json: jsonCompanies },
  workplaces: { 'scb-api': scbApiWorkplaces, csv: csvWorkplaces, json: jsonWorkplaces },
  education: { csv: educationCsv, json: educationJson },
  enrichment: { bolagsverket },
}

/** Supported (kind, format) combinations, for help texts and validation of CLI/API arguments. */
export function supportedFormats (kind: ImportKind): ImportFormat[] {
  const m = REGISTRY[kind] as Record<string, unknown> | undefined
  return m ? Object.keys(m) as ImportFormat[] : []
}

/** Returns the parser for a kind/format pair; throws a clear error for unsupported combinations. */
export function getParser<K extends ImportKind> (kind: K, format: ImportFormat): Parser<RecordByKind[K]> {
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
