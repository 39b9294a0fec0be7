// Opens the same database the server uses, for the command-line tools. The embedded database has a single
// connection, so the CLI refuses to open it while a server holds it (DATA_DIR/server.pid names a live process).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig, type Config } from '../server/config.js'
import { openDb, type DbHandle } from '../server/db/client.js'
import { seedReference } from '../server/reference/seed-reference.js'
import { seedDefinitions } from '../server/definitions/load.js'

function alive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM' }
}

export async function openCliDb (log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<{ db: DbHandle; config: Config }> {
  const config = loadConfig()
  if (!config.databaseUrl) {
    const lock = path.join(config.dataDir, 'server.pid')
    if (existsSync(lock)) {
      const pid = Number(readFileSync(lock, 'utf8'))
      if (pid && pid !== process.pid && alive(pid)) {
        throw new Error(`the embedded database in ${config.dataDir} is held by a running server (pid ${pid}). ` +
          'Stop it first, or import through the API: POST /api/imports with the admin token.')
      }
    }
  }
  const db = await openDb({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite'), log })
  await seedReference(db, log)
  await seedDefinitions(db, log)
  return { db, config }
}
