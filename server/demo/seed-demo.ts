// First start of the embedded default: generate a small synthetic register and import it through the real import
// path, every batch marked synthetic (shown as "Demodata" in the API and the map).
import path from 'node:path'
import { rmSync } from 'node:fs'
import type { DbHandle } from '../db/client.js'
import { runImport } from '../ingest/run-import.js'
import { DEFAULT_OPTIONS, generateRegister } from './generate.js'

export const DEMO_SOURCE = 'demo'

export async function seedDemoIfEmpty (db: DbHandle, dataDir: string, log: (m: string) => void, companiesPerYear = DEFAULT_OPTIONS.companiesPerYear): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM company) OR EXISTS (SELECT 1 FROM import_batch WHERE source = $1) AS any', [DEMO_SOURCE])
  if (rows[0].any) return false
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
  return true
}
