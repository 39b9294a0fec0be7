// What every view and loader gets: the store (the URL state plus what has been loaded for it), the map and the data
// loaded once at start. A view names the state keys it shows and renders when one of them changes (mountViews).
import type { Definition, DefinitionSummary, Health, KeyFigureRow, KeyFigures, LegalForm, OccupationRow, Occupations, RegionCollection } from './api/types'
import type { Choice } from './data/reference'
import type { AtlasMap } from './map/create-map'
import type { State } from './state/fields'
import { definitionId } from './state/queries'
import type { Store } from './state/store'

/** Loaded once at start, constant for the page's life. */
export interface Boot {
  health: Health
  definitions: DefinitionSummary[]
  kommun: RegionCollection
  lan: RegionCollection
  /** region code → name, kommun code → its län's code */
  names: Map<string, string>
  lanOf: Map<string, string>
  sizeChoices: Choice[]
  legalChoices: Choice[]
  legalForms: LegalForm[]
}

/** Key figures as loaded, with what they answer: views paint what has arrived, not what is being fetched. */
export interface Figures {
  level: 'kommun' | 'lan'
  /** the followed län (kommun level only): the rows are its kommuner, `res.context` its län and riket */
  lan: string | null
  branch: string
  year: number | null
  definition: string
  res: KeyFigures
  byCode: Map<string, KeyFigureRow>
  riket: KeyFigureRow | undefined
}

/** People in cultural and creative occupations at the map's level (loaded while a people measure is shown). */
export interface People {
  level: 'kommun' | 'lan'
  year: number | null
  res: Occupations
  byCode: Map<string, OccupationRow>
}

/** What the loaders (data/) and the region card load for the state. */
export interface Loaded {
  /** the definition the state shows (loaded when `def` changes) and its groups' colours */
  definition: Definition
  groupColors: Record<string, string>
  figures: Figures | null
  people: People | null
  /** the selected region's row for the state's year, as the region card loaded it (the summary reads it) */
  regionRow: KeyFigureRow | null
}
export type AppState = State & Loaded
/** loaded values are compared by identity in the store, not serialised */
export const LOADED_KEYS: ReadonlySet<keyof AppState> = new Set(['definition', 'groupColors', 'figures', 'people', 'regionRow'])

export interface Ctx {
  store: Store<AppState>
  atlas: AtlasMap
  boot: Boot
  showError (err: unknown): void
}

export interface View {
  /** the keys the view shows; it renders after any of them changes */
  deps: readonly (keyof AppState)[]
  render (s: AppState): void | Promise<void>
}

export const $ = (id: string): HTMLElement => document.getElementById(id)!

/** true once the definition of the state's `def` has arrived */
export const definitionCurrent = (ctx: Ctx, s: AppState) => s.definition.id === definitionId(ctx.boot.definitions, s)

/** Renders a view, reporting its errors instead of throwing into the store. */
function run (ctx: Ctx, v: View, s: AppState): void {
  try {
    void Promise.resolve(v.render(s)).catch(ctx.showError)
  } catch (err) { ctx.showError(err) }
}

/** Subscribes each view to its keys. A view that shows the definition waits for the state's definition to arrive
 * (it depends on 'definition', so it renders then), so it never draws a new branch with the old definition's names. */
export function mountViews (ctx: Ctx, views: View[]): void {
  for (const v of views) {
    const waitsForDefinition = v.deps.includes('definition')
    ctx.store.watch(v.deps, (s) => { if (!waitsForDefinition || definitionCurrent(ctx, s)) run(ctx, v, s) })
  }
}

/** The first render of every view, in order. */
export function renderAll (ctx: Ctx, views: View[]): void {
  for (const v of views) run(ctx, v, ctx.store.get())
}
