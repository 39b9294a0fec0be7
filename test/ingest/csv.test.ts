import { createReadStream } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { csvCompanies, csvWorkplaces, jsonCompanies, jsonWorkplaces } from '../../server/ingest/formats/csv.js'
import { scbBulk } from '../../server/ingest/formats/scb-bulk.js'
import { badOrg, collect, ctx, org, streamOf, where } from './helpers.js'

const HEADER = ['Organisationsnummer', 'Namn', 'Juridisk_form', 'SNI1', 'SNI2', 'SNI_version', 'Kommunkod', 'Gatuadress', 'Postnummer', 'Postort',
  'Anställda', 'Omsättning_tkr', 'Förädlingsvärde_tkr', 'Registreringsdatum', 'Avregistreringsdatum', 'Aktiv', 'Reklamspärr', 'lat', 'lon', 'x', 'y']

function row (v: Partial<Record<string, string>>, delim = ';'): string {
  return HEADER.map((h) => v[h] ?? '').join(delim)
}

const AB = org('556677889')
const SOLE = org('850312123')
const MUSIK = org('556000001')
const KOR = org('769600123')

/** Windows-1252, `;`, mixed CRLF/LF, decimal commas, quotes; 20 physical lines. */
function companiesFixture (): string {
  const lines = [
    HEADER.join(';'), // 1
    row({ Organisationsnummer: `${AB.slice(0, 6)}-${AB.slice(6)}`, Namn: '"Ateljé ""Blå Dörren"" AB"', Juridisk_form: '49', SNI1: '90.030', SNI2: '74201', Kommunkod: '0180', Gatuadress: 'Konstnärsgatan 1', Postnummer: '111 22', Postort: 'Stockholm', Anställda: '12,5', Omsättning_tkr: '1 234,5', Förädlingsvärde_tkr: '-200', Registreringsdatum: '2019-04-15', Aktiv: 'ja', Reklamspärr: 'nej', lat: '59,3293', lon: '18,0686' }), // 2
    row({ Organisationsnummer: `${SOLE.slice(0, 6)}-${SOLE.slice(6)}`, Namn: 'Åsa "Lillan" Öberg', Juridisk_form: '10', SNI1: '74202', Gatuadress: 'Strandgatan 3', Postnummer: '62150', Postort: 'Visby', x: '6392831.3', y: '696685.5' }), // 3
    row({ Organisationsnummer: badOrg('556000002'), Namn: 'Fel Kontrollsiffra AB', SNI1: '90030' }), // 4
    row({ Organisationsnummer: org('556000003'), Namn: 'Kort Rad AB' }).split(';').slice(0, 15).join(';'), // 5
    `${org('556000004')};"Trasigt Citat AB;49;90030;;;0180;;;;;;;;;;;;;;`, // 6 (unterminated quote)
    row({ Organisationsnummer: MUSIK, Namn: '"Musik ""Ljud"" & Bild AB"', Juridisk_form: '49', SNI1: '59200', Postnummer: '21111' }), // 7
    row({ Organisationsnummer: org('556000005'), Namn: 'Okänd Kommun AB', Kommunkod: '9999', SNI1: '90030' }), // 8
    row({ Organisationsnummer: org('556000006'), Namn: 'Negativ AB', SNI1: '90030', Anställda: '-3' }), // 9
    row({ Organisationsnummer: org('556000007'), Namn: 'Fel Bransch AB', SNI1: '90030', SNI2: '90200' }), // 10
    row({ Organisationsnummer: org('556000008'), Namn: 'Paris AB', lat: '48,85', lon: '2,35' }), // 11
    '', // 12
    ';;;;;;;;;;;;;;;;;;;;', // 13 blank spreadsheet row
    row({ Organisationsnummer: org('556000009'), Namn: 'Scen 2025 AB', SNI1: '90200', SNI_version: '2025', Kommunkod: '1480' }), // 14
    row({ Organisationsnummer: org('556000010'), Namn: 'Tal AB', SNI1: '90030', Omsättning_tkr: '12x' }), // 15
    row({ Organisationsnummer: KOR, Namn: '"Kör & Co\nEkonomisk förening"', Juridisk_form: '51', SNI1: '90010', Postnummer: '41111', Avregistreringsdatum: '20240101' }), // 16–17
    row({ Organisationsnummer: org('556000011'), Namn: 'Extra Kolumn AB' }) + ';extra', // 18
    row({ Organisationsnummer: org('556000012'), Namn: 'Okänd Form AB', Juridisk_form: '77' }), // 19
    row({ Organisationsnummer: org('556000013'), Namn: 'Fel Datum AB', Registreringsdatum: '2023-02-30' }), // 20
  ]
  return lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('')
}

describe('project CSV: companies', () => {
  it('parses a Windows-1252 `;` file with decimal commas, quotes, broken rows', async () => {
    const bytes = iconv.encode(companiesFixture(), 'win1252')
    for (const chunk of [64 * 1024, 5]) {
      const { records, rejections } = await collect(csvCompanies, streamOf(bytes, chunk), ctx('foretag.csv'))
      expect(records.map((r) => r.line)).toEqual([2, 3, 7, 14, 16])
      expect(where(rejections)).toEqual([
        [4, 'Organisationsnummer'], [5, null], [6, 'Namn'], [8, 'Kommunkod'], [9, 'Anställda'], [10, 'SNI2'],
        [11, 'lat'], [15, 'Omsättning_tkr'], [18, null], [19, 'Juridisk_form'], [20, 'Registreringsdatum'],
      ])
      const reasons = rejections.map((r) => r.reason)
      expect(reasons[0]).toBe('bad checksum (Luhn) in organisation number')
      expect(reasons[1]).toBe('wrong number of columns: expected 21, found 15')
      expect(reasons[2]).toMatch(/^broken quoting: unexpected text after a closing quote/)
      expect(reasons[3]).toBe('unknown kommun code "9999"')
      expect(reasons[4]).toBe('negative employees (-3)')
      expect(reasons[5]).toBe('unknown SNI code "90200" for SNI 2007')
      expect(reasons[6]).toBe('coordinates 48,85, 2,35 are outside Sweden')
      expect(reasons[7]).toBe('unparseable number "12x"')
      expect(reasons[8]).toBe('wrong number of columns: expected 21, found 22')
      expect(reasons[9]).toBe('unknown legal form "77"')
      expect(reasons[10]).toBe('invalid calendar date "2023-02-30"')
      expect(rejections[0]).toMatchObject({ file: 'foretag.csv', value: badOrg('556000002') })

      const [ab, sole, musik, scen, kor] = records
      expect(ab).toMatchObject({
        orgnr: AB, name: 'Ateljé "Blå Dörren" AB', legalForm: '49', soleTrader: false, sni: ['90030', '74201'], sniVersion: '2007',
        kommunCode: '0180', placement: 'seat', locationPrecision: 'address', lat: 59.3293, lon: 18.0686, postcode: '11122',
        employees: 12.5, sizeClass: '4', turnover: 1234.5, valueAdded: -200, registeredOn: '2019-04-15', deregisteredOn: null,
        active: true, marketingOptOut: false, description: null,
      })
      expect(sole).toMatchObject({ orgnr: SOLE, soleTrader: true, name: 'Åsa "Lillan" Öberg', kommunCode: '0980', placement: 'postcode', locationPrecision: 'address' })
      expect(sole.lat).toBeCloseTo(57.6348, 4)
      expect(sole.lon).toBeCloseTo(18.2948, 4)
      expect(musik).toMatchObject({ orgnr: MUSIK, name: 'Musik "Ljud" & Bild AB', kommunCode: '1280', placement: 'postcode', active: true, employees: null, sizeClass: null })
      expect(scen).toMatchObject({ sniVersion: '2025', sni: ['90200'], kommunCode: '1480', placement: 'seat', locationPrecision: 'kommun' })
      expect(kor).toMatchObject({ orgnr: KOR, name: 'Kör & Co\nEkonomisk förening', legalForm: '51', deregisteredOn: '2024-01-01', active: false })
    }
  })

  it('accepts `,` and TAB separators, UTF-8 with BOM, English headers in any case', async () => {
    const comma = '\ufeffORGNR,Name,SNI1,Employees,Turnover_kSEK\n' + `${AB},"Bild, Form & Co AB",74201,"3,0",12.5\n`
    const a = await collect(csvCompanies, streamOf(comma), ctx('c.csv'))
    expect(a.rejections).toEqual([])
    expect(a.records[0]).toMatchObject({ orgnr: AB, name: 'Bild, Form & Co AB', employees: 3, sizeClass: '2', turnover: 12.5, active: true })
    const tab = 'orgnr\tname\tactive\tderegistered\n' + `${AB}\tTab AB\t\t2020-01-01\n${MUSIK}\tAktiv AB\t1\t2020-01-01\n`
    const b = await collect(csvCompanies, streamOf(tab), ctx('t.tsv'))
    expect(b.records.map((r) => r.active)).toEqual([false, true])
  })

  it('fails the whole file only when it is empty or mandatory columns are missing; header only → 0 rows', async () => {
    await expect(collect(csvCompanies, streamOf(''), ctx('e.csv'))).rejects.toThrow('e.csv: file is empty')
    await expect(collect(csvCompanies, streamOf('\r\n\r\n'), ctx('e2.csv'))).rejects.toThrow('e2.csv: file is empty')
    await expect(collect(csvCompanies, streamOf('orgnr;kommun\n1;2\n'), ctx('m.csv'))).rejects.toThrow('m.csv: missing mandatory column name in the header (found: orgnr, kommun)')
    await expect(collect(csvCompanies, streamOf('kommun;postort\n'), ctx('m2.csv'))).rejects.toThrow(/m2\.csv: missing mandatory columns orgnr, name/)
    await expect(collect(csvCompanies, streamOf('orgnr;name;namn\n'), ctx('d.csv'))).rejects.toThrow(/column "name" appears twice/)
    const h = await collect(csvCompanies, streamOf('orgnr;name\r\n'), ctx('h.csv'))
    expect(h).toMatchObject({ records: [], rejections: [] })
  })

  it('uses an explicit ctx SNI version; a row sni_version overrides it', async () => {
    const text = 'orgnr;name;sni1;sni_version\n' + `${AB};A;90200;\n${MUSIK};B;90200;2025\n`
    const r = await collect(csvCompanies, streamOf(text), ctx('v.csv', '2007'))
    expect(where(r.rejections)).toEqual([[2, 'sni1']])
    expect(r.records.map((x) => [x.line, x.sniVersion])).toEqual([[3, '2025']])
  })

  it('survives a quote opened on the last line (EOF inside quotes)', async () => {
    const text = `orgnr;name\n${AB};"Öppen\n${MUSIK};Stängd\n`
    const r = await collect(csvCompanies, streamOf(text), ctx('q.csv'))
    expect(where(r.rejections)).toEqual([[2, 'name']])
    expect(r.rejections[0].reason).toMatch(/broken quoting/)
    expect(r.records.map((x) => [x.line, x.name])).toEqual([[3, 'Stängd']])
  })

  it('also reads the company columns as JSON (array and NDJSON, camelCase keys)', async () => {
    const arr = `[\n  {"orgnr": "${AB}", "name": "Json AB", "sni1": "90030", "turnoverKsek": 100, "kommun": "0180"},\n  {"orgnr": "${badOrg('556000002')}",\n   "name": "Fel"}\n]`
    const a = await collect(jsonCompanies, streamOf(arr), ctx('c.json'))
    expect(a.records).toHaveLength(1)
    expect(a.records[0]).toMatchObject({ line: 2, orgnr: AB, turnover: 100, kommunCode: '0180' })
    expect(a.rejections).toMatchObject([{ line: 3, column: 'orgnr', reason: 'bad checksum (Luhn) in organisation number' }])
  })
})

describe('project CSV: workplaces', () => {
  it('parses workplaces (UTF-8 BOM, `,`, SWEREF x/y, size classes)', async () => {
    const text = '\ufeffworkplace_id,orgnr,name,sni1,kommun,postcode,employees,size_class,x,y,active\r\n' +
      `12345678,${AB},Ateljé Söder,90030,0180,,,5,6580743.008,674571.866,1\r\n` +
      `12345679,,Utan Orgnr,90030,,41111,"7,5",,,,\n` +
      `,${AB},Utan Id,90030,,,,,,,\n` +
      `12345680,${AB},Fel Klass,90030,,,,17,,,\n` +
      `12345681,${AB},Fel Aktiv,90030,,,,,,,kanske\n`
    const { records, rejections } = await collect(csvWorkplaces, streamOf(text), ctx('ae.csv'))
    expect(records).toHaveLength(2)
    expect(records[0]).toMatchObject({ line: 2, workplaceId: '12345678', orgnr: AB, kommunCode: '0180', placement: 'seat', locationPrecision: 'address', sizeClass: '5', active: true })
    expect(records[0].lat).toBeCloseTo(59.3293, 6)
    expect(records[1]).toMatchObject({ line: 3, orgnr: null, kommunCode: '1480', placement: 'postcode', employees: 7.5, sizeClass: '3', active: true })
    expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
      [4, 'workplace_id', 'missing workplace id'],
      [5, 'size_class', 'unknown size class "17"'],
      [6, 'active', 'unparseable yes/no value "kanske" (use 1/0, true/false or ja/nej)'],
    ])
    await expect(collect(csvWorkplaces, streamOf('orgnr,name\n'), ctx('ae2.csv'))).rejects.toThrow('ae2.csv: missing mandatory column workplace_id')
  })

  it('reads workplaces as NDJSON', async () => {
    const nd = `{"cfar": "1", "name": "A", "kommunkod": "180"}\n\n{"workplaceId": "2", "namn": "B", "sni1": "bad"}\n{broken\n`
    const r = await collect(jsonWorkplaces, streamOf(nd), ctx('ae.ndjson'))
    expect(r.records).toMatchObject([{ line: 1, workplaceId: '1', kommunCode: '0180' }])
    expect(r.rejections.map((x) => [x.line, x.column])).toEqual([[3, 'sni1'], [4, null]])
    expect(r.rejections[1].reason).toMatch(/^invalid JSON/)
  })
})

describe('resource handling', () => {
  const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest/scb_bulkfil_JE_20260601T065839_76.txt')
  it('closes the input when the header is rejected or the consumer stops early', async () => {
    const s1 = createReadStream(fixture)
    await expect(collect(csvCompanies, s1, ctx('x.csv'))).rejects.toThrow(/x\.csv: column "name" appears twice/)
    expect(s1.destroyed).toBe(true)
    const s2 = createReadStream(fixture)
    for await (const batch of scbBulk(s2, ctx('x.txt'))) { expect(batch.length).toBeGreaterThan(0); break }
    expect(s2.destroyed).toBe(true)
  })
})
