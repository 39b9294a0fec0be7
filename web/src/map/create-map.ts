// The map: base style, region choropleth (feature-state, no geometry refetch), actor points, education providers,
// DOM labels and interactions. Knows nothing about the panel; app.ts wires it to the store.
import './worker'
import { AttributionControl, Map as MlMap, Marker, NavigationControl, ScaleControl, type ExpressionSpecification, type GeoJSONSource, type MapGeoJSONFeature, type MapMouseEvent } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import type { Params } from '../api/client'
import { apiUrl } from '../api/client'
import type { RegionCollection } from '../api/types'
import { ACTORS, actorLayers, actorSource, clusterZoom, updateActorSource, type ActorMode } from './actors-source'
import { BACKGROUND, groupColorExpr, hatchImage } from './colors'
import { RegionLabels } from './labels'
import { baseStyle, hatchFilter, HIGHLIGHT, regionLayers, regionSources, SWEDEN, type HighlightRole } from './style'

export interface RegionPaint { color: string; suppressed: boolean }
export interface AtlasMapOptions {
  container: HTMLElement
  view: { lon: number; lat: number; zoom: number } | null
  basemap: string | null
  onRegionClick: (code: string, level: 'kommun' | 'lan') => void
  onActorClick: (id: number, kind: string) => void
  onMove: (v: { lon: number; lat: number; zoom: number }) => void
  hoverText: (code: string, level: 'kommun' | 'lan') => string
}

const ACTOR_LAYERS = ['actors-clusters', 'actors-points', 'education-points']

export class AtlasMap {
  readonly map: MlMap
  readonly ready: Promise<void>
  private level: 'kommun' | 'lan' = 'kommun'
  private painted: Record<'kommun' | 'lan', Set<string>> = { kommun: new Set(), lan: new Set() }
  private hovered: { level: 'kommun' | 'lan'; code: string } | null = null
  private selected: { level: 'kommun' | 'lan'; code: string } | null = null
  /** the followed län (its kommuner are the choropleth): outlined, and its kommuner named from the län's zoom */
  private focused: string | null = null
  private actorKey = ''
  private tooltip: HTMLDivElement
  private selMarker?: Marker
  private kommunLabels?: RegionLabels
  private lanLabels?: RegionLabels
  private kommun!: RegionCollection
  private lan!: RegionCollection
  private loaded: Promise<void>
  actorMode: ActorMode = { type: 'geojson' }
  private autoFit = true
  private claims: Array<(e: MapMouseEvent) => boolean> = []

  constructor (private opts: AtlasMapOptions) {
    const basemap = opts.basemap
    this.map = new MlMap({
      container: opts.container,
      style: basemap ?? baseStyle(),
      ...(opts.view ? { center: [opts.view.lon, opts.view.lat], zoom: opts.view.zoom } : { bounds: SWEDEN, fitBoundsOptions: { padding: 24 } }),
      minZoom: 3, maxZoom: 16, attributionControl: false, dragRotate: false, pitchWithRotate: false, touchPitch: false,
      cancelPendingTileRequestsWhileZooming: true,
      // no symbol fade-in and no paint transitions: fewer frames until the map is idle (software GL is slow)
      fadeDuration: 0, refreshExpiredTiles: false,
    })
    // the self-contained style has no background layer: the sea is the container's colour behind a transparent canvas
    if (!basemap) opts.container.style.backgroundColor = BACKGROUND
    this.map.touchZoomRotate.disableRotation()
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right')
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right')
    this.map.addControl(new AttributionControl({ compact: true, customAttribution: 'Gränser: SCB/Lantmäteriet' }), 'bottom-right')
    this.tooltip = Object.assign(document.createElement('div'), { className: 'map-tooltip', hidden: true })
    this.tooltip.setAttribute('aria-hidden', 'true')
    opts.container.append(this.tooltip)

    this.map.setMissingStyleImageResolver((id) => drawCountImage(this.map, id))
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()))
    let regionsAdded!: () => void
    this.ready = new Promise((resolve) => { regionsAdded = resolve })
    this.regionsAdded = regionsAdded
    this.map.on('moveend', () => {
      const c = this.map.getCenter()
      opts.onMove({ lon: c.lng, lat: c.lat, zoom: this.map.getZoom() })
    })
    this.map.on('mousemove', (e) => this.onHover(e))
    this.map.on('mouseout', () => this.setHover(null))
    this.map.on('movestart', () => { this.tooltip.hidden = true })
    this.map.on('click', (e) => { void this.onClick(e) })
  }

  private regionsAdded: () => void

  /** The boundaries arrive in parallel with the map's own start-up; `ready` resolves once both are in. */
  async setRegions (kommun: RegionCollection, lan: RegionCollection, fit: boolean): Promise<void> {
    if (this.kommun) return
    this.kommun = kommun
    this.lan = lan
    await this.loaded
    // fit now: the container may have changed size (banner) since the map was created
    if (fit) {
      // keep Sweden fitted while the layout settles (e.g. the demo banner appears), until the user moves the map
      const refit = () => this.map.fitBounds(SWEDEN, { padding: { top: 16, bottom: 16, left: 16, right: 16 }, duration: 0 })
      refit()
      this.map.on('resize', () => { if (this.autoFit) refit() })
      this.map.on('movestart', (e) => { if ((e as { originalEvent?: Event }).originalEvent) this.autoFit = false })
    }
    this.addRegionLayers()
    this.drawHighlight()
    this.regionsAdded()
  }

  private addRegionLayers (): void {
    const m = this.map
    m.addImage('hatch', hatchImage(), { pixelRatio: 1 })
    m.addImage('edu-square', squareImage(), { pixelRatio: 2 })
    for (const [id, src] of Object.entries(regionSources(this.kommun, this.lan))) m.addSource(id, src)
    for (const l of regionLayers(!!this.opts.basemap)) m.addLayer(l)
    // the map names the landscape, not the authority: "Västra Götalands län" → "Västra Götaland", "Skåne län" → "Skåne"
    this.lanLabels = new RegionLabels(m, this.lan, 0, 6.6, 'map-label-lan', (n) => n.replace(/s? län$/, ''))
    this.kommunLabels = new RegionLabels(m, this.kommun, 7.4, 99, 'map-label-kommun')
    // labels follow 'moveend'; a view opened from a link may never move, so place both sets once the map is idle
    m.once('idle', () => { this.lanLabels?.update(); this.kommunLabels?.update() })
  }

  setLevel (level: 'kommun' | 'lan'): void {
    this.level = level
    for (const l of ['kommun', 'lan'] as const) {
      const vis = l === level ? 'visible' : 'none'
      this.map.setLayoutProperty(`${l}-fill`, 'visibility', vis)
      if (l !== level) this.map.setLayoutProperty(`${l}-hatch`, 'visibility', vis)
    }
  }

  /** Recolour by feature-state: the geometry stays loaded. Suppressed regions are hatched (and only they are drawn). */
  paint (level: 'kommun' | 'lan', values: Map<string, RegionPaint>): void {
    const suppressed = [...values].filter(([, v]) => v.suppressed).map(([code]) => code)
    this.map.setFilter(`${level}-hatch`, hatchFilter(suppressed))
    this.map.setLayoutProperty(`${level}-hatch`, 'visibility', suppressed.length && level === this.level ? 'visible' : 'none')
    const prev = this.painted[level]
    for (const code of prev) if (!values.has(code)) this.map.removeFeatureState({ source: level, id: code })
    for (const [code, v] of values) this.map.setFeatureState({ source: level, id: code }, { color: v.color })
    this.painted[level] = new Set(values.keys())
  }

  select (code: string | null): void {
    this.selected = code ? { level: code.length === 2 ? 'lan' : 'kommun', code } : null
    this.drawHighlight()
  }

  /** Outlines of the hovered and the selected region: a source of just those features (at most two). */
  private drawHighlight (): void {
    const src = this.map.getSource(HIGHLIGHT) as GeoJSONSource | undefined
    if (!src) return
    const feature = (r: { level: 'kommun' | 'lan'; code: string }, role: HighlightRole): GeoJSON.Feature[] => {
      const f = this.regionFeature(r.code)
      return f ? [{ type: 'Feature', geometry: f.geometry, properties: { code: r.code, role } }] : []
    }
    const sel = this.selected
    const hov = this.hovered && !(sel && sel.code === this.hovered.code) ? this.hovered : null
    const focus = this.focused && sel?.code !== this.focused ? { level: 'lan' as const, code: this.focused } : null
    // the selected outline last, so it is drawn over a hovered neighbour's shared border
    src.setData({ type: 'FeatureCollection', features: [...(focus ? feature(focus, 'focus') : []), ...(hov ? feature(hov, 'hover') : []),
      ...(sel ? feature(sel, 'selected') : [])] })
  }

  /** A DOM label pinned on the selected region. */
  labelSelected (code: string | null, text: string): void {
    this.selMarker?.remove()
    this.selMarker = undefined
    const at = code ? (code.length === 2 ? this.lanLabels : this.kommunLabels)?.pointOf(code) : undefined
    if (!at) return
    const el = document.createElement('div')
    el.className = 'map-label map-label-selected'
    el.textContent = text
    el.setAttribute('aria-hidden', 'true')
    this.selMarker = new Marker({ element: el, anchor: 'bottom', offset: [0, -4] }).setLngLat(at).addTo(this.map)
  }

  /** Follow a län (null: the whole country): its outline, and its kommuner named from the zoom a fit to the län lands on. */
  focusLan (code: string | null): void {
    if (code === this.focused) return
    this.focused = code
    this.kommunLabels?.setFocus(code ? (c) => c.startsWith(code) : null)
    this.drawHighlight()
  }

  /** A region's boundary feature by code (2 digits: län, 4: kommun). */
  private regionFeature (code: string) {
    return (code.length === 2 ? this.lan : this.kommun).features.find((x) => x.properties.code === code)
  }

  /** A region's bounding box [[west, south], [east, north]] (null for an unknown code). */
  regionBounds (code: string): [[number, number], [number, number]] | null {
    const f = this.regionFeature(code)
    if (!f) return null
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
    for (const p of polys) for (const [x, y] of p[0]) { minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y) }
    return [[minX, minY], [maxX, maxY]]
  }

  fitRegion (code: string): void {
    this.autoFit = false
    const bounds = this.regionBounds(code)
    if (!bounds) return
    // the kommuner of the län (or of the kommun's län) are named at the zoom the fit lands on: a kommun code starts
    // with its län code
    const lan = code.slice(0, 2)
    this.kommunLabels?.setFocus(/^\d{2,4}$/.test(code) ? (c) => c.startsWith(lan) : null)
    // room for the cards on the right where they lie over the map (wide screens); a phone has them below the map and an
    // embed has none, and a 420 px padding in a narrower frame left the fit undone
    const right = this.map.getContainer().clientWidth >= 900 ? 420 : 60
    this.map.fitBounds(bounds, { padding: { top: 60, bottom: 60, left: 60, right }, maxZoom: 10, duration: 600 })
  }

  /** What a copy of the map needs beyond its style (map/picture.ts): the images its layers draw with, given as the
   *  copy asks for them (call before it loads) … */
  copyImages (m: MlMap): void {
    m.setMissingStyleImageResolver((id) => {
      if (id === 'hatch') m.addImage(id, hatchImage(), { pixelRatio: 1 })
      else if (id === 'edu-square') m.addImage(id, squareImage(), { pixelRatio: 2 })
      else drawCountImage(m, id)
    })
  }

  /** … and the regions' colours (feature-state is not part of the style; call once the copy has loaded). */
  copyColours (m: MlMap): void {
    for (const level of ['kommun', 'lan'] as const) {
      for (const code of this.painted[level]) m.setFeatureState({ source: level, id: code }, this.map.getFeatureState({ source: level, id: code }))
    }
  }

  flyTo (lon: number, lat: number, zoom = 11): void {
    this.autoFit = false
    this.map.flyTo({ center: [lon, lat], zoom: Math.max(zoom, this.map.getZoom()), duration: 700 })
  }

  /** Actor points (companies or workplaces) with the current filters; null hides them. */
  setActors (params: Params | null, groupColors: Record<string, string>): void {
    const m = this.map
    const groups = Object.keys(groupColors)
    const key = JSON.stringify([params === null, groups, groupColors])
    if (key !== this.actorKey) {
      for (const l of ['actors-clusters', 'actors-cluster-count', 'actors-points']) if (m.getLayer(l)) m.removeLayer(l)
      if (m.getSource(ACTORS)) m.removeSource(ACTORS)
      this.actorKey = key
      if (!params) return
      m.addSource(ACTORS, actorSource(this.actorMode, params, groups))
      const color = (e: ExpressionSpecification) => groupColorExpr(groupColors, e)
      for (const l of actorLayers(this.actorMode, color, groups)) m.addLayer(l, m.getLayer('selected-actor') ? 'selected-actor' : undefined)
      return
    }
    if (params) updateActorSource(m, this.actorMode, params)
  }

  /** Education providers: a separate layer with a square symbol. */
  setEducation (params: Params | null): void {
    const m = this.map
    if (!params) {
      if (m.getLayer('education-points')) m.removeLayer('education-points')
      if (m.getSource('education')) m.removeSource('education')
      return
    }
    const data = location.origin + apiUrl('actors', { ...params, format: 'geojson' })
    const src = m.getSource('education') as GeoJSONSource | undefined
    if (src) { src.setData(data); return }
    m.addSource('education', { type: 'geojson', data })
    m.addLayer({ id: 'education-points', type: 'symbol', source: 'education',
      layout: { 'icon-image': 'edu-square', 'icon-allow-overlap': true, 'icon-size': ['interpolate', ['linear'], ['zoom'], 4, 0.7, 10, 1, 14, 1.3] } },
    m.getLayer('actors-clusters') ? 'actors-clusters' : undefined)
  }

  /** A ring around the selected actor. */
  markActor (at: [number, number] | null): void {
    const m = this.map
    const data: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: at ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: at } }] : [] }
    const src = m.getSource('selected-actor') as GeoJSONSource | undefined
    if (src) { src.setData(data); return }
    m.addSource('selected-actor', { type: 'geojson', data })
    m.addLayer({ id: 'selected-actor', type: 'circle', source: 'selected-actor',
      paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111', 'circle-stroke-width': 3 } })
  }

  private actorLayersPresent (): string[] { return ACTOR_LAYERS.filter((l) => this.map.getLayer(l)) }

  private onHover (e: MapMouseEvent): void {
    // no hit-testing while the map is dragged or animated: nothing to point at, and it would cost every frame
    if (this.map.isMoving()) return
    const actor = this.actorLayersPresent().length ? this.map.queryRenderedFeatures(e.point, { layers: this.actorLayersPresent() }) : []
    const region = this.map.getLayer(`${this.level}-fill`) ? this.map.queryRenderedFeatures(e.point, { layers: [`${this.level}-fill`] })[0] : undefined
    this.map.getCanvas().style.cursor = actor.length || region ? 'pointer' : ''
    const code = region?.properties.code as string | undefined
    this.setHover(code ? { level: this.level, code } : null)
    if (actor.length) {
      const p = actor[0].properties
      this.showTooltip(e, p.point_count ? String(p.point_count) + ' ⋯' : String(p.name ?? ''))
    } else if (code) {
      this.showTooltip(e, this.opts.hoverText(code, this.level))
    } else {
      this.tooltip.hidden = true
    }
  }

  private showTooltip (e: MapMouseEvent, text: string): void {
    this.tooltip.hidden = false
    this.tooltip.textContent = text
    this.tooltip.style.transform = `translate(${e.point.x + 14}px, ${e.point.y + 14}px)`
  }

  private setHover (h: { level: 'kommun' | 'lan'; code: string } | null): void {
    if (!h) this.tooltip.hidden = true
    const same = this.hovered?.code === h?.code && this.hovered?.level === h?.level
    this.hovered = h
    if (!same) this.drawHighlight()
  }

  /** Another view takes a click before the actor and region cards (a curated point, placing a point in a form): the
   *  atlas' own click listener is registered first, so a view's preventDefault would come too late to stop it. */
  claimClicks (claim: (e: MapMouseEvent) => boolean): void { this.claims.push(claim) }

  private async onClick (e: MapMouseEvent): Promise<void> {
    if (this.claims.some((c) => c(e))) return
    const layers = this.actorLayersPresent()
    const hits: MapGeoJSONFeature[] = layers.length ? this.map.queryRenderedFeatures(e.point, { layers }) : []
    const f = hits[0]
    if (f?.properties.kommun) {
      // a kommun stack (actors placed only at the kommun's point): its card, whose link lists them
      this.opts.onRegionClick(String(f.properties.kommun), 'kommun')
      return
    }
    if (f?.properties.point_count) {
      const geom = f.geometry as GeoJSON.Point
      const zoom = await clusterZoom(this.map, this.actorMode, f)
      this.map.easeTo({ center: geom.coordinates as [number, number], zoom, duration: 500 })
      return
    }
    if (f) {
      this.opts.onActorClick(Number(f.properties.id), String(f.properties.kind ?? (f.layer.id === 'education-points' ? 'education' : 'company')))
      return
    }
    const region = this.map.queryRenderedFeatures(e.point, { layers: [`${this.level}-fill`] })[0]
    if (region) this.opts.onRegionClick(region.properties.code as string, this.level)
  }
}

/** Count labels for clusters and other generated icons, drawn on a canvas (for the map and its print copy). */
function drawCountImage (map: MlMap, id: string): void {
  if (!id.startsWith('count:') || map.hasImage(id)) return
  const text = id.slice(6)
  const r = window.devicePixelRatio || 1
  const c = document.createElement('canvas')
  const g = c.getContext('2d', { willReadFrequently: true })!
  const font = `700 ${11 * r}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`
  g.font = font
  const w = Math.ceil(g.measureText(text).width + 4 * r)
  c.width = w; c.height = Math.ceil(16 * r)
  g.font = font
  g.textAlign = 'center'; g.textBaseline = 'middle'
  g.lineWidth = 3 * r; g.strokeStyle = 'rgba(0,0,0,0.55)'; g.lineJoin = 'round'
  g.strokeText(text, w / 2, c.height / 2)
  g.fillStyle = '#ffffff'
  g.fillText(text, w / 2, c.height / 2)
  map.addImage(id, g.getImageData(0, 0, c.width, c.height), { pixelRatio: r })
}

function squareImage (): ImageData {
  const s = 28
  const c = document.createElement('canvas')
  c.width = c.height = s
  const g = c.getContext('2d', { willReadFrequently: true })!
  g.fillStyle = '#ffffff'
  g.fillRect(2, 2, s - 4, s - 4)
  g.fillStyle = '#1b1b1b'
  g.fillRect(6, 6, s - 12, s - 12)
  g.fillStyle = '#ffffff'
  g.fillRect(11, 11, s - 22, s - 22)
  return g.getImageData(0, 0, s, s)
}
