// The demo generator's full-density län (server/demo/density.ts, towns.ts): a län generated at register density on top
// of the national sample. Checked against the files and data/ (population), not against the generator's own targets.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRegister, type GenerateOptions, type GenerateResult } from '../../server/demo/generate.js'
import { KKB_SNI2007 } from '../../server/demo/branches.js'
import { readDataCsv } from '../../server/reference/csv-file.js'

const N = 3000
type Row = Record<string, string>
let root: string
let plain: GenerateResult
let dense: GenerateResult
const files: Record<string, Record<string, Row[]>> = {}

const opts = (outDir: string, fullDensityLan?: string[]): GenerateOptions =>
  ({ companiesPerYear: N, years: [2024, 2025], seed: 42, outDir, formats: ['csv'], educationProviders: 0, fullDensityLan })

async function rows (file: string): Promise<Row[]> {
  return parse(await readFile(file, 'utf8'), { columns: true, delimiter: ';' }) as Row[]
}

const population = new Map(readDataCsv<{ kommun_code: string; population: string }>('population_kommun.csv')
  .map((r) => [r.kommun_code, Number(r.population)]))
const inKalmar = (r: Row) => r.kommun.startsWith('08')
/** km between two points (equirectangular, fine at a few km) */
const km = (lat1: number, lon1: number, lat2: number, lon2: number) =>
  111.32 * Math.hypot(lat2 - lat1, (lon2 - lon1) * Math.cos(((lat1 + lat2) / 2) * Math.PI / 180))
const num = (s: string) => Number(s.replace(',', '.'))

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kkb-dense-'))
  plain = await generateRegister(opts(path.join(root, 'plain')))
  dense = await generateRegister(opts(path.join(root, 'dense'), ['08']))
  for (const [name, r] of Object.entries({ plain, dense })) {
    files[name] = {}
    for (const y of ['2024', '2025']) files[name][y] = await rows(r.files.companies[y])
  }
}, 60_000)

afterAll(async () => { await rm(root, { recursive: true, force: true }) })

describe('full-density län', () => {
  it('leaves the national sample outside the län as it was', () => {
    const outside = (rs: Row[]) => rs.filter((r) => !inKalmar(r)).map((r) => JSON.stringify(r))
    // year one: every company outside Kalmar län is the same, in the same order
    expect(outside(files.dense['2024'])).toEqual(outside(files.plain['2024']))
    // the län itself grows from the sample's few to thousands
    expect(files.plain['2024'].filter(inKalmar).length).toBeLessThan(200)
    expect(files.dense['2024'].filter(inKalmar).length).toBeGreaterThan(25_000)
    expect(dense.counts.fullDensity?.lan).toEqual(['08'])
    expect(plain.counts.fullDensity).toBeNull()
  })

  it('gives every kommun of the län a register density of active firms per inhabitant', () => {
    const active = new Map<string, number>()
    for (const r of files.dense['2024']) if (inKalmar(r) && r.active === '1') active.set(r.kommun, (active.get(r.kommun) ?? 0) + 1)
    expect(active.size).toBe(12)
    // Sweden: ≈ 1.2–1.3 M active firms for 10.6 M inhabitants ≈ 115–125 per 1000; rural kommuner have more per inhabitant
    for (const [k, n] of active) {
      const per1000 = 1000 * n / population.get(k)!
      expect(per1000, k).toBeGreaterThan(105)
      expect(per1000, k).toBeLessThan(160)
    }
    const perLan = 1000 * [...active.values()].reduce((a, b) => a + b, 0) / [...active.keys()].reduce((s, k) => s + population.get(k)!, 0)
    expect(perLan).toBeGreaterThan(115)
    expect(perLan).toBeLessThan(140)
  })

  it('has the mix of a register: KKB ≈ 7–11 %, two thirds of KKB firms sole traders, new and closed firms each year', () => {
    const y1 = files.dense['2024'].filter(inKalmar)
    const kkb = y1.filter((r) => KKB_SNI2007.has(r.sni1))
    expect(kkb.length / y1.length).toBeGreaterThan(0.07)
    expect(kkb.length / y1.length).toBeLessThan(0.11)
    const sole = kkb.filter((r) => r.legal_form === '10').length / kkb.length
    expect(sole).toBeGreaterThan(0.6)
    expect(sole).toBeLessThan(0.72)
    for (const lf of ['10', '49', '31', '61', '51']) expect(y1.some((r) => r.legal_form === lf), lf).toBe(true)
    // registrations spread over the years before the reference date; deregistrations in the last two years
    const regYears = new Set(y1.map((r) => r.registered.slice(0, 4)))
    for (const y of ['2018', '2019', '2020', '2021', '2022', '2023', '2024']) expect(regYears.has(y), y).toBe(true)
    const y2 = files.dense['2025'].filter(inKalmar)
    const byOrg = new Set(files.dense['2024'].map((r) => r.orgnr)) // the whole country: a firm may move into the län
    const born = y2.filter((r) => !byOrg.has(r.orgnr))
    expect(born.length / y1.length).toBeGreaterThan(0.07) // ≈ 9 % new
    expect(born.every((r) => r.registered > '2024-06-01')).toBe(true)
    const closed = y2.filter((r) => r.active === '0' && r.deregistered > '2024-06-01' && byOrg.has(r.orgnr))
    expect(closed.length / y1.length).toBeGreaterThan(0.03)
  })

  it('puts firms in the towns: most of Kalmar kommun\'s near Kalmar, with Kalmar postcodes', () => {
    const kalmar = files.dense['2025'].filter((r) => r.kommun === '0880' && r.lat)
    const near = kalmar.filter((r) => km(num(r.lat), num(r.lon), 56.66, 16.36) < 8).length / kalmar.length
    expect(near).toBeGreaterThan(0.5)
    expect(kalmar.filter((r) => r.city === 'Kalmar').length / kalmar.length).toBeGreaterThan(0.5)
    // the towns of the other kommuner too: Västervik's firms mostly within 8 km of Västervik town, not round the centroid
    const vastervik = files.dense['2025'].filter((r) => r.kommun === '0883' && r.lat)
    expect(vastervik.filter((r) => km(num(r.lat), num(r.lon), 57.76, 16.64) < 8).length / vastervik.length).toBeGreaterThan(0.45)
  })

  it('is deterministic', async () => {
    const again = await generateRegister(opts(path.join(root, 'again'), ['08']))
    expect(await readFile(again.files.companies['2025'], 'utf8')).toBe(await readFile(dense.files.companies['2025'], 'utf8'))
    expect(await readFile(again.files.workplaces['2025'], 'utf8')).toBe(await readFile(dense.files.workplaces['2025'], 'utf8'))
  })

  it('rejects an unknown län', async () => {
    await expect(generateRegister(opts(path.join(root, 'bad'), ['99']))).rejects.toThrow(/unknown län/)
  })
})
