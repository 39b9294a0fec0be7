// A new reference year imported into the running server does not hold up public reads (#20): on the embedded database its
// rows are built beside the register in chunks (ingest/pending-year.ts), public reads answered between them, and published
// by one short transaction. Order, not time, is asserted: reads (key figures, the actor list, a tile) are answered while
// the year's rows are being written — at several points of the build, so each waited for a chunk, not for the build —
// and show the old data until the swap, the new data after it. A failure in the middle of the build leaves the database
// exactly as it was. On PostgreSQL the build runs inside the import's transaction (MVCC): reads during it see the old data.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setImmediate as turn } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport, type ImportOptions } from '../../server/ingest/run-import.js'
import { recoverAbortedImports } from '../../server/ingest/journal.js'
import { refreshCompanyCells } from '../../server/keyfigures/cells.js'
import { luhnCheckDigit } from '../../server/ingest/validate.js'
import { driverName, useTestApp } from '../helpers/db.js'

const ctx = useTestApp('base')
let dir: string
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'kkb-new-year-')) })
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }) })

const embedded = driverName() === 'pglite'
const OLD = 2040
const NEW = 2041
const KOMMUNS = ['0114', '0180', '0380', '0580', '0680', '0880', '1280', '1480', '1880', '2480']
const SNI = ['90010', '90020', '59110', '58110', '74101', '73111'] // all KKB branches
const org = (i: number) => { const p = `5590${String(i).padStart(5, '0')}`; return p + luhnCheckDigit(p) }
/** companies spread over kommuns and branches (the build's chunks are ranges of kommun and branch) */
function file (name: string, rows: number, duplicate = false): string {
  const lines = ['orgnr;name;legal_form;sni1;kommun',
    ...Array.from({ length: rows }, (_, i) => [org(i), `Nyårsföretaget ${i} AB`, '49', SNI[i % SNI.length], KOMMUNS[(i >> 3) % KOMMUNS.length]].join(';')),
    ...(duplicate ? [[org(7), 'Dubbletten AB', '49', SNI[0], KOMMUNS[0]].join(';')] : [])]
  const sub = path.join(dir, name)
  mkdirSync(sub, { recursive: true })
  const p = path.join(sub, 'companies.csv')
  writeFileSync(p, lines.join('\n') + '\n')
  return p
}
const opts = (filePath: string, year: number, o: Partial<ImportOptions> = {}): ImportOptions =>
  ({ kind: 'companies', format: 'csv', filePath, year, source: 'new-year', reportDir: path.join(dir, 'reports'), ...o })

/** the rows of the table a new year is being built in (embedded database), or null when there is none */
async function pendingRows (): Promise<number | null> {
  const { rows } = await ctx.db.query<{ t: string }>("SELECT relname AS t FROM pg_class WHERE relname ~ '^company_pending_[0-9]+$' AND relkind = 'r'")
  if (!rows.length) return null
  return ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${rows[0].t}`).then((r) => r.rows[0].n, () => null)
}

interface Seen { latest: number; companies: number; listed: number; tile: number; pending: number | null }
/** What the public sees: the latest year's key figures, the new year's actor list and a tile of it. */
async function look (): Promise<Omit<Seen, 'pending'>> {
  const kf = await ctx.app.inject('/api/key-figures?level=riket&branch=all')
  const row = kf.json().rows[0]
  const list = await ctx.app.inject(`/api/actors?year=${NEW}&status=all&limit=5`)
  const tile = await ctx.app.inject(`/api/tiles/actors/0/0/0.mvt?year=${NEW}&status=all`)
  return { latest: row.year, companies: row.companies, listed: list.json().total, tile: tile.statusCode }
}

/** Reads in a loop until `until` settles; each sample notes afterwards whether the year's table was still being built. */
async function readWhile<T> (until: Promise<T>, onSample?: (s: Seen) => void | Promise<void>): Promise<Seen[]> {
  let settled = false
  until.then(() => { settled = true }, () => { settled = true })
  const seen: Seen[] = []
  while (!settled) {
    const s = { ...await look(), pending: await pendingRows() }
    seen.push(s)
    await onSample?.(s)
    await turn()
  }
  return seen
}

/** Everything an import may write, to compare before and after a failed one. */
async function fingerprint () {
  const { rows } = await ctx.db.query<Record<string, unknown>>(`SELECT
    (SELECT count(*)::int FROM company) AS companies,
    (SELECT md5(coalesce(string_agg(orgnr || '|' || ref_year || '|' || name, ',' ORDER BY ref_year, orgnr), '')) FROM company) AS company_md5,
    (SELECT md5(coalesce(string_agg(k::text, ',' ORDER BY k::text), '')) FROM kf_company_cell k) AS cells_md5,
    (SELECT count(*)::int FROM import_error) AS errors,
    (SELECT count(*)::int FROM import_batch WHERE status = 'done') AS done,
    (SELECT value FROM meta WHERE key = 'data_version') AS version,
    (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')) AS tables`)
  return rows[0]
}

describe('a new year imported while the server answers', () => {
  beforeAll(async () => {
    await runImport(ctx.db, opts(file('old', 400), OLD))
  })

  it('answers public reads throughout, with the old data until the swap and the new data after it', async () => {
    const before = await look()
    expect(before).toMatchObject({ latest: OLD, companies: 400, listed: 0, tile: 204 })
    const N = 12_000
    const done = runImport(ctx.db, opts(file('new', N, true), NEW))
    const seen = await readWhile(done)
    const res = await done
    // (the duplicated organisation number is a rejected row of the batch, recorded by the swap's transaction)
    expect(res.counts).toMatchObject({ read: N + 1, imported: N, rejected: 1 })
    expect((await ctx.db.query<{ reason: string }>('SELECT reason FROM import_error WHERE batch_id = $1', [res.batchId])).rows
      .map((r) => r.reason)).toEqual([expect.stringMatching(/^duplicate orgnr/)])
    // each read shows the old data or the new, and once the new it stays (the three reads of a sample are three
    // requests: the swap may fall between them)
    const after = { latest: NEW, companies: N, listed: N, tile: 200 }
    for (const f of ['latest', 'companies', 'listed', 'tile'] as const) {
      const firstNew = seen.findIndex((s) => s[f] === after[f])
      for (const [i, s] of seen.entries()) expect(s[f], `${f} of read ${i}`).toBe(firstNew >= 0 && i >= firstNew ? after[f] : before[f])
    }
    // a sample made while the year's table was still being built (it was still there after the reads) saw the old data
    for (const s of seen) if (s.pending !== null) expect(s).toMatchObject(before)
    expect(await look()).toMatchObject(after)
    // the cells built beside the register (kommun group by kommun group) are those a full rebuild of the year gives
    const cells = async () => (await ctx.db.query<{ c: string }>('SELECT k::text AS c FROM kf_company_cell k WHERE ref_year = $1 ORDER BY 1', [NEW])).rows
    const built = await cells()
    expect(built.length).toBeGreaterThan(KOMMUNS.length)
    await ctx.db.transaction((tx) => refreshCompanyCells(tx, NEW))
    expect(await cells()).toEqual(built)
    if (embedded) {
      // reads were answered at several points of the build (partly written), not only before or after it
      const partial = new Set(seen.map((s) => s.pending).filter((n): n is number => n !== null && n > 0 && n < N))
      expect(partial.size).toBeGreaterThanOrEqual(3)
    } else {
      expect(seen.filter((s) => s.latest === OLD).length).toBeGreaterThan(0)
    }
    expect(await pendingRows()).toBeNull()
  })

  it.runIf(embedded)('leaves the database exactly as it was when the build fails or is cancelled after some chunks', async () => {
    const YEAR = NEW + 1
    const before = await fingerprint()
    // cancelled once some of the year's rows are written
    const controller = new AbortController()
    const cancelled = runImport(ctx.db, opts(file('cancel', 8000), YEAR, { signal: controller.signal }))
    await readWhile(cancelled, (s) => { if (s.pending) controller.abort('test') })
    expect(await cancelled.then(() => null, (e: Error) => e.message)).toMatch(/cancelled/)
    expect(await fingerprint()).toEqual(before)
    // a statement that fails in the middle of the build (its table gone under it)
    const failed = runImport(ctx.db, opts(file('fail', 8000), YEAR))
    let dropped = false
    await readWhile(failed, async (s) => {
      if (s.pending && !dropped) {
        dropped = true
        await ctx.db.query("SELECT format('DROP TABLE %I', relname) AS q FROM pg_class WHERE relname ~ '^company_pending_[0-9]+$'")
          .then(({ rows }) => Promise.all(rows.map((r) => ctx.db.query((r as { q: string }).q))))
      }
    })
    expect(dropped).toBe(true)
    expect(await failed.then(() => null, (e: Error) => e.message)).toMatch(/failed, nothing was changed/)
    expect(await fingerprint()).toEqual(before)
    const log = (await ctx.db.query<{ status: string }>('SELECT status FROM import_batch WHERE ref_year = $1 ORDER BY id', [YEAR])).rows
    expect(log.map((r) => r.status)).toEqual(['cancelled', 'failed'])
    // and the year imports afterwards
    const again = await runImport(ctx.db, opts(file('again', 100), YEAR))
    expect(again.counts, JSON.stringify(again.counts)).toMatchObject({ read: 100, imported: 100 })
  })

  it('a start after a crash in the middle of a build removes the table the build left', async () => {
    const before = await fingerprint()
    // what a process killed during a build leaves: the year's table, unattached
    await ctx.db.query('CREATE TABLE company_pending_999999 (LIKE company INCLUDING DEFAULTS INCLUDING INDEXES)')
    await ctx.db.query('INSERT INTO company_pending_999999 SELECT * FROM company LIMIT 10')
    await recoverAbortedImports(ctx.db, path.join(dir, 'reports'))
    expect(await fingerprint()).toEqual(before)
  })
})
