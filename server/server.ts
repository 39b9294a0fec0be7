// Entry point: open the database, load reference/demo data on first start, then build the app and listen.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import closeWithGrace from 'close-with-grace'
import { build } from './app.js'
import { bootstrap } from './bootstrap.js'
import { loadConfig } from './config.js'
import { openDb } from './db/client.js'
import { createLogger } from './logging.js'

const config = loadConfig()
// short text lines, or JSON with LOG_FORMAT=json; tokens never reach the logs (logging.ts)
const logger = createLogger({ level: config.logLevel, format: config.logFormat })
const lock = path.join(config.dataDir, 'server.pid')
if (!config.databaseUrl) {
  // The embedded database has one connection: the CLI checks this file and asks to stop the server first.
  mkdirSync(config.dataDir, { recursive: true })
  writeFileSync(lock, String(process.pid))
  logger.info(`opening the embedded database in ${path.join(config.dataDir, 'pglite')} (the first start loads PostGIS: ~20 s)`)
} else {
  logger.info('connecting to PostgreSQL (DATABASE_URL)')
}
const db = await openDb({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite'), statementTimeoutMs: config.statementTimeoutMs,
  log: (m) => logger.info(m) })
await bootstrap(db, { seedDemo: config.seedDemo, demo: config.demo, dataDir: config.dataDir, log: (m) => logger.info(m) })
const app = await build({ config, db, web: true, logger })

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
  await db.close()
  rmSync(lock, { force: true })
})

await app.listen({ port: config.port, host: config.host })
app.log.info({ banner: true }, `KKB Atlas is running: http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/  (API docs: /docs)`)
