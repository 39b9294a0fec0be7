// The retention rule for promoters' notes (NOTES_RETENTION_DAYS): applied once the app is ready and then hourly, so a
// note never outlives its period by more than an hour whether or not anyone opens it. A failed run is logged (never the
// notes) and retried at the next tick; it never stops the server.
import fp from 'fastify-plugin'
import { purgeNotes } from '../promoter/notes.js'

const HOUR_MS = 3_600_000

export default fp(async (app) => {
  const run = async () => {
    try {
      const n = await purgeNotes(app.dbHandle, app.config.notesRetentionDays)
      if (n) app.log.info(`notes retention: ${n} note(s) older than ${app.config.notesRetentionDays} days deleted`)
    } catch (err) {
      app.log.warn(`notes retention run failed: ${(err as Error).message}`)
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
