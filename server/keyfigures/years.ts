// The `year` parameter of the key-figure routes (key figures, occupations): YYYY, YYYY-YYYY, a comma list, all or latest.
import { badRequest } from '../errors.js'

export function parseYears (year?: string): number[] | 'all' | 'latest' {
  if (!year || year === 'latest') return 'latest'
  if (year === 'all') return 'all'
  const range = /^(\d{4})-(\d{4})$/.exec(year)
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])]
    if (b < a || b - a > 200) throw badRequest('year range must be ascending and at most 200 years')
    return Array.from({ length: b - a + 1 }, (_, i) => a + i)
  }
  return year.split(',').map(Number)
}
