// The CLI as a user runs it (`npm run import -- … --json`), and a kill -9 in the middle of a large import: nothing changes,
// and the next start records the killed import as aborted.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateRegister, DEFAULT_OPTIONS } from '../../server/demo/generate.js'
import { cliSandbox, ROOT } from '../helpers/cli.js'

const box = cliSandbox('cli')
const cli = box.cli
let bigFile: string

beforeAll(async () => {
  const gen = await generateRegister({ ...DEFAULT_OPTIONS, companiesPerYear: 300_000, years: [2024, 2025], outDir: path.join(box.dir, 'big'), formats: ['csv'], educationProviders: 0 })
  bigFile = gen.files.companies['2024']
})

async function state () {
  const db = await box.openDb()
  try {
    const { rows } = await db.query<{ n: number; s: string; running: number }>(`SELECT (SELECT count(*)::int FROM company) AS n,
      (SELECT coalesce(md5(string_agg(orgnr || name || coalesce(kommun_code, ''), ',' ORDER BY orgnr)), '') FROM company) AS s,
      (SELECT count(*)::int FROM import_batch WHERE status = 'running') AS running`)
    return rows[0]
  } finally { await db.close() }
}

describe('import CLI', () => {
  it('prints one JSON object with the counts', () => {
    const r = cli(['companies', 'data/examples/companies.csv', '--format', 'csv', '--year', '2025', '--json'])
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ kind: 'companies', format: 'csv', year: 2025, rejected: 0 })
    expect(out.read).toBe(out.imported + out.rejected)
    for (const k of ['read', 'imported', 'updated', 'unchanged', 'rejected', 'unplaced']) expect(typeof out[k]).toBe('number')
  }, 300_000)

  it('fails with a clear message and exit code 1 on a bad invocation', () => {
    const r = cli(['companies', 'data/examples/companies.csv', '--format', 'nope'])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/format "nope" is not supported/)
  }, 120_000)

  it('kill -9 in the middle of a large import leaves the previous state intact', async () => {
    const before = await state()
    expect(before.n).toBeGreaterThan(0)
    const child = spawn('npx', ['tsx', 'scripts/import.ts', 'companies', bigFile, '--format', 'csv', '--year', '2024'], { cwd: ROOT, env: box.env, detached: true })
    let progress = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress seen: ${progress.slice(-500)}`)), 240_000)
      child.stderr.on('data', (d: Buffer) => {
        progress += d.toString()
        const seen = [...progress.matchAll(/%\s+([\d\s\u00a0]+) rows/g)].map((m) => Number(m[1].replace(/\D/g, '')))
        if (seen.some((n) => n > 20_000)) { clearTimeout(timer); resolve() }
      })
      child.on('exit', () => { clearTimeout(timer); reject(new Error(`import finished before it could be killed: ${progress.slice(-300)}`)) })
    })
    process.kill(-child.pid!, 'SIGKILL') // the whole process group: npx, tsx and node
    await new Promise((r) => setTimeout(r, 1500))
    const after = await state()
    expect(after).toEqual(before)
    // and the database still works: the same import runs to completion afterwards
    const r = cli(['companies', 'data/examples/companies.csv', '--format', 'csv', '--year', '2025', '--json'])
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).unchanged).toBe(before.n)
    // and the killed import left its trace: recorded as aborted when the CLI started again (issue #14 K1)
    const db = await box.openDb()
    try {
      const { rows } = await db.query<{ status: string; file: string }>("SELECT status, file_name AS file FROM import_batch WHERE status = 'aborted'")
      expect(rows).toEqual([{ status: 'aborted', file: path.basename(bigFile) }])
    } finally { await db.close() }
  }, 600_000)
})
