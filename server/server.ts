// Entry point: build the app, load reference/demo data on first start, listen, close gracefully.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import closeWithGrace from 'close-with-grace'
import { build } from './app.js'
import { bootstrap } from './bootstrap.js'
import { loadConfig } from './config.js'

const config = loadConfig()
const app = await build({
  config,
  web: true,
  logger: {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie'], // tokens never reach the logs
  },
})
const lock = path.join(config.dataDir, 'server.pid')
if (app.dbHandle.driver === 'pglite') {
  // The embedded database has one connection: the CLI checks this file and asks to stop the server first.
  mkdirSync(config.dataDir, { recursive: true })
  writeFileSync(lock, String(process.pid))
}
await bootstrap(app.dbHandle, { seedDemo: config.seedDemo && !config.databaseUrl ? true : config.seedDemo && process.env.SEED_DEMO === 'true', dataDir: config.dataDir, log: (m) => app.log.info(m) })

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
  rmSync(lock, { force: true })
})

await app.listen({ port: config.port, host: config.host })
app.log.info(`KKB Atlas on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/ (API docs at /docs)`)
