// The COPY-side CSV writer: NULL vs empty string, quoting, booleans, numbers and array literals, checked against a real
// CSV parser and PostgreSQL's own array parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import type { DbHandle } from '../../server/db/client.js'
import { csvLine } from '../../server/ingest/csv-out.js'
import { openTestDb } from '../helpers/db.js'

let db: DbHandle
beforeAll(async () => { db = await openTestDb('base') })
afterAll(async () => { await db?.close() })

describe('csvLine', () => {
  it('writes fields a CSV parser reads back, with NULL as an empty unquoted field', () => {
    const line = csvLine([null, '', 'a,b', 'x"y', 'two\nlines', 1.5, 42, true, false, undefined])
    expect(line.endsWith('\n')).toBe(true)
    expect(parse(line, { quote: '"', relax_column_count: false })[0]).toEqual(['', '', 'a,b', 'x"y', 'two\nlines', '1.5', '42', 't', 'f', ''])
    expect(line.startsWith(',"",')).toBe(true) // NULL is empty, the empty string is quoted
  })

  it('writes array literals PostgreSQL parses to the same elements (codes plain, anything else quoted)', async () => {
    for (const a of [['59110', '90010'], ['a b', 'NULL', 'x"y', 'back\\slash', ''], []]) {
      const field = parse(csvLine([a]), { quote: '"' })[0][0] as string
      const { rows } = await db.query<{ v: string[] }>('SELECT $1::text[] AS v', [field])
      expect(rows[0].v, field).toEqual(a)
    }
  })
})
