// The curated taxonomy (data/curated/taxonomy.json): types, default subtypes, symbol colours, consentable fields.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { DATA_DIR } from '../paths.js'

export const CURATED_TYPES = ['venue', 'workspace', 'support', 'association', 'person', 'other'] as const
export type CuratedType = typeof CURATED_TYPES[number]

export interface Taxonomy {
  id: string; version: string; provenance: string
  types: Array<{ code: CuratedType; sv: string; en: string; color: string; subtypes: string[] }>
  attributes: Partial<Record<CuratedType, string[]>>
  consentFields: string[]
}

let cached: Taxonomy | undefined
export function taxonomy (): Taxonomy {
  cached ??= JSON.parse(readFileSync(path.join(DATA_DIR, 'curated', 'taxonomy.json'), 'utf8')) as Taxonomy
  return cached
}

export const isCuratedType = (t: string): t is CuratedType => (CURATED_TYPES as readonly string[]).includes(t)
