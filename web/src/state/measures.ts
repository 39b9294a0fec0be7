// The key figures the map can colour by, and the class methods each of them allows.
/** The key figures the map can show, in the panel's order. */
export const MEASURES = ['companies', 'per10k', 'shareCompanies', 'lqCompanies', 'employees', 'companiesChangePct',
  'people', 'peoplePer10k', 'peopleShare', 'peopleLq'] as const
export type Measure = typeof MEASURES[number]
/** The people measures (an imported occupation table: people by workplace region) → their field of an occupation row. */
export const PEOPLE_FIELD = { people: 'kkOccupations', peoplePer10k: 'per10k', peopleShare: 'share', peopleLq: 'lq' } as const
export type PeopleMeasure = keyof typeof PEOPLE_FIELD
export const isPeopleMeasure = (m: string): m is PeopleMeasure => m in PEOPLE_FIELD
/** quantile / equal intervals for any measure; 'lq' (breaks around 1) and 'change' (breaks around 0) are the diverging
 * classes of the one measure each fits */
export type ClassMethod = 'quantile' | 'equal' | 'lq' | 'change'
const DIVERGING_OF: Partial<Record<Measure, ClassMethod>> = { lqCompanies: 'lq', companiesChangePct: 'change', peopleLq: 'lq' }
/** The diverging class method that fits a measure (a neutral value in the middle), if any. */
export const divergingClasses = (m: Measure): ClassMethod | undefined => DIVERGING_OF[m]
/** The class methods offered for a measure. */
export function classMethodsFor (m: Measure): ClassMethod[] {
  const diverging = divergingClasses(m)
  return diverging ? ['quantile', 'equal', diverging] : ['quantile', 'equal']
}
