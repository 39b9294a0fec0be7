// Shared helpers for the ingest tests (no database).
import { Readable } from 'node:stream'
import { loadRefData } from '../../server/reference/ref-data.js'
import type { ParseContext, Parser, Rejection, SniVersion } from '../../server/ingest/types.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'

export const ref = loadRefData()

export function ctx (file: string, sniVersion: SniVersion | 'auto' = 'auto'): ParseContext {
  return { file, ref, sniVersion }
}

/** A Luhn-valid 10-digit number from a 9-digit prefix (synthetic test numbers). */
export function org (prefix9: string): string {
  return prefix9 + luhnCheckDigit(prefix9)
}

/** The same number with a wrong check digit. */
export function badOrg (prefix9: string): string {
  const good = Number(luhnCheckDigit(prefix9))
  return prefix9 + String((good + 1) % 10)
}

/** A Readable delivering `data` in chunks of `chunk` bytes (small chunks exercise boundary handling). */
export function streamOf (data: Buffer | string, chunk = 64 * 1024): Readable {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const parts: Buffer[] = []
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk))
  return Readable.from(parts, { objectMode: false })
}

export interface Collected<T> { records: T[]; rejections: Rejection[]; batches: number[] }

export async function collect<T> (parser: Parser<T>, input: Readable, context: ParseContext): Promise<Collected<T>> {
  const records: T[] = []
  const rejections: Rejection[] = []
  const batches: number[] = []
  for await (const batch of parser(input, context)) {
    batches.push(batch.length)
    for (const row of batch) {
      if (row.ok) records.push(row.record)
      else rejections.push(row.rejection)
    }
  }
  return { records, rejections, batches }
}

/** Shorthand: rejections as [line, column, reason-substring-free] tuples for exact comparisons. */
export function where (rs: Rejection[]): Array<[number, string | null]> {
  return rs.map((r) => [r.line, r.column])
}
