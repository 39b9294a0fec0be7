// Printing (issue #21): a WebGL canvas prints blank (its drawing buffer is cleared after each frame), so the map is
// printed as a picture. With a region selected the picture is the region itself, drawn by a hidden copy of the map
// fitted to it (map/picture.ts), whatever the screen shows; it is taken when the region, its colours or the language
// change, ahead of printing, so print paths that fire no `beforeprint` (a PDF made by the browser's DevTools protocol)
// have it too. Without a region the screen's map is printed: its picture is taken synchronously in `beforeprint`
// (map.redraw() draws a frame and the buffer is read in the same task). The print stylesheet
// (styles.css, @media print) shows the picture instead of the map, the card and its charts below it on A4, and a line
// on every page with the definition, its version and the data's date (an @page margin box).
import { $, type Ctx, type View } from '../context'
import { regionPicture } from '../map/picture'
import { date, t } from '../ui/i18n'

export function printView ({ store, atlas, boot }: Ctx): View {
  const img = $('print-map') as HTMLImageElement
  /** the screen's map as a picture; valid only right after a frame was drawn (the drawing buffer is not kept) */
  const grab = () => {
    try {
      img.src = atlas.map.getCanvas().toDataURL('image/png')
      img.alt = t('printMapAlt')
      delete img.dataset.region
    } catch { /* a lost context leaves the previous picture */ }
  }
  // printing without a region: draw a frame now and read it in the same task
  addEventListener('beforeprint', () => { if (!store.get().region) { atlas.map.redraw(); grab() } })
  // with a region: its own picture, redrawn (after a pause, the latest request winning) when what it shows changes
  let wanted = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  const picture = (code: string, key: string) => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      if (!atlas.map.loaded()) await new Promise((resolve) => atlas.map.once('idle', resolve))
      if (key !== wanted) return
      const src = await regionPicture(atlas, code)
      if (key !== wanted || !src) return
      img.src = src
      img.alt = `${t('printMapAlt')}: ${boot.names.get(code) ?? code}`
      img.dataset.region = code
    }, 400)
  }
  return {
    deps: ['lang', 'region', 'figures', 'definition', 'view', 'measure', 'classes', 'kind'],
    render (s) {
      const key = JSON.stringify([s.region, s.figures?.res.meta.dataVersion, s.figures?.level, s.figures?.lan, s.figures?.branch, s.figures?.year,
        s.measure, s.classes, s.kind, s.definition.id])
      if (s.region && s.view === 'map' && key !== wanted) { wanted = key; picture(s.region, key) }
      if (!s.region) { wanted = ''; img.removeAttribute('src'); delete img.dataset.region }
      if (img.dataset.region) img.alt = `${t('printMapAlt')}: ${boot.names.get(img.dataset.region) ?? img.dataset.region}`
      const meta = s.figures?.res.meta
      const def = s.definition
      const line = [
        `KKB Atlas · ${t('definition')}: ${def.name} (${def.id}, version ${def.version})`,
        meta ? `${t('printData')}: ${meta.synthetic ? `${t('noticeDemo')}, ` : ''}${date(meta.generatedAt)}` : null,
        location.href,
      ].filter(Boolean).join(' · ')
      // a margin box of every printed page carries the line (a fixed element would overlap the page's content)
      $('print-page').textContent = `@media print { @page { @bottom-left { content: ${cssString(line)}; font-size: 7pt; color: #55616d; }`
        + ' @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #55616d; white-space: nowrap; width: 3em; } } }'
    },
  }
}

/** A CSS string literal of any text (quotes, backslashes and line breaks escaped). */
const cssString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r]/g, ' ')}"`
