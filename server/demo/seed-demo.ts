// First start of the embedded default: generate a small synthetic register and import it through the real import
// path, every batch marked synthetic (shown as "Demodata" in the API and the map).
import path from 'node:path'
import { mkdirSync, rmSync } from 'node:fs'
import type { DbHandle } from '../db/client.js'
import { runImport } from '../ingest/run-import.js'
import { seedDemoCurated } from './curated.js'
import { DEFAULT_OPTIONS, generateRegister } from './generate.js'
import { DEMO_OCCUPATION_SOURCE, writeDemoOccupationTable } from './occupations.js'
import { runStatisticsImport } from '../statistics/import.js'

export const DEMO_SOURCE = 'demo'

/** The synthetic occupation table (demo/occupations.ts), so a new user sees the people measures; only beside a
 * synthetic register and only while no statistical table has ever been imported. */
export async function seedDemoOccupations (db: DbHandle, dataDir: string, log: (m: string) => void): Promise<boolean> {
  const { rows } = await db.query<{ seed: boolean; years: number[] | null }>(`SELECT EXISTS (SELECT 1 FROM company WHERE synthetic)
    AND NOT EXISTS (SELECT 1 FROM import_batch WHERE kind = 'statistics') AS seed,
    (SELECT array_agg(DISTINCT ref_year ORDER BY ref_year) FROM company) AS years`)
  if (!rows[0].seed || !rows[0].years?.length) return false
  const dir = path.join(dataDir, 'demo-files')
  mkdirSync(dir, { recursive: true })
  const file = writeDemoOccupationTable(dir, rows[0].years)
  try {
    const r = await runStatisticsImport(db, { format: 'json-stat', filePath: file, source: DEMO_OCCUPATION_SOURCE, synthetic: true, createdBy: 'demo-seed' })
    log(`demo data: synthetic occupation table ${r.table.id} – ${r.cells} cells in ${r.seconds.toFixed(1)} s`)
  } finally { rmSync(file, { force: true }) }
  return true
}

export async function seedDemoIfEmpty (db: DbHandle, dataDir: string, log: (m: string) => void,
  companiesPerYear = DEFAULT_OPTIONS.companiesPerYear): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM company) OR EXISTS (SELECT 1 FROM import_batch WHERE source = $1) AS any', [DEMO_SOURCE])
  if (rows[0].any) { await seedDemoOccupations(db, dataDir, log); await seedDemoCurated(db, log); return false }
  const outDir = path.join(dataDir, 'demo-files')
  log(`generating demo data (synthetic register: ${companiesPerYear} companies per year, two years) in ${outDir}`)
  const gen = await generateRegister({ ...DEFAULT_OPTIONS, companiesPerYear, outDir, formats: ['csv'] })
  const reportDir = path.join(dataDir, 'reports')
  const steps: Array<{ kind: 'companies' | 'workplaces' | 'education'; file: string; year?: number }> = []
  for (const [year, file] of Object.entries(gen.files.companies)) steps.push({ kind: 'companies', file, year: Number(year) })
  for (const [year, file] of Object.entries(gen.files.workplaces)) steps.push({ kind: 'workplaces', file, year: Number(year) })
  if (gen.files.education) steps.push({ kind: 'education', file: gen.files.education, year: Math.max(...Object.keys(gen.files.companies).map(Number)) })
  for (const [i, s] of steps.entries()) {
    const r = await runImport(db, { kind: s.kind, format: 'csv', filePath: s.file, year: s.year, source: DEMO_SOURCE, synthetic: true,
      createdBy: 'demo-seed', reportDir })
    log(`demo data ${i + 1}/${steps.length}: ${s.kind} ${s.year ?? ''} – ${r.counts.imported} rows imported in ${r.seconds.toFixed(1)} s` +
      (r.counts.rejected ? ` (${r.counts.rejected} rejected: see ${r.report})` : ''))
  }
  rmSync(outDir, { recursive: true, force: true })
  await seedDemoOccupations(db, dataDir, log)
  await seedDemoCurated(db, log)
  return true
}
