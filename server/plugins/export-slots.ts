// Exports are the long requests: each client (IP for the public role, the token otherwise) may run only a few at a
// time, so one client cannot occupy the server with parallel downloads. A slot is freed when the response ends or the
// connection closes, whichever comes first.
import fp from 'fastify-plugin'
import type { FastifyReply } from 'fastify'
import { retryLater } from '../errors.js'

declare module 'fastify' {
  interface FastifyReply {
    /** Takes one of the client's export slots for this response, or throws 429 with Retry-After. */
    exportSlot(): void
  }
}

/** Seconds a client is asked to wait before starting another export. */
const RETRY_AFTER_S = 10

export default fp(async (app) => {
  const running = new Map<string, number>()
  app.decorateReply('exportSlot', function (this: FastifyReply) {
    const p = this.request.principal
    const client = p && p.role !== 'public' ? `token:${p.who}` : `ip:${this.request.ip}`
    const max = app.config.exportsPerClient
    const n = running.get(client) ?? 0
    if (n >= max) {
      throw retryLater(429, 'TOO_MANY_EXPORTS', `at most ${max} exports at a time per client; start the next one when one has finished`, RETRY_AFTER_S)
    }
    running.set(client, n + 1)
    this.raw.once('close', () => {
      const left = (running.get(client) ?? 1) - 1
      if (left > 0) running.set(client, left)
      else running.delete(client)
    })
  })
}, { name: 'export-slots', dependencies: ['auth'] })
