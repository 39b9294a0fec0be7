// The selected region's card: its key figures beside its län's and the country's, the charts (region-charts.ts: every
// year of a measure against län and riket, the branch mix) and the drill-down link to its actors. It also outlines and names the region on the map, and gives the summary its row.
import { api, apiUrl, compareUrl, getJson, keyFiguresUrl } from '../api/client'
import type { Compare, CompareRegion, FlowRow, Flows, KeyFigureRow, KeyFigures, Survival, SurvivalRow } from '../api/types'
import { $, type AppState, type Ctx, type View } from '../context'
import { figureQuery, yearOf } from '../state/queries'
import { toSearch } from '../state/url'
import { renderRegionCard } from '../ui/cards'
import { mount } from '../ui/dom'
import { t } from '../ui/i18n'
import { branchLabel } from './labels'
import { peopleSlot } from './people-card'
import { regionCharts } from './region-charts'
import { rankedFigure } from './ranked-figure'
import { seedComparison } from './compare'
import { MAX_COMPARE } from '../state/fields'
import { openMethods } from './methods'

export function regionCardView ({ store, atlas, boot, showError }: Ctx): View {
  let seq = 0
  return {
    deps: ['lang', 'region', 'def', 'branch', 'year', 'level', 'definition', 'series', 'index', 'rankin'],
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
      type Rows = { own: KeyFigureRow[]; lan: KeyFigureRow[]; riket: KeyFigureRow[] }
      // the ranked bars: a kommun among its län's kommuner (or all kommuner), a län among all län
      const rankScope = isKommun ? s.rankin : 'riket'
      type Ranked = { rows: KeyFigureRow[]; ranks: CompareRegion['ranks'] | null }
      const draw = (series: Rows | null, shares: Rows | null, meta: KeyFigures['meta'] | null, survival: SurvivalRow[] | null = null,
        flows: FlowRow[] | null = null, ranked: Ranked | null = null) => {
        const pick = (rows: KeyFigureRow[] | undefined) => rows?.find((r) => r.year === year)
        const own = pick(series?.own)
        // the branch mix: the groups, or the categories of the chosen group (of a chosen category's group)
        const shareGroup = s.branch === 'total' || s.branch === 'all' ? null : s.branch.split('.')[0]
        const active = document.activeElement?.id // a chart control keeps the focus across the redraw it causes
        const notice = meta ? [meta.synthetic && t('noticeDemo'), s.definition.provisional && t('noticeProvisional')].filter(Boolean).join('; ') || null : null
        renderRegionCard(el, {
          title: name(code),
          subtitle: `${isKommun ? `${t('kommun')}, ${boot.names.get(lanCode) ?? ''}` : t('lan')} · `
            + `${branchLabel(s.definition, s.branch, false)} · ${year ?? ''}`,
          columns: [
            { label: name(code), row: own },
            ...(isKommun ? [{ label: name(lanCode), row: pick(series?.lan) }] : []),
            { label: t('riket'), row: pick(series?.riket) },
          ],
          charts: series && meta && year !== null ? regionCharts({
            region: { code, name: name(code) }, lan: isKommun ? { code: lanCode, name: name(lanCode) } : null, riket: { code: 'SE', name: t('riket') },
            measure: s.series, index: s.index, series, shares, shareGroup, definition: s.definition,
            branchName: branchLabel(s.definition, s.branch, false), year, sniVersionByYear: meta.sniVersionByYear ?? {},
            notice, survival, flows,
            ranked: ranked ? rankedFigure({
              region: { code, name: name(code) }, lan: isKommun ? { code: lanCode, name: name(lanCode) } : null, measure: s.series,
              scope: rankScope, rows: ranked.rows, ranks: ranked.ranks, year, branchName: branchLabel(s.definition, s.branch, false), notice,
              onMeasure: (m) => store.set({ series: m }), onScope: (x) => store.set({ rankin: x }),
            }) : null, state: s, onMethods: () => openMethods(store, 'methods-survival'),
            onMeasure: (m) => store.set({ series: m }), onIndex: (b) => store.set({ index: b }),
          }) : null,
          drillHref: toSearch({ ...s, ...drill }),
          drillCount: own?.companies ?? 0,
          onDrill: (e) => { e.preventDefault(); store.set(drill); $('table-actors').focus() },
          onClose: () => store.set({ region: null }),
          onZoom: () => atlas.fitRegion(code),
          onCompare: () => {
            // into the comparison: the region beside what is compared already (its län and riket when nothing is)
            const cur = store.get().cmp
            const cmp = !cur.length ? seedComparison({ region: code, cmp: [] })
              : cur.includes(code) ? cur : [...cur.slice(0, MAX_COMPARE - 1), code]
            store.set({ view: 'compare', cmp })
          },
          methodsHref: (f) => `${toSearch({ ...s, view: 'methods' })}#m-${f}`,
          onMethods: (f, e) => { e.preventDefault(); openMethods(store, `m-${f}`) },
        })
        if (active?.startsWith('series-') || active?.startsWith('ranked-')) document.getElementById(active)?.focus()
        el.append(peopleSlot) // the people section (views/people-card.ts) keeps its content across redraws
        return own
      }
      draw(null, null, null)
      try {
        const fq = figureQuery(s, 'riket')
        const all = { ...fq, year: 'all' as const }
        const mix = { branch: shareLevel(s.branch), code: undefined, year: year ?? undefined }
        // survival, births and closures are counted for the definition's branches only (not for all companies)
        const survivalBranch = s.branch === 'all' ? null : s.branch === 'total' ? 'total' : s.branch.includes('.') ? 'category' : 'group'
        const [series, lanRes, rk, mixOwn, mixLan, mixRk, surv, fl, peers, cmp] = await Promise.all([
          api.keyFigures({ ...all, level: isKommun ? 'kommun' : 'lan', region: code }),
          isKommun ? api.keyFigures({ ...all, level: 'lan', region: lanCode }) : Promise.resolve(null),
          api.keyFigures({ ...all, level: 'riket' }),
          getJson<KeyFigures>(keyFiguresUrl({ ...fq, level: isKommun ? 'kommun' : 'lan', region: code }, mix)),
          isKommun ? getJson<KeyFigures>(keyFiguresUrl({ ...fq, level: 'lan', region: lanCode }, mix)) : Promise.resolve(null),
          getJson<KeyFigures>(keyFiguresUrl({ ...fq, level: 'riket' }, mix)),
          survivalBranch ? getJson<Survival>(apiUrl('key-figures/survival', { level: isKommun ? 'kommun' : 'lan', region: code, branch: survivalBranch, definition: fq.definition }))
            .catch(() => null) : Promise.resolve(null),
          survivalBranch ? getJson<Flows>(apiUrl('key-figures/flows', { level: isKommun ? 'kommun' : 'lan', region: code, branch: survivalBranch, period: 'year', definition: fq.definition }))
            .catch(() => null) : Promise.resolve(null),
          api.keyFigures({ ...fq, year: year ?? undefined, level: isKommun ? 'kommun' : 'lan', lan: isKommun && rankScope === 'lan' ? lanCode : undefined }),
          getJson<Compare>(compareUrl({ regions: [code], branch: s.branch, year: year ?? undefined, definition: fq.definition })).catch(() => null),
        ])
        if (mine !== seq) return
        const rows = { own: series.rows, lan: lanRes?.rows ?? [], riket: rk.rows }
        const shares = { own: mixOwn.rows, lan: mixLan?.rows ?? [], riket: mixRk.rows }
        const survival = surv?.rows.filter((r) => survivalBranch === 'total' || r.branchCode === s.branch) ?? null
        const flows = fl?.rows.filter((r) => survivalBranch === 'total' || r.branchCode === s.branch) ?? null
        const ranked = { rows: peers.rows, ranks: cmp?.regions.find((r) => r.regionCode === code)?.ranks ?? null }
        store.set({ regionRow: draw(rows, shares, series.meta, survival, flows, ranked) ?? null })
      } catch (err) { showError(err) }
    },
  }
}

/** The branch level of the region card's mix: the groups for all of KKB, else the categories of the chosen group. */
const shareLevel = (branch: string) => (branch === 'total' || branch === 'all' ? 'group' : 'category')
