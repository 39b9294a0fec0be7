// Building raw SQL safely: values always travel as parameters ($n), identifiers are quoted.

/** Collects parameters for a parameterised query: p(value) returns "$n". */
export class Params {
  values: unknown[] = []
  p (v: unknown): string { this.values.push(v); return `$${this.values.length}` }
}

/** A quoted SQL identifier (column alias, property name): "name", with embedded quotes doubled. */
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`
