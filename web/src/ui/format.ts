// How each key figure is shown: label, digits, percent. Shared by the legend, the cards and the tables.
import type { KeyFigureRow } from '../api/types'
import { num, pct, t, type Key } from './i18n'

export type Field = 'companies' | 'companiesAll' | 'per10k' | 'shareCompanies' | 'lqCompanies' | 'employees' | 'shareEmployees'
  | 'lqEmployees' | 'workplaces' | 'turnover' | 'valueAdded' | 'companiesChange' | 'companiesChangePct' | 'population'
  | 'people' | 'peoplePer10k' | 'peopleShare' | 'peopleLq'

const DIGITS: Partial<Record<Field, number>> = { per10k: 1, lqCompanies: 2, lqEmployees: 2, companiesChangePct: 1, peoplePer10k: 1, peopleLq: 2 }
const SHARE = new Set<Field>(['shareCompanies', 'shareEmployees', 'peopleShare'])

export const fieldLabel = (f: Field) => t(`m_${f}` as Key)

/** Format a value of a field; digits can be raised for the legend. */
export function formatValue (f: Field, v: number | null | undefined, extraDigits = 0): string {
  if (v === null || v === undefined) return '–'
  if (SHARE.has(f)) return pct(v, 1 + extraDigits)
  const s = num(v, (DIGITS[f] ?? 0) + extraDigits)
  return f === 'companiesChangePct' ? `${s} %` : s
}

/** Which suppression flag (if any) applies to a field of a row. */
export function suppressionOf (row: KeyFigureRow, f: Field): string | null {
  return (row.suppressed as Record<string, string | null> | undefined)?.[f] ?? null
}

/** A cell text: the value, or "undertryckt" when suppressed. */
export function cellText (row: KeyFigureRow, f: Field): string {
  return suppressionOf(row, f) ? t('suppressed') : formatValue(f, (row as unknown as Record<string, number | null>)[f] ?? null)
}
