// The key-figure formulas: the ONE place they are defined. compute.ts applies them; the methodology endpoint
// publishes the same text, so the documentation cannot drift from the code.
export interface Sums {
  companies: number; employees: number; employeesN: number; employeesExactN: number; employeesMax: number
  turnover: number; turnoverN: number; turnoverMax: number; valueAdded: number; valueAddedN: number; valueAddedMax: number
}

export type SuppressionFlag = null | 'min-companies' | 'dominance' | 'secondary'
export interface SuppressionRule { minCompanies: number; dominance: number }

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b)

export const FORMULAS = {
  companies: 'Active companies whose primary SNI code (rank 1) belongs to the branch, counted in their seat kommun (× the code\'s share, 1 in the shipped definitions). Riket also counts companies that could not be placed in a kommun.',
  companiesAll: 'All active companies in the region, whole economy (including companies without an SNI code).',
  workplaces: 'Active workplaces (arbetsställen) by their own kommun and their own primary SNI code.',
  employees: 'Sum of employees of the same companies: the exact number where the source gives it, otherwise the size-class estimate (midpoint, see /api/key-figures/methodology sizeClasses); employeesCoverage counts companies with an exact number, employeesEstimated those with an estimate.',
  turnover: 'Sum of turnover (kSEK) of the same companies that report it; turnoverCoverage = number of companies reporting.',
  valueAdded: 'Sum of value added (kSEK) of the same companies that report it; valueAddedCoverage = number of companies reporting.',
  shareCompanies: 'companies / companiesAll',
  shareEmployees: 'employees / employeesAll',
  lqCompanies: '(companies / companiesAll) / (companies_riket / companiesAll_riket); 1 for riket by definition',
  lqEmployees: '(employees / employeesAll) / (employees_riket / employeesAll_riket)',
  population: 'Population of the region on 31 December of the reference year, or of the latest earlier year available (populationYear says which).',
  per10k: 'companies / population × 10 000',
  companiesChange: 'companies − companies of the previous reference year present in the data',
  companiesChangePct: '(companies − companies_prev) / companies_prev × 100',
} as const

export const shareOf = ratio
export const locationQuotient = (share: number | null, riketShare: number | null) => ratio(share, riketShare)
export const per10k = (companies: number, population: number | null) => (population ? (companies / population) * 10000 : null)
export const change = (now: number, prev: number | null) => (prev === null ? null : now - prev)
export const changePct = (now: number, prev: number | null) => (prev === null || prev === 0 ? null : ((now - prev) / prev) * 100)

export const SUPPRESSION_TEXT = (r: SuppressionRule) =>
  `employees, turnover and valueAdded (and shareEmployees, lqEmployees derived from employees) are suppressed (null) when the sum is built on fewer than ${r.minCompanies} companies ("min-companies"), or when one company contributes more than ${Math.round(r.dominance * 100)} % of the sum ("dominance"). ` +
  'Secondary suppression: where exactly one kommun of a län (or one län of riket) is suppressed for a measure and branch, the next smallest non-suppressed one is suppressed too ("secondary"), so the hidden value cannot be recovered as a difference. Company counts are never suppressed. CSV/XLSX show suppressed values as "..".'

/** Primary suppression of one summed measure. `n` = companies contributing to the sum, `max` = largest contribution. */
export function primarySuppression (n: number, sum: number, max: number, rule: SuppressionRule): SuppressionFlag {
  if (n < rule.minCompanies) return 'min-companies'
  if (sum > 0 && max / sum > rule.dominance) return 'dominance'
  return null
}
