// Database outages: an error that says the database cannot be reached (as opposed to a bad query) is answered with
// 503 and Retry-After, logged once when the outage starts and once when a probe finds the database back. Nothing has
// to restart: pg's pool opens new connections on the next request, so recovery is simply the next query succeeding.
import type { FastifyBaseLogger } from 'fastify'
import type { DbHandle } from './client.js'

/** Seconds a client is asked to wait (Retry-After) while the database is unreachable. */
export const OUTAGE_RETRY_AFTER_S = 5

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
// SQLSTATE class 08 (connection exception), admin/crash shutdown, cannot connect now (starting up), too many connections
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])
// node-postgres and PGlite report these without a code
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed/

export function isUnavailable (err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  const e = err as { code?: unknown; message?: unknown; errors?: unknown }
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATES.has(e.code) || /^08...$/.test(e.code))) return true
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true
  return Array.isArray(e.errors) && e.errors.some(isUnavailable) // AggregateError: every address refused
}

export class OutageLog {
  private since: number | undefined
  private refused = 0
  private timer: NodeJS.Timeout | undefined

  constructor (private db: () => Pick<DbHandle, 'query'>, private log: FastifyBaseLogger, private probeMs = 2000) {}

  get down (): boolean { return this.since !== undefined }

  /** One refused request; the first of an outage writes the log line and starts probing for the way back. */
  record (err: unknown): void {
    this.refused++
    if (this.since !== undefined) return
    this.since = Date.now()
    this.refused = 1
    this.log.error(`database unreachable (${(err as Error).message}): answering 503 until it is back`)
    this.schedule()
  }

  close (): void { clearTimeout(this.timer) }

  private schedule (): void {
    this.timer = setTimeout(() => {
      this.db().query('SELECT 1').then(() => {
        this.log.info(`database reachable again after ${((Date.now() - this.since!) / 1000).toFixed(0)} s; ${this.refused} requests were refused`)
        this.since = undefined
      }, () => this.schedule())
    }, this.probeMs)
    this.timer.unref()
  }
}

/** The PostGIS library version: a trivial query the readiness probe uses to see that the database answers with PostGIS. */
export async function postgisVersion (db: Pick<DbHandle, 'query'>): Promise<string> {
  return (await db.query<{ v: string }>('SELECT postgis_lib_version() AS v')).rows[0].v
}
