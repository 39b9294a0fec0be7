// Issue #21: births and closures per quarter (GET /api/key-figures/flows) equal an independent count over a test file.
// The test writes three yearly snapshots (2023, 2024, 2026: 2025 is missing) as project CSV, imports them through the
// real import path, parses the files back and counts from their rows; the code under test is only asked over HTTP.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { parse } from 'csv-parse/sync'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'

const YEARS = [2023, 2024, 2026]
let db: DbHandle
let app: FastifyInstance
const files = new Map<number, Array<Record<string, string>>>()
let kkb: Set<string> // SNI 2007 codes of the definition (reference data, read from the definition's own table)
let lanOf: Map<string, string>

/** A 10-digit organisation number with a valid Luhn check digit (3rd digit ≥ 2: a legal person). */
function orgnr (i: number): string {
  const base = `55${String(1000000 + i).slice(-7)}`
  let sum = 0
  for (let k = 0; k < 9; k++) { let d = Number(base[k]) * (k % 2 === 0 ? 2 : 1); if (d > 9) d -= 9; sum += d }
  return `${base.slice(0, 6)}-${base.slice(6)}${(10 - (sum % 10)) % 10}`
}

// a small deterministic generator (no Math.random: the file is the same on every run)
let seed = 12345
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]
const day = (y: number) => { const d = new Date(Date.UTC(y, 0, 1) + Math.floor(rnd() * 365) * 864e5); return d.toISOString().slice(0, 10) }

beforeAll(async () => {
  db = await openTestDb('base')
  kkb = new Set((await db.query<{ c: string }>(`SELECT sni_code AS c FROM kkb_sni WHERE definition_id = 'kreametern-provisional' AND sni_version = '2007'`)).rows.map((r) => r.c))
  lanOf = new Map((await db.query<{ k: string; l: string }>('SELECT code AS k, lan_code AS l FROM kommun')).rows.map((r) => [r.k, r.l]))
  const kommuner = ['0880', '0881', '0882', '0860', '0180', '1280', '2584']
  const codes = [...[...kkb].slice(0, 6), '62010', '47111', '41200']
  type Co = { orgnr: string; kommun: string; sni: string; registered: string; deregistered: string; active: string }
  let alive: Co[] = []
  let n = 0
  const dir = mkdtempSync(path.join(tmpdir(), 'kkb-flows-'))
  const reportDir = path.join(dir, 'reports')
  app = await buildTestApp(db)
  for (const y of YEARS) {
    const rows: Co[] = []
    for (const c of alive) {
      const r = rnd()
      if (r < 0.08) continue // gone from the register without a date
      if (r < 0.12) { rows.push({ ...c, active: '0' }); continue } // inactive, no date
      if (r < 0.2) { rows.push({ ...c, active: '0', deregistered: day(y) }); continue } // closed with a date in the year
      if (r < 0.25) { rows.push({ ...c, kommun: pick(kommuner) }); continue } // moved
      rows.push({ ...c })
    }
    for (let i = 0; i < (y === YEARS[0] ? 400 : 90); i++) {
      const newInYear = y !== YEARS[0] || rnd() < 0.2
      const c: Co = { orgnr: orgnr(n++), kommun: pick(kommuner), sni: pick(codes), registered: newInYear ? day(y) : day(2000 + Math.floor(rnd() * 20)), deregistered: '', active: '1' }
      if (newInYear && rnd() < 0.1) { c.deregistered = day(y); if (c.deregistered < c.registered) [c.deregistered, c.registered] = [c.registered, c.deregistered]; c.active = '0' }
      rows.push(c)
    }
    alive = rows.filter((c) => c.active === '1')
    const file = path.join(dir, `companies-${y}.csv`)
    writeFileSync(file, 'orgnr;name;legal_form;sni1;sni_version;kommun;registered;deregistered;active\n' +
    rows.map((c, i) => [c.orgnr, `Testbolag ${c.orgnr}`, '49', c.sni, '2007', c.kommun, c.registered, c.deregistered, c.active].join(';') + (i < rows.length - 1 ? '\n' : '')).join(''))
    const res = await runImport(db, { kind: 'companies', format: 'csv', filePath: file, year: y, source: 'flowtest', reportDir })
    expect(res.counts.rejected, `import ${y}: ${res.report ? readFileSync(res.report, 'utf8').slice(0, 600) : ''}`).toBe(0)
    files.set(y, parse(readFileSync(file, 'utf8'), { delimiter: ';', columns: true }))
  }
}, 240_000)
afterAll(async () => { await app?.close(); await db?.close() })

// ---- the expectation, from the file rows only -----------------------------------------------------------------
const quarterOf = (date: string) => Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1
const inYear = (date: string, y: number) => date.startsWith(`${y}-`)
function inRegion (kommun: string, level: string, code: string) {
  return level === 'riket' || (level === 'lan' ? lanOf.get(kommun) === code : kommun === code)
}
function expected (level: string, region: string, year: number, quarter: number): { births: number | null; closures: number | null } {
  const rows = files.get(year)
  if (!rows) return { births: null, closures: null }
  const counted = (r: Record<string, string>) => kkb.has(r.sni1) && inRegion(r.kommun, level, region)
  const births = rows.filter((r) => counted(r) && inYear(r.registered, year) && quarterOf(r.registered) === quarter).length
  let closures = rows.filter((r) => counted(r) && r.deregistered && inYear(r.deregistered, year) && quarterOf(r.deregistered) === quarter).length
  const prevYear = YEARS[YEARS.indexOf(year) - 1]
  if (quarter === 4 && prevYear) {
    const now = new Map(rows.map((r) => [r.orgnr, r]))
    closures += files.get(prevYear)!.filter((p) => {
      if (p.active !== '1' || !counted(p)) return false
      const c = now.get(p.orgnr)
      return !c || (c.active === '0' && !(c.deregistered && inYear(c.deregistered, year)))
    }).length
  }
  return { births, closures }
}

describe('GET /api/key-figures/flows', () => {
  const cases: Array<[string, string]> = [['kommun', '0880'], ['kommun', '0881'], ['kommun', '0180'], ['kommun', '2584'],
    ['lan', '08'], ['lan', '01'], ['riket', 'SE']]
  for (const [level, region] of cases) {
    it(`${level} ${region}: quarterly births and closures equal the count over the files; 2025 (no snapshot) is null`, async () => {
      const r = await app.inject(`/api/key-figures/flows?level=${level}&region=${region}&branch=total&period=quarter`)
      expect(r.statusCode).toBe(200)
      const body = r.json()
      expect(body.snapshots).toEqual(YEARS)
      expect(body.rows.map((x: any) => x.period)).toEqual([2023, 2024, 2025, 2026].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`)))
      let births = 0
      for (const row of body.rows) {
        const e = expected(level, region, row.year, row.quarter)
        expect({ births: row.births, closures: row.closures }, `${row.period}`).toEqual(e)
        expect(row.net).toBe(e.births === null ? null : e.births - e.closures!)
        births += row.births ?? 0
      }
      expect(births, 'the test region has births at all').toBeGreaterThan(0)
    })
  }

  it('the first snapshot counts dated closures only (and says so); period=year sums the quarters', async () => {
    const q = (await app.inject('/api/key-figures/flows?level=lan&region=08&period=quarter')).json().rows
    const y = (await app.inject('/api/key-figures/flows?level=lan&region=08&period=year&year=2024')).json().rows
    expect(y).toHaveLength(1)
    expect(y[0].period).toBe('2024')
    const sum = (k: string) => q.filter((x: any) => x.year === 2024).reduce((a: number, x: any) => a + x[k], 0)
    expect(y[0].births).toBe(sum('births'))
    expect(y[0].closures).toBe(sum('closures'))
    expect(q.find((x: any) => x.period === '2023Q1').closuresDatesOnly).toBe(true)
    expect(q.find((x: any) => x.period === '2024Q1').closuresDatesOnly).toBe(false)
    const gap = (await app.inject('/api/key-figures/flows?level=riket&period=year&year=2025')).json().rows[0]
    expect([gap.births, gap.closures, gap.net]).toEqual([null, null, null])
  })

  it('lan=08 gives its kommuner; groups and categories add up to the total; bad input is a clear 400', async () => {
    const k = (await app.inject('/api/key-figures/flows?level=kommun&lan=08&period=year&year=2024')).json().rows
    expect(new Set(k.map((x: any) => x.regionCode))).toEqual(new Set([...lanOf].filter(([, l]) => l === '08').map(([c]) => c)))
    const g = (await app.inject('/api/key-figures/flows?level=riket&branch=total,group,category&period=year&year=2024')).json().rows
    const total = g.find((x: any) => x.branchLevel === 'total')
    const sum = (lvl: string, key: string) => g.filter((x: any) => x.branchLevel === lvl).reduce((a: number, x: any) => a + x[key], 0)
    expect(sum('group', 'births')).toBe(total.births)
    expect(sum('category', 'closures')).toBe(total.closures)
    expect((await app.inject('/api/key-figures/flows?level=kommun&lan=99')).json().error.message).toContain('unknown län')
    expect((await app.inject('/api/key-figures/flows?period=month')).statusCode).toBe(400)
    expect((await app.inject('/api/key-figures/flows?level=custom')).statusCode).toBe(400)
    const m = (await app.inject('/api/key-figures/methodology')).json()
    expect(m.flows.births).toContain('registration date')
    expect(m.flows.missing).toContain('null')
  })
})

// ---- survival: of each year's new companies, how many are active in each later snapshot (from the file rows only) ---
describe('GET /api/key-figures/survival', () => {
  function expectedSurvival (level: string, region: string, cohort: number, year: number): { started: number; surviving: number | null } {
    const counted = (r: Record<string, string>) => kkb.has(r.sni1) && inRegion(r.kommun, level, region)
    const cohortRows = files.get(cohort)!.filter((r) => counted(r) && inYear(r.registered, cohort))
    const later = files.get(year)
    if (!later) return { started: cohortRows.length, surviving: null }
    const active = new Set(later.filter((r) => r.active === '1').map((r) => r.orgnr))
    return { started: cohortRows.length, surviving: cohortRows.filter((r) => active.has(r.orgnr)).length }
  }
  for (const [level, region] of [['kommun', '0880'], ['lan', '08'], ['riket', 'SE']] as const) {
    it(`${level} ${region}: each cohort's survivors in every later year equal the count over the files; 2025 (no snapshot) is null`, async () => {
      const r = await app.inject(`/api/key-figures/survival?level=${level}&region=${region}&branch=total`)
      expect(r.statusCode).toBe(200)
      const rows = r.json().rows as Array<{ cohort: number; year: number; started: number; surviving: number | null; rate: number | null }>
      // every cohort with a snapshot, followed from its own year to the last
      expect(rows.map((x) => `${x.cohort}>${x.year}`)).toEqual(
        YEARS.flatMap((c) => Array.from({ length: 2026 - c + 1 }, (_, i) => `${c}>${c + i}`)))
      let survivors = 0
      for (const row of rows) {
        const e = expectedSurvival(level, region, row.cohort, row.year)
        expect({ started: row.started, surviving: row.surviving }, `${row.cohort}>${row.year}`).toEqual(e)
        expect(row.rate).toBe(e.surviving === null || !e.started ? null : e.surviving / e.started)
        if (row.year > row.cohort) survivors += row.surviving ?? 0
      }
      expect(survivors, 'some companies survive into a later snapshot').toBeGreaterThan(0)
    })
  }

  it('publishes its rule with the other formulas; groups add up to the total; bad input is a 400', async () => {
    const m = (await app.inject('/api/key-figures/methodology')).json()
    expect(Object.keys(m.survival)).toEqual(['started', 'surviving', 'rate', 'caveats'])
    const g = (await app.inject('/api/key-figures/survival?level=riket&branch=total,group')).json().rows
    const pick = (lvl: string) => g.filter((x: any) => x.branchLevel === lvl && x.cohort === 2023 && x.year === 2024)
    expect(pick('group').reduce((a: number, x: any) => a + x.surviving, 0)).toBe(pick('total')[0].surviving)
    expect((await app.inject('/api/key-figures/survival?level=kommun&region=9999')).statusCode).toBe(400)
    expect((await app.inject('/api/key-figures/survival?level=riket&lan=08')).statusCode).toBe(400)
  })
})
