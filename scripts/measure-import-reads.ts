// How long a public read waits while an import runs on the embedded database (PGlite: one session for everyone).
//   npx tsx scripts/measure-import-reads.ts [--companies 20000] [--every 20] [--again]
// Sets up an in-memory PGlite with the reference data and a demo-size register year (2024), then imports the next
// year (2025, the same demo size; with --again the 2024 file once more: the upsert path, nothing changes) while a reader issues a public read every --every ms (one at a time: the next read
// starts when the previous answered). Prints the import's time, how many reads answered while it ran, the longest
// wait of a read once asked, and the longest gap with no read answered (from the import's start to the first answer,
// between answers, from the last answer to its end). The gap is what a request arriving at the worst moment waits:
// while PGlite runs a statement, and through a transaction whose statements follow one another as promise callbacks,
// the event loop itself is held, so a read is not even asked (nor an HTTP request accepted) until it is free again.
// A measurement, not a test: the numbers depend on the machine and its load.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openDb } from '../server/db/client.js'
import { seedReference } from '../server/reference/seed-reference.js'
import { seedDefinitions } from '../server/definitions/load.js'
import { generateRegister, DEFAULT_OPTIONS } from '../server/demo/generate.js'
import { runImport } from '../server/ingest/run-import.js'

const { values } = parseArgs({ options: { companies: { type: 'string', default: '20000' }, every: { type: 'string', default: '20' }, again: { type: 'boolean', default: false } } })
const N = Number(values.companies)
const every = Number(values.every)
const log = (m: string) => process.stderr.write(`[measure] ${m}\n`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN
}

const work = mkdtempSync(path.join(tmpdir(), 'kkb-measure-'))
try {
  const db = await openDb({ url: 'memory://' })
  await seedReference(db)
  await seedDefinitions(db)
  const gen = await generateRegister({ ...DEFAULT_OPTIONS, companiesPerYear: N, years: [2024, 2025], seed: 11, educationProviders: 0,
    outDir: path.join(work, 'gen'), formats: ['csv'] })
  const reportDir = path.join(work, 'reports')
  log(`setting up: ${N} companies of 2024`)
  await runImport(db, { kind: 'companies', format: 'csv', filePath: gen.files.companies[2024], year: 2024, source: 'demo', synthetic: true, reportDir })

  // a public read of the kind the map and list make: one kommun's companies, a page of them
  const read = () => db.query(`SELECT id, name FROM company WHERE ref_year = 2024 AND kommun_code = '0880' AND active ORDER BY name LIMIT 50`)
  await read()
  const waits: number[] = []
  const answeredAt: number[] = []
  let importing = true
  let readsDuringImport = 0
  let firstAnswerAt: number | null = null
  const t0 = performance.now()
  const reader = (async () => {
    while (importing) {
      const s = performance.now()
      await read()
      const e = performance.now()
      waits.push(e - s)
      if (importing) { readsDuringImport++; firstAnswerAt ??= e - t0; answeredAt.push(e) }
      await sleep(every)
    }
  })()
  const year = values.again ? 2024 : 2025
  log(`importing ${N} companies of ${year} while reading every ${every} ms`)
  const res = await runImport(db, { kind: 'companies', format: 'csv', filePath: gen.files.companies[year], year, source: 'demo', synthetic: true, reportDir })
  const tEnd = performance.now()
  const importMs = tEnd - t0
  const marks = [t0, ...answeredAt, tEnd]
  const gaps = marks.slice(1).map((m, i) => m - marks[i])
  importing = false
  await reader
  const out = {
    companies: N, year, importSeconds: +(importMs / 1000).toFixed(2), counts: res.counts,
    readsWhileImporting: readsDuringImport, firstReadAnsweredAtMs: firstAnswerAt === null ? null : Math.round(firstAnswerAt),
    waitMs: { max: Math.round(Math.max(...waits)), p95: Math.round(pct(waits, 0.95)), median: Math.round(pct(waits, 0.5)) },
    longestGapWithoutAnswerMs: Math.round(Math.max(...gaps)),
    longestGapShareOfImport: +(Math.max(...gaps) / importMs).toFixed(2),
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  await db.close()
} finally {
  rmSync(work, { recursive: true, force: true })
}
