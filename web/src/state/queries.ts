// What the state asks of the API: the key-figure and actor queries of a state, and the defaults the API fills in.
import type { ActorQuery, FigureQuery } from '../api/client'
import type { DefinitionSummary } from '../api/types'
import type { State } from './fields'

/** Key-figure filters of a state; an empty definition/year is left out, so the API's defaults apply (national, latest). */
export const figureQuery = (s: State, level: FigureQuery['level']): FigureQuery =>
  ({ definition: s.def || undefined, branch: s.branch, year: s.year, level, lan: level === 'kommun' ? followedLan(s) ?? undefined : undefined })

/** The län whose kommuner the kommun level shows (null: the whole country); at level län every län is shown. */
export const followedLan = (s: Pick<State, 'level' | 'lan'>): string | null => (s.level === 'kommun' ? s.lan : null)

/**
 * The state after switching the map's level. Going to kommuner from a selected län follows that län (its kommuner only),
 * so "Kalmar län" then "Kommun" keeps the choice (issue #21); going to län selects the followed län. A kommun stays
 * selected at kommun level only.
 */
export function levelChange (s: Pick<State, 'level' | 'lan' | 'region'>, level: State['level']): Partial<State> {
  if (level === s.level) return {}
  if (level === 'kommun') return { level, lan: s.region?.length === 2 ? s.region : s.lan, region: s.region }
  return { level, region: s.region?.length === 2 ? s.region : s.lan }
}

/** The definition a state shows: its own if the API knows it, else the national one. */
export const definitionId = (defs: DefinitionSummary[], s: State): string =>
  (defs.some((d) => d.id === s.def) ? s.def : (defs.find((d) => d.national) ?? defs[0]).id)

/** The year a state shows: its own, else the latest year with data. */
export const yearOf = (s: State, years: number[]): number | null => s.year ?? years[years.length - 1] ?? null

/** The actor list's kind: workplaces when the map shows them, else companies. */
export const tableKind = (s: State): 'company' | 'workplace' => (s.kind === 'workplace' ? 'workplace' : 'company')

/** Actor filters of a state; `region` false leaves the selected region out (the map shows the whole country). */
export const actorQuery = (s: State, kind: ActorQuery['kind'], region = true): ActorQuery => ({
  kind, definition: s.def || undefined, branch: s.branch, year: s.year, sizeClass: s.size, legalForm: s.legal,
  kommun: region && s.region?.length === 4 ? s.region : undefined, lan: region && s.region?.length === 2 ? s.region : undefined,
})
