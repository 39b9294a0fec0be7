// Name search paging: the first tier (names starting with the text) is served off the name index, later tiers by the
// full ranking; paging across that seam must list every match exactly once, in the documented order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { countActors, SEARCH_COUNT_CAP } from '../../server/actors/queries.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
})
afterAll(async () => { await app?.close(); await db?.close() })

/** The order the API promises, computed independently in JS: tier (starts with / a word starts with / contains), then the lower-cased name in byte order, then id. */
function expectedOrder (rows: Array<{ id: number; name: string }>, q: string): number[] {
  const tier = (n: string) => (n.startsWith(q) ? 0 : n.includes(` ${q}`) ? 1 : 2)
  const bytes = (s: string) => Buffer.from(s, 'utf8')
  return rows
    .map((r) => ({ id: r.id, n: r.name.toLowerCase() }))
    .sort((a, b) => tier(a.n) - tier(b.n) || Buffer.compare(bytes(a.n), bytes(b.n)) || a.id - b.id)
    .map((r) => r.id)
}

async function pageAll (q: string, limit: number, extra = ''): Promise<{ ids: number[]; totals: Array<{ total: number; totalExact: boolean }> }> {
  const ids: number[] = []
  const totals: Array<{ total: number; totalExact: boolean }> = []
  let cursor: string | null = null
  for (let i = 0; i < 500; i++) {
    const url: string = `/api/actors?year=2025${extra}&q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`
    const r = await app.inject(url)
    expect(r.statusCode).toBe(200)
    const body: { items: Array<{ id: number }>; total: number; totalExact: boolean; nextCursor: string | null } = r.json()
    ids.push(...body.items.map((a: { id: number }) => a.id))
    totals.push({ total: body.total, totalExact: body.totalExact })
    cursor = body.nextCursor
    if (!cursor) break
  }
  return { ids, totals }
}

describe('name search', () => {
  it('pages through every match once, starts-with first, across the index fast path and the full ranking', async () => {
    // a word that starts some names and sits inside others (both tiers present, more than one page of the first)
    const { rows: words } = await db.query<{ w: string; starts: number; inside: number }>(`
      WITH w AS (SELECT lower(split_part(name, ' ', 1)) AS w FROM company WHERE ref_year = 2025 AND active)
      SELECT w, (SELECT count(*)::int FROM company c WHERE c.ref_year = 2025 AND c.active AND lower(c.name) LIKE w.w || '%') AS starts,
        (SELECT count(*)::int FROM company c WHERE c.ref_year = 2025 AND c.active AND lower(c.name) LIKE '%_' || w.w || '%') AS inside
      FROM (SELECT DISTINCT w FROM w WHERE length(w) BETWEEN 4 AND 12 AND w ~ '^[a-zåäö]+$' LIMIT 300) w`)
    const pick = words.filter((w) => w.starts > 12 && w.inside > 0 && w.starts + w.inside < 400).sort((a, b) => b.starts - a.starts)[0]
    expect(pick, 'demo data has a name word that starts and also sits inside names').toBeDefined()
    const q = pick.w.slice(0, Math.max(3, pick.w.length - 1))
    const { rows } = await db.query<{ id: number; name: string }>(`SELECT id, name FROM company WHERE ref_year = 2025 AND active
      AND strpos(lower(name), $1) > 0`, [q])
    const { ids, totals } = await pageAll(q, 5)
    expect(ids).toEqual(expectedOrder(rows, q))
    expect(new Set(ids).size).toBe(ids.length)
    for (const t of totals) expect(t).toEqual({ total: rows.length, totalExact: rows.length <= SEARCH_COUNT_CAP })
  })

  it('ranks workplaces the same way (no name index there: the full ranking alone)', async () => {
    const { rows: w } = await db.query<{ w: string }>(`SELECT lower(split_part(name, ' ', 1)) AS w FROM workplace WHERE ref_year = 2025 AND active
      AND split_part(name, ' ', 1) ~ '^[A-ZÅÄÖ][a-zåäö]{4,}$' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)
    const q = w[0].w.slice(0, 4)
    const { rows } = await db.query<{ id: number; name: string }>(`SELECT id::int AS id, name FROM workplace WHERE ref_year = 2025 AND active
      AND strpos(lower(name), $1) > 0`, [q])
    expect(rows.length).toBeGreaterThan(5)
    const { ids } = await pageAll(q, 4, '&kind=workplace')
    expect(ids).toEqual(expectedOrder(rows, q))
  })

  it('treats LIKE wildcards in the text literally', async () => {
    const r = (await app.inject('/api/actors?year=2025&q=%25_%25')).json()
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM company WHERE ref_year = 2025 AND active AND strpos(lower(name), '%_%') > 0")
    expect(r.match === 'fuzzy' ? 0 : r.total).toBe(rows[0].n)
  })

  it(`counts a search exactly up to a cap (${SEARCH_COUNT_CAP} in the API), then stops counting; /api/actors/count stays exact`, async () => {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM company WHERE ref_year = 2025 AND active AND strpos(lower(name), 'an') > 0")
    expect(rows[0].n).toBeGreaterThan(50)
    const f = { kind: 'company' as const, year: 2025, definition: 'kreametern-provisional', q: 'an' }
    expect(await countActors(db, f, 50)).toBe(51) // "more than 50"
    expect(await countActors(db, f, rows[0].n)).toBe(rows[0].n)
    expect(await countActors(db, f)).toBe(rows[0].n)
    expect((await app.inject('/api/actors/count?year=2025&q=an')).json().total).toBe(rows[0].n)
    const list = (await app.inject('/api/actors?year=2025&q=an&limit=3')).json()
    expect(list).toMatchObject({ total: Math.min(rows[0].n, SEARCH_COUNT_CAP), totalExact: rows[0].n <= SEARCH_COUNT_CAP })
  })
})
