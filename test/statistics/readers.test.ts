// The two readers of statistical tables on their own (no database): JSON-stat 2.0 in all the shapes the specification
// allows, checked cell by cell against jsonstat-toolkit, and the layouts of SCB's CSV download.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import JSONstat from 'jsonstat-toolkit'
import { parseJsonStat } from '../../server/statistics/jsonstat.js'
import { parseScbCsv } from '../../server/statistics/scb-csv.js'
import { recognise } from '../../server/statistics/dimensions.js'
import type { ParsedTable } from '../../server/statistics/table.js'

const example = readFileSync('data/examples/statistics-yrken.json', 'utf8')
const names = { kommun: new Map([['0880', 'Kalmar'], ['1880', 'Örebro']]), lan: new Map([['08', 'Kalmar län']]) }
const at = (t: ParsedTable, codes: Record<string, string>) =>
  t.cells.find((c) => t.dimensions.every((d, i) => codes[d.id] === undefined || d.categories[c.at[i]].code === codes[d.id]))

describe('JSON-stat 2.0 reader', () => {
  it('reads every cell of the example to what jsonstat-toolkit reads', () => {
    const t = parseJsonStat(example)
    const ds = JSONstat(JSON.parse(example))
    expect(t).toMatchObject({ id: 'EXEMPEL-YREG', source: 'Statistiska centralbyrån', unit: 'antal', updated: '2025-06-24T06:00:00Z' })
    expect(t.cells).toHaveLength(12)
    for (const c of t.cells) {
      const q = Object.fromEntries(t.dimensions.map((d, i) => [d.id, d.categories[c.at[i]].code]))
      const ref = ds.Data(q)
      expect(c.value, JSON.stringify(q)).toBe(ref.value)
      if (ref.value === null) expect(c.status).toBe('..')
    }
  })

  it('reads sparse values, array indexes and a status array as the specification allows', () => {
    const doc = JSON.parse(example)
    doc.value = Object.fromEntries(doc.value.map((v: number | null, k: number) => [String(k), v]).filter(([, v]: [string, number | null]) => v !== null))
    doc.status = doc.value ? Array.from({ length: 12 }, (_, k) => (k === 1 ? '..' : null)) : null
    doc.dimension.Region.category.index = ['0880', '1880']
    const t = parseJsonStat(JSON.stringify(doc))
    expect(at(t, { Region: '0880', Yrke2012: '2651', Kon: '2' })).toMatchObject({ value: null, status: '..' })
    expect(at(t, { Region: '1880', Yrke2012: '5321', Kon: '2' })!.value).toBe(3480)
  })

  it('recognises the dimensions by SCB\'s ids and roles without renaming them', () => {
    const r = recognise(parseJsonStat(example), names)
    expect(r.dimensions.map((d) => [d.id, d.kind])).toEqual([['Region', 'region'], ['Yrke2012', 'occupation'], ['Kon', 'sex'], ['ContentsCode', 'contents'], ['Tid', 'time']])
  })
})

describe('SCB CSV reader', () => {
  it('reads the shipped example (title, "code name" texts, a column per year, ".." cells, a footnote)', () => {
    const t = recognise(parseScbCsv(readFileSync('data/examples/statistics-yrken.csv', 'utf8'), 'x.csv'), names)
    expect(t.title).toMatch(/^Anställda 16-64 år/)
    expect(t.dimensions.map((d) => d.kind)).toEqual(['region', 'occupation', 'sex', 'time'])
    expect(t.cells).toHaveLength(8)
    expect(at(t, { region: '0880', 'yrke (SSYK 2012)': '2651', kön: '2', Tid: '2024' })).toMatchObject({ value: null, status: '..' })
    expect(t.dimensions[2].categories.map((c) => c.code)).toEqual(['1', '2'])
  })

  it('reads the long layout: semicolons, a year column, the value last, decimal commas, "–" as nothing to report', () => {
    const text = 'region;yrke (SSYK 2012);kön;ålder;år;Medellön\n00 Riket;2651 Bildkonstnärer m.fl.;totalt;16-64 år;2024;31 250,5\n' +
      '08 Kalmar län;2651 Bildkonstnärer m.fl.;totalt;16-64 år;2024;–\n'
    const t = recognise(parseScbCsv(text, 'long.csv'), names)
    expect(t.dimensions.map((d) => d.kind)).toEqual(['region', 'occupation', 'sex', 'age', 'time', 'contents'])
    expect(t.dimensions[0].categories.map((c) => c.code)).toEqual(['00', '08'])
    expect(t.dimensions[3].categories[0].code).toBe('16-64')
    expect(t.cells.map((c) => [c.value, c.status])).toEqual([[31250.5, null], [0, '–']])
  })

  it('knows an age total by its name or by its range spanning the other groups, so it is never summed with them', () => {
    const text = 'region,ålder,2024\n0880 Kalmar,16-24 år,10\n0880 Kalmar,25-64 år,30\n0880 Kalmar,16-64 år,40\n0880 Kalmar,totalt,40\n'
    const t = recognise(parseScbCsv(text, 'age.csv'), names)
    expect(t.dimensions[1].categories.map((c) => [c.code, !!c.total])).toEqual([['16-24', false], ['25-64', false], ['16-64', true], ['totalt', true]])
  })

  it('refuses what it does not understand', () => {
    expect(() => parseScbCsv('region,2024\n0880 Kalmar,12\n0880 Kalmar,13\n', 'dup.csv')).toThrow(/appears twice/)
    expect(() => parseScbCsv('"Titel"\n\nregion,yrke (SSYK 2012),Anställda\n0880 Kalmar,2651 x,12\n', 'noyear.csv')).toThrow(/has no year/)
    expect(() => recognise(parseScbCsv('region,yrke (SSYK 96),2024\n0880 Kalmar,2651 x,12\n', 'ssyk96.csv'), names)).toThrow(/not marked SSYK 2012/)
    expect(() => recognise(parseScbCsv('region,kön,2024\nAtlantis,män,12\n', 'r.csv'), names)).toThrow(/"Atlantis" is not a kommun/)
  })
})
