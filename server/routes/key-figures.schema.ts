// The TypeBox schema of a key-figure row: the rows of GET /api/key-figures and the row of each compared region
// (GET /api/key-figures/compare).
import { Type } from 'typebox'

const Flag = Type.Union([Type.Null(), Type.Literal('min-companies'), Type.Literal('dominance'), Type.Literal('secondary')])
const N = Type.Union([Type.Number(), Type.Null()])
export const KeyFigureRow = Type.Object({
  year: Type.Integer(), regionLevel: Type.String(), regionCode: Type.String(), regionName: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]),
  branchLevel: Type.String(), branchCode: Type.String(), branchName: Type.String(),
  companies: Type.Number(), companiesAll: Type.Number(), shareCompanies: N, lqCompanies: N, workplaces: N,
  employees: N, employeesAll: N, shareEmployees: N, lqEmployees: N, employeesCoverage: Type.Number(), employeesEstimated: Type.Number(),
  turnover: N, turnoverCoverage: Type.Number(), valueAdded: N, valueAddedCoverage: Type.Number(),
  population: N, populationYear: N, per10k: N, companiesChange: N, companiesChangePct: N,
  suppressed: Type.Object({ employees: Flag, turnover: Flag, valueAdded: Flag, shareEmployees: Flag, lqEmployees: Flag }),
})
