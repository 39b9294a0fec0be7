// Issue #21: a zero discloses nothing, so a cell without contributors is never shown as suppressed — neither its sums
// nor the shares and LQs derived from them (the region's withheld total does not matter when the branch has 0).
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../helpers/db.js'

const ctx = useTestApp('demo')

describe('zero cells are published, not suppressed', () => {
  it('every kommun × category cell without companies has no suppression flag and shows 0', async () => {
    let zeros = 0; let withheldTotal = 0
    for (const year of [2024, 2025]) {
      const rows = (await ctx.app.inject(`/api/key-figures?level=kommun&branch=category&year=${year}`)).json().rows
      for (const r of rows.filter((x: any) => x.companies === 0)) {
        zeros++
        if (r.employeesAll === null) withheldTotal++
        expect(r.suppressed, `${r.regionCode} ${r.branchCode}`).toEqual({ employees: null, turnover: null, valueAdded: null, shareEmployees: null, lqEmployees: null })
        expect([r.employees, r.turnover, r.valueAdded], `${r.regionCode} ${r.branchCode}`).toEqual([0, 0, 0])
        if (r.shareEmployees !== null) expect(r.shareEmployees).toBe(0)
      }
    }
    expect(zeros, 'the fixture has empty cells').toBeGreaterThan(100)
    // the case of the issue: empty cells in a kommun whose whole-economy employees are withheld (3230 in the fixture)
    expect(withheldTotal, 'some empty cells sit in a kommun with a withheld total').toBeGreaterThan(0)
  })
})
