// `npm run import -- statistics FILE --format json-stat|csv` as a user runs it: the shipped examples import (a second
// run replaces the table), a wrong format and a file that is not JSON-stat fail with their reason and exit code 1.
import { describe, expect, it } from 'vitest'
import { cliSandbox } from '../helpers/cli.js'

const box = cliSandbox('stat_cli', ['statistics'])
const cli = box.cli

describe('statistics import CLI', () => {
  it('imports the JSON-stat and CSV examples, and replaces a table imported again', async () => {
    const a = cli(['data/examples/statistics-yrken.json', '--format', 'json-stat', '--json'])
    expect(a.status, a.stderr).toBe(0)
    expect(JSON.parse(a.stdout)).toMatchObject({ kind: 'statistics', table: { id: 'EXEMPEL-YREG' }, cells: 12, missing: 1, replaced: false })
    const b = cli(['data/examples/statistics-yrken.json', '--format', 'json-stat'])
    expect(b.status, b.stderr).toBe(0)
    expect(b.stdout).toContain('table EXEMPEL-YREG')
    expect(b.stdout).toContain('(replaced)')
    const c = cli(['data/examples/statistics-yrken.csv', '--format', 'csv', '--table', 'EXEMPEL-CSV', '--json'])
    expect(c.status, c.stderr).toBe(0)
    expect(JSON.parse(c.stdout)).toMatchObject({ table: { id: 'EXEMPEL-CSV' }, cells: 8, missing: 2, years: [2023, 2024] })
    const db = await box.openDb()
    try {
      const { rows } = await db.query<{ id: string; n: number }>('SELECT table_id AS id, count(*)::int AS n FROM stat_cell GROUP BY 1 ORDER BY 1')
      expect(rows).toEqual([{ id: 'EXEMPEL-CSV', n: 8 }, { id: 'EXEMPEL-YREG', n: 12 }])
    } finally { await db.close() }
  }, 600_000)

  it('fails with the reason and exit code 1 on a wrong format or a file that is not JSON-stat', () => {
    const a = cli(['data/examples/statistics-yrken.json', '--format', 'px'])
    expect(a.status).toBe(1)
    expect(a.stderr).toContain('format "px" is not supported for statistics (use json-stat, csv)')
    const b = cli(['data/examples/statistics-yrken.csv', '--format', 'json-stat'])
    expect(b.status).toBe(1)
    expect(b.stderr).toMatch(/nothing was changed: JSON-stat: not valid JSON/)
  }, 600_000)
})
