// Calendar dates from SCB's register API. AFR sends every date as a UTC timestamp: a date without a time is Swedish
// midnight, so `2025-02-02T23:00:00.000Z` is 3 February (`T22:00:00.000Z` in summer time). Cutting the string at
// the `T` would put most dates a day early; the date is the one in Europe/Stockholm. The offset comes from the time
// zone database (Intl), which knows every rule Sweden had (no summer time 1950–1979, the end of September until 1995).
import { Invalid, parseDate } from './validate.js'

const STOCKHOLM = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' })
/** An ISO timestamp that names its offset (`Z` or `±hh:mm`): a point in time, not yet a Swedish date. */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i

/** The Swedish calendar date (YYYY-MM-DD) of a zoned timestamp, or of a plain date as parseDate reads it. */
export function swedishDate (raw: string): string | null | Invalid {
  if (!ZONED.test(raw)) return parseDate(raw)
  const t = Date.parse(raw)
  if (Number.isNaN(t)) return new Invalid(`unparseable timestamp "${raw}"`)
  const parts = STOCKHOLM.formatToParts(new Date(t))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const d = parseDate(`${part('year')}-${part('month')}-${part('day')}`)
  return d instanceof Invalid ? new Invalid(`${d.reason} (from the timestamp "${raw}")`) : d
}
