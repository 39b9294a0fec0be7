import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { educationCsv, educationJson, parseProviderType } from '../../server/ingest/formats/education.js'
import { Invalid } from '../../server/ingest/validate.js'
import { collect, ctx, streamOf } from './helpers.js'

describe('provider types', () => {
  it('accepts codes and Swedish labels', () => {
    expect(['Folkhögskola', 'FOLKHOGSKOLA', 'Yrkeshögskola', 'YH', 'Universitet/högskola', 'Gymnasium – estetiska programmet', 'gymnasium - estetiska programmet',
      'Kulturskola', 'Studieförbund', 'Övrigt', 'other', 'gymnasium_estetiska'].map(parseProviderType))
      .toEqual(['folkhogskola', 'folkhogskola', 'yh', 'yh', 'hogskola', 'gymnasium_estetiska', 'gymnasium_estetiska', 'kulturskola', 'studieforbund', 'other', 'other', 'gymnasium_estetiska'])
    expect(parseProviderType('Cirkus')).toBeInstanceOf(Invalid)
  })
})

describe('education CSV', () => {
  const text = [
    'Anordnare\tAnordnartyp\tUtbildning\tSUN_kod\tPlatser\tKommun\tPostnummer\tPostort\tlat\tlon\tStartår\tURL', // 1
    'Fjällsjö folkhögskola (fiktiv)\tFolkhögskola\tKonstnärlig grundutbildning\t211a\t24\t2584\t\t\t\t\t2026\thttps://example.org/konst', // 2
    'Sydkustens YH (fiktiv)\tYrkeshögskola\tLjudtekniker\t213\t30\t\t21111\tMalmö\t55,6050\t13,0038\t2025\twww.example.org', // 3
    'Okänd Typ\tCirkusskola\tX\t\t\t\t\t\t\t\t\t', // 4
    'Fel SUN\tkulturskola\tDans\t999x\t\t\t\t\t\t\t\t', // 5
    'Halva Platser\tkulturskola\tDans\t\t2,5\t\t\t\t\t\t\t', // 6
    'Dålig Länk\tstudieförbund\tFoto\t\t\t\t\t\t\t\t\tftp://x', // 7
    'Fel År\tÖvrigt\tFoto\t\t\t\t\t\t\t\t1850\t', // 8
    'Utan Plats\tÖvrigt\t\t\t\t\t\t\t\t\t\t', // 9
  ].join('\r\n')

  it('parses a TAB-separated Windows-1252 file with Swedish headers and labels', async () => {
    const { records, rejections } = await collect(educationCsv, streamOf(iconv.encode(text, 'win1252')), ctx('utb.tsv'))
    expect(records.map((r) => r.line)).toEqual([2, 3, 9])
    expect(records[0]).toEqual({
      line: 2, provider: 'Fjällsjö folkhögskola (fiktiv)', providerType: 'folkhogskola', programme: 'Konstnärlig grundutbildning', sunCode: '211a', places: 24, applicants: null,
      kommunCode: '2584', placement: 'seat', street: null, postcode: null, city: null, lon: null, lat: null, locationPrecision: 'kommun', startYear: 2026, url: 'https://example.org/konst',
    })
    expect(records[1]).toMatchObject({ providerType: 'yh', kommunCode: '1280', placement: 'postcode', locationPrecision: 'address', lat: 55.605, lon: 13.0038, url: 'https://www.example.org' })
    expect(records[2]).toMatchObject({ programme: null, kommunCode: null, placement: null, locationPrecision: null })
    expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
      [4, 'Anordnartyp', 'unknown provider type "Cirkusskola" (expected folkhogskola, yh, hogskola, gymnasium_estetiska, kulturskola, studieforbund or other)'],
      [5, 'SUN_kod', 'unknown SUN 2020 inriktning code "999x"'],
      [6, 'Platser', 'places must be a whole number, got "2,5"'],
      [7, 'URL', 'invalid URL "ftp://x" (expected http(s)://…)'],
      [8, 'Startår', 'start year 1850 is below the minimum 1900'],
    ])
  })

  it('reads applicants (sökande) where the file gives them, refusing a value that is not a whole number', async () => {
    const csv = 'anordnare;typ;utbildning;sun;platser;antal_sökande\nA (fiktiv);yh;Ljud;213;30;212\nB (fiktiv);yh;Ljud;213;30;\nC (fiktiv);yh;Ljud;213;30;många\n'
    const { records, rejections } = await collect(educationCsv, streamOf(csv), ctx('s.csv'))
    expect(records.map((r) => [r.provider, r.places, r.applicants])).toEqual([['A (fiktiv)', 30, 212], ['B (fiktiv)', 30, null]])
    expect(rejections.map((r) => [r.line, r.column])).toEqual([[4, 'antal_sökande']])
  })

  it('requires provider and provider_type columns', async () => {
    await expect(collect(educationCsv, streamOf('provider;programme\n'), ctx('u.csv'))).rejects.toThrow('u.csv: missing mandatory column provider_type')
  })
})

describe('education JSON', () => {
  it('reads an array with camelCase or snake_case keys', async () => {
    const json = JSON.stringify([
      { provider: 'A (fiktiv)', providerType: 'hogskola', sunCode: '212', places: 10, kommun: '1480', startYear: 2026 },
      { provider: 'B (fiktiv)', provider_type: 'yh', sun_code: '213', start_year: '2027', x: '6580743', y: '674571' },
      { provider: '', provider_type: 'yh' },
    ], null, 2)
    const { records, rejections } = await collect(educationJson, streamOf(json), ctx('u.json'))
    expect(records.map((r) => [r.line, r.provider, r.providerType, r.sunCode, r.startYear, r.kommunCode])).toEqual([
      [2, 'A (fiktiv)', 'hogskola', '212', 2026, '1480'], [10, 'B (fiktiv)', 'yh', '213', 2027, null],
    ])
    expect(records[1].lat).toBeCloseTo(59.3293, 4)
    expect(rejections).toMatchObject([{ line: 18, column: 'provider', reason: 'provider is empty' }])
  })
})
