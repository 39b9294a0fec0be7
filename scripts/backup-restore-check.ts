// Checks the documented backup of the embedded database (README "Backups": stop the server and copy DATA_DIR):
// copies a PGlite data directory with `cp -r`, opens the copy, and compares rows, key figures and PostGIS with the
// original.
//
//   npx tsx scripts/backup-restore-check.ts                    # a fresh DATA_DIR: reference data, definitions, the examples
//   npx tsx scripts/backup-restore-check.ts --data-dir .data   # an existing DATA_DIR (the server must be stopped)
//
// Exits 1 when the copy differs. test/robustness/backup.test.ts runs the same function once (embedded mode only).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { openDb, type DbHandle } from '../server/db/client.js'
import { seedReference } from '../server/reference/seed-reference.js'
import { seedDefinitions } from '../server/definitions/load.js'
import { runImport } from '../server/ingest/run-import.js'
import { computeKeyFigures } from '../server/keyfigures/compute.js'
import { ROOT } from '../server/paths.js'

export interface Fingerprint {
  tables: Record<string, number>
  companies: string
  dataVersion: string | null
  keyFigures: string
  postgis: string
  /** kommun containing a point in central Stockholm (a spatial query through the GiST index) */
  stockholm: string | null
}

export interface CheckResult { original: Fingerprint; copy: Fingerprint; same: boolean; dataDir: string; copyDir: string }

export interface CheckOptions {
  /** an existing DATA_DIR (its pglite/ directory is opened); default: a fresh temporary one, seeded */
  dataDir?: string
  /** fresh DATA_DIR only: start from this PGlite dump (tests: the fixture snapshot) instead of seeding reference data */
  loadDataDir?: Blob
  /** keep the temporary directories */
  keep?: boolean
  log?: (m: string) => void
}

const TABLES = ['company', 'workplace', 'education_provider', 'kommun', 'lan', 'sni', 'kkb_definition', 'kkb_sni', 'import_batch', 'import_error',
  'kf_company_cell', 'api_token', 'meta']

export async function fingerprint (db: DbHandle): Promise<Fingerprint> {
  const tables: Record<string, number> = {}
  for (const t of TABLES) tables[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n
  const companies = (await db.query<{ s: string | null }>(`SELECT md5(string_agg(concat_ws('|', ref_year, orgnr, name, kommun_code, sni::text,
    employees, ST_AsText(geom)), ',' ORDER BY ref_year, orgnr)) AS s FROM company`)).rows[0].s ?? ''
  const dataVersion = (await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'data_version'")).rows[0]?.value ?? null
  const kf = await computeKeyFigures(db, { level: 'lan', branch: ['total', 'all'], years: 'all' }, { minCompanies: 3, dominance: 0.85 })
  const postgis = (await db.query<{ v: string }>('SELECT postgis_lib_version() AS v')).rows[0].v
  const stockholm = (await db.query<{ code: string }>(
    'SELECT code FROM kommun WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(18.0686, 59.3293), 4326))')).rows[0]?.code ?? null
  return { tables, companies, dataVersion, keyFigures: JSON.stringify(kf.rows), postgis, stockholm }
}

export async function backupRestoreCheck (o: CheckOptions = {}): Promise<CheckResult> {
  const log = o.log ?? (() => {})
  const work = mkdtempSync(path.join(tmpdir(), 'kkb-backup-'))
  const dataDir = o.dataDir ? path.resolve(o.dataDir) : path.join(work, 'data')
  try {
    if (o.dataDir) {
      const pid = path.join(dataDir, 'server.pid')
      if (existsSync(pid)) {
        const n = Number(readFileSync(pid, 'utf8'))
        let running = false
        try { process.kill(n, 0); running = true } catch { /* not running: a stale lock file */ }
        if (running) throw new Error(`the server (pid ${n}) is running on ${dataDir}: stop it first, then copy DATA_DIR`)
      }
      if (!existsSync(path.join(dataDir, 'pglite'))) throw new Error(`${dataDir} has no pglite/ directory (is it a DATA_DIR of the embedded database?)`)
    } else {
      log(`seeding a fresh DATA_DIR in ${dataDir}`)
      const db = await openDb({ dataDir: path.join(dataDir, 'pglite'), loadDataDir: o.loadDataDir })
      try {
        if (!o.loadDataDir) {
          await seedReference(db, log)
          await seedDefinitions(db, log)
        }
        const reportDir = path.join(dataDir, 'reports')
        for (const kind of ['companies', 'workplaces', 'education'] as const) {
          const r = await runImport(db, { kind, format: 'csv', filePath: path.join(ROOT, 'data', 'examples', `${kind}.csv`), year: 2025, source: 'examples', synthetic: true, reportDir })
          log(`imported ${kind}.csv: ${r.counts.imported} rows`)
        }
      } finally {
        await db.close()
      }
    }
    log('reading the original')
    const orig = await openDb({ dataDir: path.join(dataDir, 'pglite'), migrate: false })
    let original: Fingerprint
    try { original = await fingerprint(orig) } finally { await orig.close() }

    const copyDir = path.join(work, 'restored')
    log(`cp -r ${dataDir} ${copyDir}`)
    execFileSync('cp', ['-r', dataDir, copyDir])
    const restored = await openDb({ dataDir: path.join(copyDir, 'pglite'), migrate: false })
    let copy: Fingerprint
    try { copy = await fingerprint(restored) } finally { await restored.close() }
    const same = JSON.stringify(original) === JSON.stringify(copy)
    return { original, copy, same, dataDir, copyDir }
  } finally {
    if (!o.keep) rmSync(work, { recursive: true, force: true })
  }
}

async function main () {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, keep: { type: 'boolean', default: false } } })
  const t0 = Date.now()
  const r = await backupRestoreCheck({ dataDir: values['data-dir'], keep: values.keep, log: (m) => process.stderr.write(`${m}\n`) })
  const t = r.copy.tables
  process.stdout.write(`original ${r.dataDir} → copy ${r.copyDir}: ${r.same ? 'IDENTICAL' : 'DIFFERENT'} ` +
    `(companies ${t.company}, kommuner ${t.kommun}, import batches ${t.import_batch}, data version ${r.copy.dataVersion}, ` +
    `PostGIS ${r.copy.postgis}, Stockholm point in kommun ${r.copy.stockholm}) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
  if (!r.same) process.stdout.write(`original: ${JSON.stringify(r.original).slice(0, 2000)}\ncopy:     ${JSON.stringify(r.copy).slice(0, 2000)}\n`)
  process.exitCode = r.same ? 0 : 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
