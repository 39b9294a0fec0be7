import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scbApiCompanies, scbApiWorkplaces } from '../../server/ingest/formats/scb-api.js'
import { collect, ctx, org, streamOf } from './helpers.js'

const AB = org('556677889')
const SOLE = org('850312123')
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest/scb-api')

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
      { CfarNr: 4, 'Kommun, kod': '0180', Benämning: '  ' },
      { Benämning: 'Utan id' },
    ], null, 1)
    const { records, rejections } = await collect(scbApiWorkplaces, streamOf(arr), ctx('ae.json'))
    expect(records).toHaveLength(3)
    expect(records[0]).toMatchObject({ workplaceId: '12345678', orgnr: AB, name: 'Ateljé Söder', kommunCode: '0180', placement: 'seat', street: 'Götgatan 1', postcode: null, city: 'STOCKHOLM', sizeClass: '2', active: true, sni: ['90030'] })
    expect(records[1]).toMatchObject({ workplaceId: '23456789', name: 'Bolaget', kommunCode: '1480', placement: 'postcode', active: false })
    expect(rejections.map((r) => [r.column, r.reason])).toEqual([['Kommun, kod', 'unknown kommun "Atlantis"'], ['CfarNr', 'missing workplace id (CFARNr)']])
    // no name of its own: SCB knows it by its CFAR number
    expect(records[2]).toMatchObject({ workplaceId: '4', name: 'Arbetsställe 4', kommunCode: '0180' })
    expect(records.map((r) => r.line)).toEqual([2, 16, 28])
    expect(rejections.map((r) => r.line)).toEqual([23, 33])
  })
})

// ---------------------------------------------------------------------------------------------------------
// The files as SCB's APIs deliver them (test/fixtures/ingest/scb-api/, invented values in the real shapes)

const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8')

describe('scb-api: AFR, the key-based API (autumn 2026)', () => {
  it('opens a JE list page ({"jes": [...], "pagination": …}): every row a company, at the line where it starts', async () => {
    for (const chunk of [64 * 1024, 7]) {
      const { records, rejections } = await collect(scbApiCompanies, streamOf(fixture('afr_je_page.json'), chunk), ctx('afr_je_page.json'))
      expect(rejections).toEqual([])
      expect(records.map((r) => [r.line, r.orgnr, r.name])).toEqual([[3, '5566778899', 'Ateljé Påhittad AB'], [28, '8503121231', 'Fiktivsson, Fiktiv'], [53, '5569001125', 'Nedlagd Scen HB']])
      expect(records[0]).toMatchObject({ legalForm: '49', kommunCode: '0880', placement: 'seat', street: 'Konstgatan 1', postcode: '39231', city: 'KALMAR', sizeClass: '3', active: true, marketingOptOut: true, sni: ['90130'], sniVersion: '2025' })
      expect(records[1]).toMatchObject({ legalForm: '10', soleTrader: true, kommunCode: '0182', sizeClass: '1', active: true, marketingOptOut: false, sni: ['59110'] })
      // anstKl "0" is "uppgift saknas"; blanks are " " or "", never null
      expect(records[2]).toMatchObject({ legalForm: '31', kommunCode: '1480', sizeClass: null, active: false, street: null, postcode: null, city: null, sni: ['90200'] })
    }
  })

  it('reads full JE objects (NDJSON): naringsgrenar in rank order, dates in Swedish time, status from ftgStat', async () => {
    const { records, rejections } = await collect(scbApiCompanies, streamOf(fixture('afr_je_full.ndjson')), ctx('je_full.ndjson'))
    expect(records.map((r) => [r.line, r.name, r.sni, r.sniVersion, r.kommunCode, r.registeredOn, r.deregisteredOn, r.active])).toEqual([
      // regDat 2019-06-13T22:00Z is midnight in summer time: 14 June; slutDat on an active company is an old date, not an end
      [1, 'Påhittade Ljud AB', ['60100', '59200'], '2025', '1280', '2019-06-14', null, true],
      // a sole trader: the firm name, not the owner's name; regDat with a real time of day stays on its day
      [2, 'Fiktivs Bild', ['90110'], '2025', '0182', '2025-01-20', null, true],
      // 2024-03-30T23:00Z is midnight of 31 March in winter time (summer time starts at 02:00 that night)
      [3, 'Avslutad Design AB', ['74110'], '2025', '1480', '2016-04-01', '2024-03-31', false],
    ])
    expect(records[0]).toMatchObject({ legalForm: '49', sizeClass: '4', marketingOptOut: false, street: 'Ljudgatan 2', postcode: '21120', city: 'MALMÖ' })
    expect(records[1]).toMatchObject({ soleTrader: true, marketingOptOut: true })
    expect(rejections).toEqual([{ file: 'je_full.ndjson', line: 4, column: 'foretagsnamn', value: '', reason: 'name is empty' }])
  })

  it('takes SNI 2025 for AFR when the codes fit both versions, and the codes when they decide', async () => {
    const both = JSON.stringify({ jes: [{ peOrgNr: `16${AB}`, namn: 'A', ftgStat: '1', primarNaringsgren: { naringsgren: '59110' } }], pagination: { hasMore: false } })
    const a = await collect(scbApiCompanies, streamOf(both), ctx('page.json'))
    expect(a.records.map((r) => [r.sni, r.sniVersion])).toEqual([[['59110'], '2025']])
    const cert = JSON.stringify([{ PeOrgNr: `16${AB}`, Namn: 'A', 'Bransch_1, kod': '59110' }])
    expect((await collect(scbApiCompanies, streamOf(cert), ctx('je.json'))).records[0].sniVersion).toBe('2007')
  })

  it('opens an AE list page ({"pagination": …, "arbetsstallen": [...]}): workplaces placed at their own address', async () => {
    const { records, rejections } = await collect(scbApiWorkplaces, streamOf(fixture('afr_ae_page.json'), 11), ctx('afr_ae_page.json'))
    expect(rejections).toEqual([])
    const seen = records.map((r) => [r.line, r.workplaceId, r.orgnr, r.name, r.kommunCode, r.street, r.postcode, r.sizeClass, r.active, r.sni, r.sniVersion])
    expect(seen).toEqual([
      [8, '91000001', AB, 'Ateljé Söder', '0180', 'Påhittade gatan 1', '11850', '2', true, ['90130'], '2025'],
      // ben "" and " ": SCB knows the workplace by its CFAR number
      [37, '91000002', AB, 'Arbetsställe 91000002', '0880', 'Konstgatan 1', '39231', '3', false, ['90130'], '2025'],
      [66, '91000003', SOLE, 'Arbetsställe 91000003', '0182', 'Fiktiva torget 3', '13140', '2', true, ['59110'], '2025'],
    ])
  })

  it('takes a full AE object with its SWEREF 99 TM coordinates, but never a sole trader\'s (it may be a home)', async () => {
    const ae = (orgnr: string, cfarNr: number) => JSON.stringify({ cfarNr, peOrgNr: orgnr, ben: 'Verkstan', belagenhetsadress: { lan: '01', kommun: '0180', bGatuAdress: 'Fiktiva torget 3', bPostNr: '11860', bPostOrt: 'STOCKHOLM' },
      aeStat: 1, anstKl: 2, startDat: '2025-02-02T23:00:00.000Z', geografiskInformation: { nordKoordinatSW: 6580000, ostKoordinatSW: 674000 },
      naringsgrenar: [{ rangordning: 1, naringsgren: '90130', andelProcent: 100 }] })
    const { records } = await collect(scbApiWorkplaces, streamOf(`${ae(`16${AB}`, 90000001)}\n${ae(`19${SOLE}`, 90000002)}\n`), ctx('ae_full.ndjson'))
    expect(records[0]).toMatchObject({ workplaceId: '90000001', kommunCode: '0180', locationPrecision: 'address', active: true, sizeClass: '2' })
    expect(records[0].lat).toBeCloseTo(59.33, 1)
    expect(records[0].lon).toBeCloseTo(18.07, 1)
    expect(records[1]).toMatchObject({ workplaceId: '90000002', lat: null, lon: null, locationPrecision: 'kommun' })
  })

  it('reads pages saved one per line (as npm run sync writes them), lines of the pages kept', async () => {
    const page = (rows: object[], hasMore: boolean) => JSON.stringify({ jes: rows, pagination: { nextCursorId: 1, limit: 2, hasMore } })
    const text = [
      page([{ peOrgNr: `16${AB}`, namn: 'A', kommunSate: '0180' }, { peOrgNr: `16${org('556000001')}`, namn: 'B', kommunSate: '0180' }], true),
      page([{ peOrgNr: `16${org('556000002')}`, namn: 'C', kommunSate: '9999' }], false),
      page([], false),
    ].join('\n') + '\n'
    const { records, rejections } = await collect(scbApiCompanies, streamOf(text), ctx('afr-companies.ndjson'))
    expect(records.map((r) => [r.line, r.name])).toEqual([[1, 'A'], [1, 'B']])
    expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([[2, 'kommunSate', 'unknown kommun code "9999"']])
  })
})

describe('scb-api: the certificate API (until 2026)', () => {
  it('reads its flat objects with Swedish labels (five-space blank SNI slots)', async () => {
    const { records, rejections } = await collect(scbApiCompanies, streamOf(fixture('certificate_je.json')), ctx('certificate_je.json'))
    expect(rejections).toEqual([])
    const seen = records.map((r) => [r.line, r.orgnr, r.sni, r.sniVersion, r.kommunCode, r.sizeClass, r.active, r.registeredOn, r.deregisteredOn,
      r.marketingOptOut])
    expect(seen).toEqual([
      [2, AB, ['90030'], '2007', '0880', '3', true, '2019-04-15', null, true],
      [33, org('556900112'), ['90010'], '2007', '1480', '1', false, '2001-01-01', '2023-06-30', false],
    ])
  })
})

describe('scb-api: what is not understood is refused', () => {
  it('rejects an object of neither shape, and a workplace given as a company, each with a reason', async () => {
    const text = [
      JSON.stringify({ peOrgNr: `16${AB}`, namn: 'A', kommunSate: '0180' }),
      JSON.stringify({ foo: 1, bar: 'x' }),
      JSON.stringify({ cfarNr: 91000001, peOrgNr: `16${AB}`, ben: 'Söder' }),
      '42',
    ].join('\n')
    const { records, rejections } = await collect(scbApiCompanies, streamOf(text), ctx('mixed.ndjson'))
    expect(records.map((r) => r.line)).toEqual([1])
    expect(rejections.map((r) => [r.line, r.reason])).toEqual([
      [2, 'none of the keys of the SCB register API companies (scb-api) format (peOrgNr, namn, kommunSate, … (AFR) or PeOrgNr, Företagsnamn, "Säteskommun, kod", … (certificate API)), found an object with the keys "foo", "bar"'],
      [3, 'a workplace (AE, it has cfarNr), not a company: import it as workplaces'],
      [4, 'expected a JSON object, found 42'],
    ])
  })

  it('fails a file in which nothing is understood, naming the format expected and what it found', async () => {
    await expect(collect(scbApiCompanies, streamOf('[{"id": 1, "title": "x"}, {"id": 2}]'), ctx('other.json')))
      .rejects.toThrow('other.json: not in the SCB register API companies (scb-api) format (expected objects with keys such as peOrgNr, namn, kommunSate, … (AFR) ' +
        'or PeOrgNr, Företagsnamn, "Säteskommun, kod", … (certificate API)): none of its 2 items has them; the first is an object with the keys "id", "title"')
    // a JE page given as workplaces
    await expect(collect(scbApiWorkplaces, streamOf(fixture('afr_je_page.json')), ctx('afr_je_page.json')))
      .rejects.toThrow(/afr_je_page.json: not in the SCB register API workplaces \(scb-api\) format .*none of its 3 items has them; the first is an object with the keys "peOrgNr"/)
  })
})
