// Synthetic demo register generator (server/demo): determinism, identifiers, geography, shares and the
// byte-level shape of both output formats. No database involved.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  COMPANIES_CSV_HEADER, EDUCATION_CSV_HEADER, SCB_BULK_COLUMNS, WORKPLACES_CSV_HEADER, generateRegister, isLuhnValid,
  luhnCheckDigit, scbBulkFileName, type GenerateResult,
} from '../../server/demo/generate.js'
import { loadBranchTables } from '../../server/demo/branches.js'
import { loadKommunGeometry, pointInKommun } from '../../server/demo/geo.js'
import { AffinePermutation, Rng, WeightedTable } from '../../server/demo/random.js'
import { businessName } from '../../server/demo/words.js'
import { loadRefData } from '../../server/reference/ref-data.js'
import { isPersonalIdentityNumber } from '../../server/ingest/validate.js'
import { isSizeClass } from '../../server/reference/size-classes.js'

const N = 3000
const YEARS: [number, number] = [2024, 2025]
let root: string
let dirA: string
let result: GenerateResult

/** Splits one ';'-separated line with RFC 4180 quoting. */
function splitCsv (line: string): string[] {
  const out: string[] = []
  let cur = ''
  let q = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (q) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++ } else if (ch === '"') q = false
      else cur += ch
    } else if (ch === '"' && cur === '') q = true
    else if (ch === ';') { out.push(cur); cur = '' } else cur += ch
  }
  out.push(cur)
  return out
}

async function readCsv (file: string): Promise<{ header: string; rows: Array<Record<string, string>> }> {
  const text = await readFile(file, 'utf8')
  const lines = text.split('\n')
  expect(lines.pop()).toBe('') // file ends with a newline
  const header = lines[0]
  const cols = header.split(';')
  const rows = lines.slice(1).map((l) => {
    const f = splitCsv(l)
    expect(f.length, l).toBe(cols.length)
    return Object.fromEntries(cols.map((c, i) => [c, f[i]]))
  })
  return { header, rows }
}

const opts = (outDir: string, seed: number) => ({ companiesPerYear: N, years: YEARS, seed, outDir, formats: ['csv', 'scb-bulk'] as Array<'csv' | 'scb-bulk'>, educationProviders: 40 })

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kkb-demo-'))
  dirA = path.join(root, 'a')
  result = await generateRegister(opts(dirA, 42))
}, 30_000)

afterAll(async () => { await rm(root, { recursive: true, force: true }) })

describe('random helpers', () => {
  it('same seed gives the same stream, different seeds differ', () => {
    const a = Rng.of(1, 2, 3)
    const b = Rng.of(1, 2, 3)
    const c = Rng.of(1, 2, 4)
    const sa = Array.from({ length: 50 }, () => a.next())
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa)
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa)
  })

  it('float, int, normal and weighted picks behave', () => {
    const r = new Rng(7)
    let sum = 0
    let sq = 0
    const counts = [0, 0, 0]
    const table = new WeightedTable(['a', 'b', 'c'], [1, 2, 7])
    for (let i = 0; i < 20_000; i++) {
      const f = r.float()
      expect(f >= 0 && f < 1).toBe(true)
      const k = r.int(3, 5)
      expect(k >= 3 && k <= 5).toBe(true)
      const z = r.normal()
      sum += z
      sq += z * z
      counts[['a', 'b', 'c'].indexOf(table.pick(r))]++
    }
    expect(Math.abs(sum / 20_000)).toBeLessThan(0.05)
    expect(Math.abs(sq / 20_000 - 1)).toBeLessThan(0.05)
    expect(counts[2] / 20_000).toBeGreaterThan(0.67)
    expect(counts[2] / 20_000).toBeLessThan(0.73)
  })

  it('affine permutation is a bijection', () => {
    const p = new AffinePermutation(10_000, 99)
    const seen = new Set<number>()
    for (let i = 0; i < 10_000; i++) seen.add(p.apply(i))
    expect(seen.size).toBe(10_000)
  })
})

describe('determinism', () => {
  it('same seed → byte-identical files; another seed → different files', async () => {
    const dirB = path.join(root, 'b')
    const dirC = path.join(root, 'c')
    await generateRegister(opts(dirB, 42))
    await generateRegister({ ...opts(dirC, 43), formats: ['csv'] })
    const files = (await readdir(dirA)).sort()
    expect((await readdir(dirB)).sort()).toEqual(files)
    for (const f of files) expect((await readFile(path.join(dirB, f))).equals(await readFile(path.join(dirA, f))), f).toBe(true)
    for (const f of ['companies-2024.csv', 'companies-2025.csv', 'workplaces-2024.csv', 'education.csv']) {
      expect((await readFile(path.join(dirC, f))).equals(await readFile(path.join(dirA, f))), f).toBe(false)
    }
    expect(await readdir(dirC)).not.toContain(scbBulkFileName(2024))
  }, 30_000)
})

describe('companies', () => {
  it('has the fixed header, no BOM, and the reported counts', async () => {
    const raw = await readFile(path.join(dirA, 'companies-2024.csv'))
    expect(raw[0]).not.toBe(0xef)
    const y1 = await readCsv(path.join(dirA, 'companies-2024.csv'))
    const y2 = await readCsv(path.join(dirA, 'companies-2025.csv'))
    expect(y1.header).toBe(COMPANIES_CSV_HEADER)
    expect(y1.rows.length).toBe(N)
    expect(y2.rows.length).toBe(result.counts.keptFromFirstYear + result.counts.newInSecondYear)
    expect(result.counts.years['2024'].companies).toBe(N)
    expect(result.counts.keptFromFirstYear / N).toBeGreaterThan(0.90)
    expect(result.counts.keptFromFirstYear / N).toBeLessThan(0.96)
    expect(result.counts.newInSecondYear).toBe(Math.round(N * 0.09))
    // kept companies keep their orgnr
    const orgs1 = new Set(y1.rows.map((r) => r.orgnr))
    expect(y2.rows.filter((r) => orgs1.has(r.orgnr)).length).toBe(result.counts.keptFromFirstYear)
    expect(orgs1.size).toBe(N)
    expect(new Set(y2.rows.map((r) => r.orgnr)).size).toBe(y2.rows.length)
  })

  it('orgnr: Luhn-valid; legal persons have 3rd digit ≥ 2; sole traders read as personal identity numbers no one has', async () => {
    for (const year of YEARS) {
      const { rows } = await readCsv(path.join(dirA, `companies-${year}.csv`))
      for (const r of rows) {
        expect(isLuhnValid(r.orgnr), r.orgnr).toBe(true)
        if (r.legal_form === '10') {
          const mm = Number(r.orgnr.slice(2, 4))
          const dd = Number(r.orgnr.slice(4, 6))
          const yy = Number(r.orgnr.slice(0, 2))
          const full = yy >= 45 ? 1900 + yy : 2000 + yy
          expect(full >= 1945 && full <= 2004, r.orgnr).toBe(true)
          expect(mm >= 1 && mm <= 12, r.orgnr).toBe(true)
          // the importer takes it for a personal identity number (sole trader) ...
          expect(isPersonalIdentityNumber(r.orgnr), r.orgnr).toBe(true)
          // ... yet its day is neither a birth day (personnummer, 01–31) nor a birth day + 60 (samordningsnummer, 60–91),
          // in any century: the 10-digit form cannot be a living person's number
          expect(dd >= 32 && dd <= 59, r.orgnr).toBe(true)
          expect(dd - 31 <= new Date(Date.UTC(full, mm, 0)).getUTCDate(), r.orgnr).toBe(true)
          expect(r.orgnr.slice(6, 9)).not.toBe('000')
          // registered as an adult
          expect(Number(r.registered.slice(0, 4)) - full).toBeGreaterThanOrEqual(18)
        } else {
          expect(Number(r.orgnr[2]), r.orgnr).toBeGreaterThanOrEqual(2)
          expect({ 49: '55', 51: '76', 61: '80', 31: '96' }[r.legal_form]).toBe(r.orgnr.slice(0, 2))
        }
      }
    }
    expect(luhnCheckDigit('556036079')).toBe(3) // a textbook example: 556036-0793
  })

  it('codes, dates and values are well-formed and valid for the year', async () => {
    const ref = loadRefData()
    for (const [year, version] of [[2024, '2007'], [2025, '2025']] as const) {
      const { rows } = await readCsv(path.join(dirA, `companies-${year}.csv`))
      const perKommun = new Map<string, number>()
      for (const r of rows) {
        expect(r.sni_version).toBe(version)
        expect(ref.sni[version].has(r.sni1), `${r.sni1} in SNI ${version}`).toBe(true)
        for (const c of [r.sni2, r.sni3, r.sni4, r.sni5]) if (c !== '') expect(ref.sni[version].has(c)).toBe(true)
        expect(ref.kommuner.has(r.kommun)).toBe(true)
        expect(['10', '49', '31', '61', '51']).toContain(r.legal_form)
        expect(isSizeClass(r.size_class)).toBe(true)
        expect(r.registered).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(r.registered <= `${year}-06-01`).toBe(true)
        expect(r.active === '1' || r.active === '0').toBe(true)
        if (r.active === '0') expect(r.deregistered).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        else expect(r.deregistered).toBe('')
        if (r.postcode !== '') {
          expect(ref.postcodes.get(r.postcode)).toBe(r.kommun)
          expect(r.lat).toMatch(/^\d{2},\d{6}$/)
        }
        if (r.employees !== '') expect(Number.isInteger(Number(r.employees))).toBe(true)
        perKommun.set(r.kommun, (perKommun.get(r.kommun) ?? 0) + 1)
      }
      expect(perKommun.size).toBe(290)
      // year one: at least 3 per kommun by construction; year two loses a few to deregistrations and moves
      expect(Math.min(...perKommun.values())).toBeGreaterThanOrEqual(year === 2024 ? 3 : 1)
      const exact = rows.filter((r) => r.employees !== '').length / rows.length
      expect(exact).toBeGreaterThan(0.55)
      expect(exact).toBeLessThan(0.65)
      const turnover = rows.filter((r) => r.turnover_ksek !== '').length / rows.length
      expect(turnover).toBeGreaterThan(0.62)
      expect(turnover).toBeLessThan(0.78)
      const inactive = rows.filter((r) => r.active === '0').length / rows.length
      expect(inactive).toBeGreaterThan(0.03)
      expect(inactive).toBeLessThan(0.07)
    }
  })

  it('KKB companies are 6–14 % in both years, mostly sole traders', async () => {
    const b = loadBranchTables()
    const sets: Record<number, Set<string>> = { 2024: new Set(b.kkb.codes), 2025: b.kkb2025 }
    for (const year of YEARS) {
      const { rows } = await readCsv(path.join(dirA, `companies-${year}.csv`))
      const kkb = rows.filter((r) => sets[year].has(r.sni1))
      const share = kkb.length / rows.length
      expect(share).toBeGreaterThan(0.06)
      expect(share).toBeLessThan(0.14)
      expect(kkb.length).toBe(result.counts.years[year].kkbCompanies)
      expect(kkb.filter((r) => r.legal_form === '10').length / kkb.length).toBeGreaterThan(0.5)
    }
  })
})

describe('geography', () => {
  it('every point is inside Sweden, a sample inside its own kommun polygon', async () => {
    const geo = loadKommunGeometry()
    const files = ['companies-2024.csv', 'companies-2025.csv', 'workplaces-2024.csv', 'workplaces-2025.csv', 'education.csv']
    for (const f of files) {
      const { rows } = await readCsv(path.join(dirA, f))
      const placed = rows.filter((r) => r.lat !== '')
      expect(placed.length / rows.length).toBeGreaterThan(0.99)
      placed.forEach((r, i) => {
        const lat = Number(r.lat.replace(',', '.'))
        const lon = Number(r.lon.replace(',', '.'))
        expect(lat > 55.3 && lat < 69.1 && lon > 10.9 && lon < 24.2, `${f}: ${r.lat} ${r.lon}`).toBe(true)
        if (i % 7 === 0) expect(pointInKommun(geo.get(r.kommun)!, lon, lat), `${f}: ${r.kommun} ${r.lat} ${r.lon}`).toBe(true)
      })
    }
  })
})

describe('workplaces and education', () => {
  it('workplaces belong to companies with employees, CFAR ids are 8 digits and unique', async () => {
    const comp = await readCsv(path.join(dirA, 'companies-2024.csv'))
    const wp = await readCsv(path.join(dirA, 'workplaces-2024.csv'))
    expect(wp.header).toBe(WORKPLACES_CSV_HEADER)
    expect(wp.rows.length).toBe(result.counts.years['2024'].workplaces)
    const byOrg = new Map(comp.rows.map((r) => [r.orgnr, r]))
    const ids = new Set<string>()
    const seats = new Set<string>()
    for (const w of wp.rows) {
      expect(w.workplace_id).toMatch(/^\d{8}$/)
      expect(ids.has(w.workplace_id)).toBe(false)
      ids.add(w.workplace_id)
      const c = byOrg.get(w.orgnr)
      expect(c, w.orgnr).toBeDefined()
      expect(c!.active).toBe('1')
      expect(c!.size_class).not.toBe('1')
      if (w.kommun === c!.kommun && w.street === c!.street) seats.add(w.orgnr)
    }
    // every company with ≥ 1 employee has its seat workplace
    const employing = comp.rows.filter((r) => r.active === '1' && r.size_class !== '1')
    expect(employing.every((r) => seats.has(r.orgnr))).toBe(true)
  })

  it('education rows name fictional providers with core/related SUN codes', async () => {
    const ref = loadRefData()
    const { header, rows } = await readCsv(path.join(dirA, 'education.csv'))
    expect(header).toBe(EDUCATION_CSV_HEADER)
    expect(new Set(rows.map((r) => r.provider)).size).toBe(40)
    expect(rows.length).toBe(result.counts.educationProgrammes)
    for (const r of rows) {
      expect(r.provider.startsWith('Demo ')).toBe(true)
      expect(ref.sunCodes.has(r.sun_code)).toBe(true)
      expect(['folkhogskola', 'yh', 'hogskola', 'gymnasium_estetiska', 'kulturskola', 'studieforbund', 'other']).toContain(r.provider_type)
      expect(r.url).toMatch(/^https:\/\/[a-z0-9-]+\.example\/$/)
    }
    expect(rows.some((r) => r.provider_type === 'kulturskola')).toBe(true)
  })
})

describe('SCB bulk format', () => {
  it('decodes as Latin-1 with 34 TAB fields on every CRLF line and matches the CSV', async () => {
    const csv = await readCsv(path.join(dirA, 'companies-2024.csv'))
    const byOrg = new Map(csv.rows.map((r) => [r.orgnr, r]))
    const buf = await readFile(path.join(dirA, scbBulkFileName(2024)))
    const text = iconv.decode(buf, 'ISO-8859-1')
    expect(text).toMatch(/[åäöÅÄÖ]/) // Swedish letters survive the round trip
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false)
    const lines = text.slice(0, -2).split('\r\n')
    expect(lines[0].split('\t')).toEqual([...SCB_BULK_COLUMNS])
    expect(SCB_BULK_COLUMNS.length).toBe(34)
    expect(lines.length - 1).toBe(N)
    let withFtgNamn = 0
    for (const line of lines.slice(1)) {
      const f = line.split('\t')
      expect(f.length).toBe(34)
      const row = Object.fromEntries(SCB_BULK_COLUMNS.map((c, i) => [c, f[i]]))
      const c = byOrg.get(row.PeOrgNr.slice(2))
      expect(c, row.PeOrgNr).toBeDefined()
      if (c!.legal_form === '10') {
        expect(row.PeOrgNr.slice(0, 2)).toBe(Number(c!.orgnr.slice(0, 2)) >= 45 ? '19' : '20')
      } else expect(row.PeOrgNr.slice(0, 2)).toBe('16')
      if (row.Foretagsnamn !== '') withFtgNamn++
      expect(row.Foretagsnamn || row.Namn).toBe(c!.name) // no quoting: a `"` stays a literal `"`
      expect(row.JurForm).toBe(c!.legal_form)
      expect(row.FtgStat).toBe(c!.active === '1' ? '1' : '9')
      expect(['1', '2']).toContain(row.Reklamsparrtyp)
      expect(row.Reklamsparrtyp === '2').toBe(c!.marketing_optout === '1')
      expect(row.RegDatKtid).toBe(c!.registered.replace(/-/g, ''))
      expect(row.Ng1).toBe(c!.sni1)
      expect(row.PostNr).toBe(c!.postcode)
    }
    const emptyShare = 1 - withFtgNamn / N
    expect(emptyShare).toBeGreaterThan(0.83)
    expect(emptyShare).toBeLessThan(0.93)
  })

  it('some business names carry a literal double quote', () => {
    const r = new Rng(5)
    let quoted = 0
    for (let i = 0; i < 50_000; i++) if (businessName(r, '49', '90030', true).name.includes('"')) quoted++
    expect(quoted).toBeGreaterThan(5)
    expect(quoted).toBeLessThan(200)
  })
})
