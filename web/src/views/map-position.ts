// The map's camera from the state: Back/Forward (or an edited link) moves the map, while the map's own moves only
// echo into the state. The map is resized when it comes back from under the table.
import type { Ctx, View } from '../context'

export function mapPositionView ({ atlas }: Ctx): View {
  let lastView: string | null = null
  let lastMap = ''
  return {
    deps: ['map', 'view'],
    render (s) {
      if (s.view === 'map' && lastView === 'table') atlas.map.resize()
      lastView = s.view
      const map = JSON.stringify(s.map)
      if (!s.map || map === lastMap) return
      lastMap = map
      const c = atlas.map.getCenter()
      if (Math.abs(c.lng - s.map.lon) > 1e-3 || Math.abs(c.lat - s.map.lat) > 1e-3 || Math.abs(atlas.map.getZoom() - s.map.zoom) > 0.01) {
        atlas.map.jumpTo({ center: [s.map.lon, s.map.lat], zoom: s.map.zoom })
      }
    },
  }
}
