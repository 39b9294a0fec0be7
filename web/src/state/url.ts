// URL ⇄ state: every view is a shareable link (query string). Map moves replace the history entry;
// other changes push one, so Back undoes a filter change.
import { classMethodsFor, defaults, MEASURES, type State, type Store } from './store'

const oneOf = <T extends string>(v: string | null, allowed: readonly T[], def: T): T => (v && (allowed as readonly string[]).includes(v) ? v as T : def)
const list = (v: string | null) => (v ? v.split(',').filter((x) => /^[\w.-]+$/.test(x)) : [])

export function parseUrl (search: string): State {
  const p = new URLSearchParams(search)
  const s: State = { ...defaults }
  s.lang = oneOf(p.get('lang'), ['sv', 'en'] as const, 'sv')
  s.def = /^[\w.-]{1,64}$/.test(p.get('def') ?? '') ? p.get('def')! : ''
  const branch = p.get('branch')
  s.branch = branch && /^(total|all|\d{1,3}(\.\d{1,3})?)$/.test(branch) ? branch : 'total'
  const year = Number(p.get('year'))
  s.year = Number.isInteger(year) && year > 1900 && year < 2200 ? year : null
  s.level = oneOf(p.get('level'), ['kommun', 'lan'] as const, 'kommun')
  s.measure = oneOf(p.get('measure'), MEASURES, defaults.measure)
  s.classes = oneOf(p.get('classes'), classMethodsFor(s.measure), 'quantile')
  s.kind = oneOf(p.get('actors'), ['company', 'workplace', 'none'] as const, 'company')
  s.edu = p.get('edu') === '1'
  s.size = list(p.get('size'))
  s.legal = list(p.get('legal'))
  const region = p.get('region')
  s.region = region && /^(\d{2}|\d{4})$/.test(region) ? region : null
  const actor = p.get('actor')
  s.actor = actor && /^(company|workplace|education):\d+$/.test(actor) ? actor : null
  s.view = oneOf(p.get('view'), ['map', 'table'] as const, 'map')
  s.tab = oneOf(p.get('tab'), ['figures', 'actors'] as const, 'figures')
  s.sort = /^-?(name|employees|id)$/.test(p.get('sort') ?? '') ? p.get('sort')! : defaults.sort
  s.fsort = /^-?\w{1,30}$/.test(p.get('fsort') ?? '') ? p.get('fsort')! : defaults.fsort
  const m = (p.get('map') ?? '').split('/').map(Number)
  s.map = m.length === 3 && m.every(Number.isFinite) ? { zoom: m[0], lat: m[1], lon: m[2] } : null
  s.sni = p.get('sni') === '1'
  s.source = oneOf(p.get('source'), ['auto', 'geojson'] as const, 'auto')
  const basemap = p.get('basemap')
  s.basemap = basemap && /^https?:\/\//.test(basemap) ? basemap : null
  return s
}

export function toSearch (s: State): string {
  const p = new URLSearchParams()
  const put = (k: string, v: string | null | undefined, def?: string | null) => { if (v !== null && v !== undefined && v !== '' && v !== def) p.set(k, v) }
  put('lang', s.lang, 'sv')
  put('def', s.def)
  put('branch', s.branch, 'total')
  put('year', s.year === null ? null : String(s.year))
  put('level', s.level, 'kommun')
  put('measure', s.measure, defaults.measure)
  put('classes', s.classes, 'quantile')
  put('actors', s.kind, 'company')
  put('edu', s.edu ? '1' : null)
  put('size', s.size.join(','))
  put('legal', s.legal.join(','))
  put('region', s.region)
  put('actor', s.actor)
  put('view', s.view, 'map')
  put('tab', s.tab, 'figures')
  put('sort', s.sort, defaults.sort)
  put('fsort', s.fsort, defaults.fsort)
  put('sni', s.sni ? '1' : null)
  put('source', s.source, 'auto')
  put('basemap', s.basemap)
  if (s.map) put('map', `${s.map.zoom.toFixed(2)}/${s.map.lat.toFixed(4)}/${s.map.lon.toFixed(4)}`)
  const str = p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/')
  return str ? `?${str}` : ''
}

/** Keeps the URL in step with the store, and the store with Back/Forward. */
export function syncUrl (store: Store): void {
  store.subscribe((s, prev) => {
    const search = toSearch(s)
    if (search === location.search) return
    const onlyMap = toSearch({ ...s, map: prev.map }) === toSearch(prev)
    if (onlyMap) history.replaceState(null, '', search || location.pathname)
    else history.pushState(null, '', search || location.pathname)
  })
  addEventListener('popstate', () => store.set(parseUrl(location.search)))
}
