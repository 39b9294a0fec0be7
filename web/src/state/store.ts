// The whole view state: filters, map position, selection, table tab and language. One store, serialised to the URL.
/** The key figures the map can show, in the panel's order. */
export const MEASURES = ['companies', 'per10k', 'shareCompanies', 'lqCompanies', 'employees', 'companiesChangePct'] as const
export type Measure = typeof MEASURES[number]
/** quantile / equal intervals for any measure; 'lq' (breaks around 1) and 'change' (breaks around 0) are the diverging
 * classes of the one measure each fits */
export type ClassMethod = 'quantile' | 'equal' | 'lq' | 'change'
const DIVERGING_OF: Partial<Record<Measure, ClassMethod>> = { lqCompanies: 'lq', companiesChangePct: 'change' }
/** The diverging class method that fits a measure (a neutral value in the middle), if any. */
export const divergingClasses = (m: Measure): ClassMethod | undefined => DIVERGING_OF[m]
/** The class methods offered for a measure. */
export function classMethodsFor (m: Measure): ClassMethod[] {
  const diverging = divergingClasses(m)
  return diverging ? ['quantile', 'equal', diverging] : ['quantile', 'equal']
}
export type Lang = 'sv' | 'en'

export interface State {
  lang: Lang
  /** definition id; '' = the national default */
  def: string
  /** 'total' (KKB), 'all' (all companies), a group code ('2') or a category code ('2.3') */
  branch: string
  /** null = latest year */
  year: number | null
  level: 'kommun' | 'lan'
  measure: Measure
  classes: ClassMethod
  /** actor points on the map: companies or workplaces, or none */
  kind: 'company' | 'workplace' | 'none'
  edu: boolean
  size: string[]
  legal: string[]
  /** selected region: kommun (4 digits) or län (2 digits) */
  region: string | null
  /** selected actor: "company:123" */
  actor: string | null
  view: 'map' | 'table'
  tab: 'figures' | 'actors'
  /** actor table sort (API sort key) and key-figure table sort (column, '-' = descending) */
  sort: string
  fsort: string
  /** map centre and zoom */
  map: { lon: number; lat: number; zoom: number } | null
  sni: boolean
  /** actor points: 'auto' prefers the vector tiles when /api/tiles/actors.json answers; 'geojson' forces the clustered GeoJSON */
  source: 'auto' | 'geojson'
  /** optional external basemap style URL (off by default: nothing may leave localhost) */
  basemap: string | null
}

export const defaults: State = {
  lang: 'sv', def: '', branch: 'total', year: null, level: 'kommun', measure: 'per10k', classes: 'quantile',
  kind: 'company', edu: false, size: [], legal: [], region: null, actor: null, view: 'map', tab: 'figures',
  sort: 'name', fsort: '-companies', map: null, sni: false, source: 'auto', basemap: null,
}

type Listener = (s: State, prev: State) => void

export class Store {
  private listeners: Listener[] = []
  constructor (private state: State) {}
  get (): State { return this.state }
  set (patch: Partial<State>): void {
    const prev = this.state
    const next = { ...prev, ...patch }
    if (JSON.stringify(next) === JSON.stringify(prev)) return
    this.state = next
    for (const l of this.listeners) l(next, prev)
  }

  subscribe (l: Listener): () => void {
    this.listeners.push(l)
    return () => { this.listeners = this.listeners.filter((x) => x !== l) }
  }
}

/** true when any of the keys differ between two states */
export const changed = (a: State, b: State, ...keys: (keyof State)[]) => keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
