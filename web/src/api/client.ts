// Typed fetch wrappers and URL builders for the API. Every URL is same-origin (/api/...).
import type { ActorDetail, ActorKind, ActorPage, Compare, Definition, DefinitionSummary, EducationNeed, Health, KeyFigures, LegalForm, Occupations, RegionCollection, Similar, SizeClass } from './types'

export type Params = Record<string, string | number | boolean | null | undefined | string[]>

/** Builds `/api/<path>?<query>`, dropping empty values; arrays become comma lists. */
export function apiUrl (path: string, params: Params = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue
    q.set(k, Array.isArray(v) ? v.join(',') : String(v))
  }
  const s = q.toString()
  return `/api/${path}${s ? `?${s}` : ''}`
}

export class ApiError extends Error {
  constructor (readonly status: number, message: string) { super(message) }
}

const cache = new Map<string, Promise<unknown>>()

/** GET JSON; identical requests share one promise (responses are immutable for a data version). */
export function getJson<T> (url: string, opts: { cache?: boolean; signal?: AbortSignal } = {}): Promise<T> {
  const useCache = opts.cache !== false
  const hit = useCache ? cache.get(url) : undefined
  if (hit) return hit as Promise<T>
  const p = fetch(url, { signal: opts.signal, headers: { accept: 'application/json' } }).then(async (res) => {
    if (!res.ok) {
      const body = await res.json().catch(() => null) as { error?: { message?: string } } | null
      throw new ApiError(res.status, body?.error?.message ?? `${res.status} ${res.statusText}`)
    }
    return res.json() as Promise<T>
  })
  if (useCache) {
    cache.set(url, p)
    p.catch(() => cache.delete(url))
    if (cache.size > 200) cache.delete(cache.keys().next().value as string)
  }
  return p
}

/** The filters shared by the key figures (branch/definition/year) — see branchParams. */
export interface FigureQuery { definition?: string; branch: string; year?: number | 'all' | null; level: 'kommun' | 'lan' | 'riket'; region?: string | string[]
  /** level kommun: only the kommuner of this län (the API adds the län and riket rows as `context`) */
  lan?: string }

/** Branch selection → key-figure parameters: 'total', 'all', a group code ('2') or a category code ('2.3'). */
export function figureBranch (branch: string): { branch: string; code?: string } {
  if (branch === 'total' || branch === 'all') return { branch }
  return branch.includes('.') ? { branch: 'category', code: branch } : { branch: 'group', code: branch }
}

/** Branch selection → actor filters (the drill-down rule: total ↔ kkb=true, all ↔ no branch filter). */
export function actorBranch (branch: string): Params {
  if (branch === 'total') return { kkb: true }
  if (branch === 'all') return {}
  return branch.includes('.') ? { category: branch } : { group: branch }
}

export function keyFiguresUrl (q: FigureQuery, extra: Params = {}): string {
  return apiUrl('key-figures', { level: q.level, region: q.region, lan: q.lan, ...figureBranch(q.branch), year: q.year ?? undefined,
    definition: q.definition, ...extra })
}

export interface ActorQuery {
  kind: ActorKind; definition?: string; branch: string; year?: number | null
  kommun?: string; lan?: string; sizeClass?: string[]; legalForm?: string[]; q?: string
}

export function actorParams (a: ActorQuery): Params {
  const branch = a.kind === 'education' ? {} : actorBranch(a.branch)
  return { kind: a.kind, definition: a.kind === 'education' ? undefined : a.definition, ...branch, year: a.year ?? undefined,
    kommun: a.kommun, lan: a.lan, sizeClass: a.sizeClass, legalForm: a.legalForm, q: a.q }
}

/** People in cultural and creative occupations (by workplace region); year null = the table's latest. */
export interface OccupationQuery { level: 'kommun' | 'lan' | 'riket'; region?: string; year?: number | 'all' | null }
export const occupationsUrl = (q: OccupationQuery, extra: Params = {}) =>
  apiUrl('key-figures/occupations', { level: q.level, region: q.region, year: q.year ?? undefined, ...extra })
export const educationNeedUrl = (lan: string, extra: Params = {}) => apiUrl('key-figures/education-need', { lan, ...extra })

/** Births and closures per quarter for the figure table's regions (level, followed län); the flows have no branch code
 *  filter, so a chosen group or category brings its level's rows (and the KKB total). */
export const flowsUrl = (q: FigureQuery, extra: Params = {}) =>
  apiUrl('key-figures/flows', { level: q.level, lan: q.lan, period: 'quarter', definition: q.definition,
    branch: q.branch === 'total' || q.branch === 'all' ? 'total' : q.branch.includes('.') ? 'total,category' : 'total,group', ...extra })

/** The compare view's query: its regions and the state's branch, year and definition. */
export interface CompareQuery { regions: string[]; branch: string; year?: number | null; definition?: string }
export const compareUrl = (q: CompareQuery, extra: Params = {}) =>
  apiUrl('key-figures/compare', { region: q.regions, ...figureBranch(q.branch), year: q.year ?? undefined, definition: q.definition, ...extra })

export const api = {
  compare: (q: CompareQuery) => getJson<Compare>(compareUrl(q)),
  similar: (kommun: string, q: { year?: number | null; definition?: string }) =>
    getJson<Similar>(apiUrl('key-figures/similar', { kommun, n: 5, year: q.year ?? undefined, definition: q.definition })),
  health: () => getJson<Health>('/api/health', { cache: false }),
  definitions: () => getJson<DefinitionSummary[]>('/api/definitions'),
  definition: (id: string) => getJson<Definition>(`/api/definitions/${encodeURIComponent(id)}`),
  sizeClasses: () => getJson<SizeClass[]>('/api/reference/size-classes'),
  legalForms: () => getJson<LegalForm[]>('/api/reference/legal-forms'),
  regions: (level: 'kommun' | 'lan') => getJson<RegionCollection>(apiUrl('regions', { level, format: 'geojson' })),
  keyFigures: (q: FigureQuery) => getJson<KeyFigures>(keyFiguresUrl(q)),
  occupations: (q: OccupationQuery) => getJson<Occupations>(occupationsUrl(q)),
  educationNeed: (lan: string) => getJson<EducationNeed>(educationNeedUrl(lan)),
  actors: (a: ActorQuery, page: { limit: number; sort?: string; cursor?: string }, signal?: AbortSignal) =>
    getJson<ActorPage>(apiUrl('actors', { ...actorParams(a), ...page }), { signal }),
  actor: (id: number, kind: ActorKind, definition?: string) => getJson<ActorDetail>(apiUrl(`actors/${id}`, { kind, definition })),
  /** true when the vector-tile endpoint answers (the TileJSON), so the map can prefer tiles over GeoJSON */
  tilesAvailable: async (): Promise<{ maxzoom: number } | null> => {
    try {
      const res = await fetch('/api/tiles/actors.json')
      if (res.status !== 200) return null
      const tj = await res.json() as { maxzoom?: number }
      return { maxzoom: tj.maxzoom ?? 14 }
    } catch { return null }
  },
}
