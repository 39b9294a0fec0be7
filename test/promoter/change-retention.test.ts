// Retention of the register's change log (company_change, #17): the rows written by imports that finished more than
// CHANGE_LOG_RETENTION_DAYS ago are deleted when the app starts (and hourly); what is still asked about is answered
// exactly as before the pruning, and a question older than what is kept is refused (or, for "since my last visit",
// answered from the oldest import kept) instead of being answered wrongly. Synthetic firms (orgnr 55920…).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { runImport } from '../../server/ingest/run-import.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { createToken } from '../../server/auth/tokens.js'
import { changeLogHorizon } from '../../server/promoter/segments.js'
import { buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
let dir: string
let almi: Record<string, string>

const orgnr = (i: number) => { const p = `55920${String(i).padStart(4, '0')}`; return p + luhnCheckDigit(p) }
const HEADER = 'orgnr;name;legal_form;sni1;sni_version;kommun;employees;registered;deregistered'
interface Firm { nr: string; name: string; kommun?: string; employees?: number; deregistered?: string }
const line = (f: Firm) => [f.nr, f.name, '49', '59110', '2025', f.kommun ?? '1480', f.employees ?? 3, '2016-01-01', f.deregistered ?? ''].join(';')

async function importSnapshot (name: string, firms: Firm[]): Promise<number> {
  const file = path.join(dir, name)
  writeFileSync(file, [HEADER, ...firms.map(line)].join('\n') + '\n')
  const r = await runImport(db, { kind: 'companies', format: 'csv', filePath: file, year: 2025, source: 'retention-test', reportDir: path.join(dir, 'reports') })
  expect(r.counts.rejected, JSON.stringify(r)).toBe(0)
  return r.batchId
}
/** An import that finished `days` ago (the clock cannot be moved: the batch's finish time is). */
const finishedDaysAgo = (batch: number, days: number) =>
  db.query(`UPDATE import_batch SET finished_at = now() - make_interval(days => $2::int) WHERE id = $1`, [batch, days])
const logRows = async (batch: number) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM company_change WHERE change_batch_id = $1', [batch])).rows[0].n

const firms = [1, 2, 3, 4, 5, 6].map((i) => ({ nr: orgnr(i), name: `Retention ${i} AB (syntetisk)` }))
let b1 = 0; let b2 = 0; let b3 = 0; let segment = 0

beforeAll(async () => {
  db = await openTestDb('base')
  app = await buildTestApp(db)
  dir = mkdtempSync(path.join(tmpdir(), 'kkb-retention-'))
  almi = { authorization: `Bearer ${(await createToken(db, 'Anna', 'promoter', { organisation: 'Almi Väst' })).token}` }
  b1 = await importSnapshot('a.csv', firms.slice(0, 4))
  segment = (await app.inject({ method: 'POST', url: '/api/segments', headers: almi, payload: { name: 'Film i Göteborg', filters: { sni: '59', kommun: '1480', year: 2025 } } })).json().id
  expect((await app.inject({ method: 'POST', url: `/api/segments/${segment}/seen`, headers: almi })).json()).toEqual({ seenBatchId: b1 })
  b2 = await importSnapshot('b.csv', [...firms.slice(0, 3), firms[4]]) // 4 gone, 5 new
  b3 = await importSnapshot('c.csv', [{ ...firms[0], employees: 30 }, firms[1], { ...firms[2], deregistered: '2025-09-01' }, firms[4], firms[5]]) // 1 grew, 3 closed, 6 new
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('change log retention (CHANGE_LOG_RETENTION_DAYS)', () => {
  it('the default period keeps everything recent', async () => {
    expect(await logRows(b2)).toBeGreaterThan(0)
    const again = await buildTestApp(db) // the default period (400 days): the imports just made are kept
    await again.close()
    expect(await logRows(b2)).toBeGreaterThan(0)
    expect(await changeLogHorizon(db)).toBe(0)
  })

  it('prunes the imports older than the period; later questions answer as before, older ones are refused', async () => {
    const since2 = (await app.inject({ url: `/api/segments/${segment}/changes?sinceImport=${b2}`, headers: almi })).json()
    expect(since2.counts).toEqual({ new: 1, closed: 1, changed: 1 })
    await finishedDaysAgo(b1, 90)
    await finishedDaysAgo(b2, 60)
    await finishedDaysAgo(b3, 10)
    const pruning = await buildTestApp(db, { changeLogRetentionDays: 30 }) // its start runs the retention
    await pruning.close()
    expect(await logRows(b2)).toBe(0)
    expect(await logRows(b3)).toBeGreaterThan(0)
    expect(await changeLogHorizon(db)).toBe(b2)

    // since b2 (the horizon): the same answer as before the pruning
    const after = (await app.inject({ url: `/api/segments/${segment}/changes?sinceImport=${b2}`, headers: almi })).json()
    expect(after).toEqual(since2)
    // since b1: the history of b2 is gone — a clear 400, not a wrong list
    const old = await app.inject({ url: `/api/segments/${segment}/changes?sinceImport=${b1}`, headers: almi })
    expect(old.statusCode).toBe(400)
    expect(old.json().error.message).toMatch(new RegExp(`no longer kept.*earliest import to compare with is ${b2}`))
    expect((await app.inject({ url: `/api/segments/${segment}/changes?since=2000-01-01`, headers: almi })).statusCode).toBe(400)
    // my last visit was at b1: answered from the horizon on, and the answer says from where
    const byVisit = (await app.inject({ url: `/api/segments/${segment}/changes`, headers: almi })).json()
    expect(byVisit).toMatchObject({ sinceImport: b2, counts: since2.counts })
    const list = (await app.inject({ url: '/api/segments', headers: almi })).json()
    expect(list[0]).toMatchObject({ id: segment, lastSeenImport: b1, sinceLastVisit: since2.counts })
  })

  it('the horizon never moves back: a longer period later does not make the pruned history answerable', async () => {
    const longer = await buildTestApp(db, { changeLogRetentionDays: 365 })
    await longer.close()
    expect(await changeLogHorizon(db)).toBe(b2)
    expect((await app.inject({ url: `/api/segments/${segment}/changes?sinceImport=${b1}`, headers: almi })).statusCode).toBe(400)
  })
})
