// Every error leaves as { error: { code, message, details } } with the right status; 5xx hide internals.
import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'
import { ApiError } from '../errors.js'
import { isUnavailable, OUTAGE_RETRY_AFTER_S, OutageLog } from '../db/availability.js'

export default fp(async (app) => {
  // the database plugin registers after this one: look the handle up when an outage starts
  const outage = new OutageLog(() => app.dbHandle, app.log)
  app.addHook('onClose', async () => outage.close())
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) {
      if (err.headers) reply.headers(err.headers)
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details } })
    }
    if (isUnavailable(err)) {
      outage.record(err) // one log line per outage, not one stack trace per request
      return reply.code(503).header('retry-after', String(OUTAGE_RETRY_AFTER_S))
        .send({ error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unreachable; try again shortly' } })
    }
    const fe = err as FastifyError
    if (fe.validation) {
      return reply.code(400).send({ error: { code: 'VALIDATION_ERROR', message: fe.message, details: fe.validation } })
    }
    const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500
    // A statement timeout or cancelled query is the database protecting itself: tell the client to narrow the request.
    const pgCode = (err as { code?: string }).code
    // A NUL byte (or another character PostgreSQL cannot store) in a parameter is the client's input, not a server fault.
    if (pgCode === '22021' || pgCode === '22P05') {
      return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: 'a parameter contains a character that cannot be stored (e.g. a NUL byte)' } })
    }
    if (pgCode === '57014') {
      req.log.warn({ err }, 'query cancelled (statement timeout)')
      return reply.code(503).send({ error: { code: 'QUERY_TIMEOUT', message: 'the query took too long; narrow the filters' } })
    }
    if (status >= 500) {
      req.log.error({ err }, 'request failed')
      return reply.code(status).send({ error: { code: 'INTERNAL', message: 'internal server error' } })
    }
    return reply.code(status).send({ error: { code: fe.code || 'BAD_REQUEST', message: fe.message } })
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } })
  })
}, { name: 'errors' })
