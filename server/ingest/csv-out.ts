// Minimal CSV writer for COPY … WITH (FORMAT csv): empty unquoted = NULL, "" = empty string.
export function csvField (v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'string' ? v : Array.isArray(v) ? pgArray(v as string[]) : String(v)
  return s === '' || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

export const csvLine = (values: unknown[]) => values.map(csvField).join(',') + '\n'

/** A PostgreSQL array literal of simple codes (SNI codes: digits only, so no quoting needed inside). */
function pgArray (a: string[]): string {
  return `{${a.map((x) => `"${x.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}
