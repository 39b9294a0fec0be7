// How the region card's charts read a measure from a key-figure row: shares in percent, a suppressed value as null,
// and the digits each measure is shown with. Shared by the trend chart (region-charts.ts) and the ranked bars
// (ranked-figure.ts), so both show the same value for the same row; and the one choice of a chart's measure.
import type { KeyFigureRow } from '../api/types'
import { SERIES_MEASURES, type SeriesMeasure } from '../state/fields'
import { h } from '../ui/dom'
import { fieldLabel, suppressionOf } from '../ui/format'

export const DIGITS: Record<SeriesMeasure, number> = { companies: 0, per10k: 1, shareCompanies: 1, lqCompanies: 2, employees: 0, turnover: 0 }

/** A row's value of a measure as the chart shows it (shares in percent); null when suppressed or unknown. */
export function valueOf (row: KeyFigureRow | undefined, m: SeriesMeasure): number | null {
  if (!row || suppressionOf(row, m)) return null
  const v = row[m]
  if (v === null || v === undefined) return null
  return m === 'shareCompanies' ? v * 100 : v
}

/** The unit a measure's values carry in a chart (shares are shown in percent). */
export const unitOf = (m: SeriesMeasure): string | undefined => (m === 'shareCompanies' ? '%' : undefined)

export const round = (v: number, digits: number) => Number(v.toFixed(digits))

/** The choice of a chart's measure (the trend chart's, the ranked bars'): `id` is also its test id. */
export const measureSelect = (id: string, measure: SeriesMeasure, onMeasure: (m: SeriesMeasure) => void) =>
  h('select', { id, 'data-testid': id, onchange: (e: Event) => onMeasure((e.target as HTMLSelectElement).value as SeriesMeasure) },
    SERIES_MEASURES.map((m) => h('option', { value: m, selected: m === measure }, fieldLabel(m))))
