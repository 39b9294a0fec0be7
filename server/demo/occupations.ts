// A SYNTHETIC occupation table for the demo: people by workplace kommun × SSYK 2012 (Kreametern's 31 codes and a few
// others, "yrke okänt" among them) × sex × age group × the demo years, written as a JSON-stat 2.0 file in the shape of
// SCB's Yrkesregistret tables and imported through the real statistics import, its batch marked synthetic. Its id,
// title and source all say DEMODATA, so the map and the exports cannot pass it off as SCB's. The numbers follow the
// kommun's population with a random tilt per kommun and occupation; one cell is protected ("..") as in SCB's tables.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { readDataCsv } from '../reference/csv-file.js'
import { hash32 } from './random.js'

export const DEMO_OCCUPATION_TABLE = 'DEMO-YRKEN'
export const DEMO_OCCUPATION_SOURCE = 'KKB Atlas demodata (syntetisk tabell, inte SCB)'
const OTHER = [['2341', 'Grundskollärare'], ['5321', 'Undersköterskor'], ['0002', 'Yrke okänt']]
const AGES = ['16-29', '30-49', '50-64']

/** A uniform number in [0, 1) from a tuple of integers (reproducible). */
const u = (...k: number[]) => hash32(20261130, ...k) / 2 ** 32

export function writeDemoOccupationTable (dir: string, years: number[]): string {
  const kommuner = readDataCsv<{ kommun_code: string; kommun_name: string }>('kommuner.csv')
  const pop = new Map(readDataCsv<{ kommun_code: string; population: string }>('population_kommun.csv').map((r) => [r.kommun_code, Number(r.population)]))
  const kk = readDataCsv<{ ssyk2012_code: string; yrkeskategori_sv: string }>('occupations/kkb_ssyk2012_occupations.csv')
    .map((r) => [r.ssyk2012_code, r.yrkeskategori_sv])
  const occupations = [...kk, ...OTHER]
  const value: Array<number | null> = []
  const status: Record<string, string> = {}
  kommuner.forEach((k, ki) => {
    const people = pop.get(k.kommun_code) ?? 10_000
    // bigger places hold a larger share of the cultural and creative jobs (as Kreametern found)
    const urban = Math.min(2.2, 0.6 + Math.log10(people) / 4)
    occupations.forEach(([code], oi) => {
      const other = oi >= kk.length
      const tilt = other ? 1 : 0.35 + 1.6 * u(ki, oi)
      for (let s = 0; s < 2; s++) {
        for (let a = 0; a < AGES.length; a++) {
          years.forEach((y, yi) => {
            const base = other ? people * 0.09 : people * 0.00022 * urban * tilt
            const v = Math.round(base * (a === 1 ? 0.45 : 0.28) * (s === 0 ? 1.04 : 0.96) * (1 + 0.04 * yi) * (0.85 + 0.3 * u(ki, oi, s, a, y)))
            // one protected cell, as SCB's tables have them
            if (k.kommun_code === '0880' && code === '2651' && s === 1 && a === 0 && yi === years.length - 1) {
              status[String(value.length)] = '..'; value.push(null)
            } else value.push(v)
          })
        }
      }
    })
  })
  const cat = (codes: string[], labels: string[]) => ({
    index: Object.fromEntries(codes.map((c, i) => [c, i])), label: Object.fromEntries(codes.map((c, i) => [c, labels[i]])),
  })
  const doc = {
    class: 'dataset', version: '2.0',
    label: 'DEMODATA – syntetisk tabell: sysselsatta efter arbetsställets region, yrke (SSYK 2012), kön, ålder och år',
    source: DEMO_OCCUPATION_SOURCE, updated: `${years[years.length - 1] + 1}-06-01T00:00:00Z`,
    id: ['Region', 'Yrke2012', 'Kon', 'Alder', 'Tid'],
    size: [kommuner.length, occupations.length, 2, AGES.length, years.length],
    role: { time: ['Tid'], geo: ['Region'] },
    dimension: {
      Region: { label: 'region', category: cat(kommuner.map((k) => k.kommun_code), kommuner.map((k) => k.kommun_name)) },
      Yrke2012: { label: 'yrke (SSYK 2012)', category: cat(occupations.map((o) => o[0]), occupations.map((o) => o[1])) },
      Kon: { label: 'kön', category: cat(['1', '2'], ['män', 'kvinnor']) },
      Alder: { label: 'ålder', category: cat(AGES, AGES.map((a) => `${a} år`)) },
      Tid: { label: 'år', category: cat(years.map(String), years.map(String)) },
    },
    value, status,
    extension: { px: { tableid: DEMO_OCCUPATION_TABLE }, synthetic: true },
  }
  const file = path.join(dir, 'demo-yrken.json')
  writeFileSync(file, JSON.stringify(doc))
  return file
}
