// What is not understood is refused, in the project's own JSON formats too (companies, workplaces, education).
import { describe, expect, it } from 'vitest'
import { jsonCompanies, jsonWorkplaces } from '../../server/ingest/formats/csv.js'
import { educationJson } from '../../server/ingest/formats/education.js'
import { collect, ctx, org, streamOf } from './helpers.js'

const AB = org('556677889')

describe('project JSON formats refuse objects they do not understand', () => {
  it('rejects an object with none of the format\'s keys, with a reason naming the format and the keys found', async () => {
    const text = [
      JSON.stringify({ orgnr: AB, name: 'Ateljé Påhittad AB', kommun: '0880' }),
      JSON.stringify({ peOrgNr_x: 1, titel: 'x' }),
      JSON.stringify({ orgnr: org('556900112') }),
      '"text"',
    ].join('\n')
    const { records, rejections } = await collect(jsonCompanies, streamOf(text), ctx('c.ndjson'))
    expect(records.map((r) => r.line)).toEqual([1])
    expect(rejections.map((r) => [r.line, r.reason])).toEqual([
      [2, 'none of the keys of the companies csv/json format (orgnr, name, legal_form, sni1, sni2, …), found an object with the keys "peOrgNr_x", "titel"'],
      [3, 'name is empty'], // understood, but without its essential fields: never imported
      [4, 'expected a JSON object, found "text"'],
    ])
  })

  it('fails a file in which nothing is understood, for every project JSON format', async () => {
    const foreign = JSON.stringify([{ jes: 'x' }, { id: 7 }])
    await expect(collect(jsonCompanies, streamOf(foreign), ctx('f.json'))).rejects.toThrow(
      'f.json: not in the companies csv/json format (expected objects with keys such as orgnr, name, legal_form, sni1, sni2, …): none of its 2 items has them; the first is an object with the keys "jes"')
    await expect(collect(jsonWorkplaces, streamOf(foreign), ctx('f.json'))).rejects.toThrow('f.json: not in the workplaces csv/json format')
    await expect(collect(educationJson, streamOf('{"a": 1}\n'), ctx('e.ndjson'))).rejects.toThrow(
      'e.ndjson: not in the education csv/json format (expected objects with keys such as provider, provider_type, programme, sun_code, places, …): its only item has them; the first is an object with the keys "a"')
    // an empty array is not a refusal: nothing to import
    expect(await collect(jsonCompanies, streamOf('[]'), ctx('empty.json'))).toMatchObject({ records: [], rejections: [] })
  })
})
