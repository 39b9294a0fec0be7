// npm run sync [-- --only scb,bolagsverket,afr,statistics] [--year YYYY] [--json] [--scb-url URL] [--bolagsverket-url URL]
//              [--afr-base-url URL] [--afr-companies-path P] [--afr-workplaces-path P] [--afr-sni 90110,90130] [--afr-limit N]
//              [--afr-rate REQ_PER_S] [--max-retries N] [--statistics-file FILE]
// Brings the register up to date from the official sources (see server/sync/run.ts and the README). The AFR key comes
// from SCB_API_KEY (never a flag: command lines are visible to other users). Progress on stderr, a summary on stdout.
// Exit code 0 when every source is current, 1 on failure (rerun: downloads and AFR pages already fetched are kept).
import { parseArgs } from 'node:util'
import { openCliDb } from './cli-db.js'
import { syncOptions, type SyncFlags } from '../server/sync/config.js'
import { runSync } from '../server/sync/run.js'

async function main () {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' }, year: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      'scb-url': { type: 'string' }, 'bolagsverket-url': { type: 'string' }, 'afr-base-url': { type: 'string' },
      'afr-companies-path': { type: 'string' }, 'afr-workplaces-path': { type: 'string' }, 'afr-sni': { type: 'string' },
      'afr-limit': { type: 'string' }, 'afr-rate': { type: 'string' }, 'max-retries': { type: 'string' },
      'statistics-file': { type: 'string' },
    },
  })
  if (values.help) {
    process.stderr.write('usage: npm run sync -- [--only scb,bolagsverket,afr,statistics] [--statistics-file FILE] [--year YYYY] [--json] (README: "Keeping the register up to date")\n')
    return
  }
  const { json, help: _h, ...flags } = values
  const log = (m: string) => process.stderr.write(`${m}\n`)
  const { db, config } = await openCliDb(json ? () => {} : log)
  const tty = process.stderr.isTTY
  let open = false
  const controller = new AbortController()
  // First Ctrl-C: stop after the current import (an import is one transaction); a second one stops at once (still safe).
  process.once('SIGINT', () => {
    log('\ninterrupted: stopping after the current step (Ctrl-C again to stop now); the next run continues from here')
    controller.abort(new Error('interrupted'))
  })
  try {
    const options = syncOptions(config.dataDir, process.env, flags as SyncFlags)
    const report = await runSync(db, {
      ...options,
      signal: controller.signal,
      log: (m) => { if (open) { process.stderr.write('\n'); open = false } log(m) },
      onProgress: (line) => {
        if (tty) { process.stderr.write(`\r${line.padEnd(100)}`); open = true } else log(line)
      },
    })
    if (open) process.stderr.write('\n')
    if (json) { process.stdout.write(`${JSON.stringify(report)}\n`); return }
    const lines = [`sync, reference year ${report.year}:`]
    for (const s of report.steps) {
      const c = s.import?.counts
      const report = s.import?.report ? ` (report: ${s.import.report})` : ''
      const counts = c ? ` → import #${s.import!.batchId}: read ${c.read}, imported ${c.imported}, updated ${c.updated}, ` +
        `unchanged ${c.unchanged}, removed ${c.removed}, rejected ${c.rejected}${report}` : ''
      lines.push(`  ${s.source.padEnd(16)} ${s.status.padEnd(9)} ${s.detail}${counts}`)
    }
    process.stdout.write(lines.join('\n') + '\n')
  } finally {
    await db.close()
  }
}

main().catch((err) => {
  process.stderr.write(`\nerror: ${(err as Error).message}\n`)
  process.exit(1)
})
