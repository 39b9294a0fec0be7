// The selected region's card: its key figures beside its län's and the country's, a time series and the
// drill-down link to its actors. It also outlines and names the region on the map, and gives the summary its row.
import { api } from '../api/client'
import type { KeyFigureRow } from '../api/types'
import { $, type AppState, type Ctx, type View } from '../context'
import { figureQuery, yearOf } from '../state/queries'
import { toSearch } from '../state/url'
import { renderRegionCard } from '../ui/cards'
import { mount } from '../ui/dom'
import { t } from '../ui/i18n'
import { branchLabel } from './labels'
import { peopleSlot } from './people-card'

export function regionCardView ({ store, atlas, boot, showError }: Ctx): View {
  let seq = 0
  return {
    deps: ['lang', 'region', 'def', 'branch', 'year', 'level', 'definition'],
    async render (s) {
      await atlas.ready
      const el = $('region-card')
      atlas.select(s.region)
      atlas.labelSelected(s.region, s.region ? boot.names.get(s.region) ?? '' : '')
      store.set({ regionRow: null })
      const mine = ++seq
      if (!s.region) { el.hidden = true; mount(el); return }
      const code = s.region
      const isKommun = code.length === 4
      const lanCode = isKommun ? boot.lanOf.get(code)! : code
      const year = yearOf(s, boot.health.years)
      const name = (c: string) => boot.names.get(c) ?? c
      // the drill-down shows the region's companies in the table; size class and legal form are not in the figures
      const drill: Partial<AppState> = {
        view: 'table', tab: 'actors', size: [], legal: [], kind: s.kind === 'workplace' ? 'company' : s.kind,
      }
      const draw = (series: KeyFigureRow[], lanRow?: KeyFigureRow, rk?: KeyFigureRow) => {
        const own = series.find((r) => r.year === year)
        renderRegionCard(el, {
          title: name(code),
          subtitle: `${isKommun ? `${t('kommun')}, ${boot.names.get(lanCode) ?? ''}` : t('lan')} · `
            + `${branchLabel(s.definition, s.branch, false)} · ${year ?? ''}`,
          columns: [
            { label: name(code), row: own },
            ...(isKommun ? [{ label: name(lanCode), row: lanRow }] : []),
            { label: t('riket'), row: rk },
          ],
          series: series.map((r) => ({ year: r.year, value: r.companies })).sort((a, b) => a.year - b.year),
          drillHref: toSearch({ ...s, ...drill }),
          drillCount: own?.companies ?? 0,
          onDrill: (e) => { e.preventDefault(); store.set(drill); $('table-actors').focus() },
          onClose: () => store.set({ region: null }),
          onZoom: () => atlas.fitRegion(code),
        })
        el.append(peopleSlot) // the people section (views/people-card.ts) keeps its content across redraws
        return own
      }
      draw([])
      try {
        const fq = figureQuery(s, 'riket')
        const [series, lanRes, rk] = await Promise.all([
          api.keyFigures({ ...fq, year: 'all', level: isKommun ? 'kommun' : 'lan', region: code }),
          isKommun ? api.keyFigures({ ...fq, level: 'lan', region: lanCode }) : Promise.resolve(null),
          api.keyFigures({ ...fq, level: 'riket' }),
        ])
        if (mine !== seq) return
        store.set({ regionRow: draw(series.rows, lanRes?.rows[0], rk.rows[0]) ?? null })
      } catch (err) { showError(err) }
    },
  }
}
