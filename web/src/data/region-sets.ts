// Saved region sets for the compare view (issue #21), kept in the browser's localStorage: the public may save sets
// without an account, a set survives server restarts and reseeding (it is only region codes), and nothing about the
// analyst is stored on the server. A set is a name and 1–6 region codes; saving under an existing name replaces it.
import { MAX_COMPARE } from '../state/fields'

export interface RegionSet { name: string; codes: string[] }
export const STORAGE_KEY = 'kkb-atlas.regionSets.v1'
const CODE = /^(\d{2}|\d{4}|SE)$/

/** The saved sets; anything unreadable in storage is ignored (another version, a hand edit), never thrown. */
export function loadSets (store: Pick<Storage, 'getItem'>): RegionSet[] {
  try {
    const raw = JSON.parse(store.getItem(STORAGE_KEY) ?? '[]') as unknown
    if (!Array.isArray(raw)) return []
    return raw.flatMap((x) => {
      if (!x || typeof x !== 'object') return []
      const s = x as Partial<RegionSet>
      const codes = Array.isArray(s.codes) ? s.codes.filter((c): c is string => typeof c === 'string' && CODE.test(c)).slice(0, MAX_COMPARE) : []
      return typeof s.name === 'string' && s.name.trim() && codes.length ? [{ name: s.name.trim().slice(0, 80), codes }] : []
    })
  } catch { return [] }
}

/** Saves (or replaces by name) a set; returns the sets as stored, sorted by name. */
export function saveSet (store: Pick<Storage, 'getItem' | 'setItem'>, set: RegionSet): RegionSet[] {
  const name = set.name.trim().slice(0, 80)
  const codes = set.codes.filter((c) => CODE.test(c)).slice(0, MAX_COMPARE)
  if (!name || !codes.length) return loadSets(store)
  const sets = [...loadSets(store).filter((s) => s.name !== name), { name, codes }].sort((a, b) => a.name.localeCompare(b.name, 'sv'))
  store.setItem(STORAGE_KEY, JSON.stringify(sets))
  return sets
}

export function removeSet (store: Pick<Storage, 'getItem' | 'setItem'>, name: string): RegionSet[] {
  const sets = loadSets(store).filter((s) => s.name !== name)
  store.setItem(STORAGE_KEY, JSON.stringify(sets))
  return sets
}
