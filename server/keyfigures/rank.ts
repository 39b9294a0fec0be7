// The rank rule of the comparisons (issue #21), with no imports, so the web app ranks the bars of its ranked chart with
// the very function the API ranks with (web/src/views/ranked-figure.ts) instead of a copy of it.

export interface Rank { rank: number; of: number; percentile: number | null }

/** Rank (1 = highest, ties share the better rank) and percent rank of `value` among `values` (nulls left out). */
export function rankOf (value: number | null, values: Array<number | null>): Rank | null {
  if (value === null) return null
  const ranked = values.filter((v): v is number => v !== null)
  const higher = ranked.filter((v) => v > value).length
  const lower = ranked.filter((v) => v < value).length
  return { rank: higher + 1, of: ranked.length, percentile: ranked.length > 1 ? Math.round((lower / (ranked.length - 1)) * 1000) / 10 : null }
}
