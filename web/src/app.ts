// Boots the app: the state from the URL, the map, the data every view needs, then the views (views/), each of
// which renders when the state keys it names change. Nothing here renders by itself.
import { api } from './api/client'
import { loadSession } from './api/session'
import { LOADED_KEYS, mountViews, renderAll, $, type AppState, type Ctx } from './context'
import { loadBoot } from './data/boot'
import { loadDefinitions, loadFigures, loadPeople } from './data/loaders'
import type { ActorMode } from './map/actors-source'
import { groupColors } from './map/colors'
import { AtlasMap } from './map/create-map'
import { figureQuery } from './state/queries'
import { Store } from './state/store'
import type { MapView } from './state/fields'
import { parseUrl, syncUrl } from './state/url'
import { setLang, t } from './ui/i18n'
import { accountView } from './views/account'
import { actorCardView } from './views/actor-card'
import { adminView } from './views/admin'
import { actorLayersView } from './views/actor-layers'
import { chromeView } from './views/chrome'
import { choroplethView, hoverText } from './views/choropleth'
import { filtersView } from './views/filters'
import { footerView } from './views/footer'
import { mapPositionView } from './views/map-position'
import { educationNeedView } from './views/education-need'
import { peopleCardView } from './views/people-card'
import { regionCardView } from './views/region-card'
import { searchView } from './views/search'
import { summaryView } from './views/summary'
import { actorTableView, figureTableView } from './views/table'
import { curatedView } from './views/curated'
import { compareView } from './views/compare'
import { segmentsView } from './views/segments'
import { printView } from './views/print'
import { methodsView } from './views/methods'

export async function start (): Promise<void> {
  performance.mark('kkb:start')
  const s0 = parseUrl(location.search)
  setLang(s0.lang)
  // /embed (server/plugins/web.ts): the same app, showing only the map or one chart of the region (styles.css, html.embed)
  if (location.pathname.replace(/\/$/, '') === '/embed') {
    document.documentElement.classList.add('embed', `embed-${s0.show}`)
    const credit = $('embed-credit') as HTMLAnchorElement
    credit.href = `/${location.search}`
    credit.hidden = false
  }
  const showError = (err: unknown) => {
    const status = $('status')
    status.hidden = false
    status.textContent = t('error', { msg: err instanceof Error ? err.message : String(err) })
  }

  // the boundaries and the first choropleth's figures are requested at once; the map starts its workers meanwhile
  const regions = Promise.all([api.regions('kommun'), api.regions('lan')])
  const booting = loadBoot(s0, regions)
  const session = loadSession().catch(() => undefined) // who is signed in: the header and the admin page need it
  void api.keyFigures(figureQuery(s0, s0.level)).catch(() => undefined)
  void api.keyFigures(figureQuery(s0, 'riket')).catch(() => undefined)

  // the store exists once the boot data is in; a map move before that is kept for it
  const live: { store?: Store<AppState>; names: Map<string, string>; earlyMove?: MapView } = { names: new Map() }
  const atlas = new AtlasMap({
    container: $('map'), view: s0.map, basemap: s0.basemap,
    onRegionClick: (code) => live.store?.set({ region: code === live.store.get().region ? null : code }),
    onActorClick: (id, kind) => live.store?.set({ actor: `${kind}:${id}` }),
    onMove: (v) => { if (live.store) live.store.set({ map: v }); else live.earlyMove = v },
    hoverText: (code) => (live.store ? hoverText(live.store.get(), live.names, code) : code),
  })
  atlas.map.on('error', (e) => showError(e.error))
  const hook: { store?: Store<AppState>; atlas: AtlasMap; rendered: number; firstPaint: number; actorMode?: ActorMode } =
    { atlas, rendered: 0, firstPaint: 0 }
  Object.assign(window, { __kkbMap: atlas.map, __kkb: hook })
  performance.mark('kkb:map-created')
  atlas.map.once('load', () => performance.mark('kkb:map-load'))
  void regions.then(([k, l]) => atlas.setRegions(k, l, !s0.map))
  // an embedded map of a region opens on that region (unless the link pins a view)
  if (document.documentElement.classList.contains('embed') && s0.region && !s0.map) void atlas.ready.then(() => atlas.fitRegion(s0.region!))

  const [{ boot, definition, tiles }] = await Promise.all([booting, session])
  performance.mark('kkb:data')
  // prefer the vector tiles when the endpoint answers; otherwise a clustered GeoJSON source (same filters)
  atlas.actorMode = tiles ? { type: 'vector', maxzoom: tiles.maxzoom } : { type: 'geojson' }
  hook.actorMode = atlas.actorMode

  const colors = groupColors(definition.groups.map((g) => g.code))
  const store = new Store<AppState>({ ...s0, definition, groupColors: colors, figures: null, people: null, regionRow: null }, LOADED_KEYS)
  Object.assign(live, { store, names: boot.names })
  hook.store = store
  store.watch(['lang'], (s) => setLang(s.lang))
  syncUrl(store)
  if (live.earlyMove) store.set({ map: live.earlyMove })
  const ctx: Ctx = { store, atlas, boot, showError }
  loadDefinitions(ctx)
  const choropleth = choroplethView(ctx, hook)
  const views = [chromeView(ctx), searchView(ctx), filtersView(ctx), choropleth, actorLayersView(ctx), regionCardView(ctx), peopleCardView(ctx),
    actorCardView(ctx), summaryView(ctx), footerView(ctx), figureTableView(ctx), actorTableView(ctx), educationNeedView(ctx), mapPositionView(ctx),
    accountView(ctx), adminView(ctx), segmentsView(ctx), curatedView(ctx), compareView(ctx), printView(ctx), methodsView(ctx)]
  mountViews(ctx, views)
  renderAll(ctx, views)

  await Promise.all([atlas.ready.then(() => performance.mark('kkb:regions')), loadFigures(ctx), loadPeople(ctx)])
  if (store.get().figures) await choropleth.painted
  performance.mark('kkb:painted')
  atlas.map.once('idle', () => { hook.firstPaint = performance.now(); performance.mark('kkb:idle') })
  atlas.map.triggerRepaint()
}
