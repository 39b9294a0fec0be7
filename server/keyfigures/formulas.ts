// The key-figure formulas: the ONE place they are defined. compute.ts applies them; the methodology endpoint
// publishes the same text, so the documentation cannot drift from the code.
export interface Sums {
  companies: number; employees: number; employeesN: number; employeesExactN: number; employeesMax: number
  turnover: number; turnoverN: number; turnoverMax: number; valueAdded: number; valueAddedN: number; valueAddedMax: number
  /** the part of turnover / value added the public cannot see per company (sole traders'), see cells.ts */
  turnoverWithheldN: number; turnoverWithheld: number; turnoverWithheldMax: number
  valueAddedWithheldN: number; valueAddedWithheld: number; valueAddedWithheldMax: number
}

/** The summed measures under disclosure control. */
export const MEASURES = ['employees', 'turnover', 'valueAdded'] as const
export type Measure = typeof MEASURES[number]

/**
 * One measure of one cell as disclosure control sees it: the sum, its contributors and largest contribution, and the
 * same for the contributions the public cannot see per company (none for employees: shown per company to everyone).
 */
export interface MeasureCell { sum: number; n: number; max: number; withheldN: number; withheld: number; withheldMax: number }

export function measureCell (s: Sums, m: Measure): MeasureCell {
  if (m === 'employees') return { sum: s.employees, n: s.employeesN, max: s.employeesMax, withheldN: 0, withheld: 0, withheldMax: 0 }
  if (m === 'turnover') {
    return { sum: s.turnover, n: s.turnoverN, max: s.turnoverMax,
      withheldN: s.turnoverWithheldN, withheld: s.turnoverWithheld, withheldMax: s.turnoverWithheldMax }
  }
  return { sum: s.valueAdded, n: s.valueAddedN, max: s.valueAddedMax,
    withheldN: s.valueAddedWithheldN, withheld: s.valueAddedWithheld, withheldMax: s.valueAddedWithheldMax }
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

/** Survival of new companies (GET /api/key-figures/survival): the rule in words, implemented in survival.ts only. */
export const SURVIVAL_FORMULAS = {
  started: 'The cohort of year Y: companies in the register snapshot of Y whose registration date falls in Y, by their seat kommun and primary SNI code in that snapshot (as births, whatever their status at the reference date).',
  surviving: 'Of the cohort, the companies (same organisation number) that are active in the snapshot of a later year Z, wherever they are then seated and whatever their SNI code then; for Z = Y, those still active at the end of their first year.',
  rate: 'surviving / started; null when no company started or when the data hold no snapshot of Z (unknown, not 0).',
  caveats: 'A company that re-registers under a new organisation number counts as closed; a merger or a change of legal form can end a number without the business ending. Only years with a snapshot can be followed, so the series is as long as the data.',
} as const

/** Births and closures (GET /api/key-figures/flows): the rule in words, implemented in flows.ts only. */
export const FLOW_FORMULAS = {
  births: 'Companies in the register snapshot of the period\'s reference year whose registration date falls in the period, whatever their status at the reference date (a company started and closed within the year counts), by their seat kommun and primary SNI code in that snapshot.',
  closures: 'Companies of that snapshot whose deregistration date falls in the period (where the source gives one), plus companies active in the previous snapshot that are missing from this one, or inactive in it without a deregistration date in its year, dated to this snapshot\'s reference date (31 December: the fourth quarter) and counted by their kommun and primary SNI code in the previous snapshot. For the first snapshot in the data there is no previous one: its closures are the dated deregistrations only (closuresDatesOnly = true).',
  net: 'births − closures',
  missing: 'A period whose year has no snapshot in the data is null (not 0): nothing is known about it. period=year sums the four quarters.',
  branch: 'By the definition\'s mapping of the primary SNI code (× the code\'s share), as for the companies measure; the series crosses the SNI 2007 → SNI 2025 break by branch, not by code.',
  disclosure: 'Births and closures are counts of companies, and company counts are public (never suppressed), as for the companies measure.',
} as const

export const shareOf = ratio
export const locationQuotient = (share: number | null, riketShare: number | null) => ratio(share, riketShare)
export const per10k = (companies: number, population: number | null) => (population ? (companies / population) * 10000 : null)
export const change = (now: number, prev: number | null) => (prev === null ? null : now - prev)
export const changePct = (now: number, prev: number | null) => (prev === null || prev === 0 ? null : ((now - prev) / prev) * 100)

export const SUPPRESSION_TEXT = (r: SuppressionRule) =>
  'Disclosure control is computed once for every role, for the strictest one (public), and applies to employees, turnover and valueAdded ' +
  '(and shareEmployees, lqEmployees, employeesAll derived from employees). A company\'s turnover and value added are shown per company ' +
  'to the public except a sole trader\'s; employees and the size class are shown for every company. So what a published sum can give ' +
  'away is the part the public cannot see per company: the sum minus the visible figures of the other contributors. ' +
  `Primary rule, per measure: a sum is suppressed (null) when fewer than ${r.minCompanies} companies whose figure the public cannot see ` +
  'contribute to it, but at least one does ("min-companies": after subtracting the visible figures so few sole traders would remain); a sum with no such ' +
  'contributor, or with no contributor at all (a zero), discloses nothing new and is published (so is the share and LQ of employees of a branch ' +
  'with no employee figure: 0, whatever the withheld total). It is also suppressed when one company ' +
  `contributes more than ${Math.round(r.dominance * 100)} % of the sum, or one company more than ${Math.round(r.dominance * 100)} % of its ` +
  'withheld part ("dominance"). ' +
  'Secondary suppression ("secondary") makes sure no suppressed value is one subtraction away, in every additive relation of the figures: ' +
  'KKB total = sum of the branch groups, a group = sum of its categories, the whole economy = KKB total + the rest (not published), ' +
  'a län = sum of its kommuner, riket = sum of the län + the companies placed in no kommun (not published), a custom region = sum of its ' +
  'members; each for every branch and region. In every such relation either no value or at least two are suppressed, and where the ' +
  'suppressed children of a published parent include sole traders\' figures, together they include at least ' +
  `${r.minCompanies} of them (else their combined figure would be disclosed). The cells added are chosen among the children of the relation ` +
  '(the parent only when no child can help): first those that bring the hidden sole traders up to that number, then the smallest value. ' +
  'This is repeated over all relations until nothing changes, so the same pattern holds whichever region, branch or level is requested. ' +
  'Company counts and coverage counts are never suppressed. CSV/XLSX show suppressed values as "..".'

const dominant = (sum: number, max: number, rule: SuppressionRule) => sum > 0 && max / sum > rule.dominance

/** Primary suppression of one summed measure of one cell (see SUPPRESSION_TEXT). */
export function primarySuppression (c: MeasureCell, rule: SuppressionRule): SuppressionFlag {
  if (c.n === 0) return null // a zero discloses nothing
  if (c.withheldN > 0 && c.withheldN < rule.minCompanies) return 'min-companies'
  if (dominant(c.sum, c.max, rule) || dominant(c.withheld, c.withheldMax, rule)) return 'dominance'
  return null
}
