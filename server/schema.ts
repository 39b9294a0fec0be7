// TypeBox helpers shared by the route schemas.
import { Type, type TUnsafe } from 'typebox'

/** A string that is one of `values`, written as `{ type: 'string', enum: [...] }`. A union of literals becomes `anyOf`
 *  in the OpenAPI document, of which Swagger UI offers only the first value; `enum` offers every value. The
 *  TypeScript type is still the union of the values. */
export function StringEnum<const T extends readonly string[]> (
  values: T, options: { default?: T[number]; description?: string } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}
