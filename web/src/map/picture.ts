// A picture of the map fitted to one region, for the printed regional profile (issue #21): the page prints the selected
// region, not whatever the screen happens to show (the whole country, another corner). Drawn by a second, hidden map
// with the atlas's current style, colours and images, so the user's own map never moves; the copy is removed once read.
import { Map as MlMap } from 'maplibre-gl'
import { BACKGROUND } from './colors'
import type { AtlasMap } from './create-map'

/** The region's picture as a PNG data URL (null for an unknown region or a lost WebGL context). */
export async function regionPicture (atlas: AtlasMap, code: string, size = { width: 640, height: 520 }): Promise<string | null> {
  const bounds = atlas.regionBounds(code)
  if (!bounds) return null
  const box = document.createElement('div')
  box.setAttribute('aria-hidden', 'true')
  box.style.cssText = `position:fixed;left:-20000px;top:0;width:${size.width}px;height:${size.height}px;pointer-events:none`
  document.body.append(box)
  let m: MlMap | undefined
  try {
    m = new MlMap({
      container: box, style: atlas.map.getStyle(), bounds, fitBoundsOptions: { padding: 28, maxZoom: 10 }, interactive: false,
      attributionControl: false, fadeDuration: 0, pixelRatio: 2, canvasContextAttributes: { preserveDrawingBuffer: true },
    })
    atlas.copyImages(m)
    const copy = m
    await new Promise<void>((resolve) => copy.once('load', () => resolve()))
    atlas.copyColours(copy)
    // a tile that never arrives must not hold the picture forever: after 20 s it is taken as it stands
    await Promise.race([new Promise<void>((resolve) => copy.once('idle', () => resolve())), new Promise((resolve) => setTimeout(resolve, 20_000))])
    copy.redraw()
    // the style has no background layer (the sea is the container's colour): paint it under the map
    const gl = copy.getCanvas()
    const out = document.createElement('canvas')
    out.width = gl.width; out.height = gl.height
    const g = out.getContext('2d')!
    g.fillStyle = BACKGROUND
    g.fillRect(0, 0, out.width, out.height)
    g.drawImage(gl, 0, 0)
    return out.toDataURL('image/png')
  } catch {
    return null
  } finally {
    m?.remove()
    box.remove()
  }
}
