// Skolverket's school-unit register (open API v2) in its published shape: detail responses of GET /v2/school-units/{code}.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { skolverketSchoolUnits } from '../../server/ingest/formats/skolverket.js'
import { collect, ctx, streamOf } from './helpers.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest/skolverket')
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name))

describe('Skolverket school units (API v2)', () => {
  it('keeps the active upper-secondary units with the arts programme, placed by kommun and visiting address', async () => {
    const { records, rejections } = await collect(skolverketSchoolUnits, streamOf(fixture('school-units.ndjson')), ctx('school-units.ndjson'))
    expect(records).toEqual([
      { line: 1, provider: 'Kalmar Estetiska Gymnasium (fiktivt)', providerType: 'gymnasium_estetiska', programme: 'Estetiska programmet', sunCode: null,
        places: null, applicants: null, kommunCode: '0880', placement: 'seat', locationPrecision: 'address', street: 'Skolgatan 2', postcode: '39231', city: 'KALMAR',
        lon: 16.3568, lat: 56.6634, startYear: null, url: 'https://example.org/kalmar-es' },
      { line: 5, provider: 'Visby Kulturgymnasium (fiktivt)', providerType: 'gymnasium_estetiska', programme: 'Estetiska programmet', sunCode: null,
        places: null, applicants: null, kommunCode: '0980', placement: 'seat', locationPrecision: 'kommun', street: 'Hamngatan 5', postcode: '62157', city: 'VISBY',
        lon: null, lat: null, startYear: null, url: null },
    ])
    expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([[6, 'municipalityCode', 'unknown kommun code "9999"']])
  })

  it('refuses the list endpoint (no programmes in it) and files of another shape', async () => {
    await expect(collect(skolverketSchoolUnits, streamOf(fixture('school-units-list.json')), ctx('list.json')))
      .rejects.toThrow(/list.json: this is the list of school units \(GET \/v2\/school-units/)
    await expect(collect(skolverketSchoolUnits, streamOf('[{"id": 1, "title": "Konsert"}]'), ctx('x.json')))
      .rejects.toThrow(/x.json: not in the Skolverket's school-unit register \(API v2\) format .*"id", "title"/)
  })
})
