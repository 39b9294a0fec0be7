// Issue #21: typo-tolerant name search ranks by similarity, not alphabetically ("Vindvikn Design" must find the firm
// at the top, not at place 73), and pages through that order with its cursor.
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../helpers/db.js'

const ctx = useTestApp('demo')

describe('fuzzy name search', () => {
  it('puts the misspelt firm first and orders the rest by word similarity, across pages', async () => {
    // a two-word name with a long first word; misspell it by dropping a letter ("Vindviken" → "Vindvikn")
    const { rows } = await ctx.db.query<{ name: string }>(
      "SELECT name FROM company WHERE ref_year = 2025 AND active AND name ~ '^[A-ZÅÄÖ][a-zåäö]{7,} [A-ZÅÄÖ][a-zåäö]{4,}' ORDER BY id LIMIT 1")
    const [w1, w2] = rows[0].name.split(' ')
    const typo = `${w1.slice(0, -2)}${w1.slice(-1)} ${w2}`
    const seen: Array<{ id: number; name: string }> = []
    let cursor: string | null = null
    for (let i = 0; i < 50; i++) {
      const r: any = (await ctx.app.inject(`/api/actors?year=2025&q=${encodeURIComponent(typo)}&limit=10${cursor ? `&cursor=${cursor}` : ''}`)).json()
      if (i === 0) expect(r.match).toBe('fuzzy')
      seen.push(...r.items)
      cursor = r.nextCursor
      if (!cursor) break
    }
    expect(seen.length).toBeGreaterThan(1)
    expect(new Set(seen.map((x) => x.id)).size).toBe(seen.length)
    expect(seen[0].name.toLowerCase().startsWith(`${w1} ${w2}`.toLowerCase())).toBe(true)
    // the similarity of each listed name, from pg_trgm itself: never increasing down the list
    const sims = (await ctx.db.query<{ s: number }>('SELECT word_similarity($1, lower(n)) AS s FROM unnest($2::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i',
      [typo.toLowerCase(), seen.map((x) => x.name)])).rows.map((x) => Math.round(x.s * 1000))
    for (let i = 1; i < sims.length; i++) expect(sims[i], `${seen[i].name} after ${seen[i - 1].name}`).toBeLessThanOrEqual(sims[i - 1])
  })
})
