import { describe, expect, it } from 'vitest'
import { csvField, csvLine, csvPreamble } from '../../server/csv/write.js'

describe('the CSV dialect of the exports', () => {
  it('sv: BOM and sep=; line, semicolons, decimal comma; en: BOM only, commas, decimal point', () => {
    expect(csvPreamble('sv')).toBe('\ufeffsep=;\r\n')
    expect(csvPreamble('en')).toBe('\ufeff')
    expect(csvLine(['Kalmar', 0.25, -3, 1200, true, null, undefined], 'sv')).toBe('Kalmar;0,25;-3;1200;true;;\r\n')
    expect(csvLine(['Kalmar', 0.25, -3, 1200, true, null, undefined], 'en')).toBe('Kalmar,0.25,-3,1200,true,,\r\n')
  })

  it('quotes only fields holding the separator, a quote or a line break', () => {
    expect(csvField('a;b', 'sv')).toBe('"a;b"')
    expect(csvField('a;b', 'en')).toBe('a;b')
    expect(csvField('a,b', 'en')).toBe('"a,b"')
    expect(csvField('Studio "Ljus"', 'en')).toBe('"Studio ""Ljus"""')
    expect(csvField('två\nrader', 'sv')).toBe('"två\nrader"')
  })

  it('neutralises text that starts like a formula, never a number', () => {
    expect(csvField('=1+1', 'sv')).toBe("'=1+1")
    expect(csvField('-2+3', 'en')).toBe("'-2+3")
    expect(csvField(-2, 'en')).toBe('-2')
    expect(csvField('\r=1', 'en')).toBe('"\'\r=1"')
  })
})
