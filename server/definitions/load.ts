// Loads a KKB definition (JSON metadata + CSV of group/category/SNI rows) and replaces it atomically.
// Replacing the national list is therefore a data change: `npm run import -- definition data/definitions/<id>.json`.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import type { DbHandle, Tx } from '../db/client.js'
import { DATA_DIR } from '../paths.js'
import { seedOccupationLists } from '../statistics/occupation-lists.js'

export interface DefinitionMeta {
  id: string; version: string; name: string; provisional: boolean; national?: boolean
  description?: string; source?: string; file: string
}
interface Row { group_code: string; group_name: string; category_code: string; category_name: string
  sni_version: string; sni_code: string; share: string; confidence?: string; note?: string }

export interface DefinitionLoadResult { id: string; groups: number; categories: number; codes: Record<string, number> }

export function readDefinition (jsonPath: string): { meta: DefinitionMeta; rows: Row[] } {
  const meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as DefinitionMeta
  for (const k of ['id', 'version', 'name', 'file'] as const) {
    if (typeof meta[k] !== 'string' || !meta[k]) throw new Error(`${jsonPath}: "${k}" is required`)
  }
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(meta.id)) throw new Error(`${jsonPath}: id must be lower-case letters, digits and dashes`)
  const rows = parse(readFileSync(path.resolve(path.dirname(jsonPath), meta.file)), { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Row[]
  const problems: string[] = []
  const seen = new Set<string>()
  rows.forEach((r, i) => {
    const line = i + 2
    if (!r.group_code || !r.category_code || !r.category_name || !r.group_name) problems.push(`line ${line}: group and category code and name are required`)
    if (r.sni_version !== '2007' && r.sni_version !== '2025') problems.push(`line ${line}: sni_version must be 2007 or 2025`)
    if (!/^\d{5}$/.test(r.sni_code)) problems.push(`line ${line}: sni_code must be 5 digits`)
    const share = r.share === '' || r.share === undefined ? 1 : Number(r.share)
    if (!(share > 0 && share <= 1)) problems.push(`line ${line}: share must be in (0, 1]`)
    const key = `${r.sni_version}/${r.sni_code}`
    if (seen.has(key)) problems.push(`line ${line}: SNI ${r.sni_code} (${r.sni_version}) appears twice`)
    seen.add(key)
  })
  if (problems.length) throw new Error(`${meta.file}: ${problems.slice(0, 20).join('; ')}`)
  return { meta, rows }
}

export async function loadDefinition (tx: Tx, jsonPath: string): Promise<DefinitionLoadResult> {
  const { meta, rows } = readDefinition(jsonPath)
  // Every code must exist at level 5 of its SNI version: a typo must not silently drop firms from the figures.
  const { rows: unknown } = await tx.query<{ v: string; c: string }>(`
    SELECT r.v, r.c FROM unnest($1::text[], $2::text[]) r(v, c)
    WHERE NOT EXISTS (SELECT 1 FROM sni s WHERE s.version = r.v AND s.code = r.c AND s.level = 5)`,
  [rows.map((r) => r.sni_version), rows.map((r) => r.sni_code)])
  if (unknown.length) throw new Error(`${meta.file}: unknown SNI codes: ${unknown.map((u) => `${u.c} (${u.v})`).join(', ')}`)

  await tx.query('DELETE FROM kkb_definition WHERE id = $1', [meta.id]) // cascades to groups, categories, codes
  await tx.query(`INSERT INTO kkb_definition (id, version, name, provisional, national, description, source)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  [meta.id, meta.version, meta.name, !!meta.provisional, !!meta.national, meta.description ?? null, meta.source ?? null])
  if (meta.national) await tx.query('UPDATE kkb_definition SET national = false WHERE id <> $1', [meta.id])
  const groups = new Map<string, string>()
  const cats = new Map<string, { group: string; name: string }>()
  for (const r of rows) {
    if (!groups.has(r.group_code)) groups.set(r.group_code, r.group_name)
    if (!cats.has(r.category_code)) cats.set(r.category_code, { group: r.group_code, name: r.category_name })
    else if (cats.get(r.category_code)!.group !== r.group_code) throw new Error(`${meta.file}: category ${r.category_code} is in two groups`)
  }
  const g = [...groups]
  await tx.query(`INSERT INTO kkb_group (definition_id, code, name, sort) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`,
    [meta.id, g.map((x) => x[0]), g.map((x) => x[1]), g.map((_, i) => i)])
  const c = [...cats]
  await tx.query(`INSERT INTO kkb_category (definition_id, code, group_code, name, sort) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[])`,
    [meta.id, c.map((x) => x[0]), c.map((x) => x[1].group), c.map((x) => x[1].name), c.map((_, i) => i)])
  await tx.query(`INSERT INTO kkb_sni (definition_id, sni_version, sni_code, category_code, share, confidence, note)
    SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::real[], $6::text[], $7::text[])`,
  [meta.id, rows.map((r) => r.sni_version), rows.map((r) => r.sni_code), rows.map((r) => r.category_code),
    rows.map((r) => (r.share === '' || r.share === undefined ? 1 : Number(r.share))), rows.map((r) => r.confidence || null),
    rows.map((r) => r.note || null)])
  const codes: Record<string, number> = {}
  for (const r of rows) codes[r.sni_version] = (codes[r.sni_version] ?? 0) + 1
  return { id: meta.id, groups: groups.size, categories: cats.size, codes }
}

export const SHIPPED_DEFINITIONS_DIR = path.join(DATA_DIR, 'definitions')

/** On start: load every shipped definition that is not in the database yet (an edited one is reloaded via the CLI). */
export async function seedDefinitions (db: DbHandle, log: (m: string) => void = () => {}): Promise<string[]> {
  const files = readdirSync(SHIPPED_DEFINITIONS_DIR).filter((f) => f.endsWith('.json')).sort()
  const { rows } = await db.query<{ id: string; version: string }>('SELECT id, version FROM kkb_definition')
  const have = new Map(rows.map((r) => [r.id, r.version]))
  const loaded: string[] = []
  for (const f of files) {
    const p = path.join(SHIPPED_DEFINITIONS_DIR, f)
    const { meta } = readDefinition(p)
    if (have.get(meta.id) === meta.version) continue
    log(`loading KKB definition ${meta.id} (${meta.version})`)
    await db.transaction((tx) => loadDefinition(tx, p))
    loaded.push(meta.id)
  }
  // the occupation lists are definitions too (of the person side): seeded with them wherever definitions are
  loaded.push(...await seedOccupationLists(db, log))
  return loaded
}
