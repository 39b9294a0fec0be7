// The retention rules for promoters' notes (NOTES_RETENTION_DAYS) and for the register's change log
// (CHANGE_LOG_RETENTION_DAYS, promoter/segments.ts): applied once the app is ready and then hourly, so nothing outlives
// its period by more than an hour whether or not anyone opens it. A failed run is logged (never the notes) and retried
// at the next tick; it never stops the server.
import fp from 'fastify-plugin'
import { purgeNotes } from '../promoter/notes.js'
import { pruneChangeLog } from '../promoter/segments.js'

const HOUR_MS = 3_600_000

export default fp(async (app) => {
  const run = async () => {
    try {
      const n = await purgeNotes(app.dbHandle, app.config.notesRetentionDays)
      if (n) app.log.info(`notes retention: ${n} note(s) older than ${app.config.notesRetentionDays} days deleted`)
    } catch (err) {
      app.log.warn(`notes retention run failed: ${(err as Error).message}`)
    }
    try {
      const { horizon, deleted } = await pruneChangeLog(app.dbHandle, app.config.changeLogRetentionDays)
      if (deleted) app.log.info(`change log retention: ${deleted} row(s) of the imports up to #${horizon} (older than ${app.config.changeLogRetentionDays} days) deleted`)
    } catch (err) {
      app.log.warn(`change log retention run failed: ${(err as Error).message}`)
    }
  }
  let timer: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    await run()
    timer = setInterval(() => { void run() }, HOUR_MS)
    timer.unref()
  })
  app.addHook('onClose', async () => { clearInterval(timer) })
}, { name: 'retention', dependencies: ['db'] })
