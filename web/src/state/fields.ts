// The view state, one field per URL parameter, in one table: the parameter's name, its default, how it is read
// (anything not understood falls back to the default) and how it is written (the default is left out of the URL).
// The State type, the defaults and the URL encoding (url.ts) all come from this table; the table's order is the
// order of the parameters in a link, and a field may read the fields above it (the class method needs the measure).
import { classMethodsFor, MEASURES, type Measure } from './measures'

export interface Field<T> {
  param: string
  default: T
  /** the parameter's value (null when absent) → the field's value; `above` holds the fields parsed before this one */
  parse (raw: string | null, above: Readonly<Record<string, unknown>>): T
  /** the field's value → the parameter's text; null or '' leaves the parameter out */
  format (v: T): string | null
}

const oneOf = <T extends string> (param: string, allowed: readonly T[], def: T): Field<T> => ({
  param, default: def, parse: (raw) => (raw !== null && (allowed as readonly string[]).includes(raw) ? raw as T : def), format: (v) => v,
})
const matching = (param: string, re: RegExp, def: string): Field<string> => ({
  param, default: def, parse: (raw) => (raw !== null && re.test(raw) ? raw : def), format: (v) => v,
})
const optional = (param: string, re: RegExp): Field<string | null> => ({
  param, default: null, parse: (raw) => (raw !== null && re.test(raw) ? raw : null), format: (v) => v,
})
const flag = (param: string): Field<boolean> => ({ param, default: false, parse: (raw) => raw === '1', format: (v) => (v ? '1' : null) })
/** a comma list of codes (size classes, legal forms); anything but word characters, dots and dashes is dropped */
const codes = (param: string): Field<string[]> => ({
  param, default: [], parse: (raw) => (raw ? raw.split(',').filter((x) => /^[\w.-]+$/.test(x)) : []), format: (v) => v.join(','),
})

export type Lang = 'sv' | 'en'
/** the compare view takes at most this many regions (the API's limit) */
export const MAX_COMPARE = 6
/** the measures the region card's trend chart can show (key-figure fields) */
export const SERIES_MEASURES = ['companies', 'per10k', 'shareCompanies', 'lqCompanies', 'employees', 'turnover'] as const
export type SeriesMeasure = typeof SERIES_MEASURES[number]
/** the region card's ranked bars: a kommun among the kommuner of its län or among all kommuner */
export const RANK_SCOPES = ['lan', 'riket'] as const
export type RankScope = typeof RANK_SCOPES[number]
export type MapView = { lon: number; lat: number; zoom: number }

export const FIELDS = {
  lang: oneOf<Lang>('lang', ['sv', 'en'], 'sv'),
  /** definition id; '' = the national default */
  def: matching('def', /^[\w.-]{1,64}$/, ''),
  /** 'total' (KKB), 'all' (all companies), a group code ('2') or a category code ('2.3') */
  branch: matching('branch', /^(total|all|\d{1,3}(\.\d{1,3})?)$/, 'total'),
  /** null = the latest year */
  year: {
    param: 'year', default: null,
    parse: (raw) => { const y = Number(raw); return Number.isInteger(y) && y > 1900 && y < 2200 ? y : null },
    format: (v) => (v === null ? null : String(v)),
  } as Field<number | null>,
  level: oneOf<'kommun' | 'lan'>('level', ['kommun', 'lan'], 'kommun'),
  /** the län being followed (issue #21): at level kommun the table, the map and the exports hold only its kommuner */
  lan: optional('lan', /^\d{2}$/),
  measure: oneOf<Measure>('measure', MEASURES, 'per10k'),
  /** only a method the measure allows; another falls back to quantiles */
  classes: {
    param: 'classes', default: 'quantile',
    parse: (raw, above) => oneOf('classes', classMethodsFor(above.measure as Measure), 'quantile').parse(raw, above),
    format: (v) => v,
  } as Field<ReturnType<typeof classMethodsFor>[number]>,
  /** actor points on the map: companies or workplaces, or none */
  kind: oneOf<'company' | 'workplace' | 'none'>('actors', ['company', 'workplace', 'none'], 'company'),
  edu: flag('edu'),
  size: codes('size'),
  legal: codes('legal'),
  /** selected region: kommun (4 digits) or län (2 digits) */
  region: optional('region', /^(\d{2}|\d{4})$/),
  /** selected actor: "company:123" */
  actor: optional('actor', /^(company|workplace|education):\d+$/),
  view: oneOf<'map' | 'table' | 'compare' | 'admin' | 'segments' | 'methods'>('view', ['map', 'table', 'compare', 'admin', 'segments', 'methods'], 'map'),
  /** the promoter's open segment (view=segments): its id */
  seg: optional('seg', /^\d{1,9}$/),
  tab: oneOf<'figures' | 'actors' | 'education'>('tab', ['figures', 'actors', 'education'], 'figures'),
  /** the compare view's regions (issue #21): kommun (4 digits), län (2) or SE (riket), at most six, in the order chosen */
  cmp: {
    param: 'cmp', default: [],
    parse: (raw) => (raw ? [...new Set(raw.split(',').filter((x) => /^(\d{2}|\d{4}|SE)$/.test(x)))].slice(0, MAX_COMPARE) : []),
    format: (v) => v.join(','),
  } as Field<string[]>,
  /** actor table sort (API sort key) */
  sort: matching('sort', /^-?(name|employees|id)$/, 'name'),
  /** key-figure table sort (column, '-' = descending) */
  fsort: matching('fsort', /^-?\w{1,30}$/, '-companies'),
  sni: flag('sni'),
  /** the region card's trend chart: the measure, and the base year of its index (null = the values themselves) */
  series: oneOf<SeriesMeasure>('series', SERIES_MEASURES, 'companies'),
  index: {
    param: 'index', default: null,
    parse: (raw) => { const y = Number(raw); return raw && Number.isInteger(y) && y > 1900 && y < 2200 ? y : null },
    format: (v) => (v === null ? null : String(v)),
  } as Field<number | null>,
  /** the ranked bars of a kommun: its län's kommuner or all kommuner (a län is ranked among all län) */
  rankin: oneOf<RankScope>('rankin', RANK_SCOPES, 'lan'),
  /** actor points: 'auto' prefers the vector tiles when /api/tiles/actors.json answers; 'geojson' forces the clustered GeoJSON */
  /** /embed only: what the embed shows (the map, the region card's trend chart, its branch mix or its ranked bars) */
  show: oneOf<'map' | 'series' | 'shares' | 'ranked'>('show', ['map', 'series', 'shares', 'ranked'], 'map'),
  source: oneOf<'auto' | 'geojson'>('source', ['auto', 'geojson'], 'auto'),
  /** optional external basemap style URL (off by default: nothing may leave localhost) */
  basemap: optional('basemap', /^https?:\/\//),
  /** map centre and zoom, written zoom/lat/lon (last in a link: it changes with every move) */
  map: {
    param: 'map', default: null,
    parse: (raw) => {
      const m = (raw ?? '').split('/').map(Number)
      return m.length === 3 && m.every(Number.isFinite) ? { zoom: m[0], lat: m[1], lon: m[2] } : null
    },
    format: (v) => (v ? `${v.zoom.toFixed(2)}/${v.lat.toFixed(4)}/${v.lon.toFixed(4)}` : null),
  } as Field<MapView | null>,
}

type Fields = typeof FIELDS
export type State = { [K in keyof Fields]: Fields[K] extends Field<infer T> ? T : never }
export const STATE_KEYS = Object.keys(FIELDS) as (keyof State)[]
export const defaults = Object.fromEntries(STATE_KEYS.map((k) => [k, FIELDS[k].default])) as State
