// Disclosure by subtraction, attacked as the public can: only through the public API (no token). The attacker lists every
// company, reads each detail (turnover and value added are shown for legal persons, withheld for sole traders), reads the
// key figures at kommun, län and riket for every branch level and both years, and subtracts. No published cell may give
// the figure of one or two sole traders, and no suppressed cell may be recoverable by subtractions along the branch tree
// (KKB total = Σ groups, group = Σ categories, whole economy = KKB + the rest) or the regions (län = Σ kommuner,
// riket = Σ län + the unplaced companies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'

const MIN = 3
const YEARS = [2024, 2025]
const MEASURES = ['turnover', 'valueAdded'] as const
type Measure = typeof MEASURES[number]

interface Listed { id: number; soleTrader: boolean; kommunCode: string | null; lanCode: string | null; group: string | null; category: string | null }
interface Seen extends Listed { turnover: number | null; valueAdded: number | null }
interface Row {
  regionLevel: string; regionCode: string; parentCode: string | null; branchLevel: string; branchCode: string
  employees: number | null; turnover: number | null; valueAdded: number | null; turnoverCoverage: number; valueAddedCoverage: number
  suppressed: Record<string, string | null>
}

let db: DbHandle
let app: FastifyInstance
let groups: Array<{ code: string; categories: string[] }>
const seen = new Map<number, Seen[]>()
const figures = new Map<number, Row[]>()

async function get<T> (url: string): Promise<T> {
  const r = await app.inject(url)
  expect(r.statusCode, url).toBe(200)
  return r.json() as T
}

beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  const def = await get<{ groups: Array<{ code: string; categories: Array<{ code: string }> }> }>('/api/definitions/kreametern-provisional')
  groups = def.groups.map((g) => ({ code: g.code, categories: g.categories.map((c) => c.code) }))
  for (const year of YEARS) {
    const list: Listed[] = []
    let cursor: string | null = null
    do {
      const page: { items: Listed[]; nextCursor: string | null } =
        await get(`/api/actors?kind=company&year=${year}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`)
      list.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    // What GET /api/actors/:id shows the public (turnover and value added of legal persons; none of sole traders'), read
    // in one query rather than a few thousand requests; a sample of details below checks that it is what the API shows.
    const figs = new Map((await db.query<{ id: number; turnover: number | null; va: number | null }>(
      'SELECT id, turnover, value_added AS va FROM company WHERE ref_year = $1 AND NOT sole_trader', [year])).rows.map((r) => [Number(r.id), r]))
    seen.set(year, list.map((c) => ({ ...c, turnover: c.soleTrader ? null : figs.get(c.id)!.turnover, valueAdded: c.soleTrader ? null : figs.get(c.id)!.va })))
    const rows: Row[] = []
    for (const level of ['kommun', 'lan', 'riket']) {
      rows.push(...(await get<{ rows: Row[] }>(`/api/key-figures?level=${level}&branch=total,group,category,all&year=${year}`)).rows)
    }
    figures.set(year, rows)
  }
}, 600_000)
afterAll(async () => { await app?.close(); await db?.close() })

/** A cell of the attacker's table: published value (or null), coverage, and the public figures of its contributors. */
interface Cell { value: number | null; coverage: number; publicN: number; publicSum: number; virtual: boolean }
const key = (region: string, branch: string) => `${region}|${branch}`

const tables = new Map<string, ReturnType<typeof buildTable>>()
const table = (year: number, m: Measure) => {
  if (!tables.has(`${year}${m}`)) tables.set(`${year}${m}`, buildTable(year, m))
  return tables.get(`${year}${m}`)!
}

function buildTable (year: number, m: Measure): { cells: Map<string, Cell>; relations: string[][] } {
  const companies = seen.get(year)!
  const rows = figures.get(year)!
  const cells = new Map<string, Cell>()
  // the public figures per cell, in one pass: each company adds to its regions × its branches
  const lanOf = new Map(rows.filter((r) => r.regionLevel === 'kommun').map((r) => [r.regionCode, r.parentCode]))
  const pub = new Map<string, { publicN: number; publicSum: number }>()
  for (const c of companies) {
    if (c.soleTrader || c[m] === null) continue
    // a län counts the companies of its kommuner (the unplaced ones count in riket only)
    const regions = ['riket:SE', ...(c.kommunCode === null ? ['unplaced:'] : [`kommun:${c.kommunCode}`, `lan:${lanOf.get(c.kommunCode)}`])]
    const branches = ['all:all', ...(c.category === null ? ['other:other'] : ['total:total', `group:${c.group}`, `category:${c.category}`])]
    for (const r of regions) {
      for (const b of branches) {
        const p = pub.get(key(r, b)) ?? { publicN: 0, publicSum: 0 }
        p.publicN++; p.publicSum += c[m]!
        pub.set(key(r, b), p)
      }
    }
  }
  const publicPart = (region: string, branch: string) => pub.get(key(region, branch)) ?? { publicN: 0, publicSum: 0 }
  for (const r of rows) {
    const region = `${r.regionLevel}:${r.regionCode}`; const branch = `${r.branchLevel}:${r.branchCode}`
    cells.set(key(region, branch), { value: r[m], coverage: r[`${m}Coverage`], ...publicPart(region, branch), virtual: false })
  }
  const regions = [...new Set(rows.map((r) => `${r.regionLevel}:${r.regionCode}`))]
  const branches = [...new Set(rows.map((r) => `${r.branchLevel}:${r.branchCode}`))]
  const lans = rows.filter((r) => r.regionLevel === 'lan' && r.branchLevel === 'total').map((r) => `lan:${r.regionCode}`)
  const relations: string[][] = []
  // the cells never published: the rest of the economy (all − KKB) per region, the unplaced companies per branch;
  // their coverage follows from the published coverages
  const cov = (k: string) => cells.get(k)!.coverage
  for (const region of regions) {
    cells.set(key(region, 'other:other'), { value: null, coverage: cov(key(region, 'all:all')) - cov(key(region, 'total:total')),
      ...publicPart(region, 'other:other'), virtual: true })
  }
  for (const branch of [...branches, 'other:other']) {
    cells.set(key('unplaced:', branch), { value: null, coverage: cov(key('riket:SE', branch)) - lans.reduce((a, l) => a + cov(key(l, branch)), 0),
      ...publicPart('unplaced:', branch), virtual: true })
  }
  for (const region of [...regions, 'unplaced:']) {
    relations.push([key(region, 'total:total'), ...groups.map((g) => key(region, `group:${g.code}`))])
    for (const g of groups) relations.push([key(region, `group:${g.code}`), ...g.categories.map((c) => key(region, `category:${c}`))])
    relations.push([key(region, 'all:all'), key(region, 'total:total'), key(region, 'other:other')])
  }
  for (const branch of [...branches, 'other:other']) {
    for (const l of lans) {
      const kommuner = [...lanOf].filter(([, lan]) => `lan:${lan}` === l).map(([k]) => k)
      relations.push([key(l, branch), ...kommuner.map((k) => key(`kommun:${k}`, branch))])
    }
    relations.push([key('riket:SE', branch), ...lans.map((l) => key(l, branch)), key('unplaced:', branch)])
  }
  return { cells, relations }
}

/** Contributors whose figure the public cannot see: the cell's coverage minus the contributors with a public figure. */
const withheld = (c: Cell) => c.coverage - c.publicN

describe('disclosure by subtraction (the public API only)', () => {
  it('reads the premise: legal persons\' turnover is public, sole traders\' is not', async () => {
    for (const year of YEARS) {
      const cs = seen.get(year)!
      const sample = [...cs.filter((c) => c.soleTrader).slice(0, 10), ...cs.filter((c) => !c.soleTrader).slice(0, 25)]
      for (const c of sample) {
        const d = await get<{ turnover?: number | null; valueAdded?: number | null }>(`/api/actors/${c.id}?kind=company`)
        expect([d.turnover ?? null, d.valueAdded ?? null], String(c.id)).toEqual([c.turnover, c.valueAdded])
      }
      expect(cs.some((c) => c.soleTrader)).toBe(true)
      expect(cs.filter((c) => !c.soleTrader && c.turnover !== null).length).toBeGreaterThan(100)
      for (const m of MEASURES) {
        for (const c of table(year, m).cells.values()) expect(withheld(c)).toBeGreaterThanOrEqual(0)
      }
    }
  }, 300_000)

  it('publishes no cell that gives one or two sole traders\' turnover or value added after subtracting the public figures', () => {
    const leaks: string[] = []
    for (const year of YEARS) {
      for (const m of MEASURES) {
        for (const [k, c] of table(year, m).cells) {
          const w = withheld(c)
          if (c.value !== null && w > 0 && w < MIN) leaks.push(`${year} ${m} ${k}: ${c.value} − ${c.publicSum} = ${c.value - c.publicSum} from ${w}`)
        }
      }
    }
    expect(leaks.slice(0, 10), `${leaks.length} cells`).toEqual([])
  })

  it('leaves no suppressed or sole traders\' figure recoverable by chains of subtractions over the branch tree and the regions', () => {
    const leaks: string[] = []
    for (const year of YEARS) {
      for (const m of MEASURES) {
        const { cells, relations } = table(year, m)
        // what the attacker knows of each cell's withheld part: a published value minus the public figures, or nothing
        // withheld at all; then every relation with exactly one unknown cell gives that one, until nothing changes
        const known = new Set([...cells].filter(([, c]) => c.value !== null || withheld(c) === 0).map(([k]) => k))
        const derived = new Set<string>()
        for (let changed = true; changed;) {
          changed = false
          for (const r of relations) {
            const unknown = r.filter((k) => cells.has(k) && !known.has(k))
            if (unknown.length === 1) { known.add(unknown[0]); derived.add(unknown[0]); changed = true }
          }
        }
        for (const k of derived) {
          const c = cells.get(k)!
          const w = withheld(c)
          if (!c.virtual || w < MIN) leaks.push(`${year} ${m} ${k} (${c.virtual ? 'not published' : 'suppressed'}, ${w} sole traders) recovered`)
        }
        // a published parent minus its published children gives the sum of the suppressed ones: it must cover enough
        for (const r of relations) {
          if (!known.has(r[0])) continue
          const unknown = r.slice(1).filter((k) => cells.has(k) && !known.has(k))
          const w = unknown.reduce((a, k) => a + withheld(cells.get(k)!), 0)
          if (unknown.length >= 2 && w < MIN) leaks.push(`${year} ${m} ${r[0]}: ${unknown.join(' + ')} recovered together (${w} sole traders)`)
        }
      }
    }
    expect(leaks.slice(0, 10), `${leaks.length} leaks`).toEqual([])
  })

  it('never hides exactly one cell of a region or branch relation (for every measure)', () => {
    const bad: string[] = []
    for (const year of YEARS) {
      const rows = figures.get(year)!
      const idx = new Map(rows.map((r) => [key(`${r.regionLevel}:${r.regionCode}`, `${r.branchLevel}:${r.branchCode}`), r]))
      const { relations } = table(year, 'turnover')
      for (const m of ['employees', 'turnover', 'valueAdded']) {
        // relations of published cells only (those with an unpublished cell are the subtraction test's)
        for (const r of relations) {
          if (!r.every((k) => idx.has(k))) continue
          const hidden = r.filter((k) => idx.get(k)!.suppressed[m])
          if (hidden.length === 1) bad.push(`${year} ${m} ${r[0]} = Σ ${r.length - 1}: only ${hidden[0]} hidden (${idx.get(hidden[0])!.suppressed[m]})`)
        }
      }
    }
    expect(bad.slice(0, 10), `${bad.length} relations`).toEqual([])
  })
})
