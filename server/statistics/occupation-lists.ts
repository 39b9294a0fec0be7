// Occupation lists as versioned definition data (data/occupations/<id>.json + its CSV of SSYK 2012 codes), loaded on
// start like the KKB definitions: a list whose version changed is replaced in one transaction.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import type { DbHandle, Tx } from '../db/client.js'
import { readDataCsv } from '../reference/csv-file.js'
import { DATA_DIR } from '../paths.js'
import { notFound } from '../errors.js'

export const OCCUPATIONS_DIR = path.join(DATA_DIR, 'occupations')
/** Kreametern's 31 cultural and creative occupations: what `kkOccupations` counts. */
export const DEFAULT_OCCUPATION_LIST = 'kreametern-occupations'

export interface OccupationListMeta { id: string; version: string; name: string; classification: string; provisional?: boolean; source?: string; file: string }
export interface OccupationList { id: string; version: string; name: string; classification: string; provisional: boolean; source: string | null
  codes: Array<{ code: string; name: string }> }

export function readOccupationList (jsonPath: string): { meta: OccupationListMeta; codes: Array<{ code: string; name: string }> } {
  const meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as OccupationListMeta
  for (const k of ['id', 'version', 'name', 'classification', 'file'] as const) {
    if (typeof meta[k] !== 'string' || !meta[k]) throw new Error(`${jsonPath}: "${k}" is required`)
  }
  if (meta.classification !== 'SSYK 2012') throw new Error(`${jsonPath}: only SSYK 2012 lists are understood`)
  const rows = readDataCsv<{ ssyk2012_code: string; yrkeskategori_sv: string }>(meta.file, path.dirname(jsonPath))
  const seen = new Set<string>()
  rows.forEach((r, i) => {
    if (!/^\d{4}$/.test(r.ssyk2012_code ?? '')) throw new Error(`${meta.file} line ${i + 2}: ssyk2012_code must be 4 digits`)
    if (seen.has(r.ssyk2012_code)) throw new Error(`${meta.file} line ${i + 2}: ${r.ssyk2012_code} appears twice`)
    seen.add(r.ssyk2012_code)
  })
  return { meta, codes: rows.map((r) => ({ code: r.ssyk2012_code, name: r.yrkeskategori_sv })) }
}

async function loadOccupationList (tx: Tx, jsonPath: string) {
  const { meta, codes } = readOccupationList(jsonPath)
  await tx.query('DELETE FROM occupation_list WHERE id = $1', [meta.id])
  await tx.query(`INSERT INTO occupation_list (id, version, name, classification, provisional, source) VALUES ($1, $2, $3, $4, $5, $6)`,
    [meta.id, meta.version, meta.name, meta.classification, !!meta.provisional, meta.source ?? null])
  await tx.query(`INSERT INTO occupation_list_code (list_id, code, name, sort) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`,
    [meta.id, codes.map((c) => c.code), codes.map((c) => c.name), codes.map((_, i) => i)])
}

export async function seedOccupationLists (db: DbHandle, log: (m: string) => void = () => {}): Promise<string[]> {
  const { rows } = await db.query<{ id: string; version: string }>('SELECT id, version FROM occupation_list')
  const have = new Map(rows.map((r) => [r.id, r.version]))
  const loaded: string[] = []
  for (const f of readdirSync(OCCUPATIONS_DIR).filter((x) => x.endsWith('.json')).sort()) {
    const p = path.join(OCCUPATIONS_DIR, f)
    const { meta } = readOccupationList(p)
    if (have.get(meta.id) === meta.version) continue
    log(`loading occupation list ${meta.id} (${meta.version})`)
    await db.transaction((tx) => loadOccupationList(tx, p))
    loaded.push(meta.id)
  }
  return loaded
}

export async function getOccupationList (db: DbHandle, id = DEFAULT_OCCUPATION_LIST): Promise<OccupationList> {
  const { rows } = await db.query<Omit<OccupationList, 'codes'>>(
    'SELECT id, version, name, classification, provisional, source FROM occupation_list WHERE id = $1', [id])
  if (!rows.length) throw notFound(`no occupation list "${id}"`)
  const { rows: codes } = await db.query<{ code: string; name: string }>(
    'SELECT code, name FROM occupation_list_code WHERE list_id = $1 ORDER BY sort', [id])
  return { ...rows[0], codes }
}
