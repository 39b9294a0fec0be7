// The curated registry on the map (issue #16): one circle layer per entry type, each with its own colour from the
// taxonomy (no sprites or fonts), a card per entry, and for a signed-in curator or admin: a create/edit form with
// validation, dragging a point to move the entry, the history with restore; for everyone a "suggest a missing place" form.
// Everything goes through the API as the signed-in session sees it (unpublished entries only reach their curators).
import { Marker, type GeoJSONSource, type MapLayerMouseEvent } from 'maplibre-gl'
import type { Ctx, View } from '../context'
import { getLang } from '../ui/i18n'

interface Taxonomy {
  types: Array<{ code: string; sv: string; en: string; color: string; subtypes: string[] }>
  /** type-specific attributes (seats, studio places, members) and the fields a person may consent to show */
  attributes: Record<string, string[]>; consentFields: string[]
}
interface Who { role: string; name: string; lan: string[]; csrfToken: string | null }
interface Entry {
  id: number; name: string; type: string; subtype: string | null; kommunCode: string; kommunName?: string; street: string | null
  postcode: string | null; city: string | null; website: string | null; description: string | null; published: boolean; synthetic: boolean
  lat: number | null; lon: number | null; version: number; editable: boolean; locationPrecision: string
  orgnr: string | null; source: string | null; openedOn: string | null; closedOn: string | null; groups: string[]
  attributes: Record<string, unknown>; consent?: { by: string; at: string; fields: string[] }
}
interface ImportEvent { status: string; rows?: number; fraction?: number | null; message?: string | null; counts?: Record<string, number> }
interface Suggestion {
  id: number; at: string; name: string; type: string; subtype: string | null; kommunCode: string; kommunName: string | null; street: string | null
  city: string | null; website: string | null; description: string | null; contact: string | null
}

const TXT = {
  sv: { layer: 'Kurerade platser', create: 'Ny post', save: 'Spara', cancel: 'Avbryt', edit: 'Redigera', history: 'Historik', restore: 'Återställ',
    name: 'Namn', type: 'Typ', subtype: 'Undertyp', kommun: 'Kommun (kod)', street: 'Gatuadress', postcode: 'Postnummer', city: 'Postort',
    website: 'Webbplats', description: 'Beskrivning', published: 'Publicerad', unpublished: 'Ej publicerad', demo: 'Demodata (syntetisk)',
    drag: 'Dra punkten på kartan för att flytta posten', moved: 'Flyttad', suggest: 'Föreslå en plats som saknas', send: 'Skicka',
    thanks: 'Tack! Förslaget går till länets kuratorer.', required: 'saknas eller ogiltigt', close: 'Stäng', clickMap: 'Klicka på kartan där posten ligger (valfritt)', point: 'Punkt',
    back: 'Tillbaka', contact: 'Kontakt (visas bara för kuratorer)', queue: 'Förslag att granska', queueEmpty: 'Inga förslag väntar i ditt län.',
    accept: 'Godta', reject: 'Avvisa', acceptHint: 'Ett godtaget förslag blir en opublicerad post som du kontrollerar och publicerar.',
    importTitle: 'Importera lista', importHint: 'CSV eller XLSX med kolumnerna name;type;subtype;kommun (valfritt orgnr, street, postcode, city, lat, lon, website, description, published, consent, source). Rader utanför ditt län avvisas.',
    importStart: 'Importera', uploading: 'Laddar upp … {pct} %', importing: 'Importerar … {rows} rader', importFailed: 'Importen misslyckades',
    importDone: 'Klart: {read} rader lästa, {imported} nya, {updated} ändrade, {unchanged} oförändrade, {rejected} avvisade.', errorReport: 'Avvisade rader (CSV)',
    noFile: 'Välj en fil först.', connectionLost: 'anslutningen bröts', orgnr: 'Org.nr', groups: 'KKB-grupper', openedOn: 'Öppnade',
    closedOn: 'Stängde', source: 'Källa', consent: 'Samtycke (person)', consentGiven: 'Personen har samtyckt till att visas (namn, typ, kommun) och till:',
    consentBy: 'Samtycke registrerat av {by} {at}: {fields}', consentNameOnly: 'namn, typ och kommun', noConsent: 'Inget samtycke: visas inte för allmänheten',
    attrs: { seats: 'Platser', studioPlaces: 'Ateljéplatser', members: 'Medlemmar' },
    consentFields: { street: 'gatuadress', postcode: 'postnummer', city: 'postort', point: 'exakt punkt', website: 'webbplats', description: 'beskrivning', orgnr: 'organisationsnr' } },
  en: { layer: 'Curated places', create: 'New entry', save: 'Save', cancel: 'Cancel', edit: 'Edit', history: 'History', restore: 'Restore',
    name: 'Name', type: 'Type', subtype: 'Subtype', kommun: 'Kommun (code)', street: 'Street', postcode: 'Postcode', city: 'Town',
    website: 'Website', description: 'Description', published: 'Published', unpublished: 'Not published', demo: 'Demo data (synthetic)',
    drag: 'Drag the point on the map to move the entry', moved: 'Moved', suggest: 'Suggest a missing place', send: 'Send',
    thanks: 'Thank you! The suggestion goes to the curators of the län.', required: 'missing or invalid', close: 'Close', clickMap: 'Click the map where the entry is (optional)', point: 'Point',
    back: 'Back', contact: 'Contact (shown to curators only)', queue: 'Suggestions to review', queueEmpty: 'No suggestions wait in your län.',
    accept: 'Accept', reject: 'Reject', acceptHint: 'An accepted suggestion becomes an unpublished entry for you to check and publish.',
    importTitle: 'Import a list', importHint: 'CSV or XLSX with the columns name;type;subtype;kommun (optional orgnr, street, postcode, city, lat, lon, website, description, published, consent, source). Rows outside your län are rejected.',
    importStart: 'Import', uploading: 'Uploading … {pct} %', importing: 'Importing … {rows} rows', importFailed: 'The import failed',
    importDone: 'Done: {read} rows read, {imported} new, {updated} changed, {unchanged} unchanged, {rejected} rejected.', errorReport: 'Rejected rows (CSV)',
    noFile: 'Choose a file first.', connectionLost: 'connection lost', orgnr: 'Org. number', groups: 'KKB groups', openedOn: 'Opened',
    closedOn: 'Closed', source: 'Source', consent: 'Consent (person)', consentGiven: 'The person consented to be shown (name, type, kommun) and to:',
    consentBy: 'Consent recorded by {by} {at}: {fields}', consentNameOnly: 'name, type and kommun', noConsent: 'No consent: not shown to the public',
    attrs: { seats: 'Seats', studioPlaces: 'Studio places', members: 'Members' },
    consentFields: { street: 'street', postcode: 'postcode', city: 'town', point: 'exact point', website: 'website', description: 'description', orgnr: 'org. number' } },
}
const tx = () => TXT[getLang() === 'en' ? 'en' : 'sv']

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function curatedView ({ atlas, showError }: Ctx): View {
  const m = atlas.map
  let taxonomy: Taxonomy = { types: [], attributes: {}, consentFields: [] }
  let who: Who = { role: 'public', name: 'public', lan: [], csrfToken: null }
  let visible = new URLSearchParams(location.search).get('curated') !== '0'
  /** types switched off in the legend (each type is a layer of its own) */
  const hiddenTypes = new Set<string>()
  const showLayers = () => {
    for (const t of taxonomy.types) {
      if (m.getLayer(`curated-${t.code}`)) m.setLayoutProperty(`curated-${t.code}`, 'visibility', visible && !hiddenTypes.has(t.code) ? 'visible' : 'none')
    }
  }
  const panel = document.createElement('section')
  panel.id = 'curated-panel'
  panel.className = 'card overlay curated-panel'
  panel.setAttribute('aria-label', tx().layer)
  // in the map's card column, below the actor and region cards: a region card opened by a map click stacks above this
  // panel instead of covering it (the panel used to float on the page under the column)
  ;(document.getElementById('cards') ?? document.body).append(panel)

  const send = async (method: string, url: string, body?: unknown) => {
    // a content type only with a body: the server refuses an empty JSON body (accept/reject send none)
    const res = await fetch(url, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(who.csrfToken ? { 'x-csrf-token': who.csrfToken } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body) })
    const json = res.status === 204 ? null : await res.json().catch(() => null) as Record<string, unknown> | null
    if (!res.ok) throw new Error((json?.error as { message?: string } | undefined)?.message ?? `${res.status}`)
    return json
  }
  const editor = () => who.role === 'curator' || who.role === 'admin'

  /** The features as last fetched: the drag moves a point in this copy (the source's own copy is internal to MapLibre). */
  let features: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] }
  const layerIds = () => taxonomy.types.map((t) => `curated-${t.code}`).filter((id) => m.getLayer(id))
  /** Set while a create/edit form waits for a click on the map that places its point. */
  let picking: ((ev: { lngLat: { lng: number; lat: number } }) => void) | null = null

  async function refresh () {
    const src = m.getSource('curated') as GeoJSONSource | undefined
    // no cache: a curator's own edits show at once
    features = await (await fetch(`/api/actors?kind=curated&format=geojson&status=all&_=${Date.now()}`)).json() as GeoJSON.FeatureCollection
    if (src) { await src.setData(features); return }
    m.addSource('curated', { type: 'geojson', data: features })
    for (const t of taxonomy.types) {
      // one layer per type: its own symbol (colour; dashed ring when unpublished), toggled with the layer checkbox
      m.addLayer({ id: `curated-${t.code}`, type: 'circle', source: 'curated', filter: ['==', ['get', 'type'], t.code],
        layout: { visibility: visible && !hiddenTypes.has(t.code) ? 'visible' : 'none' },
        // a ring in the type's colour, so a curated place is told from the register's filled dots; an unpublished one
        // has a dark centre; demo entries are paler
        paint: { 'circle-radius': 6, 'circle-color': ['case', ['get', 'published'], '#ffffff', '#1b2631'], 'circle-stroke-width': 4,
          'circle-stroke-color': t.color, 'circle-opacity': ['case', ['get', 'synthetic'], 0.75, 1], 'circle-stroke-opacity': ['case', ['get', 'synthetic'], 0.75, 1] } })
      m.on('mousedown', `curated-${t.code}`, (e: MapLayerMouseEvent) => startDrag(e))
    }
    // a click that places a form's point or hits a curated point is ours: the region and actor cards stay closed
    atlas.claimClicks((e) => {
      if (picking) { picking(e); return true }
      const f = layerIds().length ? m.queryRenderedFeatures(e.point, { layers: layerIds() })[0] : undefined
      if (!f) return false
      void showEntry(Number(f.properties.id)).catch(showError)
      return true
    })
  }

  // dragging: a curator presses on a point they may edit, moves it, and on release the new point is saved (PATCH lat/lon
  // with the version the drag started from: someone else's edit meanwhile is a 409, not silently overwritten)
  function startDrag (e: MapLayerMouseEvent) {
    const f = e.features?.[0]
    // the list carries no edit right: the admin may move anything, a curator what lies in their län (the server checks again)
    if (!f || !editor() || (who.role !== 'admin' && !who.lan.includes(String(f.properties.lanCode)))) return
    e.preventDefault() // no map pan for this press
    const id = Number(f.properties.id)
    const src = m.getSource('curated') as GeoJSONSource
    const feat = features.features.find((x) => Number(x.properties?.id) === id)
    const version = send('GET', `/api/curated/${id}`).then((x) => Number(x!.version))
    version.catch(() => undefined) // reported on release
    let moved = false
    m.dragPan.disable() // besides preventDefault: the press must not pan the map under the point
    const move = (ev: { lngLat: { lng: number; lat: number } }) => {
      moved = true
      if (feat) { (feat.geometry as GeoJSON.Point).coordinates = [ev.lngLat.lng, ev.lngLat.lat]; void src.setData(features) }
    }
    m.on('mousemove', move)
    m.once('mouseup', (ev) => {
      m.off('mousemove', move)
      m.dragPan.enable()
      if (!moved) return // a plain click: the click handler shows the entry
      const { lng, lat } = ev.lngLat
      void version.then((v) => send('PATCH', `/api/curated/${id}`, { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lng * 1e6) / 1e6, version: v }))
        .then((r) => { panel.dataset.moved = String(id); return showEntry(id, (r!.warnings as string[] | undefined) ?? []) })
        .then(refresh).catch((err) => { showError(err); void refresh() })
    })
  }

  function typeName (code: string) { const t = taxonomy.types.find((x) => x.code === code); return t ? (getLang() === 'en' ? t.en : t.sv) : code }
  const attrLabel = (a: string) => (tx().attrs as Record<string, string>)[a] ?? a
  const consentLabel = (c: string) => (tx().consentFields as Record<string, string>)[c] ?? c
  const ring = (color: string, filled = false) =>
    `<svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="4.5" fill="${filled ? '#1b2631' : '#fff'}" stroke="${color}" stroke-width="3"/></svg>`
  /** Back to the panel's start (layer toggle, legend, the role's tools). */
  const home = () => { delete panel.dataset.entry; panel.dataset.mode = 'tools'; renderTools() }
  /** What the panel shows: a re-render (language) redraws the start only, never over a form being filled in. */
  const mode = (m: string) => { panel.dataset.mode = m }
  const on = (sel: string, f: () => void) => panel.querySelector(sel)?.addEventListener('click', f)

  /** The entry's card; `warnings` are those of the write that led here (an orgnr that is a register company, a move to
   *  another kommun), shown until the card is left. */
  async function showEntry (id: number, warnings: string[] = []) {
    const e = await send('GET', `/api/curated/${id}`) as unknown as Entry
    const T = tx()
    const attrs = Object.entries(e.attributes ?? {}).filter(([, v]) => v !== null && v !== '')
    const dates = [e.openedOn ? `${T.openedOn} ${e.openedOn}` : '', e.closedOn ? `${T.closedOn} ${e.closedOn}` : ''].filter(Boolean).join(' · ')
    const color = taxonomy.types.find((t) => t.code === e.type)?.color ?? '#525252'
    panel.innerHTML = `<div class="card-head"><h3 id="curated-title">${esc(e.name)}</h3></div>
      <p class="card-sub">${ring(color, !e.published)} ${esc(typeName(e.type))}${e.subtype ? ` · ${esc(e.subtype)}` : ''}</p>
      <p class="curated-line">${esc(e.kommunName ?? e.kommunCode)}${e.street ? ` · ${esc(e.street)}` : ''}${e.city ? `, ${esc(e.city)}` : ''}</p>
      ${e.website ? `<p class="curated-line"><a href="${esc(e.website)}" rel="noopener" target="_blank">${esc(e.website)}</a></p>` : ''}
      ${e.description ? `<p class="curated-line">${esc(e.description)}</p>` : ''}
      ${attrs.length ? `<p class="curated-line">${attrs.map(([k, v]) => `${esc(attrLabel(k))}: ${esc(v)}`).join(' · ')}</p>` : ''}
      ${dates ? `<p class="curated-line">${esc(dates)}</p>` : ''}
      ${e.orgnr ? `<p class="curated-line">${T.orgnr}: ${esc(e.orgnr)}</p>` : ''}
      ${e.groups?.length ? `<p class="curated-line">${T.groups}: ${esc(e.groups.join(', '))}</p>` : ''}
      ${e.source ? `<p class="curated-line muted">${T.source}: ${esc(e.source)}</p>` : ''}
      ${e.type === 'person' && e.editable ? `<p class="curated-line" id="curated-consent-info">${e.consent
        ? esc(T.consentBy.replace('{by}', e.consent.by).replace('{at}', new Date(e.consent.at).toLocaleDateString()).replace('{fields}', e.consent.fields.map(consentLabel).join(', ') || T.consentNameOnly))
        : `<b>${T.noConsent}</b>`}</p>` : ''}
      ${warnings.length ? `<ul id="curated-warnings" class="curated-warnings" role="status">${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
      <p class="curated-flags">${e.published ? T.published : `<b>${T.unpublished}</b>`}${e.synthetic ? ` · ${T.demo}` : ''}${e.editable ? ` · v${e.version}` : ''}</p>
      ${e.editable ? `<p class="hint">${T.drag}</p>` : ''}
      <div class="card-actions">${e.editable ? `<button class="btn small" id="curated-edit">${T.edit}</button><button class="btn small" id="curated-history">${T.history}</button>` : ''}
      <button class="btn small" id="curated-close">${T.close}</button></div>`
    panel.dataset.entry = String(id)
    mode('entry')
    on('#curated-close', home)
    on('#curated-edit', () => form(e))
    on('#curated-history', () => { void history(id).catch(showError) })
  }

  async function history (id: number) {
    const h = await send('GET', `/api/curated/${id}/history`) as { items: Array<{ version: number; at: string; who: string; action: string; changes: Record<string, { old: unknown; new: unknown }> }> }
    const T = tx()
    mode('history')
    panel.innerHTML = `<h3>${T.history}</h3><ol reversed id="curated-versions" class="curated-list">${h.items.map((v) => `<li><b>v${v.version} ${esc(v.action)}</b> · ${esc(v.who)} · ${esc(new Date(v.at).toLocaleString())}
      <ul>${Object.entries(v.changes).map(([k, c]) => `<li>${esc(k)}: ${esc(JSON.stringify(c.old))} → ${esc(JSON.stringify(c.new))}</li>`).join('')}</ul>
      ${v.version < h.items[0].version && v.action !== 'delete' ? `<button class="btn small" data-version="${v.version}">${T.restore} v${v.version}</button>` : ''}</li>`).join('')}</ol>
      <div class="card-actions"><button class="btn small" id="curated-back">${T.back}</button></div>`
    on('#curated-back', () => { void showEntry(id).catch(showError) })
    for (const b of panel.querySelectorAll<HTMLButtonElement>('button[data-version]')) {
      b.addEventListener('click', () => { void send('POST', `/api/curated/${id}/restore`, { version: Number(b.dataset.version) }).then(() => showEntry(id)).then(refresh).catch(showError) })
    }
  }

  /** A temporary marker where a form's point was clicked. */
  let pickMarker: Marker | null = null
  const clearPick = () => { pickMarker?.remove(); pickMarker = null }

  /** Create or edit form; `suggest` is the public suggestion form (no publish flag, goes to the moderation queue). */
  function form (e?: Entry, suggest = false) {
    const T = tx()
    const types = taxonomy.types.filter((t) => !suggest || t.code !== 'person')
    const sub = (type: string) => taxonomy.types.find((t) => t.code === type)?.subtypes ?? []
    mode('form')
    // only an exact point is the entry's own: one shown at its kommun's point is no point to send back
    const exact = !!e && e.locationPrecision === 'address' && e.lat != null
    const row = (label: string, input: string) => `<label class="curated-row"><span>${label}</span>${input}</label>`
    panel.innerHTML = `<form id="curated-form" class="curated-form" novalidate><h3>${suggest ? T.suggest : e ? T.edit : T.create}</h3>
      ${row(T.name, `<input name="name" required maxlength="500" value="${esc(e?.name)}">`)}
      ${row(T.type, `<select name="type">${types.map((t) => `<option value="${t.code}" ${e?.type === t.code ? 'selected' : ''}>${esc(getLang() === 'en' ? t.en : t.sv)}</option>`).join('')}</select>`)}
      ${row(T.subtype, '<input name="subtype" list="curated-subtypes">')}<datalist id="curated-subtypes"></datalist>
      ${row(T.kommun, `<input name="kommun" required pattern="\\d{4}" inputmode="numeric" placeholder="1880" value="${esc(e?.kommunCode)}">`)}
      ${row(T.street, `<input name="street" value="${esc(e?.street)}">`)}
      ${row(T.postcode, `<input name="postcode" pattern="\\d{3} ?\\d{2}" value="${esc(e?.postcode)}">`)}
      ${row(T.city, `<input name="city" value="${esc(e?.city)}">`)}
      ${row(T.website, `<input name="website" type="url" placeholder="https://" value="${esc(e?.website)}">`)}
      ${row(T.description, `<textarea name="description" rows="2">${esc(e?.description)}</textarea>`)}
      ${suggest ? row(T.contact, '<input name="contact" maxlength="200">') : `
      <div id="curated-attributes"></div>
      ${row(T.orgnr, `<input name="orgnr" placeholder="556677-8899" value="${esc(e?.orgnr)}">`)}
      ${row(T.groups, `<input name="groups" placeholder="t.ex. 3, 9" value="${esc(e?.groups?.join(', '))}">`)}
      ${row(T.openedOn, `<input name="openedOn" type="date" value="${esc(e?.openedOn)}">`)}
      ${row(T.closedOn, `<input name="closedOn" type="date" value="${esc(e?.closedOn)}">`)}
      ${row(T.source, `<input name="source" maxlength="500" value="${esc(e?.source)}">`)}
      <fieldset id="curated-consent" class="curated-consent" hidden><legend>${T.consent}</legend>
        <label class="check"><input type="checkbox" name="consentGiven" ${e?.consent ? 'checked' : ''}> ${T.consentGiven}</label>
        <div class="curated-legend">${taxonomy.consentFields.map((c) => `<label class="check"><input type="checkbox" name="consentField" value="${esc(c)}" ${e?.consent?.fields.includes(c) ? 'checked' : ''}> ${esc(consentLabel(c))}</label>`).join('')}</div>
      </fieldset>`}
      ${suggest ? '' : `<label class="check"><input name="published" type="checkbox" ${e?.published ? 'checked' : ''}> ${T.published}</label>
      <p class="hint">${T.clickMap}<br><span id="curated-point">${exact ? `${T.point}: ${Number(e.lat).toFixed(5)}, ${Number(e.lon).toFixed(5)}` : ''}</span></p>
      <div class="curated-latlon">${row('Lat', `<input name="lat" type="number" step="any" min="55" max="69.5" value="${exact ? esc(e.lat) : ''}">`)}
      ${row('Lon', `<input name="lon" type="number" step="any" min="10.5" max="24.5" value="${exact ? esc(e.lon) : ''}">`)}</div>`}
      <output id="curated-errors" class="curated-errors" role="alert"></output>
      <div class="card-actions"><button class="btn small primary" type="submit">${suggest ? T.send : T.save}</button><button class="btn small" type="button" id="curated-cancel">${T.cancel}</button></div></form>`
    const f = panel.querySelector<HTMLFormElement>('#curated-form')!
    f.querySelector<HTMLInputElement>('input[name=name]')!.focus() // the form replaced what had the focus
    ;(f.elements.namedItem('subtype') as HTMLInputElement).value = e?.subtype ?? ''
    const fill = () => {
      const type = (f.elements.namedItem('type') as HTMLSelectElement).value
      f.querySelector('#curated-subtypes')!.innerHTML = sub(type).map((x) => `<option value="${esc(x)}">`).join('')
      // the type's own attributes (seats, studio places, members) and, for a person, the consent
      const box = f.querySelector('#curated-attributes')
      if (box) {
        box.innerHTML = (taxonomy.attributes[type] ?? []).map((a) => row(attrLabel(a), `<input name="attr:${esc(a)}" type="number" min="0" step="1" value="${esc(e?.type === type ? e.attributes?.[a] : '')}">`)).join('')
      }
      const consent = f.querySelector<HTMLFieldSetElement>('#curated-consent')
      if (consent) consent.hidden = type !== 'person'
    }
    fill()
    f.querySelector('select[name=type]')!.addEventListener('change', fill)
    const out = f.querySelector('output')!
    f.addEventListener('input', () => { out.textContent = '' }) // the message was about the previous values
    const pick = (ev: { lngLat: { lng: number; lat: number } }) => {
      (f.elements.namedItem('lat') as HTMLInputElement).value = String(Math.round(ev.lngLat.lat * 1e6) / 1e6);
      (f.elements.namedItem('lon') as HTMLInputElement).value = String(Math.round(ev.lngLat.lng * 1e6) / 1e6)
      f.querySelector('#curated-point')!.textContent = `${T.point}: ${ev.lngLat.lat.toFixed(5)}, ${ev.lngLat.lng.toFixed(5)}`
      clearPick()
      pickMarker = new Marker({ color: '#d9540d' }).setLngLat(ev.lngLat).addTo(m)
    }
    if (!suggest) picking = pick
    const done = () => { if (picking === pick) picking = null; clearPick() }
    on('#curated-cancel', () => { done(); if (e) void showEntry(e.id).catch(showError); else home() })
    f.addEventListener('submit', (ev) => {
      ev.preventDefault()
      // validation before the request: the server checks the same again and names every problem
      const bad = [...f.querySelectorAll<HTMLInputElement>('input')].filter((i) => !i.checkValidity()).map((i) => i.name)
      if (bad.length) { out.textContent = `${bad.join(', ')}: ${T.required}`; f.querySelector<HTMLInputElement>(`[name="${bad[0]}"]`)?.focus(); return }
      const v = (n: string) => ((f.elements.namedItem(n) as HTMLInputElement | null)?.value ?? '').trim() || null
      const body: Record<string, unknown> = { name: v('name'), type: v('type'), subtype: v('subtype'), kommun: v('kommun') ?? '', street: v('street'),
        postcode: v('postcode'), city: v('city'), website: v('website'), description: v('description') }
      if (suggest) body.contact = v('contact')
      else {
        body.published = (f.elements.namedItem('published') as HTMLInputElement).checked
        if (v('lat') && v('lon')) { body.lat = Number(v('lat')); body.lon = Number(v('lon')) }
        Object.assign(body, { orgnr: v('orgnr'), openedOn: v('openedOn'), closedOn: v('closedOn'), source: v('source'),
          groups: (v('groups') ?? '').split(',').map((x) => x.trim()).filter(Boolean) })
        const attributes: Record<string, number> = {}
        for (const i of f.querySelectorAll<HTMLInputElement>('input[name^="attr:"]')) if (i.value !== '') attributes[i.name.slice(5)] = Number(i.value)
        body.attributes = attributes
        if (body.type === 'person') {
          // the consent as recorded now (the server stamps who and when; an unchanged one keeps its record)
          const given = (f.elements.namedItem('consentGiven') as HTMLInputElement).checked
          body.consent = given ? { fields: [...f.querySelectorAll<HTMLInputElement>('input[name=consentField]:checked')].map((i) => i.value) } : null
        }
      }
      // an edit carries the version it was made from: a change by someone else meanwhile is a 409 shown here
      const req = suggest ? send('POST', '/api/curated/suggestions', body) : e ? send('PATCH', `/api/curated/${e.id}`, { ...body, version: e.version }) : send('POST', '/api/curated', body)
      void req.then(async (r) => {
        done()
        if (suggest) { panel.innerHTML = `<p id="curated-thanks">${T.thanks}</p><div class="card-actions"><button class="btn small" id="curated-close">${T.close}</button></div>`; on('#curated-close', home); return }
        await refresh()
        await showEntry(Number(r!.id), (r!.warnings as string[] | undefined) ?? [])
      }).catch((err: Error) => { out.textContent = err.message })
    })
  }

  /** The moderation queue: the public's suggestions in the curator's län (all for an admin), accepted or rejected here. */
  async function queue () {
    const T = tx()
    const q = await send('GET', '/api/curated/suggestions?status=pending') as { items: Suggestion[] }
    mode('queue')
    panel.innerHTML = `<h3>${T.queue}</h3>${q.items.length ? '' : `<p class="hint" id="curated-queue-empty">${T.queueEmpty}</p>`}
      <ul id="curated-suggestions" class="curated-list">${q.items.map((x) => `<li data-suggestion="${x.id}"><b>${esc(x.name)}</b> · ${esc(typeName(x.type))}${x.subtype ? ` · ${esc(x.subtype)}` : ''}<br>
        ${esc(x.kommunName ?? x.kommunCode)}${x.street ? ` · ${esc(x.street)}` : ''}${x.city ? `, ${esc(x.city)}` : ''}
        ${x.website ? `<br><a href="${esc(x.website)}" rel="noopener nofollow" target="_blank">${esc(x.website)}</a>` : ''}
        ${x.description ? `<br><i>${esc(x.description)}</i>` : ''}${x.contact ? `<br><small>${T.contact}: ${esc(x.contact)}</small>` : ''}
        <br><small>${esc(new Date(x.at).toLocaleString())}</small>
        <div class="card-actions"><button class="btn small primary" data-accept="${x.id}">${T.accept}</button><button class="btn small" data-reject="${x.id}">${T.reject}</button></div></li>`).join('')}</ul>
      <p class="hint">${T.acceptHint}</p><div class="card-actions"><button class="btn small" id="curated-back">${T.back}</button></div>`
    on('#curated-back', home)
    for (const b of panel.querySelectorAll<HTMLButtonElement>('button[data-accept], button[data-reject]')) {
      b.addEventListener('click', () => {
        const accept = b.dataset.accept !== undefined
        const id = Number(accept ? b.dataset.accept : b.dataset.reject)
        b.disabled = true
        void send('POST', `/api/curated/suggestions/${id}/${accept ? 'accept' : 'reject'}`).then(async (r) => {
          if (accept) { await refresh(); await showEntry(Number(r!.entryId)) } else await queue()
        }).catch((err) => { b.disabled = false; showError(err) })
      })
    }
  }

  /** A staff list (CSV/XLSX) into the registry: upload with a progress bar, then the import's own events to its end. */
  function importer () {
    const T = tx()
    mode('import')
    panel.innerHTML = `<form id="curated-import" class="curated-form" novalidate><h3>${T.importTitle}</h3>
      <p class="hint">${T.importHint}</p>
      <input type="file" id="curated-import-file" accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
      <progress id="curated-import-progress" max="1" value="0" hidden></progress>
      <p id="curated-import-status" class="curated-line" role="status" aria-live="polite"></p>
      <div id="curated-import-result"></div>
      <div class="card-actions"><button class="btn small primary" type="submit" id="curated-import-start">${T.importStart}</button><button class="btn small" type="button" id="curated-back">${T.back}</button></div></form>`
    const f = panel.querySelector<HTMLFormElement>('#curated-import')!
    const input = f.querySelector<HTMLInputElement>('#curated-import-file')!
    const bar = f.querySelector<HTMLProgressElement>('progress')!
    const status = f.querySelector<HTMLElement>('#curated-import-status')!
    const result = f.querySelector<HTMLElement>('#curated-import-result')!
    const start = f.querySelector<HTMLButtonElement>('#curated-import-start')!
    on('#curated-back', home)
    const finish = (msg: string) => { start.disabled = false; status.textContent = msg }
    const follow = (id: number) => {
      const es = new EventSource(`/api/imports/${id}/events`)
      const show = (ev: MessageEvent, end: boolean) => {
        const p = JSON.parse(ev.data as string) as ImportEvent
        if (typeof p.fraction === 'number') bar.value = p.fraction
        if (!end) { status.textContent = T.importing.replace('{rows}', String(p.rows ?? 0)); return }
        es.close()
        if (p.status !== 'done' || !p.counts) { finish(`${T.importFailed}: ${p.message ?? p.status}`); return }
        bar.value = 1
        const c = p.counts
        finish(T.importDone.replace('{read}', String(c.read ?? 0)).replace('{imported}', String(c.imported ?? 0)).replace('{updated}', String(c.updated ?? 0))
          .replace('{unchanged}', String(c.unchanged ?? 0)).replace('{rejected}', String(c.rejected ?? 0)))
        result.innerHTML = c.rejected ? `<a class="btn small" id="curated-import-report" href="/api/imports/${id}/errors" download>${T.errorReport}</a>` : ''
        void refresh().catch(showError)
      }
      es.addEventListener('progress', (ev) => show(ev as MessageEvent, false))
      es.addEventListener('end', (ev) => show(ev as MessageEvent, true))
      es.onerror = () => { if (es.readyState === EventSource.CLOSED) finish(`${T.importFailed}: ${T.connectionLost}`) }
    }
    f.addEventListener('submit', (ev) => {
      ev.preventDefault()
      const file = input.files?.[0]
      if (!file) { status.textContent = T.noFile; return }
      const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv'
      start.disabled = true
      result.innerHTML = ''
      bar.hidden = false
      bar.value = 0
      const xhr = new XMLHttpRequest()
      // wait=false: the server answers 202 with the import's id once it has started; its events carry the progress
      xhr.open('POST', `/api/imports?${new URLSearchParams({ kind: 'curated', format, fileName: file.name, wait: 'false' }).toString()}`)
      if (who.csrfToken) xhr.setRequestHeader('x-csrf-token', who.csrfToken)
      xhr.setRequestHeader('content-type', 'application/octet-stream')
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) { bar.value = e.loaded / e.total; status.textContent = T.uploading.replace('{pct}', String(Math.round(100 * e.loaded / e.total))) }
      }
      xhr.onload = () => {
        const body = JSON.parse(xhr.responseText || 'null') as { id?: number; error?: { message: string } } | null
        if (xhr.status === 202 && body?.id) { bar.value = 0; follow(body.id); return }
        finish(`${T.importFailed}: ${body?.error?.message ?? String(xhr.status)}`)
      }
      xhr.onerror = () => finish(`${T.importFailed}: ${T.connectionLost}`)
      xhr.send(file)
    })
  }

  function renderTools () {
    const T = tx()
    if (panel.dataset.mode && panel.dataset.mode !== 'tools') return
    panel.innerHTML = `<label class="check"><input type="checkbox" id="curated-toggle" ${visible ? 'checked' : ''}> <b>${T.layer}</b></label>
      <div id="curated-legend" class="curated-legend">${taxonomy.types.map((t) => `<label class="check"><input type="checkbox" data-type="${t.code}"
        ${hiddenTypes.has(t.code) ? '' : 'checked'} ${visible ? '' : 'disabled'}>${ring(t.color)}${esc(getLang() === 'en' ? t.en : t.sv)}</label>`).join('')}
        ${editor() ? `<span>${ring('#8795a1', true)}${T.unpublished}</span>` : ''}</div>
      <div class="card-actions">${editor()
        ? `<button class="btn small primary" id="curated-new">${T.create}</button><button class="btn small" id="curated-queue">${T.queue}<span id="curated-queue-count"></span></button>
           <button class="btn small" id="curated-import-open">${T.importTitle}</button>`
        : ''}<button class="btn small" id="curated-suggest">${T.suggest}</button></div>`
    panel.querySelector('#curated-toggle')!.addEventListener('change', (ev) => {
      visible = (ev.target as HTMLInputElement).checked
      for (const b of panel.querySelectorAll<HTMLInputElement>('#curated-legend input[data-type]')) b.disabled = !visible
      showLayers()
    })
    for (const b of panel.querySelectorAll<HTMLInputElement>('#curated-legend input[data-type]')) {
      b.addEventListener('change', () => { if (b.checked) hiddenTypes.delete(b.dataset.type!); else hiddenTypes.add(b.dataset.type!); showLayers() })
    }
    on('#curated-new', () => form())
    on('#curated-queue', () => { void queue().catch(showError) })
    on('#curated-import-open', importer)
    on('#curated-suggest', () => form(undefined, true))
    if (editor()) {
      // how many suggestions wait, on the button that opens the queue
      void send('GET', '/api/curated/suggestions?status=pending').then((q) => {
        const n = (q as { items: unknown[] }).items.length
        const c = panel.querySelector('#curated-queue-count')
        if (c) c.textContent = n ? ` (${n})` : ''
      }).catch(() => undefined)
    }
  }

  const ready = (async () => {
    taxonomy = await (await fetch('/api/curated/taxonomy')).json() as Taxonomy
    who = await (await fetch('/api/session')).json() as Who
    await atlas.ready
    await refresh()
    renderTools()
  })()
  ready.catch(showError)
  Object.assign(window, { __kkbCurated: { ready, refresh } })
  return { deps: ['lang'], async render () { await ready; renderTools() } }
}
