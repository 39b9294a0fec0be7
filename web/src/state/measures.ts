// The key figures the map can colour by, and the class methods each of them allows.
/** The key figures the map can show, in the panel's order. */
export const MEASURES = ['companies', 'per10k', 'shareCompanies', 'lqCompanies', 'employees', 'companiesChangePct'] as const
export type Measure = typeof MEASURES[number]
/** quantile / equal intervals for any measure; 'lq' (breaks around 1) and 'change' (breaks around 0) are the diverging
 * classes of the one measure each fits */
export type ClassMethod = 'quantile' | 'equal' | 'lq' | 'change'
const DIVERGING_OF: Partial<Record<Measure, ClassMethod>> = { lqCompanies: 'lq', companiesChangePct: 'change' }
/** The diverging class method that fits a measure (a neutral value in the middle), if any. */
export const divergingClasses = (m: Measure): ClassMethod | undefined => DIVERGING_OF[m]
/** The class methods offered for a measure. */
export function classMethodsFor (m: Measure): ClassMethod[] {
  const diverging = divergingClasses(m)
  return diverging ? ['quantile', 'equal', diverging] : ['quantile', 'equal']
}
