// Reference lists read from the database for the API: SNI codes (searchable) and SCB legal forms.
import type { DbHandle } from '../db/client.js'

export interface SniRow { code: string; version: string; level: number; title: string | null; titleEn: string | null; parent: string | null }
export interface SniSearch { q?: string; level?: number; version?: string; parent?: string; limit: number }

/** SNI codes by level, version and parent; `q` matches a code prefix (dots ignored) or a word of either title. */
export async function searchSni (db: DbHandle, s: SniSearch): Promise<SniRow[]> {
  const code = s.q?.replace(/\./g, '')
  return (await db.query<SniRow>(`
    SELECT code, version, level, title_sv AS title, title_en AS "titleEn", parent FROM sni
    WHERE ($1::int IS NULL OR level = $1) AND ($2::text IS NULL OR version = $2) AND ($3::text IS NULL OR parent = $3)
      AND ($4::text IS NULL OR replace(code, '.', '') LIKE $5 || '%' OR title_sv ILIKE '%' || $4 || '%' OR title_en ILIKE '%' || $4 || '%')
    ORDER BY version, code LIMIT $6`, [s.level ?? null, s.version ?? null, s.parent ?? null, s.q ?? null, code ?? null, s.limit])).rows
}

export interface LegalFormRow { code: string; title: string; naturalPerson: boolean }

/** SCB legal forms; naturalPerson = sole traders, whose organisation number is a personal identity number. */
export async function listLegalForms (db: DbHandle): Promise<LegalFormRow[]> {
  return (await db.query<LegalFormRow>('SELECT code, title_sv AS title, natural_person AS "naturalPerson" FROM legal_form ORDER BY code')).rows
}
