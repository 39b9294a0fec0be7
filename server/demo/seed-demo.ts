// First start of the embedded default: generate a synthetic register and import it through the real import path, every
// batch marked synthetic (shown as "Demodata" in the API and the map) and carrying a line that says how dense it is.
import path from 'node:path'
import { mkdirSync, rmSync } from 'node:fs'
import type { DbHandle } from '../db/client.js'
import { runImport } from '../ingest/run-import.js'
import { seedDemoCurated } from './curated.js'
import { DEFAULT_OPTIONS, describeDemo, generateRegister } from './generate.js'
import { PRODUCT_DEMO } from './density.js'
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

/** The demo's size: the product's is PRODUCT_DEMO (density.ts); DEMO_COMPANIES and DEMO_FULL_DENSITY_LAN (config.ts)
 * change it, e.g. a smaller demo for tests. */
export interface DemoSize {
  /** the national sample: companies in the first year for the whole country */
  companiesPerYear: number
  /** län at full register density on top of the sample (density.ts) */
  fullDensityLan: string[]
}

export async function seedDemoIfEmpty (db: DbHandle, dataDir: string, log: (m: string) => void,
  size: DemoSize = { ...PRODUCT_DEMO, fullDensityLan: [...PRODUCT_DEMO.fullDensityLan] }): Promise<boolean> {
  const { companiesPerYear, fullDensityLan } = size
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM company) OR EXISTS (SELECT 1 FROM import_batch WHERE source = $1) AS any', [DEMO_SOURCE])
  if (rows[0].any) { await seedDemoOccupations(db, dataDir, log); await seedDemoCurated(db, log); return false }
  const outDir = path.join(dataDir, 'demo-files')
  log(`generating demo data (synthetic register: ${companiesPerYear} companies per year for the country` +
    `${fullDensityLan.length ? ` + län ${fullDensityLan.join(', ')} at full register density` : ''}, two years) in ${outDir}`)
  const gen = await generateRegister({ ...DEFAULT_OPTIONS, companiesPerYear, fullDensityLan, outDir, formats: ['csv'] })
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
  // the batches say how dense the demo is (JSON, DemoDescription); data-info.ts hands it to the API and the UI as `demo`
  await db.query(`UPDATE import_batch SET message = $2 WHERE source = $1 AND synthetic AND status = 'done'`, [DEMO_SOURCE, JSON.stringify(describeDemo(size))])
  await seedDemoOccupations(db, dataDir, log)
  await seedDemoCurated(db, log)
  return true
}
