// Printing (issue #21): a WebGL canvas prints blank (its drawing buffer is cleared after each frame), so the map is
// printed as a picture of itself. The picture is taken synchronously in `beforeprint` (map.redraw() draws a frame and
// the buffer is read in the same task), and kept fresh after the map settles while a region is selected, for print
// paths that fire no `beforeprint` (a PDF made by the browser's DevTools protocol). The print stylesheet
// (styles.css, @media print) shows the picture instead of the map, the card and its charts below it on A4, and a line
// on every page with the definition, its version and the data's date (an @page margin box).
import { $, type Ctx, type View } from '../context'
import { date, t } from '../ui/i18n'

export function printView ({ store, atlas, boot }: Ctx): View {
  const img = $('print-map') as HTMLImageElement
  let stale = true
  /** the canvas as a picture; valid only right after a frame was drawn (the drawing buffer is not kept) */
  const grab = () => {
    try {
      img.src = atlas.map.getCanvas().toDataURL('image/png')
      const r = store.get().region
      img.alt = r ? `${t('printMapAlt')}: ${boot.names.get(r) ?? r}` : t('printMapAlt')
      stale = false
    } catch { /* a lost context leaves the previous picture */ }
  }
  // printing: draw a frame now and read it in the same task
  addEventListener('beforeprint', () => { atlas.map.redraw(); grab() })
  // after the map settles with a region selected (what a printed regional profile shows): read the next frame as it is
  // drawn, once per settling (a redraw inside an idle handler would nest MapLibre's render loop)
  atlas.map.on('move', () => { stale = true })
  atlas.map.on('idle', () => {
    if (!stale || !store.get().region || store.get().view !== 'map') return
    stale = false
    atlas.map.once('render', grab)
    atlas.map.triggerRepaint()
  })
  return {
    deps: ['lang', 'region', 'figures', 'definition', 'view'],
    render (s) {
      stale = true
      if (s.region) atlas.map.triggerRepaint() // an idle follows: the picture shows the selected region's outline
      const meta = s.figures?.res.meta
      const def = s.definition
      const line = [
        `KKB Atlas · ${t('definition')}: ${def.name} (${def.id}, version ${def.version})`,
        meta ? `${t('printData')}: ${meta.synthetic ? `${t('noticeDemo')}, ` : ''}${date(meta.generatedAt)}` : null,
        location.href,
      ].filter(Boolean).join(' · ')
      // a margin box of every printed page carries the line (a fixed element would overlap the page's content)
      $('print-page').textContent = `@media print { @page { @bottom-left { content: ${cssString(line)}; font-size: 7pt; color: #55616d; }`
        + ' @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #55616d; } } }'
    },
  }
}

/** A CSS string literal of any text (quotes, backslashes and line breaks escaped). */
const cssString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r]/g, ' ')}"`
