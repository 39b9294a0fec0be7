// Deterministic generator of a SYNTHETIC ("Demodata") Swedish business register, written as files
// in the project's real import formats (see server/demo/README.md):
//   csv       companies-<year>.csv, workplaces-<year>.csv (UTF-8, ';', decimal comma, header row)
//   scb-bulk  scb_bulkfil_JE_<year>0601T065839_76.txt (SCB's bulk layout: TAB, ISO-8859-1, CRLF, no quoting)
//   plus education.csv (arts/culture education providers) and README-DEMODATA.txt.
//
// Nothing here describes a real company or person. Organisation numbers are made up (Luhn-valid, so
// they pass validation) and may by chance equal real ones; personal identity numbers cannot be anyone's
// (their day of month is 32–59, see identifiers.ts); names are built from word lists.
//
// This file runs the generation (options, the pass over all companies, counts, README-DEMODATA.txt). Its parts:
// identifiers.ts (numbers and dates), world.ts (kommuner, centres, branch tables), companies.ts (one company and its
// second year), rows.ts (file rows and headers), education.ts (education providers), writer.ts (buffered files).
//
// Design: every row is a pure function of (seed, row index) — each company draws from its own
// PRNG stream (hash of seed + index), so output is byte-identical for the same seed and nothing
// per-company is kept in memory. Both reference years are written in one pass: company i's
// year-one row, then its year-two row (kept / changed / deregistered) from a second stream; new
// year-two companies get indices after the year-one ones. Rows go through buffered writers that
// honour backpressure, so 1.3 M companies × 2 years run in flat memory.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { sizeClassFor } from '../reference/size-classes.js'
import { Rng, hash32 } from './random.js'
import { LineWriter, csvField, decimalComma } from './writer.js'
import { dayOf } from './identifiers.js'
import { buildWorld, checkIdentifierSpace } from './world.js'
import { evolveCompany, makeCompany, makePlace, mapTo2025, type Company, type Place } from './companies.js'
import { COMPANIES_CSV_HEADER, SCB_BULK_COLUMNS, WORKPLACES_CSV_HEADER, companyBulk, companyCsv, planWorkplaces, sniSlots, scbBulkFileName,
  type WorkplacePlan } from './rows.js'
import { writeEducation } from './education.js'
import { NEW_SHARE, REGISTER_ACTIVE_COMPANIES, densePlan, type DensePlan } from './density.js'

export { COMPANIES_CSV_HEADER, EDUCATION_CSV_HEADER, SCB_BULK_COLUMNS, WORKPLACES_CSV_HEADER, scbBulkFileName } from './rows.js'
export { DEMO_DAY_OFFSET, isLuhnValid, luhnCheckDigit } from './identifiers.js'

export type DemoFormat = 'csv' | 'scb-bulk'

export interface GenerateOptions {
  /** companies in the first reference year (the second has ≈ +2 %: 93 % kept + 9 % new) */
  companiesPerYear: number
  /** [first, second] reference year: the first is coded in SNI 2007, the second in SNI 2025 */
  years: [number, number]
  seed: number
  outDir: string
  formats: DemoFormat[]
  /** arts/culture education providers (0 = no education.csv) */
  educationProviders: number
  /** län (codes, e.g. ['08']) generated at full register density on top of the national sample of companiesPerYear:
   *  their kommuner get the companies a register of ≈ 1.25 M active firms has there (density.ts). Default: none. */
  fullDensityLan?: string[]
  /** progress messages (e.g. to stderr) */
  onProgress?: (message: string) => void
}

export interface YearCounts {
  companies: number
  kkbCompanies: number
  soleTraders: number
  inactive: number
  registeredLastYear: number
  marketingOptOut: number
  exactEmployees: number
  withTurnover: number
  workplaces: number
  withForetagsnamn: number
}

export interface GenerateResult {
  files: {
    companies: Record<string, string>
    workplaces: Record<string, string>
    scbBulk: Record<string, string>
    education: string | null
    readme: string
  }
  counts: {
    years: Record<string, YearCounts>
    keptFromFirstYear: number
    droppedAfterFirstYear: number
    newInSecondYear: number
    /** the full-density län and, per kommun, the first-year companies aimed at (national sample + added) */
    fullDensity: { lan: string[]; added: number; addedNewInSecondYear: number; target: Record<string, number> } | null
    educationProviders: number
    educationProgrammes: number
  }
  bytes: number
  seconds: number
}

export const DEFAULT_OPTIONS: Omit<GenerateOptions, 'outDir'> = {
  companiesPerYear: 20_000,
  years: [2024, 2025],
  seed: 42,
  formats: ['csv', 'scb-bulk'],
  educationProviders: 300,
}

function emptyCounts (): YearCounts {
  return { companies: 0, kkbCompanies: 0, soleTraders: 0, inactive: 0, registeredLastYear: 0, marketingOptOut: 0, exactEmployees: 0,
    withTurnover: 0, workplaces: 0, withForetagsnamn: 0 }
}

export async function generateRegister (opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = Date.now()
  const { companiesPerYear: n1, years, seed, outDir, formats } = opts
  if (!Number.isInteger(n1) || n1 < 1) throw new Error('companiesPerYear must be a positive integer')
  if (!(years[1] > years[0])) throw new Error('years must be [first, second] with second > first')
  const progress = opts.onProgress ?? (() => {})
  const nNew = Math.round(n1 * NEW_SHARE)
  // index ranges: the national sample's first year [0, n1), its new companies [n1, d0), then a full-density län's
  // added first-year companies [d0, d1) and their new ones [d1, total) — so the sample is the same with or without them
  const d0 = n1 + nNew
  // the world is built before the plan (the plan needs its kommun shares); its identifier check uses the final total
  const w = buildWorld(seed, d0, years[0])
  const dense: DensePlan | null = opts.fullDensityLan?.length ? densePlan(w, opts.fullDensityLan, n1) : null
  const d1 = d0 + (dense?.firstYear.total ?? 0)
  const total = d1 + (dense?.newInSecond.total ?? 0)
  if (dense) checkIdentifierSpace(total)
  await mkdir(outDir, { recursive: true })
  const csv = formats.includes('csv')
  const bulk = formats.includes('scb-bulk')
  const [y1, y2] = years
  const ref = [dayOf(y1, 6, 1), dayOf(y2, 6, 1)]
  const versions = ['2007', '2025']

  const files: GenerateResult['files'] = { companies: {}, workplaces: {}, scbBulk: {}, education: null, readme: path.join(outDir, 'README-DEMODATA.txt') }
  const writers: LineWriter[] = []
  const open = (name: string, enc: 'utf8' | 'latin1', eol: '\n' | '\r\n'): LineWriter => {
    const wr = new LineWriter(path.join(outDir, name), enc, eol)
    writers.push(wr)
    return wr
  }
  const compW: Array<LineWriter | null> = [null, null]
  const wpW: Array<LineWriter | null> = [null, null]
  const bulkW: Array<LineWriter | null> = [null, null]
  years.forEach((y, t) => {
    if (csv) {
      compW[t] = open(`companies-${y}.csv`, 'utf8', '\n')
      compW[t]!.line(COMPANIES_CSV_HEADER)
      files.companies[y] = compW[t]!.path
      wpW[t] = open(`workplaces-${y}.csv`, 'utf8', '\n')
      wpW[t]!.line(WORKPLACES_CSV_HEADER)
      files.workplaces[y] = wpW[t]!.path
    }
    if (bulk) {
      bulkW[t] = open(scbBulkFileName(y), 'latin1', '\r\n')
      bulkW[t]!.line(SCB_BULK_COLUMNS.join('\t'))
      files.scbBulk[y] = bulkW[t]!.path
    }
  })

  const counts = [emptyCounts(), emptyCounts()]
  let kept = 0
  let dropped = 0
  const rngA = new Rng()
  const rngB = new Rng()
  const rngW = new Rng()
  const kkbSets = [w.kkb2007, w.branches.kkb2025]

  const emit = (t: number, c: Company, plan: WorkplacePlan): void => {
    const sni = t === 0 ? c.sni : mapTo2025(w, c)
    const cnt = counts[t]
    cnt.companies++
    if (kkbSets[t].has(sni[0])) cnt.kkbCompanies++
    if (c.sole) cnt.soleTraders++
    if (!c.active) cnt.inactive++
    if (c.registered > ref[t] - 365) cnt.registeredLastYear++
    if (c.optOut) cnt.marketingOptOut++
    if (c.exactEmployees) cnt.exactEmployees++
    if (c.turnover !== null) cnt.withTurnover++
    if (c.foretagsnamn) cnt.withForetagsnamn++
    compW[t]?.line(companyCsv(c, sni, versions[t]))
    bulkW[t]?.line(companyBulk(c, sni))
    if (!c.active || c.employees < 1) return
    // workplaces: the seat workplace at the company's address, plus planned extras when ≥ 10 employees
    const extra = c.employees >= 10 ? Math.min(plan.extra, Math.floor(c.employees / 4)) : 0
    let rest = c.employees
    const wps: Array<{ j: number; emp: number; place: Place; code: string }> = []
    for (let j = 1; j <= extra; j++) {
      const emp = Math.max(1, Math.round(c.employees * plan.fractions[j - 1]))
      rest -= emp
      rngW.reseed(hash32(seed, 14, c.index, j))
      const place = makePlace(rngW, w.kommuner[plan.kommuner[j - 1]], false)
      wps.push({ j, emp, place, code: plan.useSecondary[j - 1] && sni.length > 1 ? sni[1] : sni[0] })
    }
    wps.unshift({ j: 0, emp: Math.max(1, rest), place: c.place, code: sni[0] })
    cnt.workplaces += wps.length
    const wpw = wpW[t]
    if (!wpw) return
    for (const wp of wps) {
      const id = String(10_000_000 + w.cfarPerm.apply(c.index * 6 + wp.j))
      const name = wp.j === 0 ? c.name : `${c.name} ${wp.place.kommun.name}`
      const codes = wp.code === sni[0] ? sni : [wp.code, ...sni.filter((x) => x !== wp.code)]
      const p = wp.place
      wpw.line([
        id, c.orgnr, csvField(name), sniSlots(codes), versions[t], p.kommun.code, csvField(p.street), p.postcode ?? '', csvField(p.city),
        c.exactEmployees ? String(wp.emp) : '', sizeClassFor(wp.emp), decimalComma(p.lat, 6), decimalComma(p.lon, 6), '1',
      ].join(';'))
    }
  }

  let eduProviders = 0
  let eduProgrammes = 0
  try {
    const step = Math.max(10_000, Math.round(total / 20))
    for (let i = 0; i < total; i++) {
      const first = i < n1 || (i >= d0 && i < d1)
      const kommun = i < d0 ? undefined : i < d1 ? dense!.firstYear.kommunAt(i - d0) : dense!.newInSecond.kommunAt(i - d1)
      rngA.reseed(hash32(seed, 11, i))
      const c1 = makeCompany(rngA, w, i, first ? ref[0] : ref[1], !first, kommun)
      rngW.reseed(hash32(seed, 13, i))
      const plan = planWorkplaces(rngW, w, c1)
      if (first) {
        emit(0, c1, plan)
        rngB.reseed(hash32(seed, 12, i))
        const c2 = evolveCompany(rngB, w, c1, ref[0], ref[1])
        if (c2) { kept++; emit(1, c2, plan) } else dropped++
      } else {
        emit(1, c1, plan)
      }
      if (i % 64 === 0) for (const wr of writers) if (wr.blocked) await wr.drained()
      if ((i + 1) % step === 0) progress(`companies ${i + 1}/${total} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
    }

    if (opts.educationProviders > 0) {
      const ew = open('education.csv', 'utf8', '\n')
      files.education = ew.path
      const r = writeEducation(ew, w, seed, opts.educationProviders, y2)
      eduProviders = r.providers
      eduProgrammes = r.programmes
    }
    for (const wr of writers) await wr.close()
  } catch (err) {
    for (const wr of writers) wr.abort()
    throw err
  }
  const bytes = writers.reduce((s, wr) => s + wr.bytes, 0)

  const result: GenerateResult = {
    files,
    counts: {
      years: { [y1]: counts[0], [y2]: counts[1] },
      keptFromFirstYear: kept,
      droppedAfterFirstYear: dropped,
      newInSecondYear: nNew + (dense?.newInSecond.total ?? 0),
      fullDensity: dense
        ? { lan: opts.fullDensityLan!, added: dense.firstYear.total, addedNewInSecondYear: dense.newInSecond.total, target: dense.target }
        : null,
      educationProviders: eduProviders,
      educationProgrammes: eduProgrammes,
    },
    bytes,
    seconds: (Date.now() - t0) / 1000,
  }
  await writeFile(files.readme, readmeText(opts, result), 'utf8')
  progress(`done in ${result.seconds.toFixed(1)} s`)
  return result
}

function readmeText (opts: GenerateOptions, r: GenerateResult): string {
  const lines = [
    'DEMODATA - SYNTETISKT FÖRETAGSREGISTER / SYNTHETIC DEMO REGISTER',
    '',
    'Every row in these files is made up by KKB Atlas (server/demo/generate.ts). No row describes a real',
    'company, workplace, school or person. Organisation numbers are synthetic (Luhn-valid so they pass',
    'validation; they may by chance equal real ones and mean nothing). Personal identity numbers of sole',
    'traders cannot belong to anyone: their day of month is 32-59 (birth day + 31), a day no personnummer',
    '(01-31) or samordningsnummer (61-91) has, in any century.',
    'Any statistic computed from these files is an artefact of the generator. Label it "Demodata".',
    '',
    `seed=${opts.seed} companiesPerYear=${opts.companiesPerYear} years=${opts.years.join(',')} formats=${opts.formats.join(',')} ` +
    `educationProviders=${opts.educationProviders}${opts.fullDensityLan?.length ? ` fullDensityLan=${opts.fullDensityLan.join(',')}` : ''}`,
    describeDemoText(describeDemo(opts)),
    `SNI: ${opts.years[0]} in SNI 2007, ${opts.years[1]} in SNI 2025 (crude synthetic correspondence, not SCB's key).`,
    '',
    'Files:',
    ...Object.values(r.files.companies).map((f) => `  ${path.basename(f)}  companies (csv, UTF-8, ';', decimal comma)`),
    ...Object.values(r.files.workplaces).map((f) => `  ${path.basename(f)}  workplaces / arbetsställen (csv)`),
    ...Object.values(r.files.scbBulk).map((f) => `  ${path.basename(f)}  SCB bulk layout (TAB, ISO-8859-1, CRLF, no quoting)`),
    ...(r.files.education ? [`  ${path.basename(r.files.education)}  arts/culture education providers (csv)`] : []),
    '',
    `Counts: ${JSON.stringify(r.counts)}`,
    '',
  ]
  return lines.join('\n')
}

/** How the demo was made, stored on its import batches (seed-demo.ts) so the API and the UI can say how dense it is. */
export interface DemoDescription { sampleCompanies: number; registerCompanies: number; fullDensityLan: string[] }

export function describeDemo (opts: Pick<GenerateOptions, 'companiesPerYear' | 'fullDensityLan'>): DemoDescription {
  return { sampleCompanies: opts.companiesPerYear, registerCompanies: REGISTER_ACTIVE_COMPANIES, fullDensityLan: opts.fullDensityLan ?? [] }
}

function describeDemoText (d: DemoDescription): string {
  const sample = `a national sample of ${d.sampleCompanies} companies (≈ 1/${Math.round(d.registerCompanies / d.sampleCompanies)} of the register)`
  return d.fullDensityLan.length
    ? `Density: län ${d.fullDensityLan.join(', ')} at full register density (every kommun with the companies a register of ≈ ${d.registerCompanies / 1e6} M active firms has there), the rest of Sweden ${sample}; counts for riket and other län are not comparable with the full-density län.`
    : `Density: ${sample}.`
}
