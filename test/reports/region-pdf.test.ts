// Issue #21: the regional profile PDF, read back with poppler (pdftotext, pdftoppm): the region's name and figures,
// its län and riket beside it, the definition version, date and demo warning on every page; Swedish and English.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../helpers/db.js'
import { niceTicks, tickDecimals } from '../../server/reports/ticks.js'

const dir = mkdtempSync(path.join(tmpdir(), 'kkb-pdf-'))
const ctx = useTestApp('demo')

const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])
const text = (file: string, page?: number) => execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-layout', file, '-'], { encoding: 'utf8' })
const sv = (n: number) => n.toLocaleString('sv-SE').replace(/\u00a0/g, ' ')

describe('GET /api/reports/region/{code}.pdf', () => {
  it('Kalmar kommun (sv): name, its figures against Kalmar län and riket, flows, LQ branches; header and warning on every page; renders to PNG', async () => {
    const r = await ctx.app.inject('/api/reports/region/0880.pdf')
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toBe('application/pdf')
    expect(r.headers['content-disposition']).toContain('kkb-regionprofil-0880-kalmar-2025-DEMODATA.pdf')
    const file = path.join(dir, 'kalmar.pdf')
    writeFileSync(file, r.rawPayload)
    const all = text(file)
    expect(all).toContain('Regionprofil: Kalmar')
    expect(all).toContain('Kalmar län')
    expect(all).toContain('Riket')
    // the figures, as the API gives them (the PDF is built from the same modules, so the numbers must agree)
    const kf = (q: string) => ctx.app.inject(`/api/key-figures?${q}&branch=total&year=2025`).then((x) => x.json().rows[0])
    const [k, l, s] = await Promise.all([kf('level=kommun&region=0880'), kf('level=lan&region=08'), kf('level=riket')])
    const companiesLine = all.split('\n').find((x) => /^\s*Företag\s/.test(x))!
    expect(companiesLine.replace(/\s+/g, ' ').trim()).toBe(`Företag ${sv(k.companies)} ${sv(l.companies)} ${sv(s.companies)}`)
    const flows = (await ctx.app.inject('/api/key-figures/flows?level=kommun&region=0880&period=year&year=2025')).json().rows[0]
    expect(all.replace(/\s+/g, ' ')).toContain(`2025 ${sv(flows.births)} ${sv(flows.closures)}`)
    expect(all).toContain('Starkaste branscher efter lokaliseringskvot')
    const n = pages(file)
    expect(n).toBeGreaterThanOrEqual(2)
    for (let p = 1; p <= n; p++) {
      const t = text(file, p)
      expect(t, `page ${p}`).toMatch(/Definition kreametern-provisional v\S+/)
      expect(t, `page ${p}`).toContain('DEMODATA')
      expect(t, `page ${p}`).toContain(`Sida ${p}/${n}`)
    }
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', file, path.join(dir, 'kalmar')])
    expect(statSync(path.join(dir, 'kalmar-1.png')).size).toBeGreaterThan(10_000)
    if (process.env.KEEP_PDF) writeFileSync(process.env.KEEP_PDF, readFileSync(file))
  })

  it('English, a län and riket; unknown codes are a 404, bad ones a 400', async () => {
    const en = await ctx.app.inject('/api/reports/region/08.pdf?lang=en')
    expect(en.statusCode).toBe(200)
    const file = path.join(dir, 'lan.pdf')
    writeFileSync(file, en.rawPayload)
    const t = text(file)
    expect(t).toContain('Regional profile: Kalmar län')
    expect(t).toContain('DEMO DATA')
    expect(t).toContain('Sweden')
    const se = await ctx.app.inject('/api/reports/region/SE.pdf')
    expect(se.statusCode).toBe(200)
    expect((await ctx.app.inject('/api/reports/region/9999.pdf')).statusCode).toBe(404)
    expect((await ctx.app.inject('/api/reports/region/abc.pdf')).statusCode).toBe(400)
  })

  it('chart ticks are exact steps (a 2.5 gridline is 2.5)', () => {
    expect(niceTicks(0, 10, 4)).toEqual([0, 2.5, 5, 7.5, 10])
    expect(niceTicks(94, 131, 5)).toEqual([90, 100, 110, 120, 130, 140])
    expect(niceTicks(0.1, 0.3, 4)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3])
    // counts: whole steps only
    expect(niceTicks(0, 10, 4, true)).toEqual([0, 5, 10])
    expect(niceTicks(0, 1, 4, true)).toEqual([0, 1])
    expect(niceTicks(0, 3, 4, true)).toEqual([0, 1, 2, 3])
    expect(niceTicks(0, 2300, 4, true)).toEqual([0, 1000, 2000, 3000])
  })

  it('tick labels get the decimals their step needs (the web charts print ticks with them)', () => {
    expect([2.5, 0.25, 0.025, 5, 20, 0.5, 250].map(tickDecimals)).toEqual([1, 2, 3, 0, 0, 1, 0])
    for (const [lo, hi] of [[0, 10], [0.1, 0.3], [94, 131], [0, 1.1], [0, 0.07]]) {
      const ticks = niceTicks(lo, hi, 4)
      const d = tickDecimals(ticks[1] - ticks[0])
      // printed with d decimals, every tick reads back as itself
      for (const v of ticks) expect(Number(v.toFixed(d))).toBe(v)
    }
  })
})
