import { describe, expect, it } from 'vitest'
import { scbApiCompanies, scbApiWorkplaces } from '../../server/ingest/formats/scb-api.js'
import { collect, ctx, org, streamOf } from './helpers.js'

const AB = org('556677889')
const SOLE = org('850312123')

const companiesArray = `[
  {
    "PeOrgNr": "16${AB}",
    "Företagsnamn": "Ateljé \\"Blå Dörren\\" AB",
    "Säteskommun, kod": "0180",
    "Juridisk form, kod": "49",
    "Bransch_1, kod": "90030",
    "Bransch_2, kod": "     ",
    "Stkl, kod": "4",
    "Företagsstatus, kod": "1",
    "Reklam, kod": "21",
    "PostAdress": "Box 1 { not a brace }",
    "PostNr": "11122",
    "PostOrt": "STOCKHOLM",
    "Registreringsdatum": "2019-04-15",
    "Antal arbetsställen": 2
  },
  {"PeOrgNr": "19${SOLE}", "Namn": "Åsa Öberg", "Juridisk form, kod": "10", "Bransch_1P, kod": "74.202", "Storleksklass Anställda, kod": "1", "Företagsstatus, kod": "9", "Reklam, kod": "11", "PostNr": 62150},
  {"PeOrgNr": "16${AB.slice(0, 9)}0", "Företagsnamn": "Fel AB"},
  {"OrgNr": "${org('556000001')}", "Namn": "Okänd Kommun AB", "Säteskommun, kod": "0999"},
  {"OrgNr": "${org('556000002')}", "Namn": "Fel Klass AB", "Stkl, kod": "42"},
  "not an object",
  {"OrgNr": "${org('556000003')}", "Namn": "Slut AB", "Slutdatum": "2021-12-31", "Bransch_1, kod": 1110}
]`

describe('scb-api companies', () => {
  it('streams a JSON array, one object at a time, with start lines', async () => {
    for (const chunk of [64 * 1024, 3]) {
      const { records, rejections } = await collect(scbApiCompanies, streamOf(companiesArray, chunk), ctx('je.json'))
      expect(records.map((r) => r.line)).toEqual([2, 18, 23])
      expect(rejections.map((r) => [r.line, r.column])).toEqual([[19, 'PeOrgNr'], [20, 'Säteskommun, kod'], [21, 'Stkl, kod'], [22, null]])
      expect(rejections.map((r) => r.reason)).toEqual([
        'bad checksum (Luhn) in organisation number', 'unknown kommun code "0999"', 'unknown size class "42"', 'expected a JSON object, found "not an object"',
      ])
      expect(records[0]).toMatchObject({
        orgnr: AB, name: 'Ateljé "Blå Dörren" AB', kommunCode: '0180', placement: 'seat', locationPrecision: 'kommun', legalForm: '49',
        sni: ['90030'], sizeClass: '4', active: true, marketingOptOut: true, street: 'Box 1 { not a brace }', registeredOn: '2019-04-15', sniVersion: '2007',
      })
      expect(records[1]).toMatchObject({ orgnr: SOLE, soleTrader: true, name: 'Åsa Öberg', sni: ['74202'], sizeClass: '1', active: false, marketingOptOut: false, postcode: '62150', kommunCode: '0980', placement: 'postcode' })
      expect(records[2]).toMatchObject({ active: false, deregisteredOn: '2021-12-31', sni: ['01110'] })
    }
  })

  it('reads NDJSON; a broken line costs one row', async () => {
    const nd = [
      `{"PeOrgNr": "16${AB}", "Namn": "A", "Bransch_1, kod": "90110"}`,
      '{"PeOrgNr": "16',
      '',
      `{"PeOrgNr": "16${AB}", "Namn": "B", "Bransch_1, kod": "90200", "Säteskommun, kod": "1480"}`,
    ].join('\r\n')
    const { records, rejections } = await collect(scbApiCompanies, streamOf(nd), ctx('je.ndjson'))
    expect(records.map((r) => [r.line, r.name, r.sniVersion])).toEqual([[1, 'A', '2025'], [4, 'B', '2025']])
    expect(rejections).toHaveLength(1)
    expect(rejections[0]).toMatchObject({ line: 2, column: null })
    expect(rejections[0].reason).toMatch(/^invalid JSON/)
  })

  it('reports a truncated array and rejects non-JSON / empty input', async () => {
    const t = await collect(scbApiCompanies, streamOf(`[{"PeOrgNr": "16${AB}", "Namn": "A"},\n {"PeOrgNr": "1`), ctx('t.json'))
    expect(t.records).toHaveLength(1)
    expect(t.rejections).toMatchObject([{ line: 2, reason: 'unexpected end of file inside a JSON object' }])
    await expect(collect(scbApiCompanies, streamOf('PeOrgNr;Namn\n'), ctx('x.json'))).rejects.toThrow('x.json: not JSON')
    await expect(collect(scbApiCompanies, streamOf('  \n'), ctx('e.json'))).rejects.toThrow('e.json: file is empty')
    const empty = await collect(scbApiCompanies, streamOf('[]'), ctx('a.json'))
    expect(empty).toMatchObject({ records: [], rejections: [] })
  })
})

describe('scb-api workplaces', () => {
  it('maps CFARNr, Benämning, Kommun, visiting address and status', async () => {
    const arr = JSON.stringify([
      { CFARNr: '12345678', PeOrgNr: `16${AB}`, Benämning: 'Ateljé Söder', 'Kommun, kod': '0180', 'Bransch_1, kod': '90030', 'Stkl, kod': '2', 'Arbetsställestatus, kod': '1', BesöksAdress: 'Götgatan 1', BesöksPostOrt: 'STOCKHOLM', PostAdress: 'Box 9', PostNr: '41111', PostOrt: 'GÖTEBORG' },
      { CfarNr: 23456789, OrgNr: org('556000001'), Företagsnamn: 'Bolaget', PostNr: '41111', 'Arbetsställestatus, kod': '9' },
      { CFARNr: '3', Benämning: 'X', 'Kommun, kod': 'Atlantis' },
      { Benämning: 'Utan id' },
    ], null, 1)
    const { records, rejections } = await collect(scbApiWorkplaces, streamOf(arr), ctx('ae.json'))
    expect(records).toHaveLength(2)
    expect(records[0]).toMatchObject({ workplaceId: '12345678', orgnr: AB, name: 'Ateljé Söder', kommunCode: '0180', placement: 'seat', street: 'Götgatan 1', postcode: null, city: 'STOCKHOLM', sizeClass: '2', active: true, sni: ['90030'] })
    expect(records[1]).toMatchObject({ workplaceId: '23456789', name: 'Bolaget', kommunCode: '1480', placement: 'postcode', active: false })
    expect(rejections.map((r) => [r.column, r.reason])).toEqual([['Kommun, kod', 'unknown kommun "Atlantis"'], ['CFARNr', 'missing workplace id (CFARNr)']])
    expect(records.map((r) => r.line)).toEqual([2, 16])
    expect(rejections.map((r) => r.line)).toEqual([23, 28])
  })
})
