// The curated registry on the map (issue #16): one circle layer per entry type, each with its own colour from the
// taxonomy (no sprites or fonts), a card per entry, and for a signed-in curator or admin: a create/edit form with
// validation, dragging a point to move the entry, the history with restore; for everyone a "suggest a missing place" form.
// Everything goes through the API as the signed-in session sees it (unpublished entries only reach their curators).
import type { GeoJSONSource, MapLayerMouseEvent } from 'maplibre-gl'
import type { Ctx, View } from '../context'
import { getLang } from '../ui/i18n'

interface Taxonomy { types: Array<{ code: string; sv: string; en: string; color: string; subtypes: string[] }> }
interface Who { role: string; name: string; lan: string[]; csrfToken: string | null }
interface Entry {
  id: number; name: string; type: string; subtype: string | null; kommunCode: string; kommunName?: string; street: string | null
  postcode: string | null; city: string | null; website: string | null; description: string | null; published: boolean; synthetic: boolean
  lat: number | null; lon: number | null; version: number; editable: boolean; locationPrecision: string
}

const TXT = {
  sv: { layer: 'Kurerade platser', create: 'Ny post', save: 'Spara', cancel: 'Avbryt', edit: 'Redigera', history: 'Historik', restore: 'Återställ',
    name: 'Namn', type: 'Typ', subtype: 'Undertyp', kommun: 'Kommun (kod)', street: 'Gatuadress', postcode: 'Postnummer', city: 'Postort',
    website: 'Webbplats', description: 'Beskrivning', published: 'Publicerad', unpublished: 'Ej publicerad', demo: 'Demodata (syntetisk)',
    drag: 'Dra punkten på kartan för att flytta posten', moved: 'Flyttad', suggest: 'Föreslå en plats som saknas', send: 'Skicka',
    thanks: 'Tack! Förslaget går till länets kuratorer.', required: 'krävs', close: 'Stäng', clickMap: 'Klicka på kartan där posten ligger (valfritt)' },
  en: { layer: 'Curated places', create: 'New entry', save: 'Save', cancel: 'Cancel', edit: 'Edit', history: 'History', restore: 'Restore',
    name: 'Name', type: 'Type', subtype: 'Subtype', kommun: 'Kommun (code)', street: 'Street', postcode: 'Postcode', city: 'Town',
    website: 'Website', description: 'Description', published: 'Published', unpublished: 'Not published', demo: 'Demo data (synthetic)',
    drag: 'Drag the point on the map to move the entry', moved: 'Moved', suggest: 'Suggest a missing place', send: 'Send',
    thanks: 'Thank you! The suggestion goes to the curators of the län.', required: 'required', close: 'Close', clickMap: 'Click the map where the entry is (optional)' },
}
const tx = () => TXT[getLang() === 'en' ? 'en' : 'sv']

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function curatedView ({ atlas, showError }: Ctx): View {
  const m = atlas.map
  let taxonomy: Taxonomy = { types: [] }
  let who: Who = { role: 'public', name: 'public', lan: [], csrfToken: null }
  let visible = new URLSearchParams(location.search).get('curated') !== '0'
  const panel = document.createElement('section')
  panel.id = 'curated-panel'
  panel.className = 'curated-panel'
  panel.setAttribute('aria-label', 'curated')
  panel.style.cssText = 'position:absolute;right:8px;bottom:32px;z-index:5;max-width:340px;max-height:70vh;overflow:auto;background:#fff;' +
    'border:1px solid #ccc;border-radius:6px;padding:8px;font:13px system-ui,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.2)'
  document.body.append(panel)

  const send = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(who.csrfToken ? { 'x-csrf-token': who.csrfToken } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body) })
    const json = res.status === 204 ? null : await res.json().catch(() => null) as Record<string, unknown> | null
    if (!res.ok) throw new Error((json?.error as { message?: string } | undefined)?.message ?? `${res.status}`)
    return json
  }
  const editor = () => who.role === 'curator' || who.role === 'admin'

  async function refresh () {
    const src = m.getSource('curated') as GeoJSONSource | undefined
    // no cache: a curator's own edits show at once
    const data = await (await fetch(`/api/actors?kind=curated&format=geojson&status=all&_=${Date.now()}`)).json() as GeoJSON.FeatureCollection
    if (src) src.setData(data)
    else {
      m.addSource('curated', { type: 'geojson', data })
      const colors: unknown[] = ['match', ['get', 'type']]
      for (const t of taxonomy.types) colors.push(t.code, t.color)
      colors.push('#525252')
      for (const t of taxonomy.types) {
        // one layer per type: its own symbol (colour; dashed ring when unpublished), toggled with the layer checkbox
        m.addLayer({ id: `curated-${t.code}`, type: 'circle', source: 'curated', filter: ['==', ['get', 'type'], t.code],
          layout: { visibility: visible ? 'visible' : 'none' },
          paint: { 'circle-radius': 7, 'circle-color': t.color, 'circle-stroke-width': ['case', ['get', 'published'], 2, 3],
            'circle-stroke-color': ['case', ['get', 'published'], '#ffffff', '#111111'], 'circle-opacity': ['case', ['get', 'synthetic'], 0.7, 1] } })
        m.on('click', `curated-${t.code}`, (e: MapLayerMouseEvent) => { const f = e.features?.[0]; if (f) void showEntry(Number(f.properties.id)).catch(showError) })
        m.on('mousedown', `curated-${t.code}`, (e: MapLayerMouseEvent) => startDrag(e))
      }
    }
  }

  // dragging: a curator presses on a point they may edit, moves it, and on release the new point is saved (PATCH lat/lon)
  function startDrag (e: MapLayerMouseEvent) {
    const f = e.features?.[0]
    // the list carries no edit right: the admin may move anything, a curator what lies in their län (the server checks again)
    if (!f || !editor() || (who.role !== 'admin' && !who.lan.includes(String(f.properties.lanCode)))) return
    e.preventDefault()
    const id = Number(f.properties.id)
    const src = m.getSource('curated') as GeoJSONSource
    const data = (src as unknown as { _data: GeoJSON.FeatureCollection })._data
    const feat = typeof data === 'object' ? data.features.find((x) => Number(x.properties?.id) === id) : undefined
    m.dragPan.disable()
    const move = (ev: { lngLat: { lng: number; lat: number } }) => {
      if (feat) { (feat.geometry as GeoJSON.Point).coordinates = [ev.lngLat.lng, ev.lngLat.lat]; src.setData(data) }
    }
    m.on('mousemove', move)
    m.once('mouseup', (ev) => {
      m.off('mousemove', move)
      m.dragPan.enable()
      const { lng, lat } = ev.lngLat
      void send('PATCH', `/api/curated/${id}`, { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lng * 1e6) / 1e6 })
        .then(() => { panel.dataset.moved = String(id); return showEntry(id) }).then(refresh).catch((err) => { showError(err); void refresh() })
    })
  }

  function typeName (code: string) { const t = taxonomy.types.find((x) => x.code === code); return t ? (getLang() === 'en' ? t.en : t.sv) : code }

  async function showEntry (id: number) {
    const e = await send('GET', `/api/curated/${id}`) as unknown as Entry
    const T = tx()
    panel.innerHTML = `<h3 style="margin:0 0 4px">${esc(e.name)}</h3>
      <div>${esc(typeName(e.type))}${e.subtype ? ` · ${esc(e.subtype)}` : ''}</div>
      <div>${esc(e.kommunName ?? e.kommunCode)}${e.street ? ` · ${esc(e.street)}` : ''}${e.city ? `, ${esc(e.city)}` : ''}</div>
      ${e.website ? `<div><a href="${esc(e.website)}" rel="noopener" target="_blank">${esc(e.website)}</a></div>` : ''}
      ${e.description ? `<p>${esc(e.description)}</p>` : ''}
      <div class="curated-flags">${e.published ? T.published : `<b>${T.unpublished}</b>`}${e.synthetic ? ` · ${T.demo}` : ''}</div>
      ${e.editable ? `<p><small>${T.drag}</small></p><button id="curated-edit">${T.edit}</button> <button id="curated-history">${T.history}</button>` : ''}
      <button id="curated-close">${T.close}</button>`
    panel.dataset.entry = String(id)
    panel.querySelector('#curated-close')?.addEventListener('click', () => { panel.innerHTML = ''; renderTools() })
    panel.querySelector('#curated-edit')?.addEventListener('click', () => form(e))
    panel.querySelector('#curated-history')?.addEventListener('click', () => { void history(id).catch(showError) })
  }

  async function history (id: number) {
    const h = await send('GET', `/api/curated/${id}/history`) as { items: Array<{ version: number; at: string; who: string; action: string; changes: Record<string, { old: unknown; new: unknown }> }> }
    const T = tx()
    panel.innerHTML = `<h3 style="margin:0 0 4px">${T.history}</h3><ol reversed id="curated-versions">${h.items.map((v) => `<li>v${v.version} ${esc(v.action)} · ${esc(v.who)} · ${esc(new Date(v.at).toLocaleString())}
      <ul>${Object.entries(v.changes).map(([k, c]) => `<li>${esc(k)}: ${esc(JSON.stringify(c.old))} → ${esc(JSON.stringify(c.new))}</li>`).join('')}</ul>
      <button data-version="${v.version}">${T.restore} v${v.version}</button></li>`).join('')}</ol><button id="curated-back">${T.close}</button>`
    panel.querySelector('#curated-back')?.addEventListener('click', () => { void showEntry(id) })
    for (const b of panel.querySelectorAll<HTMLButtonElement>('button[data-version]')) {
      b.addEventListener('click', () => { void send('POST', `/api/curated/${id}/restore`, { version: Number(b.dataset.version) }).then(() => showEntry(id)).then(refresh).catch(showError) })
    }
  }

  /** Create or edit form; `suggest` is the public suggestion form (no publish flag, goes to the moderation queue). */
  function form (e?: Entry, suggest = false) {
    const T = tx()
    const types = taxonomy.types.filter((t) => !suggest || t.code !== 'person')
    const sub = (type: string) => taxonomy.types.find((t) => t.code === type)?.subtypes ?? []
    panel.innerHTML = `<form id="curated-form" novalidate><h3 style="margin:0 0 4px">${suggest ? T.suggest : e ? T.edit : T.create}</h3>
      <label>${T.name} <input name="name" required maxlength="500" value="${esc(e?.name)}"></label><br>
      <label>${T.type} <select name="type">${types.map((t) => `<option value="${t.code}" ${e?.type === t.code ? 'selected' : ''}>${esc(getLang() === 'en' ? t.en : t.sv)}</option>`).join('')}</select></label><br>
      <label>${T.subtype} <input name="subtype" list="curated-subtypes" value="${esc(e?.subtype)}"></label><datalist id="curated-subtypes"></datalist><br>
      <label>${T.kommun} <input name="kommun" required pattern="\\d{4}" value="${esc(e?.kommunCode)}"></label><br>
      <label>${T.street} <input name="street" value="${esc(e?.street)}"></label><br>
      <label>${T.postcode} <input name="postcode" pattern="\\d{3} ?\\d{2}" value="${esc(e?.postcode)}"></label><br>
      <label>${T.city} <input name="city" value="${esc(e?.city)}"></label><br>
      <label>${T.website} <input name="website" type="url" value="${esc(e?.website)}"></label><br>
      <label>${T.description} <textarea name="description">${esc(e?.description)}</textarea></label><br>
      ${suggest ? '' : `<label><input name="published" type="checkbox" ${e?.published ? 'checked' : ''}> ${T.published}</label><br><small>${T.clickMap}</small><br>`}
      <input name="lat" type="hidden" value="${esc(e?.lat)}"><input name="lon" type="hidden" value="${esc(e?.lon)}">
      <output id="curated-errors" style="color:#b91c1c;display:block"></output>
      <button type="submit">${suggest ? T.send : T.save}</button> <button type="button" id="curated-cancel">${T.cancel}</button></form>`
    const f = panel.querySelector<HTMLFormElement>('#curated-form')!
    const fill = () => { f.querySelector('#curated-subtypes')!.innerHTML = sub((f.elements.namedItem('type') as HTMLSelectElement).value).map((s) => `<option value="${esc(s)}">`).join('') }
    fill()
    f.querySelector('select[name=type]')!.addEventListener('change', fill)
    const pick = (ev: { lngLat: { lng: number; lat: number } }) => {
      (f.elements.namedItem('lat') as HTMLInputElement).value = String(Math.round(ev.lngLat.lat * 1e6) / 1e6);
      (f.elements.namedItem('lon') as HTMLInputElement).value = String(Math.round(ev.lngLat.lng * 1e6) / 1e6)
    }
    if (!suggest) m.on('click', pick)
    const done = () => { m.off('click', pick) }
    panel.querySelector('#curated-cancel')!.addEventListener('click', () => { done(); panel.innerHTML = ''; renderTools() })
    f.addEventListener('submit', (ev) => {
      ev.preventDefault()
      const out = f.querySelector('output')!
      // validation before the request: the server checks the same again and names every problem
      const bad = [...f.querySelectorAll<HTMLInputElement>('input')].filter((i) => !i.checkValidity()).map((i) => i.name)
      if (bad.length) { out.textContent = `${bad.join(', ')}: ${T.required}`; return }
      const v = (n: string) => ((f.elements.namedItem(n) as HTMLInputElement | null)?.value ?? '').trim() || null
      const body: Record<string, unknown> = { name: v('name'), type: v('type'), subtype: v('subtype'), kommun: v('kommun') ?? '', street: v('street'),
        postcode: v('postcode'), city: v('city'), website: v('website'), description: v('description') }
      if (!suggest) {
        body.published = (f.elements.namedItem('published') as HTMLInputElement).checked
        if (v('lat') && v('lon')) { body.lat = Number(v('lat')); body.lon = Number(v('lon')) }
      }
      const req = suggest ? send('POST', '/api/curated/suggestions', body) : e ? send('PATCH', `/api/curated/${e.id}`, body) : send('POST', '/api/curated', body)
      void req.then(async (r) => {
        done()
        if (suggest) { panel.innerHTML = `<p id="curated-thanks">${T.thanks}</p>`; return }
        await refresh()
        await showEntry(Number(r!.id))
      }).catch((err: Error) => { out.textContent = err.message })
    })
  }

  function renderTools () {
    const T = tx()
    if (panel.dataset.entry && panel.innerHTML) return
    panel.innerHTML = `<label><input type="checkbox" id="curated-toggle" ${visible ? 'checked' : ''}> ${T.layer}</label>
      <div id="curated-legend">${taxonomy.types.map((t) => `<span style="display:inline-flex;align-items:center;gap:3px;margin-right:6px">
        <svg width="12" height="12"><circle cx="6" cy="6" r="5" fill="${t.color}"/></svg>${esc(getLang() === 'en' ? t.en : t.sv)}</span>`).join('')}</div>
      ${editor() ? `<button id="curated-new">${T.create}</button>` : ''} <button id="curated-suggest">${T.suggest}</button>`
    panel.querySelector('#curated-toggle')!.addEventListener('change', (ev) => {
      visible = (ev.target as HTMLInputElement).checked
      for (const t of taxonomy.types) if (m.getLayer(`curated-${t.code}`)) m.setLayoutProperty(`curated-${t.code}`, 'visibility', visible ? 'visible' : 'none')
    })
    panel.querySelector('#curated-new')?.addEventListener('click', () => form())
    panel.querySelector('#curated-suggest')!.addEventListener('click', () => form(undefined, true))
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
  return { deps: ['lang'], async render () { await ready; if (!panel.dataset.entry) renderTools() } }
}
