import type { DbHandle } from '../db/client.js'
import { notFound } from '../errors.js'

export interface DefinitionSummary { id: string; version: string; name: string; provisional: boolean; national: boolean }
export interface SniRef { code: string; version: string; title: string | null; share: number }
export interface CategoryTree { code: string; name: string; sni: SniRef[] }
export interface GroupTree { code: string; name: string; categories: CategoryTree[] }
export interface DefinitionTree extends DefinitionSummary { description: string | null; source: string | null; groups: GroupTree[] }

export async function listDefinitions (db: DbHandle): Promise<DefinitionSummary[]> {
  return (await db.query<DefinitionSummary>(
    'SELECT id, version, name, provisional, national FROM kkb_definition ORDER BY national DESC, id')).rows
}

/** The definition to use when a request names none: the national one. */
export async function resolveDefinition (db: DbHandle, id?: string): Promise<DefinitionSummary> {
  const { rows } = id
    ? await db.query<DefinitionSummary>('SELECT id, version, name, provisional, national FROM kkb_definition WHERE id = $1', [id])
    : await db.query<DefinitionSummary>('SELECT id, version, name, provisional, national FROM kkb_definition ORDER BY national DESC, id LIMIT 1')
  if (!rows[0]) throw notFound(id ? `no definition "${id}"` : 'no KKB definition is loaded')
  return rows[0]
}

export async function getDefinition (db: DbHandle, id: string): Promise<DefinitionTree> {
  const d = await resolveDefinition(db, id)
  const { rows: meta } = await db.query<{ description: string | null; source: string | null }>(
    'SELECT description, source FROM kkb_definition WHERE id = $1', [id])
  const { rows } = await db.query<{ gcode: string; gname: string; ccode: string; cname: string; v: string | null; c: string | null; title: string | null; share: number | null }>(`
    SELECT g.code AS gcode, g.name AS gname, c.code AS ccode, c.name AS cname, s.sni_version AS v, s.sni_code AS c,
           n.title_sv AS title, s.share
    FROM kkb_group g
    JOIN kkb_category c ON c.definition_id = g.definition_id AND c.group_code = g.code
    LEFT JOIN kkb_sni s ON s.definition_id = c.definition_id AND s.category_code = c.code
    LEFT JOIN sni n ON n.version = s.sni_version AND n.code = s.sni_code
    WHERE g.definition_id = $1
    ORDER BY g.sort, c.sort, s.sni_version, s.sni_code`, [id])
  const groups: GroupTree[] = []
  for (const r of rows) {
    let g = groups[groups.length - 1]
    if (!g || g.code !== r.gcode) groups.push(g = { code: r.gcode, name: r.gname, categories: [] })
    let c = g.categories[g.categories.length - 1]
    if (!c || c.code !== r.ccode) g.categories.push(c = { code: r.ccode, name: r.cname, sni: [] })
    if (r.c) c.sni.push({ code: r.c, version: r.v!, title: r.title, share: Number(r.share) })
  }
  return { ...d, description: meta[0]?.description ?? null, source: meta[0]?.source ?? null, groups }
}
