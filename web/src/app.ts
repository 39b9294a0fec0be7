// Wires the store (URL state) to the API, the map and the UI. Each view part re-renders only when its inputs change.
import { actorParams, api, apiUrl, keyFiguresUrl, type ActorQuery } from './api/client'
import type { Actor, Definition, DefinitionSummary, KeyFigureRow, KeyFigures, RegionCollection } from './api/types'
import type { ActorMode } from './map/actors-source'
import { classIndex, classify } from './map/classify'
import { groupColors as makeGroupColors } from './map/colors'
import { AtlasMap, type RegionPaint } from './map/create-map'
import { changed, Store, type State } from './state/store'
import { parseUrl, syncUrl, toSearch } from './state/url'
import { renderActorCard, renderRegionCard } from './ui/cards'
import { combobox } from './ui/combobox'
import { h, mount } from './ui/dom'
import { fieldLabel, formatValue, suppressionOf, type Field } from './ui/format'
import { date, day, num, pct, setLang, t } from './ui/i18n'
import { renderLegend } from './ui/legend'
import { LEGAL_OPTIONS, Panel } from './ui/panel'
import { exportLinks, renderActorTable, renderFigureTable } from './ui/table'

const $ = (id: string) => document.getElementById(id)!

/** Key-figure filters of a state; an empty definition/year is left out, so the API's defaults apply (national, latest). */
const figureQuery = (s: State) => ({ definition: s.def || undefined, branch: s.branch, year: s.year })

interface Regions { kommun: RegionCollection; lan: RegionCollection; names: Map<string, string>; lanOf: Map<string, string> }

export async function start (): Promise<void> {
  performance.mark('kkb:start')
  const store = new Store(parseUrl(location.search))
  setLang(store.get().lang)
  syncUrl(store)
  const status = $('status')
  const showError = (err: unknown) => {
    status.hidden = false
    status.textContent = t('error', { msg: err instanceof Error ? err.message : String(err) })
  }

  // Everything the first paint needs, in parallel; the map starts its workers meanwhile.
  const s0 = store.get()
  const regionsP = Promise.all([api.regions('kommun'), api.regions('lan')])
  const definitionsP = api.definitions()
  const nationalOf = (defs: DefinitionSummary[]) => (defs.find((d) => d.national) ?? defs[0]).id
  const defIdOf = (defs: DefinitionSummary[], s: State) => (defs.some((d) => d.id === s.def) ? s.def : nationalOf(defs))
  const boot = Promise.all([api.health(), definitionsP, regionsP,
    s0.source === 'geojson' ? Promise.resolve(null) : api.tilesAvailable(),
    definitionsP.then((defs) => api.definition(defIdOf(defs, s0)))])
  // warm the cache for the first choropleth (same URLs as loadFigures builds)
  void api.keyFigures({ ...figureQuery(s0), level: s0.level }).catch(() => undefined)
  void api.keyFigures({ ...figureQuery(s0), level: 'riket' }).catch(() => undefined)

  const atlas = new AtlasMap({
    container: $('map'), view: s0.map, basemap: s0.basemap,
    onRegionClick: (code) => store.set({ region: code === store.get().region ? null : code }),
    onActorClick: (id, kind) => store.set({ actor: `${kind}:${id}` }),
    onMove: (v) => store.set({ map: v }),
    hoverText: (code) => {
      const row = figureRows.get(code)
      const s = store.get()
      const value = row ? (suppressionOf(row, s.measure) ? t('suppressed') : formatValue(s.measure, row[s.measure])) : '–'
      return `${regions.names.get(code) ?? code}: ${value}`
    },
  })
  atlas.map.on('error', (e) => showError(e.error))
  const hook: { store: Store; atlas: AtlasMap; rendered: number; firstPaint: number; actorMode?: ActorMode } = { store, atlas, rendered: 0, firstPaint: 0 }
  Object.assign(window, { __kkbMap: atlas.map, __kkb: hook })

  performance.mark('kkb:map-created')
  atlas.map.once('load', () => performance.mark('kkb:map-load'))
  // the boundaries go to the map as soon as they arrive
  void regionsP.then(([k, l]) => atlas.setRegions(k, l, !s0.map))
  const [health, definitions, [kommun, lan], tiles, firstDefinition] = await boot
  performance.mark('kkb:data')
  const regions: Regions = { kommun, lan, names: new Map(), lanOf: new Map() }
  for (const f of [...kommun.features, ...lan.features]) regions.names.set(f.properties.code, f.properties.name)
  for (const f of kommun.features) regions.lanOf.set(f.properties.code, f.properties.lanCode ?? f.properties.code.slice(0, 2))
  const defId = (s: State) => defIdOf(definitions, s)
  const yearOf = (s: State) => s.year ?? health.years[health.years.length - 1] ?? null
  // Prefer the vector tiles when the endpoint answers; otherwise a clustered GeoJSON source (same filters).
  atlas.actorMode = tiles ? { type: 'vector', maxzoom: tiles.maxzoom } : { type: 'geojson' }
  hook.actorMode = atlas.actorMode
  $('banner').hidden = !health.synthetic
  $('banner').textContent = t('demoBanner')
  let definition: Definition = firstDefinition
  let groupColors = makeGroupColors(definition.groups.map((g) => g.code))

  const branchLabel = (s: State, plural = true) => {
    if (s.branch === 'total') return plural ? t('kkbCompanies') : t('branchTotal')
    if (s.branch === 'all') return plural ? t('companiesAllWord') : t('branchAll')
    const name = definition.groups.flatMap((g) => [g, ...g.categories]).find((x) => x.code === s.branch)?.name ?? s.branch
    return plural ? t('companiesIn', { branch: name }) : name
  }
  const actorQuery = (s: State, kind: ActorQuery['kind'], region = true): ActorQuery => ({
    kind, definition: s.def || undefined, branch: s.branch, year: s.year, sizeClass: s.size, legalForm: s.legal,
    kommun: region && s.region?.length === 4 ? s.region : undefined, lan: region && s.region?.length === 2 ? s.region : undefined,
  })
  const tableKind = (s: State): ActorQuery['kind'] => (s.kind === 'workplace' ? 'workplace' : 'company')

  // ---- static chrome ----
  const panel = new Panel($('filters'), (p) => store.set(p))
  panel.onToggle = () => renderPanel()
  const renderPanel = () => panel.render(store.get(), { definitions, definition, years: health.years, groupColors })

  function renderChrome (): void {
    const s = store.get()
    document.title = `KKB Atlas – ${t('appSubtitle')}`
    $('skip-link').textContent = t('skip')
    $('app-subtitle').textContent = t('appSubtitle')
    $('panel-heading').textContent = t('filters')
    $('panel').setAttribute('aria-label', t('filters'))
    const lang = $('lang-switch')
    lang.textContent = t('switchLang')
    lang.setAttribute('aria-label', t('switchLangLabel'))
    lang.setAttribute('lang', s.lang === 'sv' ? 'en' : 'sv')
    lang.onclick = () => store.set({ lang: s.lang === 'sv' ? 'en' : 'sv' })
    const banner = $('banner')
    banner.hidden = !health.synthetic
    banner.textContent = t('demoBanner')
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset.testid
    const nav = $('view-switch')
    nav.setAttribute('aria-label', t('views'))
    mount(nav, (['map', 'table'] as const).map((v) => h('a', {
      href: toSearch({ ...s, view: v }) || location.pathname, class: 'view-btn', 'aria-current': s.view === v ? 'page' : undefined,
      'data-testid': `view-${v}`, onclick: (e: MouseEvent) => { e.preventDefault(); store.set({ view: v }) },
    }, v === 'map' ? t('viewMap') : t('viewTable'))))
    $('table-heading').textContent = t('viewTable')
    mount($('table-tabs'), (['figures', 'actors'] as const).map((tab) => h('button', {
      type: 'button', role: 'tab', id: `tab-${tab}`, 'aria-selected': String(s.tab === tab), 'aria-controls': `table-${tab}`,
      tabindex: s.tab === tab ? '0' : '-1', 'data-testid': `tab-${tab}`,
      onclick: () => store.set({ tab }),
      onkeydown: (e: KeyboardEvent) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return
        const next = tab === 'figures' ? 'actors' : 'figures'
        store.set({ tab: next })
        $(`tab-${next}`).focus()
      },
    }, tab === 'figures' ? t('tabFigures') : t('tabActors'))))
    if (focusedId) (document.querySelector(`[data-testid="${focusedId}"]`) as HTMLElement | null)?.focus()
    $('table-figures').setAttribute('aria-labelledby', 'tab-figures')
    $('table-actors').setAttribute('aria-labelledby', 'tab-actors')
    $('table-figures').hidden = s.tab !== 'figures'
    $('table-actors').hidden = s.tab !== 'actors'
    const showTable = s.view === 'table'
    $('table-view').hidden = !showTable
    $('main').classList.toggle('table-mode', showTable)
    // the map stays rendered underneath; inert takes it out of the tab order and the accessibility tree
    $('map-view').toggleAttribute('inert', showTable)
  }

  function renderSearch (): void {
    const regionItems = [...kommun.features, ...lan.features].map((f) => ({
      id: f.properties.code, label: f.properties.name,
      detail: f.properties.level === 'kommun' ? `${t('kommun')}, ${regions.names.get(f.properties.lanCode ?? '') ?? ''}` : t('lan'),
    }))
    mount($('search'),
      combobox({
        label: t('regionSearch'), placeholder: t('regionSearchPlaceholder'), testId: 'region-search',
        search: async (q) => {
          const ql = q.toLocaleLowerCase('sv')
          return regionItems.filter((r) => r.label.toLocaleLowerCase('sv').includes(ql))
            .sort((a, b) => Number(!a.label.toLocaleLowerCase('sv').startsWith(ql)) - Number(!b.label.toLocaleLowerCase('sv').startsWith(ql)) || a.label.localeCompare(b.label, 'sv'))
            .slice(0, 10)
        },
        onPick: (o) => {
          store.set({ region: o.id, level: o.id.length === 2 ? 'lan' : store.get().level === 'lan' && o.id.length === 4 ? 'kommun' : store.get().level })
          atlas.fitRegion(o.id)
        },
      }),
      combobox({
        label: t('nameSearch'), placeholder: t('nameSearchPlaceholder'), minChars: 2, testId: 'name-search',
        search: async (q, signal) => {
          const s = store.get()
          const res = await api.actors({ ...actorQuery(s, tableKind(s), false), branch: 'all', sizeClass: [], legalForm: [], q }, { limit: 8, sort: 'name' }, signal)
          return res.items.map((a) => ({ id: `${a.kind}:${a.id}`, label: a.name, detail: `${regions.names.get(a.kommunCode ?? '') ?? ''}${a.category ? ` · ${a.category}` : ''}` }))
        },
        onPick: (o) => store.set({ actor: o.id }),
      }))
  }

  // ---- choropleth, legend, figure table ----
  let figures: KeyFigures | null = null
  let figureRows = new Map<string, KeyFigureRow>()
  let riket: KeyFigureRow | undefined
  let selectedRow: KeyFigureRow | undefined
  let figuresSeq = 0

  async function loadFigures (): Promise<void> {
    const s = store.get()
    const seq = ++figuresSeq
    try {
      const [res, rk] = await Promise.all([
        api.keyFigures({ ...figureQuery(s), level: s.level }),
        api.keyFigures({ ...figureQuery(s), level: 'riket' }),
      ])
      if (seq !== figuresSeq) return
      figures = res
      status.hidden = true
      riket = rk.rows.find((r) => r.regionCode !== undefined)
      figureRows = new Map(res.rows.map((r) => [r.regionCode, r]))
      atlas.setLevel(s.level)
      paintChoropleth()
      renderFooter()
      renderSummary()
      if (s.view === 'table') renderFigures()
    } catch (err) { showError(err) }
  }

  function paintChoropleth (): void {
    if (!figures) return
    const s = store.get()
    const field: Field = s.measure
    const values: number[] = []
    let suppressed = 0; let missing = 0
    for (const r of figures.rows) {
      const v = r[field] as number | null
      if (suppressionOf(r, field)) suppressed++
      else if (v === null) missing++
      else values.push(v)
    }
    const classes = classify(values, s.classes)
    const paint = new Map<string, RegionPaint>()
    for (const r of figures.rows) {
      const v = r[field] as number | null
      const sup = !!suppressionOf(r, field)
      paint.set(r.regionCode, { suppressed: sup, color: v === null || sup ? '' : classes.colors[classIndex(classes.breaks, v)] })
    }
    for (const [code, p] of paint) if (!p.color) paint.set(code, { ...p, color: p.suppressed ? '#ececec' : '#d9d9d9' })
    atlas.paint(s.level, paint)
    renderLegend($('legend'), {
      title: fieldLabel(field),
      subtitle: `${branchLabel(s, false)} · ${s.level === 'kommun' ? t('kommuner') : t('lans')} · ${yearOf(s) ?? ''} · ${t(s.classes)}`,
      field, classes, suppressed, missing,
      actors: s.kind === 'none' ? null : definition.groups.map((g) => ({ name: g.name, color: groupColors[g.code] })),
      education: s.edu,
    })
    $('map-heading').textContent = t('mapLabel', { measure: fieldLabel(field), level: s.level === 'kommun' ? t('kommuner') : t('lans') })
    atlas.map.getCanvas().setAttribute('aria-label', $('map-heading').textContent ?? '')
    hook.rendered++
    document.body.dataset.figures = `${s.level}|${s.branch}|${s.measure}|${s.classes}|${yearOf(s)}|${defId(s)}`
  }

  function renderFigures (): void {
    const s = store.get()
    if (!figures) return
    const fq = { ...figureQuery(s), level: s.level }
    renderFigureTable($('table-figures'), {
      caption: t('figuresCaption', { measure: t('tabFigures'), branch: branchLabel(s, false), level: s.level === 'kommun' ? t('kommuner') : t('lans'), year: yearOf(s) ?? '' }),
      rows: figures.rows, sort: s.fsort, selected: s.region,
      onSort: (fsort) => store.set({ fsort }),
      onSelect: (code) => store.set({ region: code }),
      exports: exportLinks(t('export'), [
        { label: t('exportCsv'), href: keyFiguresUrl(fq, { format: 'csv', locale: 'sv' }), testId: 'export-figures-csv' },
        { label: t('exportXlsx'), href: keyFiguresUrl(fq, { format: 'xlsx' }), testId: 'export-figures-xlsx' },
        { label: t('exportJsonstat'), href: keyFiguresUrl(fq, { format: 'jsonstat' }), testId: 'export-figures-jsonstat' },
      ]),
    })
  }

  // ---- actors on the map ----
  function updateActorLayers (): void {
    const s = store.get()
    atlas.setActors(s.kind === 'none' ? null : actorParams(actorQuery(s, s.kind, false)), groupColors)
    atlas.setEducation(s.edu ? { kind: 'education' } : null)
  }

  // ---- actor table (paged by nextCursor) ----
  let actorItems: Actor[] = []
  let actorTotal = 0
  let actorCursor: string | null = null
  let actorLoading = false
  let actorError: string | undefined
  let actorTotalExact = true
  let actorSeq = 0

  async function loadActors (more = false): Promise<void> {
    const s = store.get()
    const seq = more ? actorSeq : ++actorSeq
    if (!more) { actorItems = []; actorCursor = null; actorTotal = 0 }
    actorLoading = true; actorError = undefined
    renderActors()
    try {
      const page = await api.actors(actorQuery(s, tableKind(s)), { limit: 50, sort: s.sort, cursor: more ? actorCursor ?? undefined : undefined })
      if (seq !== actorSeq) return
      actorItems = more ? [...actorItems, ...page.items] : page.items
      actorTotal = page.total
      actorTotalExact = page.totalExact !== false
      actorCursor = page.nextCursor
    } catch (err) {
      actorError = t('error', { msg: (err as Error).message })
    }
    actorLoading = false
    renderActors()
  }

  function renderActors (): void {
    const s = store.get()
    const q = actorQuery(s, tableKind(s))
    const where = s.region ? regions.names.get(s.region) ?? s.region : t('wholeCountry')
    const categories = new Map(definition.groups.flatMap((g) => g.categories.map((c) => [c.code, c.name])))
    renderActorTable($('table-actors'), {
      caption: t('actorsCaption', { kind: tableKind(s) === 'company' ? t('kindCompany') : t('kindWorkplace'), branch: branchLabel(s, false), where,
        year: yearOf(s) ?? '', n: num(actorTotal) + (actorTotalExact ? '' : '+') }),
      items: actorItems, total: actorTotal, totalExact: actorTotalExact, sort: s.sort, hasMore: !!actorCursor, loading: actorLoading, error: actorError,
      regionName: (c) => (c ? regions.names.get(c) ?? c : '–'),
      legalFormName: (c) => (c ? LEGAL_OPTIONS.find((o) => o.codes.includes(c))?.[s.lang] ?? c : '–'),
      categoryName: (c) => (c ? `${c} ${categories.get(c) ?? ''}` : '–'),
      onSort: (sort) => store.set({ sort }),
      onMore: () => { void loadActors(true) },
      onOpen: (a) => store.set({ actor: `${a.kind}:${a.id}` }),
      exports: exportLinks(t('export'), [
        { label: t('exportCsv'), href: apiUrl('actors', { ...actorParams(q), format: 'csv', locale: 'sv' }), testId: 'export-actors-csv' },
        { label: t('exportXlsx'), href: apiUrl('actors', { ...actorParams(q), format: 'xlsx' }), testId: 'export-actors-xlsx' },
        { label: t('exportGeojson'), href: apiUrl('actors', { ...actorParams(q), format: 'geojson' }), testId: 'export-actors-geojson' },
      ]),
      clearRegion: s.region ? h('p', { class: 'filter-note' }, `${t('region')}: ${where} `,
        h('button', { type: 'button', class: 'link', onclick: () => store.set({ region: null }) }, t('showWholeCountry'))) : null,
    })
  }

  // ---- region card ----
  let regionSeq = 0
  async function renderRegion (): Promise<void> {
    const s = store.get()
    const el = $('region-card')
    atlas.select(s.region)
    atlas.labelSelected(s.region, s.region ? regions.names.get(s.region) ?? '' : '')
    selectedRow = undefined
    if (!s.region) { el.hidden = true; mount(el); return }
    const code = s.region
    const isKommun = code.length === 4
    const lanCode = isKommun ? regions.lanOf.get(code)! : code
    const seq = ++regionSeq
    const fq = figureQuery(s)
    const year = yearOf(s)
    const draw = (series: KeyFigureRow[], lanRow?: KeyFigureRow, rk?: KeyFigureRow) => {
      const own = series.find((r) => r.year === year)
      selectedRow = own
      renderRegionCard(el, {
        title: regions.names.get(code) ?? code,
        subtitle: `${isKommun ? `${t('kommun')}, ${regions.names.get(lanCode) ?? ''}` : t('lan')} · ${branchLabel(s, false)} · ${year ?? ''}`,
        columns: [
          { label: regions.names.get(code) ?? code, row: own },
          ...(isKommun ? [{ label: regions.names.get(lanCode) ?? lanCode, row: lanRow }] : []),
          { label: t('riket'), row: rk },
        ],
        series: series.map((r) => ({ year: r.year, value: r.companies })).sort((a, b) => a.year - b.year),
        drillHref: toSearch({ ...s, view: 'table', tab: 'actors', size: [], legal: [], kind: s.kind === 'workplace' ? 'company' : s.kind }),
        drillCount: own?.companies ?? 0,
        onDrill: (e) => { e.preventDefault(); store.set({ view: 'table', tab: 'actors', size: [], legal: [], kind: s.kind === 'workplace' ? 'company' : s.kind }); $('table-actors').focus() },
        onClose: () => store.set({ region: null }),
        onZoom: () => atlas.fitRegion(code),
      })
    }
    draw([])
    try {
      const [series, lanRes, rk] = await Promise.all([
        api.keyFigures({ ...fq, year: 'all', level: isKommun ? 'kommun' : 'lan', region: code }),
        isKommun ? api.keyFigures({ ...fq, level: 'lan', region: lanCode }) : Promise.resolve(null),
        api.keyFigures({ ...fq, level: 'riket' }),
      ])
      if (seq !== regionSeq) return
      draw(series.rows, lanRes?.rows[0], rk.rows[0])
      renderSummary()
    } catch (err) { showError(err) }
  }

  // ---- actor card ----
  let actorCardSeq = 0
  async function renderActor (): Promise<void> {
    const s = store.get()
    const el = $('actor-card')
    $('main').classList.toggle('actor-open', !!s.actor)
    if (!s.actor) { el.hidden = true; mount(el); atlas.markActor(null); return }
    const [kind, id] = s.actor.split(':')
    const seq = ++actorCardSeq
    const close = () => store.set({ actor: null })
    renderActorCard(el, null, close)
    try {
      const a = await api.actor(Number(id), kind as Actor['kind'], defId(s))
      if (seq !== actorCardSeq) return
      renderActorCard(el, { ...a, kommunCode: a.kommunCode ? regions.names.get(a.kommunCode) ?? a.kommunCode : null }, close)
      if (a.lon !== null && a.lat !== null) {
        atlas.markActor([a.lon, a.lat])
        if (s.view === 'map' && !atlas.map.getBounds().contains([a.lon, a.lat])) atlas.flyTo(a.lon, a.lat, 9)
      }
      ;($('actor-card-title') as HTMLElement).focus({ preventScroll: true })
    } catch (err) {
      renderActorCard(el, null, close, t('error', { msg: (err as Error).message }))
    }
  }

  // ---- summary (aria-live) and footer ----
  function renderSummary (): void {
    const s = store.get()
    const row = s.region ? selectedRow ?? figureRows.get(s.region) : riket
    const name = s.region ? regions.names.get(s.region) ?? s.region : t('riket')
    const parts: string[] = []
    if (row && (!s.region || row.regionCode === s.region)) {
      parts.push(t('summaryRegion', { region: name, companies: num(row.companies), branch: branchLabel(s), share: pct(row.shareCompanies),
        per10k: num(row.per10k, 1), year: row.year }))
    }
    const lower = (x: string) => (/^\p{Lu}\p{Ll}/u.test(x) ? x[0].toLocaleLowerCase(s.lang) + x.slice(1) : x)
    parts.push(t('summaryMap', { measure: lower(fieldLabel(s.measure)), level: lower(s.level === 'kommun' ? t('kommun') : t('lan')) }))
    $('summary').textContent = parts.join(' ')
  }

  /** The imports behind the figures, in the UI's language (the API's `meta.source` is the Swedish text for exports). */
  const describeSources = (meta: KeyFigures['meta']) => {
    if (!meta.sources.length) return t('noImports')
    const parts = meta.sources.map((x) => t('sourceImported', { source: x.source, year: x.refYear ?? '', date: day(x.importedAt) }))
    return `${meta.synthetic ? `${t('sourceSynthetic')} – ` : ''}${parts.join('; ')}`
  }

  function renderFooter (): void {
    const meta = figures?.meta
    const def = definitions.find((d) => d.id === definition.id) as DefinitionSummary
    mount($('footer'),
      h('p', {}, h('strong', {}, `${t('dataSource')}: `), meta ? describeSources(meta) : '…', meta ? ` · ${t('generatedAt')}: ${date(meta.generatedAt)}` : ''),
      h('p', {}, h('strong', {}, `${t('definition')}: `), def.name, def.provisional && !def.name.includes('provisorisk') ? ` (${t('provisional')})` : '', ' · ',
        h('a', { href: `/api/key-figures/methodology?definition=${encodeURIComponent(def.id)}` }, t('methodology')), ' · ',
        h('a', { href: '/docs' }, t('apiDocs'))))
  }

  // ---- react to state changes ----
  store.subscribe((s, prev) => {
    if (s.lang !== prev.lang) setLang(s.lang)
    const langChanged = s.lang !== prev.lang
    void (async () => {
      if (defId(s) !== defId(prev)) {
        definition = await api.definition(defId(s))
        groupColors = makeGroupColors(definition.groups.map((g) => g.code))
      }
      const figuresChanged = changed(s, prev, 'def', 'branch', 'year', 'level')
      const actorFilters = changed(s, prev, 'def', 'branch', 'year', 'kind', 'edu', 'size', 'legal')
      if (langChanged || changed(s, prev, 'view', 'tab')) renderChrome()
      if (langChanged) renderSearch()
      if (langChanged || changed(s, prev, 'def', 'branch', 'year', 'level', 'measure', 'classes', 'kind', 'edu', 'size', 'legal', 'sni')) renderPanel()
      if (figuresChanged) await loadFigures()
      else if (langChanged || changed(s, prev, 'measure', 'classes', 'kind', 'edu')) { paintChoropleth(); renderSummary(); renderFooter() }
      if (actorFilters) { await atlas.ready; updateActorLayers() }
      if (langChanged || figuresChanged || changed(s, prev, 'region')) { await renderRegion(); renderSummary() }
      if (langChanged || changed(s, prev, 'actor')) void renderActor()
      const tableOn = s.view === 'table'
      if (tableOn && (langChanged || figuresChanged || changed(s, prev, 'view', 'tab', 'fsort', 'region', 'measure'))) renderFigures()
      if (tableOn && s.tab === 'actors' && (figuresChanged || actorFilters || changed(s, prev, 'view', 'tab', 'sort', 'region'))) void loadActors()
      else if (tableOn && s.tab === 'actors' && langChanged) renderActors()
      if (s.view === 'map' && prev.view === 'table') atlas.map.resize()
      // Back/Forward (or an edited URL) moves the map; its own moves only echo into the state
      if (s.map && changed(s, prev, 'map')) {
        const c = atlas.map.getCenter()
        if (Math.abs(c.lng - s.map.lon) > 1e-3 || Math.abs(c.lat - s.map.lat) > 1e-3 || Math.abs(atlas.map.getZoom() - s.map.zoom) > 0.01) {
          atlas.map.jumpTo({ center: [s.map.lon, s.map.lat], zoom: s.map.zoom })
        }
      }
    })().catch(showError)
  })

  // ---- first render ----
  renderChrome()
  renderSearch()
  renderPanel()
  await atlas.ready
  performance.mark('kkb:regions')
  updateActorLayers()
  await loadFigures()
  performance.mark('kkb:painted')
  atlas.map.once('idle', () => { hook.firstPaint = performance.now(); performance.mark('kkb:idle') })
  atlas.map.triggerRepaint()
  void renderRegion()
  void renderActor()
  if (s0.view === 'table') { renderFigures(); if (s0.tab === 'actors') void loadActors() }
}
