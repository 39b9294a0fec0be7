// The choropleth: the loaded key figures classed and painted on the regions (feature-state), with the legend, the
// map's accessible name and the test hook body[data-figures].
import { $, type AppState, type Ctx, type View } from '../context'
import { classIndex, classify } from '../map/classify'
import { NO_DATA, OUTSIDE, SUPPRESSED_BASE } from '../map/colors'
import type { RegionPaint } from '../map/create-map'
import { fieldLabel, formatValue, suppressionOf, type Field } from '../ui/format'
import { t } from '../ui/i18n'
import { renderLegend } from '../ui/legend'
import { isPeopleMeasure, PEOPLE_FIELD } from '../state/measures'
import { branchLabel, levelPlural } from './labels'

/** `painted` resolves after the first paint (the app's first-paint mark waits for it). */
export function choroplethView ({ atlas, boot }: Ctx, hook: { rendered: number }): View & { painted: Promise<void> } {
  let firstPaint!: () => void
  const painted = new Promise<void>((resolve) => { firstPaint = resolve })
  return {
    painted,
    deps: ['lang', 'figures', 'people', 'measure', 'classes', 'kind', 'edu', 'definition', 'groupColors'],
    async render (s) {
      const figures = s.figures
      if (!figures) return
      // a people measure paints the occupation table's rows (people by workplace region), not the companies'
      const people = isPeopleMeasure(s.measure) ? s.people : null
      if (isPeopleMeasure(s.measure) && !people) return
      await atlas.ready
      const { level, res } = figures
      const field: Field = s.measure
      const rows: Array<{ code: string; value: number | null; suppressed: boolean }> = people
        ? people.res.rows.map((r) => ({ code: r.regionCode, value: r[PEOPLE_FIELD[s.measure as keyof typeof PEOPLE_FIELD]], suppressed: false }))
        : res.rows.map((r) => ({ code: r.regionCode, value: r[field as keyof typeof r] as number | null, suppressed: !!suppressionOf(r, field) }))
      const values: number[] = []
      let suppressed = 0; let missing = 0
      for (const r of rows) {
        if (r.suppressed) suppressed++
        else if (r.value === null) missing++
        else values.push(r.value)
      }
      const classes = classify(values, s.classes)
      const paint = new Map<string, RegionPaint>()
      for (const r of rows) {
        const color = r.value === null || r.suppressed ? (r.suppressed ? SUPPRESSED_BASE : NO_DATA) : classes.colors[classIndex(classes.breaks, r.value)]
        paint.set(r.code, { suppressed: r.suppressed, color })
      }
      // following a län: its kommuner are classed among themselves; the others stay on the map, pale, for orientation
      const lan = people ? null : figures.lan
      if (lan) for (const f of boot.kommun.features) if (!paint.has(f.properties.code)) paint.set(f.properties.code, { suppressed: false, color: OUTSIDE })
      atlas.focusLan(lan)
      atlas.setLevel(people?.level ?? level)
      atlas.paint(people?.level ?? level, paint)
      renderLegend($('legend'), {
        title: fieldLabel(field),
        subtitle: people
          ? `${t('peopleCounts')} · ${levelPlural(people.level)} · ${people.year ?? ''} · ${people.res.table.source}${people.res.table.synthetic ? ` · ${t('peopleSynthetic')}` : ''} · ${t(s.classes)}`
          : `${branchLabel(s.definition, figures.branch, false)} · ${lan ? t('kommunerIn', { lan: boot.names.get(lan) ?? lan }) : levelPlural(level)} · ${figures.year ?? ''} · ${t(s.classes)}`,
        field, classes, suppressed, missing,
        actors: s.kind === 'none' ? null : s.definition.groups.map((g) => ({ name: g.name, color: s.groupColors[g.code] })),
        education: s.edu,
      })
      $('map-heading').textContent = t('mapLabel', { measure: fieldLabel(field), level: levelPlural(level) })
      atlas.map.getCanvas().setAttribute('aria-label', $('map-heading').textContent ?? '')
      hook.rendered++
      firstPaint()
      document.body.dataset.figures = people ? `${people.level}|people|${s.measure}|${s.classes}|${people.year}|${people.res.table.id}`
        : `${level}|${figures.branch}|${s.measure}|${s.classes}|${figures.year}|${figures.definition}${lan ? `|lan=${lan}` : ''}`
    },
  }
}

/** The map's tooltip over a region: its name and the painted measure's value. */
export function hoverText (s: AppState, names: Map<string, string>, code: string): string {
  if (isPeopleMeasure(s.measure)) {
    const p = s.people?.byCode.get(code)
    return `${names.get(code) ?? code}: ${p ? formatValue(s.measure, p[PEOPLE_FIELD[s.measure]]) : '–'}`
  }
  const row = s.figures?.byCode.get(code)
  const value = row ? (suppressionOf(row, s.measure) ? t('suppressed') : formatValue(s.measure, row[s.measure as keyof typeof row] as number | null)) : '–'
  return `${names.get(code) ?? code}: ${value}`
}
