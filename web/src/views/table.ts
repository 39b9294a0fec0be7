// The table view, the accessible alternative to the map: the key figures of the current selection (tab "figures")
// and the actor list, paged by the API's nextCursor (tab "actors"), each with its export links.
import { actorParams, api, apiUrl, flowsUrl, keyFiguresUrl } from '../api/client'
import type { Actor } from '../api/types'
import { $, type Ctx, type View } from '../context'
import { legalFormName } from '../data/reference'
import { actorQuery, figureQuery, tableKind, yearOf } from '../state/queries'
import { h } from '../ui/dom'
import { num, t } from '../ui/i18n'
import { exportLinks, renderActorTable, renderFigureTable } from '../ui/table'
import { branchLabel, levelPlural } from './labels'

export function figureTableView ({ store, boot }: Ctx): View {
  return {
    deps: ['lang', 'view', 'tab', 'fsort', 'region', 'measure', 'figures', 'definition'],
    render (s) {
      const f = s.figures
      if (s.view !== 'table' || !f) return
      // the export holds what the table shows: the followed län's kommuner (with its län and riket rows) or every region
      const fq = { ...figureQuery(s, f.level), lan: f.lan ?? undefined }
      renderFigureTable($('table-figures'), {
        caption: t('figuresCaption', { measure: t('tabFigures'), branch: branchLabel(s.definition, f.branch, false),
          level: f.lan ? t('kommunerIn', { lan: boot.names.get(f.lan) ?? f.lan }) : levelPlural(f.level), year: f.year ?? '' }),
        rows: f.res.rows, context: f.res.context ?? [], sort: s.fsort, selected: s.region,
        onSort: (fsort) => store.set({ fsort }),
        onSelect: (code) => store.set({ region: code }),
        exports: exportLinks(t('export'), [
          { label: t('exportCsv'), href: keyFiguresUrl(fq, { format: 'csv', locale: 'sv' }), testId: 'export-figures-csv' },
          { label: t('exportXlsx'), href: keyFiguresUrl(fq, { format: 'xlsx' }), testId: 'export-figures-xlsx' },
          { label: t('exportJsonstat'), href: keyFiguresUrl(fq, { format: 'jsonstat' }), testId: 'export-figures-jsonstat' },
          // births and closures per quarter of the same regions (every year), as files
          { label: t('exportFlowsCsv'), href: flowsUrl(fq, { format: 'csv', locale: 'sv' }), testId: 'export-flows-csv' },
          { label: t('exportFlowsXlsx'), href: flowsUrl(fq, { format: 'xlsx' }), testId: 'export-flows-xlsx' },
        ]),
      })
    },
  }
}

/** The actor list: loaded again when its query (filters, region, sort) changes, otherwise only re-rendered. */
export function actorTableView ({ store, boot }: Ctx): View {
  let items: Actor[] = []
  let total = 0
  let totalExact = true
  let cursor: string | null = null
  let loading = false
  let error: string | undefined
  let loadedKey = ''
  let seq = 0

  const keyOf = () => { const s = store.get(); return JSON.stringify([actorQuery(s, tableKind(s)), s.sort]) }

  async function load (more: boolean): Promise<void> {
    const s = store.get()
    const mine = more ? seq : ++seq
    if (!more) { items = []; cursor = null; total = 0; loadedKey = keyOf() }
    loading = true; error = undefined
    render()
    try {
      const next = more ? cursor ?? undefined : undefined
      const page = await api.actors(actorQuery(s, tableKind(s)), { limit: 50, sort: s.sort, cursor: next })
      if (mine !== seq) return
      items = more ? [...items, ...page.items] : page.items
      total = page.total
      totalExact = page.totalExact !== false
      cursor = page.nextCursor
    } catch (err) {
      error = t('error', { msg: (err as Error).message })
      loadedKey = '' // the next change tries again
    }
    loading = false
    render()
  }

  function render (): void {
    const s = store.get()
    const q = actorQuery(s, tableKind(s))
    const where = s.region ? boot.names.get(s.region) ?? s.region : t('wholeCountry')
    const categories = new Map(s.definition.groups.flatMap((g) => g.categories.map((c) => [c.code, c.name])))
    renderActorTable($('table-actors'), {
      caption: t('actorsCaption', { kind: tableKind(s) === 'company' ? t('kindCompany') : t('kindWorkplace'),
        branch: branchLabel(s.definition, s.branch, false), where, year: yearOf(s, boot.health.years) ?? '',
        n: num(total) + (totalExact ? '' : '+') }),
      items, total, totalExact, sort: s.sort, hasMore: !!cursor, loading, error,
      regionName: (c) => (c ? boot.names.get(c) ?? c : '–'),
      legalFormName: (c) => (c ? legalFormName(c, boot.legalChoices, boot.legalForms, s.lang) : '–'),
      categoryName: (c) => (c ? `${c} ${categories.get(c) ?? ''}` : '–'),
      onSort: (sort) => store.set({ sort }),
      onMore: () => { void load(true) },
      onOpen: (a) => store.set({ actor: `${a.kind}:${a.id}` }),
      exports: exportLinks(t('export'), [
        { label: t('exportCsv'), href: apiUrl('actors', { ...actorParams(q), format: 'csv', locale: 'sv' }), testId: 'export-actors-csv' },
        { label: t('exportXlsx'), href: apiUrl('actors', { ...actorParams(q), format: 'xlsx' }), testId: 'export-actors-xlsx' },
        { label: t('exportGeojson'), href: apiUrl('actors', { ...actorParams(q), format: 'geojson' }), testId: 'export-actors-geojson' },
        // the CRM column profile (names instead of codes, a register link per firm; README "The promoter's workspace")
        ...(tableKind(s) === 'company' ? [
          { label: t('exportCrmCsv'), href: apiUrl('actors', { ...actorParams(q), format: 'csv', profile: 'crm', locale: s.lang }), testId: 'export-actors-crm-csv' },
          { label: t('exportCrmXlsx'), href: apiUrl('actors', { ...actorParams(q), format: 'xlsx', profile: 'crm', locale: s.lang }), testId: 'export-actors-crm-xlsx' },
        ] : []),
      ]),
      clearRegion: s.region ? h('p', { class: 'filter-note' }, `${t('region')}: ${where} `,
        h('button', { type: 'button', class: 'link', onclick: () => store.set({ region: null }) }, t('showWholeCountry'))) : null,
    })
  }

  return {
    deps: ['lang', 'view', 'tab', 'sort', 'region', 'def', 'branch', 'year', 'kind', 'size', 'legal', 'definition'],
    async render (s) {
      if (s.view !== 'table' || s.tab !== 'actors') return
      if (keyOf() !== loadedKey) await load(false)
      else render()
    },
  }
}
