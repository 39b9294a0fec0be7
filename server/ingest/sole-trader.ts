// The sole-trader rule, once for TypeScript and once for SQL, and what follows from it for the public map point.
// A sole trader (enskild näringsidkare) is a natural person: their organisation number is a personal identity number
// (digits 3–4 a month 01–12, so the 3rd digit is 0 or 1; a legal person's is ≥ 2), or their legal form is one of
// NATURAL_PERSON_LEGAL_FORMS. Their number, street and exact point are personal data.

import { NATURAL_PERSON_LEGAL_FORMS } from '../reference/legal-forms.js'

export { NATURAL_PERSON_LEGAL_FORMS }

export function isSoleTrader (personalNumber: boolean, legalForm: string | null): boolean {
  return personalNumber || (legalForm !== null && NATURAL_PERSON_LEGAL_FORMS.has(legalForm))
}

/** SQL: the 10-digit number in `orgnr` (validated at import) is a personal identity number; false for NULL. */
export function personalNumberSql (orgnr: string): string {
  return `coalesce(substr(${orgnr}, 3, 1) IN ('0', '1'), false)`
}

/** SQL: the sole-trader rule; `naturalPerson` is legal_form.natural_person of the row's legal form, when it has one. */
export function soleTraderSql (orgnr: string, naturalPerson?: string): string {
  return naturalPerson ? `(${personalNumberSql(orgnr)} OR coalesce(${naturalPerson}, false))` : personalNumberSql(orgnr)
}

/**
 * SQL: the public point and its precision. An exact point is public only for a legal person ('address'); a sole
 * trader, or a row without coordinates, is shown at its kommun's point; unplaced rows have no public point. `placed` is
 * the precision the parser computed: a legal person's 'postcode' (its kommun found from its postcode or postort) is
 * kept, everything else at the kommun's point is 'kommun' (a sole trader's placement says no more than the kommun).
 */
export function publicPointSql (point: string, sole: string, kommun: { code: string; point: string }, placed: string):
{ point: string; precision: string } {
  return {
    point: `CASE WHEN ${point} IS NOT NULL AND NOT ${sole} THEN ${point} ELSE ${kommun.point} END`,
    precision: `CASE WHEN ${point} IS NOT NULL AND NOT ${sole} THEN 'address' WHEN ${kommun.code} IS NULL THEN NULL
      WHEN ${placed} = 'postcode' AND NOT ${sole} THEN 'postcode' ELSE 'kommun' END`,
  }
}

/**
 * publicPointSql in TypeScript, for rows written straight from a file (direct-year.ts): `exact` the row's own point or
 * null, `kommunPoint` its kommun's point, undefined when its kommun is not known (unplaced). Points are opaque values.
 */
export function publicPoint<P> (exact: P | null, sole: boolean, kommunPoint: P | null | undefined, placed: string | null):
{ point: P | null; precision: string | null } {
  if (exact !== null && !sole) return { point: exact, precision: 'address' }
  if (kommunPoint === undefined) return { point: null, precision: null }
  return { point: kommunPoint, precision: placed === 'postcode' && !sole ? 'postcode' : 'kommun' }
}

/** The precisions of an actor whose public point is its kommun's point (the tiles stack them per kommun). */
export const AT_KOMMUN_POINT = ['kommun', 'postcode'] as const
