// The occupation breakdowns the first table (kommuner × SSYK × sex × years) does not reach: an age dimension with its
// total beside the groups (never summed with them), a table with both län and kommun cells (the län's own cell wins),
// and the formulas in words, Swedish and English, as /api/key-figures/methodology publishes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
const post = (body: unknown) => app.inject({ method: 'POST', url: '/api/imports?kind=statistics&format=json-stat',
  headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) })

const REGIONS = ['08', '0880', '0882']
const OCC = ['2651', '2642', '9111'] // two of the list, one outside it
const AGES = ['16-24', '25-64', '16-64'] // the last spans the others: a total
const SEX = ['1', '2']
// a value per cell; the län cell is NOT the sum of its two kommuner here (the table has all of Kalmar län's kommuner
// in reality), so using it proves the län's own cell is read rather than a sum
const v = (r: number, o: number, a: number, s: number) => (a === 2 ? null : 10 * (r + 1) + 3 * o + 2 * a + s + 1)

function table () {
  const value: Array<number | null> = []
  for (let r = 0; r < REGIONS.length; r++) for (let o = 0; o < OCC.length; o++) for (let a = 0; a < AGES.length; a++) for (let s = 0; s < SEX.length; s++) {
    // the total age group is the sum of the two groups, as SCB publishes it; one cell of a group is protected
    const x = a === 2 ? (v(r, o, 0, s)! + v(r, o, 1, s)!) : v(r, o, a, s)
    value.push(r === 1 && o === 0 && a === 1 && s === 1 ? null : x)
  }
  const cat = (codes: string[]) => ({ index: Object.fromEntries(codes.map((c, i) => [c, i])), label: Object.fromEntries(codes.map((c) => [c, c])) })
  const missingAt = value.indexOf(null)
  return {
    class: 'dataset', version: '2.0', label: 'Anställda efter region, yrke (SSYK 2012), ålder, kön och år', source: 'Statistiska centralbyrån',
    id: ['Region', 'Yrke2012', 'Alder', 'Kon', 'Tid'], size: [3, 3, 3, 2, 1],
    role: { time: ['Tid'], geo: ['Region'] },
    dimension: {
      Region: { label: 'region', category: cat(REGIONS) }, Yrke2012: { label: 'yrke (SSYK 2012)', category: cat(OCC) },
      Alder: { label: 'ålder', category: cat(AGES) }, Kon: { label: 'kön', category: { index: { 1: 0, 2: 1 }, label: { 1: 'män', 2: 'kvinnor' } } },
      Tid: { label: 'år', category: cat(['2024']) },
    },
    value, status: { [String(missingAt)]: '..' }, extension: { px: { tableid: 'AGE-TEST' } },
  }
}

beforeAll(async () => {
  db = await openTestDb('base')
  app = await buildTestApp(db)
  const r = await post(table())
  expect(r.statusCode, r.body).toBe(201)
})
afterAll(async () => { await app?.close(); await db?.close() })

/** the independent sum for one region (index), restricted by a predicate on (occupation, age, sex) indexes */
function sum (r: number, keep: (o: number, a: number, s: number) => boolean) {
  let total = 0; let missing = 0
  for (let o = 0; o < OCC.length; o++) for (const a of [0, 1]) for (let s = 0; s < SEX.length; s++) {
    if (!keep(o, a, s)) continue
    if (r === 1 && o === 0 && a === 1 && s === 1) { missing++; continue }
    total += v(r, o, a, s)!
  }
  return { total, missing }
}

describe('occupation breakdowns', () => {
  it('sums the age groups without their total, and breaks down by age and sex', async () => {
    const res = (await app.inject('/api/key-figures/occupations?table=AGE-TEST&level=kommun&year=2024')).json()
    const k = res.rows.find((x: any) => x.regionCode === '0880')
    const kk = (o: number) => o < 2
    expect(k.employed).toBe(sum(1, () => true).total)
    expect(k.kkOccupations).toBe(sum(1, kk).total)
    expect(k.missingCells).toBe(1)
    expect(k.byAge.map((g: any) => g.code)).toEqual(['16-24', '25-64'])
    expect(k.byAge[0]).toMatchObject({ kkOccupations: sum(1, (o, a) => kk(o) && a === 0).total, flags: { kkOccupations: null } })
    expect(k.byAge[1]).toMatchObject({ kkOccupations: sum(1, (o, a) => kk(o) && a === 1).total, flags: { kkOccupations: 'includes-missing' } })
    expect(k.bySex.map((g: any) => [g.code, g.kkOccupations, g.employed])).toEqual(
      SEX.map((c, s) => [c, sum(1, (o, _a, x) => kk(o) && x === s).total, sum(1, (_o, _a, x) => x === s).total]))
    expect(k.byOccupation.find((g: any) => g.code === '2642').kkOccupations).toBe(sum(1, (o) => o === 1).total)
  })

  it('reads a län from its own cell where the table has one, not from its kommuner', async () => {
    const lan = (await app.inject('/api/key-figures/occupations?table=AGE-TEST&level=lan&year=2024')).json().rows
    expect(lan).toHaveLength(1)
    expect(lan[0]).toMatchObject({ regionCode: '08', from: 'table', coverage: null, employed: sum(0, () => true).total })
  })

  it('publishes the occupation formulas in words, Swedish and English, as the occupation figures use them', async () => {
    const m = (await app.inject('/api/key-figures/methodology')).json()
    const occ = (await app.inject('/api/key-figures/occupations?table=AGE-TEST&level=kommun')).json()
    for (const key of ['employed', 'kkOccupations', 'share', 'per10k', 'lq', 'change', 'missing', 'regions']) {
      expect(m.occupations.sv[key], key).toMatch(/\w/)
      expect(m.occupations.en[key], key).toMatch(/\w/)
      expect(m.occupations.sv[key], key).not.toBe(m.occupations.en[key])
      expect(occ.meta.formulas[key]).toBe(m.occupations.en[key])
    }
    // the words describe the fields the figures carry
    for (const key of ['employed', 'kkOccupations', 'share', 'per10k', 'lq', 'change']) expect(occ.rows[0], key).toHaveProperty(key)
    expect(m.occupations.sv.per10k).toContain('10 000')
    expect(m.occupations.sv.counts).toMatch(/arbetsställets region/)
    expect(m.occupations.en.counts).toMatch(/workplace/)
  })
})
