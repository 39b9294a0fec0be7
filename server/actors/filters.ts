// The one filter/predicate layer behind /api/actors (list, exports) and the drill-down to /api/key-figures.
// A company counts in a key figure iff it matches the same predicate here: active, reference year, primary SNI code
// (rank 1) in the branch of the definition, seat kommun/län. The branch part is built, for both, from
// definitions/branch-sql.ts; the rest mirrors keyfigures/cells.ts.
import { badRequest } from '../errors.js'
import type { Params } from '../db/sql.js'
import type { Role } from '../auth/tokens.js'
import { branchOf, inBranches } from '../definitions/branch-sql.js'
import { curatedVisible, type Viewer } from '../curated/visibility.js'

export type ActorKind = 'company' | 'workplace' | 'education' | 'curated'

export interface ActorFilters {
  kind: ActorKind
  year: number
  definition: string
  /** only actors whose primary SNI is in the definition (KKB total) */
  kkb?: boolean
  group?: string[]
  category?: string[]
  sni?: string[]
  sniRank?: 'primary' | 'any'
  kommun?: string[]
  lan?: string[]
  bbox?: [number, number, number, number]
  sizeClass?: string[]
  employeesMin?: number
  employeesMax?: number
  legalForm?: string[]
  q?: string
  /** how q matches: contains (default, index-backed) or fuzzy (trigram word similarity) */
  qMode?: 'contains' | 'fuzzy'
  registeredSince?: string
  status?: 'active' | 'inactive' | 'all'
  providerType?: string[]
  sun?: string[]
  /** curated: taxonomy types and (free-text) subtypes */
  type?: string[]
  subtype?: string[]
  /** curated: who asks (their visibility, server/curated/visibility.ts); set only for kind=curated */
  viewer?: Viewer
}

// Curated entries have no reference years: the constant ref_year lets the list, export and tile queries (which page and
// join on (id, ref_year)) read them unchanged; the planner inlines the subquery, so the entry's indexes are used.
export const TABLE: Record<ActorKind, string> = { company: 'company', workplace: 'workplace', education: 'education_provider',
  curated: '(SELECT c.*, 0 AS ref_year FROM curated_entry c)' }

/** Kinds classified by SNI code, so with a KKB branch (group, category) under a definition. */
export const hasBranch = (kind: ActorKind) => kind === 'company' || kind === 'workplace'

/** The branch join: the primary SNI code of the actor under the chosen definition (null outside KKB). */
export const branchJoin = (alias: string, definitionParam: string): string => branchOf(alias, definitionParam)

/** WHERE clause over alias `t` (the actor table) and `b` (branchJoin). */
export function whereClause (f: ActorFilters, ps: Params): string {
  if (f.kind === 'curated') return curatedWhere(f, ps)
  const w: string[] = [`t.ref_year = ${ps.p(f.year)}`]
  if (f.kind !== 'education') {
    const status = f.status ?? 'active'
    if (status !== 'all') w.push(status === 'active' ? 't.active' : 'NOT t.active')
    // Branch filters as a semi-join on the primary code, so they use the (ref_year, sni_version, sni1) index and need no
    // per-row lookup: (version, code) IN (codes of the definition's chosen groups/categories).
    if (f.kkb || f.group?.length || f.category?.length) {
      const definition = ps.p(f.definition)
      w.push(inBranches('t.sni_version', 't.sni1', definition, {
        groups: f.group?.length ? ps.p(f.group) : undefined, categories: f.category?.length ? ps.p(f.category) : undefined }))
    }
    if (f.sni?.length) {
      const codes = f.sni.map((c) => c.replace(/\./g, ''))
      if (codes.some((c) => !/^\d{1,5}$/.test(c))) throw badRequest('sni codes are digits (2–5), e.g. 59110 or 59')
      const full = codes.filter((c) => c.length === 5)
      const prefixes = codes.filter((c) => c.length < 5)
      const conds: string[] = []
      if (f.sniRank === 'any') {
        if (full.length) conds.push(`t.sni && ${ps.p(full)}::text[]`)
        for (const pre of prefixes) conds.push(`EXISTS (SELECT 1 FROM unnest(t.sni) x WHERE x LIKE ${ps.p(pre + '%')})`)
      } else {
        if (full.length) conds.push(`t.sni1 = ANY(${ps.p(full)}::text[])`)
        for (const pre of prefixes) conds.push(`t.sni1 LIKE ${ps.p(pre + '%')}`)
      }
      w.push(`(${conds.join(' OR ')})`)
    }
    if (f.sizeClass?.length) w.push(`t.size_class = ANY(${ps.p(f.sizeClass)}::text[])`)
    if (f.employeesMin !== undefined) w.push(`t.employees_est >= ${ps.p(f.employeesMin)}`)
    if (f.employeesMax !== undefined) w.push(`t.employees_est <= ${ps.p(f.employeesMax)}`)
  } else {
    if (f.providerType?.length) w.push(`t.provider_type = ANY(${ps.p(f.providerType)}::text[])`)
    if (f.sun?.length) w.push(`EXISTS (SELECT 1 FROM education_programme pr WHERE pr.provider_id = t.id AND pr.sun_code LIKE ANY(${ps.p(f.sun.map((s) => s + '%'))}::text[]))`)
  }
  if (f.kind === 'company') {
    if (f.legalForm?.length) w.push(`t.legal_form = ANY(${ps.p(f.legalForm)}::text[])`)
    if (f.registeredSince) w.push(`t.registered_on >= ${ps.p(f.registeredSince)}::date`)
  }
  if (f.kommun?.length) w.push(`t.kommun_code = ANY(${ps.p(f.kommun)}::text[])`)
  if (f.lan?.length) w.push(`t.lan_code = ANY(${ps.p(f.lan)}::text[])`)
  if (f.bbox) {
    const [w0, s0, e0, n0] = f.bbox
    w.push(`${geomColumn(f.kind)} && ST_MakeEnvelope(${ps.p(w0)}, ${ps.p(s0)}, ${ps.p(e0)}, ${ps.p(n0)}, 4326)`)
  }
  if (f.q) {
    // 'contains' (the default) is answered by the trigram index; 'fuzzy' (word similarity, tolerates typos) is the
    // fallback the list uses when nothing contains the text. Kept as separate predicates: an OR of both defeats the index.
    const q = f.q.toLowerCase()
    if (f.qMode === 'fuzzy') w.push(`${ps.p(q)} <% lower(t.name)`)
    else if (f.kind === 'company') {
      // a company is found by any of its registered names too (company_name: a sole trader's further firm names,
      // secondary names); a union of the two trigram-indexed lookups, joined on the (year, orgnr) key
      const like = ps.p(`%${likeEscape(q)}%`)
      const year = ps.p(f.year)
      w.push(`(t.ref_year, t.orgnr) IN (SELECT c2.ref_year, c2.orgnr FROM company c2 WHERE c2.ref_year = ${year} AND lower(c2.name) LIKE ${like}
        UNION SELECT n.ref_year, n.orgnr FROM company_name n WHERE n.ref_year = ${year} AND lower(n.name) LIKE ${like})`)
    } else w.push(`lower(t.name) LIKE ${ps.p(`%${likeEscape(q)}%`)}`)
  }
  return w.join(' AND ')
}

/** The curated entries' filters: the visibility rule first, then the filters they share with the other kinds. */
function curatedWhere (f: ActorFilters, ps: Params): string {
  const w: string[] = [curatedVisible(f.viewer ?? { role: 'public', lan: [] }, ps)]
  const status = f.status ?? 'active'
  const open = 't.closed_on IS NULL OR t.closed_on > current_date'
  if (status !== 'all') w.push(status === 'active' ? `(${open})` : `NOT (${open})`)
  if (f.type?.length) w.push(`t.type = ANY(${ps.p(f.type)}::text[])`)
  if (f.subtype?.length) w.push(`lower(t.subtype) = ANY(${ps.p(f.subtype.map((s) => s.toLowerCase()))}::text[])`)
  if (f.group?.length) w.push(`t.groups && ${ps.p(f.group)}::text[]`)
  if (f.kommun?.length) w.push(`t.kommun_code = ANY(${ps.p(f.kommun)}::text[])`)
  if (f.lan?.length) w.push(`t.lan_code = ANY(${ps.p(f.lan)}::text[])`)
  if (f.bbox) {
    const [w0, s0, e0, n0] = f.bbox
    w.push(`t.geom_public && ST_MakeEnvelope(${ps.p(w0)}, ${ps.p(s0)}, ${ps.p(e0)}, ${ps.p(n0)}, 4326)`)
  }
  if (f.q) {
    const q = f.q.toLowerCase()
    if (f.qMode === 'fuzzy') w.push(`${ps.p(q)} <% lower(t.name)`)
    else w.push(`lower(t.name) LIKE ${ps.p(`%${likeEscape(q)}%`)}`)
  }
  return w.join(' AND ')
}

/** Text matched literally by LIKE (its wildcards and the escape character escaped). */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export const geomColumn = (kind: ActorKind) => (kind === 'education' ? 't.geom' : 't.geom_public')

/** Whether the role may see a sole trader's personal data (organisation number = personnummer, address, exact point). */
export const seesPersonalData = (role: Role) => role !== 'public'
