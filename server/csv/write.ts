// The one CSV dialect of every export (actor list, key figures), in two locales:
//   sv  UTF-8 with BOM, a `sep=;` first line, `;` between fields, decimal comma: what Swedish Excel opens as it is
//       (the BOM makes it read UTF-8; `sep=;` makes it split on `;` whatever the machine's list separator says);
//   en  UTF-8 with BOM, `,` between fields, decimal point, no `sep=` line: what other tools and locales expect.
// Lines end in CRLF. A field is quoted only when it holds the separator, a quote or a line break. Text goes through
// the formula neutraliser; numbers and booleans are written as they are.
import { neutraliseFormula } from './neutralise.js'

export type CsvLocale = 'sv' | 'en'
export type CsvValue = string | number | boolean | null | undefined

const SEPARATOR: Record<CsvLocale, string> = { sv: ';', en: ',' }

/** What a CSV export starts with: the BOM, and for sv the `sep=;` line. */
export function csvPreamble (locale: CsvLocale): string {
  return '\ufeff' + (locale === 'sv' ? 'sep=;\r\n' : '')
}

/** One field: numbers in the locale's decimal notation, text neutralised and quoted where needed, null as empty. */
export function csvField (v: CsvValue, locale: CsvLocale): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return locale === 'sv' ? String(v).replace('.', ',') : String(v)
  if (typeof v === 'boolean') return String(v)
  const s = neutraliseFormula(v)
  return s.includes(SEPARATOR[locale]) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s
}

/** One record, CRLF-terminated. */
export function csvLine (values: CsvValue[], locale: CsvLocale): string {
  return values.map((v) => csvField(v, locale)).join(SEPARATOR[locale]) + '\r\n'
}
