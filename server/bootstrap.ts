// First-start work: reference data, shipped KKB definitions, and (embedded default) clearly labelled demo data.
import type { DbHandle } from './db/client.js'
import { seedDefinitions } from './definitions/load.js'
import { seedReference } from './reference/seed-reference.js'

export interface BootstrapOptions {
  seedDemo: boolean
  /** the demo's size (config.ts `demo`); default: the product's (seed-demo.ts PRODUCT_DEMO) */
  demo?: { companiesPerYear: number; fullDensityLan: string[] }
  dataDir: string
  log: (m: string) => void
}

export async function bootstrap (db: DbHandle, opts: BootstrapOptions): Promise<void> {
  await seedReference(db, opts.log)
  await seedDefinitions(db, opts.log)
  if (opts.seedDemo) {
    const { seedDemoIfEmpty } = await import('./demo/seed-demo.js')
    await seedDemoIfEmpty(db, opts.dataDir, opts.log, opts.demo)
  }
}
