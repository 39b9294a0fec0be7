// Loaders: fetch what the state needs and put it into the store, where views pick it up. Each keeps a sequence
// number so a slow answer to an older state never overwrites a newer one.
import { api } from '../api/client'
import { $, type Ctx } from '../context'
import { groupColors } from '../map/colors'
import { isPeopleMeasure } from '../state/measures'
import { definitionId, figureQuery, followedLan, yearOf } from '../state/queries'

/** The definition (groups, categories, SNI codes) of the state's `def`, and its groups' colours. */
export function loadDefinitions ({ store, boot, showError }: Ctx): void {
  let seq = 0
  store.watch(['def'], (s) => {
    const id = definitionId(boot.definitions, s)
    if (id === s.definition.id) return
    const mine = ++seq
    api.definition(id).then((definition) => {
      if (mine === seq) store.set({ definition, groupColors: groupColors(definition.groups.map((g) => g.code)) })
    }).catch(showError)
  })
}

/** The key figures of the state's selection at its level, and the national row; returns the first load. */
export function loadFigures ({ store, boot, showError }: Ctx): Promise<void> {
  let seq = 0
  const load = async (): Promise<void> => {
    const s = store.get()
    const mine = ++seq
    try {
      const [res, rk] = await Promise.all([api.keyFigures(figureQuery(s, s.level)), api.keyFigures(figureQuery(s, 'riket'))])
      if (mine !== seq) return
      $('status').hidden = true
      store.set({ figures: {
        level: s.level, lan: followedLan(s), branch: s.branch, year: yearOf(s, boot.health.years), definition: definitionId(boot.definitions, s), res,
        byCode: new Map(res.rows.map((r) => [r.regionCode, r])), riket: rk.rows.find((r) => r.regionCode !== undefined),
      } })
    } catch (err) { showError(err) }
  }
  store.watch(['def', 'branch', 'year', 'level', 'lan'], () => { void load() })
  return load()
}

/** The occupation table's figures at the map's level while a people measure is shown: the state's year where the table
 * has it, else the table's latest year (its years are not the register's). */
export function loadPeople ({ store, showError }: Ctx): Promise<void> {
  let seq = 0
  const load = async (): Promise<void> => {
    const s = store.get()
    if (!isPeopleMeasure(s.measure)) return
    const mine = ++seq
    try {
      const year = s.year !== null && s.people?.res.allYears.includes(s.year) ? s.year : null
      const res = await api.occupations({ level: s.level, year })
      if (mine !== seq) return
      store.set({ people: { level: s.level, year: res.years[0] ?? null, res, byCode: new Map(res.rows.map((r) => [r.regionCode, r])) } })
    } catch (err) { showError(err) }
  }
  store.watch(['measure', 'year', 'level'], () => { void load() })
  return load()
}
