// Backup and restore of the embedded database, as the README documents it (stop the server, copy DATA_DIR), tested
// once with scripts/backup-restore-check.ts: a PGlite data directory with reference data, definitions and the example
// files imported is closed, copied with `cp -r`, and the copy opened: same rows, same key figures, PostGIS works.
// Embedded mode only (PostgreSQL backups are pg_dump/pg_restore); skipped when DATABASE_URL is set.
import { readFileSync } from 'node:fs'
import { describe, expect, inject, it } from 'vitest'
import { backupRestoreCheck } from '../../scripts/backup-restore-check.js'

const s = inject('snapshots')

describe.skipIf(s.mode === 'pg')('backup and restore of DATA_DIR (embedded)', () => {
  it('a cp -r copy of a closed data directory has the same rows and key figures, and PostGIS works', async () => {
    // reference data and definitions from the base fixture snapshot (seedReference + seedDefinitions, done once per
    // run), then data/examples/*.csv imported into the on-disk data directory
    const r = await backupRestoreCheck({ loadDataDir: new Blob([readFileSync(s.files!.base)]) })
    expect(r.original.tables.company).toBe(10) // data/examples/companies.csv: 10 companies
    expect(r.original.tables.workplace).toBeGreaterThan(0)
    expect(r.original.tables.education_provider).toBeGreaterThan(0)
    expect(r.original.tables.kommun).toBe(290)
    expect(r.original.tables.import_batch).toBe(3)
    expect(r.original.dataVersion).not.toBeNull()
    expect(JSON.parse(r.original.keyFigures).length).toBeGreaterThan(0)
    expect(r.copy).toEqual(r.original)
    expect(r.copy.postgis).toMatch(/^3\.\d+/)
    expect(r.copy.stockholm).toBe('0180')
    expect(r.same).toBe(true)
  }, 300_000)
})
