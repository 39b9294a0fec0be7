// An import inside the running server does not hold up public reads for its whole length (#20): the file is staged
// outside the import's transaction, statement by statement, so a read asked for while the file is being read answers
// before the import ends — on the embedded database too, whose one session everyone shares. Order, not time, is
// asserted. A failure before or inside the transaction still leaves the database as it was, with no staging left over.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { runImport, type ImportOptions } from '../../server/ingest/run-import.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { openTestDb } from '../helpers/db.js'

let db: DbHandle
let dir: string
beforeAll(async () => {
  db = await openTestDb('base')
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-import-reads-'))
})
afterAll(async () => { await db?.close(); if (dir) rmSync(dir, { recursive: true, force: true }) })

const org = (i: number) => { const p = `5570${String(i).padStart(5, '0')}`; return p + luhnCheckDigit(p) }
const H = 'orgnr;name;legal_form;sni1;kommun'
/** companies (one rejected row among them: a bad organisation number) */
function file (name: string, rows: number, from = 0): string {
  const lines = [H, ...Array.from({ length: rows }, (_, i) => [org(from + i), `Läsföretaget ${i} AB`, '49', '90010', '0880'].join(';')), '123;Fel AB;49;90010;0880']
  const sub = path.join(dir, name)
  mkdirSync(sub, { recursive: true })
  const p = path.join(sub, 'companies.csv')
  writeFileSync(p, lines.join('\n') + '\n')
  return p
}
const opts = (filePath: string, o: Partial<ImportOptions> = {}): ImportOptions =>
  ({ kind: 'companies', format: 'csv', filePath, year: 2032, source: 'reads', reportDir: path.join(path.dirname(filePath), 'reports'), ...o })
const state = async () => (await db.query<{ s: string }>(`SELECT (SELECT count(*) FROM company) || '|' || (SELECT count(*) FROM import_error) || '|' ||
  (SELECT count(*) FROM import_batch WHERE status = 'done') AS s`)).rows[0].s
/** TEMP tables of the shared session (the embedded database); on PostgreSQL the import's connection is its own */
const temps = async () => (await db.query<{ t: string }>("SELECT relname AS t FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'")).rows

describe('public reads during an import', () => {
  it('answer a read asked for while the file is read before the import ends; the import then commits whole', async () => {
    const order: string[] = []
    let read: Promise<void> | undefined
    const before = await state()
    const done = runImport(db, opts(file('ok', 3000), {
      onProgress: () => {
        read ??= db.query<{ n: number }>("SELECT count(*)::int AS n FROM company WHERE source = 'reads'").then((r) => {
          order.push('read')
          // what is staged is invisible: the read sees the state before the import
          expect(r.rows[0].n).toBe(0)
        })
      },
    })).then((r) => { order.push('import'); return r })
    const res = await done
    await read
    expect(order).toEqual(['read', 'import'])
    expect(res.counts).toMatchObject({ read: 3001, imported: 3000, rejected: 1 })
    expect((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM company WHERE source = 'reads'")).rows[0].n).toBe(3000)
    // the rejected row is in import_error under the batch the import committed
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_error WHERE batch_id = $1', [res.batchId])).rows[0].n).toBe(1)
    expect(before).not.toBe(await state())
    expect(await temps()).toEqual([])
  })

  it('leaves the database as it was when the import fails while staging or is cancelled after it, with no staging left over', async () => {
    const before = await state()
    const tooMany = await runImport(db, opts(file('rows', 50), { source: 'reads-fail', limits: { maxRows: 10 } })).then(() => null, (e: Error) => e)
    expect(tooMany?.message).toMatch(/more than .*rows/)
    const controller = new AbortController()
    let rows = 0
    const cancelled = await runImport(db, opts(file('cancel', 3000), {
      source: 'reads-cancel',
      signal: controller.signal,
      // the last progress call (every row read) comes once the whole file is staged: the cancel lands between staging and merge
      onProgress: (p) => { if ((rows = p.rows) === 3001) controller.abort('test') },
    })).then(() => null, (e: Error) => e)
    expect(rows).toBe(3001)
    expect(cancelled?.message).toMatch(/cancelled/)
    expect(await state()).toBe(before)
    expect(await temps()).toEqual([])
    const failed = (await db.query<{ status: string }>("SELECT status FROM import_batch WHERE source IN ('reads-fail', 'reads-cancel') ORDER BY id")).rows
    expect(failed.map((r) => r.status)).toEqual(['failed', 'cancelled'])
    // and the next import works (its staging table is created afresh)
    const again = await runImport(db, opts(file('again', 10, 50_000), { source: 'reads-again' }))
    expect(again.counts.imported).toBe(10)
  })
})
