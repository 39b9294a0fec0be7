// The education need per SUN field and län: programmes (education import), firms of the related branch group (key
// figures), people in the related occupations (an imported occupation table) and the specialisation flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import JSONstat from 'jsonstat-toolkit'
import { readDataCsv } from '../../server/reference/csv-file.js'
import { parseJsonStat } from '../../server/statistics/jsonstat.js'
import { Value } from 'typebox/value'
import { educationNeed } from '../../server/statistics/education-need.js'
import { computeOccupationFigures } from '../../server/statistics/occupations.js'
import { EducationNeedResult, OccupationResult } from '../../server/routes/occupations.schema.js'
import { EducationFiguresResult } from '../../server/routes/education.schema.js'
import { educationFigures } from '../../server/keyfigures/education.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'
import { KOMMUNER, scbJsonStat } from './scb-table.js'

let db: DbHandle
let app: FastifyInstance
const fields = readDataCsv<{ sun_prefix: string; ssyk_codes: string }>('occupations/sun-ssyk2012.csv')
const need = async (q = '') => { const r = await app.inject(`/api/key-figures/education-need${q}`); expect(r.statusCode, r.body).toBe(200); return r.json() }
let before: any
let target: { lan: string; field: string; ssyk: string[] }
let withProgramme: { lan: string; field: string; ssyk: string[] }

beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  before = await need()
  // a field without any programme in a län, and one with programmes, both made specialised in the occupation table
  const empty = before.rows.find((r: any) => r.programmes === 0 && r.sunPrefix === '215')
  const full = before.rows.find((r: any) => r.programmes > 0)
  const ssyk = (f: string) => fields.find((x) => x.sun_prefix === f)!.ssyk_codes.split(' ')
  target = { lan: empty.lanCode, field: empty.sunPrefix, ssyk: ssyk(empty.sunPrefix) }
  withProgramme = { lan: full.lanCode, field: full.sunPrefix, ssyk: ssyk(full.sunPrefix) }
  const lanOf = new Map(KOMMUNER.map((k) => [k.kommun_code, k.lan_code]))
  const table = scbJsonStat({ scale: (region, occ) => ((lanOf.get(region) === target.lan && target.ssyk.includes(occ)) ||
    (lanOf.get(region) === withProgramme.lan && withProgramme.ssyk.includes(occ)) ? 20 : 1) })
  const r = await app.inject({ method: 'POST', url: '/api/imports?kind=statistics&format=json-stat', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, payload: JSON.stringify(table) })
  expect(r.statusCode, r.body).toBe(201)
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('education need per SUN field and län', () => {
  it('works without an occupation table: programmes and firms, people null', () => {
    expect(before.occupationTable).toBeNull()
    expect(before.rows).toHaveLength(21 * fields.length)
    expect(before.rows.every((r: any) => r.people === null && r.lqOccupations === null)).toBe(true)
  })

  it('counts programmes and places per field (longest SUN prefix) and län, as the education import holds them', async () => {
    const r = await need()
    const { rows } = await db.query<{ lan: string; sun: string; places: number | null; applicants: number | null }>(`SELECT p.lan_code AS lan, pr.sun_code AS sun, pr.places, pr.applicants
      FROM education_provider p JOIN education_programme pr ON pr.provider_id = p.id WHERE pr.sun_code IS NOT NULL AND p.lan_code IS NOT NULL
      AND p.ref_year = (SELECT max(ref_year) FROM education_provider)`)
    const expected = new Map<string, { programmes: number; places: number; applicants: number | null }>()
    for (const p of rows) {
      const f = fields.map((x) => x.sun_prefix).filter((x) => p.sun.startsWith(x)).sort((a, b) => b.length - a.length)[0]
      if (!f) continue
      const e = expected.get(`${p.lan}|${f}`) ?? { programmes: 0, places: 0, applicants: null }
      e.programmes++; e.places += p.places ?? 0
      if (p.applicants !== null) e.applicants = (e.applicants ?? 0) + p.applicants
      expected.set(`${p.lan}|${f}`, e)
    }
    expect(expected.size).toBeGreaterThan(3)
    // the demo's YH, högskola and folkhögskola programmes give applicants (sökande), the others do not
    expect([...expected.values()].some((e) => e.applicants !== null)).toBe(true)
    expect(rows.some((p) => p.applicants === null)).toBe(true)
    for (const row of r.rows) {
      expect({ programmes: row.programmes, places: row.places, applicants: row.applicants }, `${row.lanCode} ${row.sunPrefix}`)
        .toEqual(expected.get(`${row.lanCode}|${row.sunPrefix}`) ?? { programmes: 0, places: 0, applicants: null })
    }
  })

  it('puts the related branch group\'s firms and the related occupations\' people beside them', async () => {
    const r = await need(`?lan=${target.lan}`)
    expect(r.rows).toHaveLength(fields.length)
    const row = r.rows.find((x: any) => x.sunPrefix === target.field)
    expect(row.relatedGroup).toBe('3')
    const kf = (await app.inject(`/api/key-figures?level=lan&region=${target.lan}&branch=group&code=3`)).json().rows[0]
    expect(row).toMatchObject({ companies: kf.companies, lqCompanies: kf.lqCompanies })
    const occ = (await app.inject(`/api/key-figures/occupations?level=lan&region=${target.lan}`)).json().rows[0]
    const people = occ.byOccupation.filter((g: any) => target.ssyk.includes(g.code)).reduce((a: number, g: any) => a + g.kkOccupations, 0)
    expect(row.people).toBe(people)
    const riket = (await app.inject('/api/key-figures/occupations?level=riket')).json().rows[0]
    const riketPeople = riket.byOccupation.filter((g: any) => target.ssyk.includes(g.code)).reduce((a: number, g: any) => a + g.kkOccupations, 0)
    expect(row.lqOccupations).toBeCloseTo((people / occ.employed) / (riketPeople / riket.employed), 10)
  })

  it('flags strong specialisation (LQ ≥ 1.25) without a programme in the län, and only then', async () => {
    const r = await need()
    const flagged = r.rows.find((x: any) => x.lanCode === target.lan && x.sunPrefix === target.field)
    expect(flagged.lqOccupations).toBeGreaterThanOrEqual(1.25)
    expect(flagged).toMatchObject({ programmes: 0, specialisedWithoutProgramme: true })
    expect(flagged.specialisedBy).toContain('lqOccupations')
    const taught = r.rows.find((x: any) => x.lanCode === withProgramme.lan && x.sunPrefix === withProgramme.field)
    expect(taught.lqOccupations).toBeGreaterThanOrEqual(1.25)
    expect(taught.specialisedWithoutProgramme).toBe(false)
    for (const x of r.rows) {
      const lqs = [x.lqEmployees, x.lqCompanies, x.lqOccupations].filter((v) => v !== null)
      expect(x.specialisedWithoutProgramme, `${x.lanCode} ${x.sunPrefix}`).toBe(x.programmes === 0 && lqs.some((v: number) => v >= 1.25))
    }
    expect(r.threshold).toBe(1.25)
    expect(r.years.occupations).toBe(2024)
  })
})

describe('the education need as a file', () => {
  it('exports one row per län and field as CSV (sv and en) and XLSX with metadata, ".." where disclosure control withholds', async () => {
    const { parse } = await import('csv-parse/sync')
    const ExcelJS = (await import('exceljs')).default
    const json = await need()
    const sv = await app.inject('/api/key-figures/education-need?format=csv&locale=sv')
    expect(sv.statusCode, sv.body).toBe(200)
    expect(sv.headers['content-disposition']).toMatch(/attachment; filename="kkb-utbildningsbehov-alla-lan-\d{4}\.csv"/)
    const rows = parse(sv.body.slice(sv.body.indexOf('\n') + 1), { delimiter: ';', columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(json.rows.length)
    const num = (s: string) => Number(s.replace(',', '.'))
    json.rows.forEach((r: any, i: number) => {
      const c = rows[i]
      expect([c.Länskod, c['SUN-inriktning']]).toEqual([r.lanCode, r.sunPrefix])
      expect(num(c['Utbildningar (antal)'])).toBe(r.programmes)
      expect(num(c['Platser (antal)'])).toBe(r.places)
      expect(c['Sökande (personer)']).toBe(r.applicants === null ? '' : String(r.applicants))
      expect(c['Stark specialisering utan utbildning']).toBe(r.specialisedWithoutProgramme ? 'ja' : 'nej')
      const employees = c['Anställda i branschgruppen (personer)']
      if (r.employeesSuppressed || r.employees === null) expect(employees).toBe(r.employeesSuppressed ? '..' : '')
      else expect(num(employees)).toBeCloseTo(r.employees, 5)
      if (r.lqOccupations !== null) expect(num(c['Lokaliseringskvot, yrken (kvot)'])).toBeCloseTo(r.lqOccupations, 5)
      if (r.people !== null) expect(num(c['Personer i de närliggande yrkena (personer)'])).toBe(r.people)
    })
    expect(json.rows.some((r: any) => r.specialisedWithoutProgramme)).toBe(true)
    const en = parse((await app.inject(`/api/key-figures/education-need?format=csv&locale=en&lan=${target.lan}`)).body, { bom: true, columns: true }) as Record<string, string>[]
    expect(en.map((r) => r['SUN-inriktning'])).toEqual(fields.map((f) => f.sun_prefix))
    const flagged = en.find((r) => r['SUN-inriktning'] === target.field)!
    expect(flagged['Stark specialisering utan utbildning']).toBe('ja')
    expect(flagged['Specialisering enligt']).toContain('lqOccupations')
    const x = await app.inject(`/api/key-figures/education-need?format=xlsx&lan=${target.lan}`)
    expect(x.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as never)
    expect(wb.getWorksheet('Utbildningsbehov')!.rowCount).toBe(fields.length + 1)
    const meta = new Map<string, string>()
    wb.getWorksheet('Metadata')!.eachRow((row) => meta.set(String(row.getCell(1).value), String(row.getCell(2).value)))
    expect(meta.get('Yrkestabell')).toContain('YREG60N')
    expect(meta.get('Tröskel för stark specialisering')).toBe('lokaliseringskvot ≥ 1.25')
    expect(meta.get('Syntetiska data')).toMatch(/^Ja/) // the demo register
  })
})

describe('the education need as JSON-stat 2.0', () => {
  it('is a valid dataset (class, id, size, value, status, roles) whose every cell reads back to the JSON answer', async () => {
    const json = await need()
    const r = await app.inject('/api/key-figures/education-need?format=jsonstat')
    expect(r.statusCode, r.body).toBe(200)
    expect(r.headers['content-type']).toMatch(/^application\/json/)
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="kkb-utbildningsbehov-alla-lan-\d{4}\.jsonstat\.json"/)
    const doc = r.json()
    // the shape the specification requires, checked by hand: one size per id, value row-major over all of them
    expect(doc).toMatchObject({ version: '2.0', class: 'dataset', id: ['lan', 'field', 'measure'], role: { geo: ['lan'], metric: ['measure'] } })
    const lans = [...new Set(json.rows.map((x: any) => x.lanCode))]
    expect(doc.size).toEqual([lans.length, fields.length, doc.dimension.measure.category.index.length])
    expect(doc.value).toHaveLength(doc.size.reduce((a: number, b: number) => a * b, 1))
    for (const [i, id] of doc.id.entries()) expect(doc.dimension[id].category.index, id).toHaveLength(doc.size[i])
    expect(doc.dimension.measure.category.index).toEqual(expect.arrayContaining(['programmes', 'places', 'applicants', 'companies', 'employees', 'people', 'lqOccupations']))
    expect(doc.extension.threshold).toBe(1.25)
    expect(doc.extension.years).toEqual(json.years)

    // read back twice: with jsonstat-toolkit (independent) and with the project's own import reader
    const ds = JSONstat(r.json()) // the toolkit rewrites the object it is given: its own copy
    const parsed = parseJsonStat(r.body)
    expect(parsed.cells).toHaveLength(doc.value.length)
    const cellOf = new Map(parsed.cells.map((c) => [c.at.map((p, i) => parsed.dimensions[i].categories[p].code).join('|'), c]))
    const withheld = { employees: (x: any) => x.employeesSuppressed, lqEmployees: (x: any) => x.employeesSuppressed,
      people: (x: any) => x.peopleFlag === 'missing', lqOccupations: (x: any) => x.peopleFlag === 'missing' } as Record<string, (x: any) => boolean>
    let statuses = 0
    for (const row of json.rows) {
      for (const m of doc.dimension.measure.category.index as string[]) {
        const ref = ds.Data({ lan: row.lanCode, field: row.sunPrefix, measure: m })
        const mine = cellOf.get(`${row.lanCode}|${row.sunPrefix}|${m}`)!
        const at = `${row.lanCode} ${row.sunPrefix} ${m}`
        if (withheld[m]?.(row)) {
          expect(ref.status, at).toBe('..'); statuses++
          expect(ref.value, at).toBeNull()
        } else {
          const expected = row[m] ?? null
          if (typeof expected === 'number' && !Number.isInteger(expected)) expect(ref.value, at).toBeCloseTo(expected, 10)
          else expect(ref.value, at).toBe(expected)
          expect(ref.status ?? null, at).toBeNull()
        }
        expect(mine.value, at).toBe(ref.value)
      }
    }
    expect(statuses).toBe(Object.keys(doc.status).length)
    expect(json.rows.some((x: any) => x.employeesSuppressed)).toBe(true) // the file has withheld cells to check
    // the flag is not a number: it travels in extension, keyed "län|field"
    expect(doc.extension.specialisedWithoutProgramme).toEqual(json.rows.filter((x: any) => x.specialisedWithoutProgramme).map((x: any) => `${x.lanCode}|${x.sunPrefix}`))
    expect(doc.extension.specialisedWithoutProgramme).toContain(`${target.lan}|${target.field}`)
  })
})

describe('the declared response schemas', () => {
  // a response schema decides what is serialised: the answer must be the computed result, whole, and match the schema
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x))
  it('education need: the JSON answer is the computed result, field for field, and matches EducationNeedResult', async () => {
    const json = await need()
    expect(Value.Errors(EducationNeedResult, json).slice(0, 3)).toEqual([])
    const direct = await educationNeed(db, {}, { minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance })
    expect(json).toEqual(plain(direct))
  })
  it('education figures: the JSON answer is the computed result, field for field, and matches EducationFiguresResult', async () => {
    const rule = { minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance }
    for (const level of ['lan', 'kommun'] as const) {
      const r = await app.inject(`/api/key-figures/education?level=${level}`)
      expect(r.statusCode, r.body).toBe(200)
      expect(Value.Errors(EducationFiguresResult, r.json()).slice(0, 3)).toEqual([])
      expect(r.json().rows.length).toBeGreaterThan(0)
      expect(r.json()).toEqual(plain(await educationFigures(db, { level }, rule)))
    }
  })
  it('occupations: the JSON answer is the computed result, field for field, and matches OccupationResult', async () => {
    for (const q of [{ level: 'kommun' as const, lan: ['08'] }, { level: 'lan' as const, years: 'all' as const }, { level: 'riket' as const }]) {
      const url = `/api/key-figures/occupations?level=${q.level}${q.lan ? `&lan=${q.lan}` : ''}${q.years ? `&year=${q.years}` : ''}`
      const r = await app.inject(url)
      expect(r.statusCode, r.body).toBe(200)
      const json = r.json()
      expect(Value.Errors(OccupationResult, json).slice(0, 3), url).toEqual([])
      const { meta, ...rest } = json
      expect(meta.formulas.lq).toMatch(/riket/)
      expect(rest, url).toEqual(plain(await computeOccupationFigures(db, q)))
    }
  })
})

describe('applications where a table of them is imported (MYH, with their decision)', () => {
  // [kommun, SUN, decision, places applied, places granted]; län 08 = Kalmar, Nybro; 12 = Malmö
  const rows: Array<[string, string, string, number, number | '']> = [
    ['Kalmar', '213a', 'Beviljad', 40, 20], ['Kalmar', '213a', 'Avslag', 30, 0], ['Nybro', '213a', 'Beviljad', 25, 25],
    ['Kalmar', '214c', 'Ej beviljad', 20, ''], ['Malmö', '213a', 'Beviljad', 10, 10],
    ['Flera kommuner', '213a', 'Beviljad', 30, 30], // no län: not counted
    ['Kalmar', '', 'Beviljad', 20, 20], // no SUN code: no field, not counted
  ]
  const expected: Record<string, { applications: number; applicationsGranted: number; placesApplied: number }> = {
    '08|213a': { applications: 3, applicationsGranted: 2, placesApplied: 95 },
    '08|214c': { applications: 1, applicationsGranted: 0, placesApplied: 20 },
    '12|213a': { applications: 1, applicationsGranted: 1, placesApplied: 10 },
  }
  let after: any
  beforeAll(async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const path = await import('node:path')
    const { myhWorkbook } = await import('../ingest/myh-content.js')
    const { runImport } = await import('../../server/ingest/run-import.js')
    const dir = mkdtempSync(path.join(tmpdir(), 'kkb-edu-apps-'))
    const file = path.join(dir, 'resultat-for-program.xlsx')
    writeFileSync(file, await myhWorkbook(rows.map(([k, sun, beslut, applied, granted], i) =>
      [`MYH 2025/${2000 + i}`, `Demo YH ${i} (fiktiv)`, `Program ${i}`, 'Kultur, media och design', k, '', 400, 'Bunden', 100, sun, beslut, applied, granted])))
    expect(before.applicationTable).toBeNull()
    expect(before.rows.every((r: any) => r.applications === null && r.applicationsGranted === null && r.placesApplied === null)).toBe(true)
    // synthetic: a real import would remove the demo register the other figures stand on
    await runImport(db, { kind: 'education', format: 'myh', filePath: file, year: before.years.education, source: 'myh', synthetic: true, reportDir: path.join(dir, 'r') })
    after = await need()
  })

  it('counts applications, granted ones and places applied for per field (longest SUN prefix) and län; 0 elsewhere that year', () => {
    expect(after.applicationTable).toEqual({ year: before.years.education, total: rows.length, counted: 5 })
    for (const r of after.rows) {
      expect({ applications: r.applications, applicationsGranted: r.applicationsGranted, placesApplied: r.placesApplied }, `${r.lanCode} ${r.sunPrefix}`)
        .toEqual(expected[`${r.lanCode}|${r.sunPrefix}`] ?? { applications: 0, applicationsGranted: 0, placesApplied: 0 })
    }
  })

  it('exports them (CSV column, JSON-stat measure) and leaves another year unknown (null)', async () => {
    const { parse } = await import('csv-parse/sync')
    const csv = parse((await app.inject('/api/key-figures/education-need?format=csv&locale=en&lan=08')).body, { bom: true, columns: true }) as Record<string, string>[]
    expect(csv.find((c) => c['SUN-inriktning'] === '213a')!['Ansökningar om att bedriva utbildning (antal)']).toBe('3')
    expect(csv.find((c) => c['SUN-inriktning'] === '213a')!['Beviljade ansökningar (antal)']).toBe('2')
    const js = JSONstat((await app.inject('/api/key-figures/education-need?format=jsonstat&lan=08')).json())
    expect(js.Data({ lan: '08', field: '213a', measure: 'placesApplied' }).value).toBe(95)
    const other = await need(`?year=${before.years.education - 1}`)
    expect(other.applicationTable).toBeNull()
    expect(other.rows.every((r: any) => r.applications === null)).toBe(true)
  })
})
