// npm run import -- <companies|workplaces|education|definition> <file> --format <fmt> [--year YYYY] [--sni-version 2007|2025]
// npm run import -- curated <file.csv|file.xlsx>   (a staff list of curated entries; --format csv|xlsx optional)
//                    [--source NAME] [--synthetic] [--json]
// npm run import -- statistics <file> --format json-stat|csv [--table ID] [--source TEXT] [--json]
// Progress on stderr; a summary (or with --json one JSON object) on stdout. Exit code 0 on success, 1 on failure.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openCliDb } from './cli-db.js'
import { loadDefinition } from '../server/definitions/load.js'
import { bumpDataVersion } from '../server/meta/data-version.js'
import { checkKindFormat, ImportError, runImport, type ImportFormat, type Progress } from '../server/ingest/run-import.js'
import { recoverAbortedImports } from '../server/ingest/journal.js'
import { IMPORT_KINDS, describeImports } from '../server/ingest/formats/index.js'
import { checkStatisticsFormat, runStatisticsImport, STATISTICS_FORMATS } from '../server/statistics/import.js'

const USAGE = `usage: npm run import -- <${IMPORT_KINDS.join('|')}|definition> <file> --format <format> [--year YYYY] [--sni-version 2007|2025] ` +
  `[--source NAME] [--synthetic] [--json]\n  formats: ${describeImports()}\n` +
  `       npm run import -- statistics <file> --format <${STATISTICS_FORMATS.join('|')}> [--table ID] [--source TEXT] [--json]`

function progressBar (p: Progress, started: number): string {
  const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0
  const secs = (Date.now() - started) / 1000
  const rate = secs > 0 ? p.rows / secs : 0
  const eta = frac > 0.01 ? secs / frac - secs : NaN
  const width = 30
  const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░')
  return `\r${bar} ${(frac * 100).toFixed(0).padStart(3)}%  ${p.rows.toLocaleString('sv-SE')} rows  ${Math.round(rate).toLocaleString('sv-SE')} rows/s  ETA ${Number.isFinite(eta) ? `${Math.ceil(eta)} s` : '…'}   `
}

async function main () {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string' }, table: { type: 'string' }, year: { type: 'string' }, 'sni-version': { type: 'string' }, source: { type: 'string' },
      synthetic: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
  })
  if (values.help || positionals.length !== 2) { process.stderr.write(`${USAGE}\n`); process.exit(values.help ? 0 : 2) }
  const [kind, file] = positionals
  const year = values.year ? Number(values.year) : undefined
  if (year !== undefined && !(Number.isInteger(year) && year >= 1900 && year <= 2100)) throw new Error('--year must be a year like 2025')
  const sniVersion = values['sni-version']
  if (sniVersion && !['2007', '2025', 'auto'].includes(sniVersion)) throw new Error('--sni-version must be 2007, 2025 or auto')
  // a staff list of curated entries: the format follows from the file (XLSX or a CSV)
  if (kind === 'curated' && !values.format) values.format = /\.xlsx$/i.test(file) ? 'xlsx' : 'csv'
  if (kind !== 'definition') {
    if (!values.format) throw new Error(`--format is required\n${USAGE}`)
    if (kind === 'statistics') checkStatisticsFormat(values.format)
    else checkKindFormat(kind, values.format)
  }
  const quietLog = (m: string) => { if (!values.json) process.stderr.write(`${m}\n`) }
  const { db, config } = await openCliDb(quietLog)
  try {
    if (kind === 'definition') {
      const r = await db.transaction(async (tx) => { const out = await loadDefinition(tx, path.resolve(file)); await bumpDataVersion(tx); return out })
      process.stdout.write(values.json ? `${JSON.stringify(r)}\n` : `definition ${r.id}: ${r.groups} groups, ${r.categories} categories, codes ${JSON.stringify(r.codes)}\n`)
      return
    }
    if (kind === 'statistics') {
      const r = await runStatisticsImport(db, { format: values.format!, filePath: path.resolve(file), table: values.table, source: values.source, createdBy: 'cli' })
      process.stdout.write(values.json ? `${JSON.stringify(r)}\n` : [
        `import #${r.batchId}: ${r.file} → table ${r.table.id} "${r.table.title}" (${r.replaced ? 'replaced' : 'new'})`,
        `  dimensions ${r.dimensions.map((d) => `${d.id}${d.kind ? ` (${d.kind})` : ''} ×${d.categories}`).join(', ')}`,
        `  cells     ${r.cells} (${r.missing} missing)`, `  years     ${r.years.join(', ')}`, ''].join('\n'))
      return
    }
    const started = Date.now()
    const tty = process.stderr.isTTY
    let lastLine = 0
    const reportDir = path.join(config.dataDir, 'reports')
    await recoverAbortedImports(db, reportDir, quietLog) // an earlier import killed mid-way: recorded as aborted
    // Ctrl-C cancels: the transaction rolls back and the import log records the cancellation; a second Ctrl-C quits at once
    const controller = new AbortController()
    process.on('SIGINT', () => {
      if (controller.signal.aborted) process.exit(130)
      quietLog('\ncancelling (Ctrl-C again to quit at once) …')
      controller.abort('interrupted (Ctrl-C)')
    })
    const result = await runImport(db, {
      kind, format: values.format as ImportFormat, filePath: path.resolve(file), year, sniVersion: sniVersion as never,
      source: values.source, synthetic: values.synthetic, createdBy: 'cli', reportDir, limits: config.importLimits, signal: controller.signal,
      onProgress: (p) => {
        if (tty) process.stderr.write(progressBar(p, started))
        else if (Date.now() - lastLine > 1000) { lastLine = Date.now(); process.stderr.write(`${progressBar(p, started).trim()}\n`) }
      },
    })
    if (tty) process.stderr.write('\n')
    const { counts } = result
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ batchId: result.batchId, kind, format: result.format, file: result.file, year: result.year,
        sniVersion: result.sniVersion, source: result.source, ...counts, cleaned: result.cleaned, unrecorded: result.unrecorded,
        report: result.report, seconds: result.seconds })}\n`)
    } else {
      process.stdout.write([
        `import #${result.batchId}: ${result.file} (${kind}, ${result.format}, reference year ${result.year}, SNI ${result.sniVersion ?? '–'})`,
        `  read      ${counts.read}`, `  imported  ${counts.imported}`, `  updated   ${counts.updated}`, `  unchanged ${counts.unchanged}`,
        `  removed   ${counts.removed}  (no longer in this source's ${result.year} snapshot)`,
        `  rejected  ${counts.rejected}${result.report ? `  → report: ${result.report}` : ''}`,
        ...(result.unrecorded ? [`            (${result.unrecorded} past the report limit IMPORT_MAX_REPORT_MB: counted, not recorded)`] : []),
        ...(result.cleaned ? [`  cleaned   ${result.cleaned}  (kept; NUL bytes removed, noted in the report)`] : []),
        `  unplaced  ${counts.unplaced}  (kept; no kommun could be found)`, `  ${result.seconds.toFixed(1)} s`, ''].join('\n'))
    }
  } finally {
    await db.close()
  }
}

main().catch((err) => {
  process.stderr.write(`\nerror: ${(err as Error).message}\n`)
  process.exit(err instanceof ImportError && err.cancelled ? 130 : 1)
})
