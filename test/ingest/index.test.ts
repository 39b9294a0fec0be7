import { readFileSync, createReadStream } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { IMPORT_KINDS, checkImport, getParser, importFormats, importParser, referenceYearFromFileName, supportedFormats } from '../../server/ingest/formats/index.js'
import { scbBulk } from '../../server/ingest/formats/scb-bulk.js'
import { collect, ctx } from './helpers.js'

const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../data/examples')

describe('parser registry', () => {
  it('returns parsers for supported combinations', () => {
    expect(getParser('companies', 'scb-bulk')).toBe(scbBulk)
    for (const [k, f] of [['companies', 'scb-api'], ['companies', 'csv'], ['companies', 'json'], ['workplaces', 'scb-api'], ['workplaces', 'csv'], ['workplaces', 'json'], ['education', 'csv'], ['education', 'json'], ['education', 'myh'], ['education', 'skolverket'], ['enrichment', 'bolagsverket']] as const) {
      expect(typeof getParser(k, f)).toBe('function')
    }
    expect(supportedFormats('workplaces')).toEqual(['scb-api', 'csv', 'json'])
  })

  it('one registry of importable kinds and formats, which the ingest README documents', () => {
    expect(importFormats('companies')).toEqual(['scb-bulk', 'scb-api', 'bolagsverket', 'csv', 'json']) // json was reachable only from tests
    expect(() => checkImport('education', 'scb-bulk')).toThrow('format "scb-bulk" is not supported for education (use csv, json, myh, skolverket)')
    for (const k of IMPORT_KINDS) for (const f of importFormats(k)) expect(typeof importParser(k, f).parser, `${k} ${f}`).toBe('function')
    expect(importParser('companies', 'bolagsverket').parserKind).toBe('enrichment')
    const readme = readFileSync(path.join(EXAMPLES, '../../server/ingest/README.md'), 'utf8')
    const table = [...readme.matchAll(/^\| (companies|workplaces|education|curated) \| ([^|]+) \|$/gm)].map((m) => [m[1], m[2].trim().split(', ')])
    expect(table).toEqual(IMPORT_KINDS.map((k) => [k, importFormats(k)]))
  })

  it('throws a clear error for unsupported combinations', () => {
    expect(() => getParser('education', 'scb-bulk')).toThrow('unsupported format "scb-bulk" for education (supported: csv, json, myh, skolverket)')
    expect(() => getParser('enrichment', 'csv')).toThrow('unsupported format "csv" for enrichment (supported: bolagsverket)')
    expect(() => getParser('bogus' as never, 'csv')).toThrow(/unknown import kind "bogus"/)
  })

  it('derives the reference year from file names', () => {
    expect(referenceYearFromFileName('scb_bulkfil_JE_20260601T065839_76.txt')).toBe(2026)
    expect(referenceYearFromFileName('/tmp/uploads/scb_bulkfil_JE_20250101T000000_1.txt')).toBe(2025)
    expect(referenceYearFromFileName('foretag_2024-12-31.csv')).toBe(2024)
    expect(referenceYearFromFileName('kkb_2023.csv')).toBe(2023)
    expect(referenceYearFromFileName('scb_bulkfil.zip')).toBeNull()
    expect(referenceYearFromFileName('orgs_5560360793.csv')).toBeNull()
    expect(referenceYearFromFileName('bolagsverket_bulkfil.txt')).toBeNull()
  })
})

describe('data/examples', () => {
  it('all example files parse without rejections', async () => {
    for (const [kind, file, n] of [['companies', 'companies.csv', 0], ['workplaces', 'workplaces.csv', 0], ['education', 'education.csv', 0]] as const) {
      const p = path.join(EXAMPLES, file)
      const r = await collect(getParser(kind, 'csv') as never, createReadStream(p), ctx(file))
      expect(r.rejections, file).toEqual([])
      expect(r.records.length).toBeGreaterThan(n)
      expect(r.records.length).toBe(readFileSync(p, 'utf8').trim().split('\n').length - 1)
    }
  })
})
