// URL ⇄ state, both ways from the field table (fields.ts): every view is a shareable link (query string).
// Map moves replace the history entry; other changes push one, so Back undoes a filter change.
import { FIELDS, STATE_KEYS, type Field, type State } from './fields'
import type { Store } from './store'

export function parseUrl (search: string): State {
  const p = new URLSearchParams(search)
  const s: Record<string, unknown> = {}
  for (const k of STATE_KEYS) {
    const f = FIELDS[k] as Field<unknown>
    s[k] = f.parse(p.get(f.param), s)
  }
  return s as State
}

/** The query string of a state ('' for the defaults); any extra keys of the object are ignored. */
export function toSearch (s: State): string {
  const p = new URLSearchParams()
  for (const k of STATE_KEYS) {
    const f = FIELDS[k] as Field<unknown>
    const text = f.format(s[k])
    if (text !== null && text !== '' && text !== f.format(f.default)) p.set(f.param, text)
  }
  const str = p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/')
  return str ? `?${str}` : ''
}

/** Keeps the URL in step with the store, and the store with Back/Forward. */
export function syncUrl<S extends State> (store: Store<S>): void {
  store.watch(STATE_KEYS, (s, prev) => {
    const search = toSearch(s)
    if (search === location.search) return
    const onlyMap = toSearch({ ...s, map: prev.map }) === toSearch(prev)
    if (onlyMap) history.replaceState(null, '', search || location.pathname)
    else history.pushState(null, '', search || location.pathname)
  })
  addEventListener('popstate', () => store.set(parseUrl(location.search) as Partial<S>))
}
