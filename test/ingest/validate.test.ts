import { describe, expect, it } from 'vitest'
import {
  Invalid, detectSniVersion, isPersonalIdentityNumber, luhnValid, normaliseKommun, normaliseOrgnr, normalisePostcode,
  normaliseSizeClass, normaliseSni, parseBoolean, parseCoordinates, parseDate, parseNumber, parseSniVersion,
  placeLocation, sweref99tmToWgs84,
} from '../../server/ingest/validate.js'
import { org, ref } from './helpers.js'

const reason = (v: unknown): string => (v instanceof Invalid ? v.reason : `not invalid: ${JSON.stringify(v)}`)

describe('organisation numbers', () => {
  it('normalises the accepted spellings to 10 Luhn-valid digits', () => {
    expect(normaliseOrgnr('5560360793')).toEqual({ orgnr: '5560360793', personal: false })
    expect(normaliseOrgnr('556036-0793')).toEqual({ orgnr: '5560360793', personal: false })
    expect(normaliseOrgnr('165560360793')).toEqual({ orgnr: '5560360793', personal: false })
    expect(normaliseOrgnr(' 556036 0793 ')).toEqual({ orgnr: '5560360793', personal: false })
    const pnr = org('811218987') // synthetic personnummer
    expect(normaliseOrgnr('19' + pnr)).toEqual({ orgnr: pnr, personal: true })
    expect(normaliseOrgnr(`${pnr.slice(0, 6)}-${pnr.slice(6)}`)).toEqual({ orgnr: pnr, personal: true })
    expect(normaliseOrgnr(`${pnr.slice(0, 6)}+${pnr.slice(6)}`)).toEqual({ orgnr: pnr, personal: true })
    const samordning = org('811278987') // day + 60
    expect(normaliseOrgnr('20' + samordning)).toEqual({ orgnr: samordning, personal: true })
  })

  it('rejects bad checksums, lengths and prefixes with a reason', () => {
    expect(reason(normaliseOrgnr('5560360794'))).toBe('bad checksum (Luhn) in organisation number')
    expect(reason(normaliseOrgnr('556036079'))).toBe('organisation number must have 10 or 12 digits, found 9')
    expect(reason(normaliseOrgnr('556O360793'))).toMatch(/only digits/)
    expect(reason(normaliseOrgnr(''))).toBe('organisation number is empty')
    expect(reason(normaliseOrgnr('175560360793'))).toMatch(/must start with 16/)
    expect(reason(normaliseOrgnr('195560360793'))).toMatch(/must be a personal identity number/)
    expect(reason(normaliseOrgnr('16' + org('811218987')))).toMatch(/must hold an organisation number/)
    expect(reason(normaliseOrgnr(org('811318987')))).toMatch(/not an organisation number/) // "month" 13
  })

  it('classifies personal identity numbers by digits 3–4', () => {
    expect(isPersonalIdentityNumber('8112189876')).toBe(true)
    expect(isPersonalIdentityNumber('0001011234')).toBe(true)
    expect(isPersonalIdentityNumber('5560360793')).toBe(false)
    expect(isPersonalIdentityNumber('2120000142')).toBe(false)
    expect(isPersonalIdentityNumber('8100001234')).toBe(false)
    expect(luhnValid('2120000142')).toBe(true)
  })
})

describe('numbers, dates, booleans', () => {
  it('parses decimal commas and thousands separators', () => {
    expect(parseNumber('12,5')).toBe(12.5)
    expect(parseNumber('1 234 567,25')).toBe(1234567.25)
    expect(parseNumber('1\u00a0234')).toBe(1234)
    expect(parseNumber('1\u202f234.5')).toBe(1234.5)
    expect(parseNumber('-3.5')).toBe(-3.5)
    expect(parseNumber('')).toBeNull()
    expect(reason(parseNumber('12x'))).toBe('unparseable number "12x"')
    expect(reason(parseNumber('1.234,5'))).toMatch(/ambiguous/)
    expect(reason(parseNumber('-3', { min: 0, label: 'employees' }))).toBe('negative employees (-3)')
    expect(reason(parseNumber('600000', { min: 0, max: 500000, label: 'employees' }))).toBe('employees 600000 is implausibly large (max 500000)')
    expect(reason(parseNumber('2,5', { integer: true, label: 'places' }))).toBe('places must be a whole number, got "2,5"')
  })

  it('parses YYYYMMDD and YYYY-MM-DD and rejects impossible dates', () => {
    expect(parseDate('20240229')).toBe('2024-02-29')
    expect(parseDate('2024-02-29')).toBe('2024-02-29')
    expect(parseDate('2024-02-29T12:00:00Z')).toBe('2024-02-29')
    expect(parseDate('00000000')).toBeNull()
    expect(parseDate('')).toBeNull()
    expect(reason(parseDate('20230229'))).toBe('invalid calendar date "20230229"')
    expect(reason(parseDate('2023-13-01'))).toBe('invalid calendar date "2023-13-01"')
    expect(reason(parseDate('1/2/2023'))).toMatch(/unparseable date/)
    expect(reason(parseDate('17000101'))).toMatch(/implausible year/)
  })

  it('parses booleans in English and Swedish', () => {
    expect(['1', 'true', 'JA', 'yes'].map(parseBoolean)).toEqual([true, true, true, true])
    expect(['0', 'false', 'Nej', 'no'].map(parseBoolean)).toEqual([false, false, false, false])
    expect(parseBoolean('')).toBeNull()
    expect(reason(parseBoolean('kanske'))).toMatch(/unparseable yes\/no/)
  })
})

describe('codes', () => {
  it('normalises SNI codes', () => {
    expect(normaliseSni('90.010')).toBe('90010')
    expect(normaliseSni(' 90010 ')).toBe('90010')
    expect(normaliseSni('     ')).toBeNull()
    expect(normaliseSni('00000')).toBeNull()
    expect(normaliseSni('1110')).toBe('01110')
    expect(reason(normaliseSni('9A010'))).toMatch(/malformed/)
    expect(reason(normaliseSni('900100'))).toMatch(/expected 5 digits/)
  })

  it('detects the SNI version (majority of valid codes; tie → file year)', () => {
    expect(detectSniVersion(['90010', '90020', '59110'], ref)).toBe('2007')
    expect(detectSniVersion(['90110', '90200', '59110', '90010'], ref)).toBe('2025')
    expect(detectSniVersion(['59110', '58110'], ref, 2026)).toBe('2025') // codes valid in both → tie
    expect(detectSniVersion(['59110', '58110'], ref, 2024)).toBe('2007')
    expect(detectSniVersion(['59110'], ref, null)).toBe('2007')
    expect(detectSniVersion([], ref, 2025)).toBe('2025')
    expect(detectSniVersion(['90.010', ' ', 'junk'], ref, 2030)).toBe('2007')
  })

  it('validates SNI versions, size classes, kommun codes and postcodes', () => {
    expect(parseSniVersion('SNI 2025')).toBe('2025')
    expect(parseSniVersion('2007')).toBe('2007')
    expect(reason(parseSniVersion('2002'))).toMatch(/unknown SNI version/)
    expect(normaliseSizeClass('04')).toBe('4')
    expect(reason(normaliseSizeClass('17'))).toBe('unknown size class "17"')
    expect(normaliseKommun('0180', ref)).toBe('0180')
    expect(normaliseKommun('180', ref)).toBe('0180')
    expect(normaliseKommun('Göteborg', ref)).toBe('1480')
    expect(reason(normaliseKommun('9999', ref))).toBe('unknown kommun code "9999"')
    expect(normalisePostcode('111 22')).toBe('11122')
    expect(normalisePostcode('SE-111 22')).toBe('11122')
    expect(reason(normalisePostcode('1112'))).toMatch(/not 5 digits/)
  })
})

describe('coordinates and placement', () => {
  it('inverts SWEREF 99 TM (checked against PROJ cs2cs EPSG:3006 → EPSG:4326)', () => {
    // PROJ: 6580743.008 N, 674571.866 E → 59.32930000, 18.06859999 (Stockholm)
    const sthlm = sweref99tmToWgs84(6580743.008, 674571.866)
    expect(sthlm.lat).toBeCloseTo(59.3293, 6)
    expect(sthlm.lon).toBeCloseTo(18.0686, 6)
    // The brief's "Stockholm ≈ N 6580822, E 674032" is ~540 m west of 59.3293/18.0686; PROJ gives 59.33023123, 18.05918974
    const brief = sweref99tmToWgs84(6580822, 674032)
    expect(Math.abs(brief.lat - 59.33023123)).toBeLessThan(1e-7)
    expect(Math.abs(brief.lon - 18.05918974)).toBeLessThan(1e-7)
    const proj = [[7000000, 300000, 63.0739966, 11.039648], [6200000, 400000, 55.93497612, 13.39921794], [7600000, 850000, 68.29552304, 23.50323605]]
    for (const [n, e, lat, lon] of proj) {
      const p = sweref99tmToWgs84(n, e)
      expect(Math.abs(p.lat - lat)).toBeLessThan(1e-7)
      expect(Math.abs(p.lon - lon)).toBeLessThan(1e-7)
    }
  })

  it('parses lat/lon and x/y (either axis order) and rejects points outside Sweden', () => {
    expect(parseCoordinates('59,3293', '18,0686', '', '')).toEqual({ lat: 59.3293, lon: 18.0686 })
    const a = parseCoordinates('', '', '6580743.008', '674571.866') as { lat: number; lon: number }
    const b = parseCoordinates('', '', '674571.866', '6580743.008') as { lat: number; lon: number }
    expect(a.lat).toBeCloseTo(59.3293, 6)
    expect(b).toEqual(a)
    expect(reason(parseCoordinates('48.85', '2.35', '', ''))).toBe('coordinates 48.85, 2.35 are outside Sweden')
    expect(reason(parseCoordinates('18.07', '59.33', '', ''))).toMatch(/lat and lon swapped/)
    expect(reason(parseCoordinates('59.3', '', '', ''))).toBe('lat given without lon')
    expect(reason(parseCoordinates('', '', '100', '200'))).toMatch(/outside Sweden/)
    expect(parseCoordinates('', '', '', '')).toBeNull()
  })

  it('places by seat kommun → postcode → postort → unplaced', () => {
    expect(placeLocation('0180', null, null, false, ref)).toEqual({ kommunCode: '0180', placement: 'seat', locationPrecision: 'kommun' })
    expect(placeLocation('0180', '11122', null, false, ref)).toEqual({ kommunCode: '0180', placement: 'seat', locationPrecision: 'kommun' })
    expect(placeLocation('1480', '11122', null, false, ref)).toEqual({ kommunCode: '1480', placement: 'seat', locationPrecision: 'kommun' })
    expect(placeLocation('0180', null, null, true, ref)).toEqual({ kommunCode: '0180', placement: 'seat', locationPrecision: 'address' })
    expect(placeLocation(null, '41111', 'Stockholm', false, ref)).toEqual({ kommunCode: '1480', placement: 'postcode', locationPrecision: 'postcode' })
    expect(placeLocation(null, null, 'Visby', false, ref)).toEqual({ kommunCode: '0980', placement: 'postort', locationPrecision: 'postcode' })
    // "Stockholm" spans two kommuner in the postcode list → not used
    expect(placeLocation(null, null, 'Stockholm', false, ref)).toEqual({ kommunCode: null, placement: null, locationPrecision: null })
    expect(placeLocation(null, null, null, true, ref)).toEqual({ kommunCode: null, placement: null, locationPrecision: 'address' })
  })
})
