// The choropleth: the loaded key figures classed and painted on the regions (feature-state), with the legend, the
// map's accessible name and the test hook body[data-figures].
import { $, type AppState, type Ctx, type View } from '../context'
import { classIndex, classify } from '../map/classify'
import { NO_DATA, SUPPRESSED_BASE } from '../map/colors'
import type { RegionPaint } from '../map/create-map'
import { fieldLabel, formatValue, suppressionOf, type Field } from '../ui/format'
import { t } from '../ui/i18n'
import { renderLegend } from '../ui/legend'
import { branchLabel, levelPlural } from './labels'

/** `painted` resolves after the first paint (the app's first-paint mark waits for it). */
export function choroplethView ({ atlas }: Ctx, hook: { rendered: number }): View & { painted: Promise<void> } {
  let firstPaint!: () => void
  const painted = new Promise<void>((resolve) => { firstPaint = resolve })
  return {
    painted,
    deps: ['lang', 'figures', 'measure', 'classes', 'kind', 'edu', 'definition', 'groupColors'],
    async render (s) {
      const figures = s.figures
      if (!figures) return
      await atlas.ready
      const { level, res } = figures
      const field: Field = s.measure
      const values: number[] = []
      let suppressed = 0; let missing = 0
      for (const r of res.rows) {
        const v = r[field] as number | null
        if (suppressionOf(r, field)) suppressed++
        else if (v === null) missing++
        else values.push(v)
      }
      const classes = classify(values, s.classes)
      const paint = new Map<string, RegionPaint>()
      for (const r of res.rows) {
        const v = r[field] as number | null
        const sup = !!suppressionOf(r, field)
        const color = v === null || sup ? (sup ? SUPPRESSED_BASE : NO_DATA) : classes.colors[classIndex(classes.breaks, v)]
        paint.set(r.regionCode, { suppressed: sup, color })
      }
      atlas.setLevel(level)
      atlas.paint(level, paint)
      renderLegend($('legend'), {
        title: fieldLabel(field),
        subtitle: `${branchLabel(s.definition, figures.branch, false)} · ${levelPlural(level)} · ${figures.year ?? ''} · ${t(s.classes)}`,
        field, classes, suppressed, missing,
        actors: s.kind === 'none' ? null : s.definition.groups.map((g) => ({ name: g.name, color: s.groupColors[g.code] })),
        education: s.edu,
      })
      $('map-heading').textContent = t('mapLabel', { measure: fieldLabel(field), level: levelPlural(level) })
      atlas.map.getCanvas().setAttribute('aria-label', $('map-heading').textContent ?? '')
      hook.rendered++
      firstPaint()
      document.body.dataset.figures = `${level}|${figures.branch}|${s.measure}|${s.classes}|${figures.year}|${figures.definition}`
    },
  }
}

/** The map's tooltip over a region: its name and the painted measure's value. */
export function hoverText (s: AppState, names: Map<string, string>, code: string): string {
  const row = s.figures?.byCode.get(code)
  const value = row ? (suppressionOf(row, s.measure) ? t('suppressed') : formatValue(s.measure, row[s.measure])) : '–'
  return `${names.get(code) ?? code}: ${value}`
}
