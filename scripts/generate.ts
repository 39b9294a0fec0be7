// Writes a SYNTHETIC demo register ("Demodata") in the project's import formats.
//   npx tsx scripts/generate.ts --out <dir> [--companies 20000] [--years 2024,2025] [--seed 42]
//                               [--formats csv,scb-bulk] [--education 300] [--full-density-lan 08]
// Progress goes to stderr, a JSON summary (files, counts, seconds) to stdout. See server/demo/README.md.
import { parseArgs } from 'node:util'
import { DEFAULT_OPTIONS, generateRegister, type DemoFormat } from '../server/demo/generate.js'

const USAGE = 'usage: npx tsx scripts/generate.ts --out <dir> [--companies N] [--years 2024,2025] [--seed 42] [--formats csv,scb-bulk] [--education 300] ' +
  '[--full-density-lan 08]'

function fail (message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

function int (raw: string | undefined, name: string, fallback: number, min: number): number {
  if (raw === undefined) return fallback
  const v = Number(raw.replace(/_/g, ''))
  if (!Number.isInteger(v) || v < min) fail(`--${name} must be an integer ≥ ${min}, got "${raw}"`)
  return v
}

async function main (): Promise<void> {
  let values
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        companies: { type: 'string' },
        years: { type: 'string' },
        seed: { type: 'string' },
        formats: { type: 'string' },
        education: { type: 'string' },
        'full-density-lan': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (err) {
    fail((err as Error).message)
  }
  if (values.help) { process.stdout.write(`${USAGE}\n`); return }
  if (!values.out) fail('--out is required')

  let years = DEFAULT_OPTIONS.years
  if (values.years !== undefined) {
    const parts = values.years.split(',').map((s) => Number(s.trim()))
    if (parts.length !== 2 || !parts.every((y) => Number.isInteger(y) && y >= 1990 && y <= 2100) || parts[1] <= parts[0]) {
      fail(`--years must be two increasing years like 2024,2025, got "${values.years}"`)
    }
    years = [parts[0], parts[1]]
  }
  let formats = DEFAULT_OPTIONS.formats
  if (values.formats !== undefined) {
    const list = values.formats.split(',').map((s) => s.trim()).filter(Boolean)
    const bad = list.filter((f) => f !== 'csv' && f !== 'scb-bulk')
    if (bad.length || list.length === 0) fail(`--formats takes csv and/or scb-bulk, got "${values.formats}"`)
    formats = [...new Set(list)] as DemoFormat[]
  }

  const lan = values['full-density-lan']?.split(',').map((s) => s.trim()).filter(Boolean) ?? []
  if (!lan.every((c) => /^\d{2}$/.test(c))) fail(`--full-density-lan takes län codes like 08 or 08,12, got "${values['full-density-lan']}"`)

  const result = await generateRegister({
    outDir: values.out,
    companiesPerYear: int(values.companies, 'companies', DEFAULT_OPTIONS.companiesPerYear, 1),
    years,
    seed: int(values.seed, 'seed', DEFAULT_OPTIONS.seed, 0),
    formats,
    educationProviders: int(values.education, 'education', DEFAULT_OPTIONS.educationProviders, 0),
    fullDensityLan: lan,
    onProgress: (m) => process.stderr.write(`[generate] ${m}\n`),
  })
  process.stdout.write(`${JSON.stringify({ synthetic: true, ...result }, null, 2)}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`generate failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exit(1)
})
