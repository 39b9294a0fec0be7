// The server's logger: pino, written as short human-readable lines by default or as pino's JSON lines with
// LOG_FORMAT=json (for a log collector). Tokens and cookies never reach either: headers are redacted, request lines
// carry only method, path, masked query, status and time.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import pino, { type DestinationStream, type Logger } from 'pino'

export type LogFormat = 'text' | 'json'

/** Query parameters whose values are masked in request lines (none is used by the API today; a client may still send one). */
const SECRET_PARAM = /token|key|secret|pass|auth|session|cookie|signature/i

/** The request URL as logged: the path, and the query with the value of every secret-looking parameter masked. */
export function loggedUrl (url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const masked = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    let decoded = name
    try { decoded = decodeURIComponent(name) } catch { /* a malformed escape: test the raw name */ }
    return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=***` : pair
  })
  return `${url.slice(0, q)}?${masked.join('&')}`
}

/** Fastify's per-request logging, as one line when the request is answered (Fastify's default writes two: "incoming
 *  request" with the headers and "request completed"): method, URL with secrets masked, status and milliseconds. */
export class OneLinePerRequest extends LogController {
  incomingRequest () {}

  requestCompleted (error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply) {
    const line = { method: req.method, url: loggedUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }
    if (error) reply.log.error({ ...line, err: error }, 'request')
    else reply.log.info(line, 'request')
  }
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
/** Bindings every line carries that a reader at a terminal does not need. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'banner'])

function clock (ms: number): string {
  const d = new Date(ms)
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
}

function fieldValue (v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v
  return JSON.stringify(v)
}

/** One pino JSON line as the text format writes it: `12:03:04 GET /api/regions?level=lan 200 4 ms`,
 *  `12:03:01 database ready driver=pglite`, `12:03:09 ERROR request failed: <message>` and the stack below. */
export function formatLine (json: string): string {
  let o: Record<string, unknown>
  try { o = JSON.parse(json) } catch { return json.endsWith('\n') ? json : `${json}\n` }
  const level = typeof o.level === 'number' ? o.level : 30
  const head = `${clock(typeof o.time === 'number' ? o.time : Date.now())} ${level === 30 ? '' : `${LEVELS[level] ?? level} `}`
  if (o.msg === 'request' && typeof o.method === 'string') {
    const err = o.err as { message?: string } | undefined
    return `${head}${o.method} ${o.url} ${o.status} ${o.ms} ms${err?.message ? ` (${err.message})` : ''}\n`
  }
  // the start message stands apart so it is not lost among the start-up lines
  if (o.banner) return `\n${head}${o.msg}\n\n`
  const err = o.err as { message?: string; stack?: string } | undefined
  const fields = Object.entries(o).filter(([k]) => !HIDDEN.has(k) && k !== 'err').map(([k, v]) => `${k}=${fieldValue(v)}`)
  let line = `${head}${o.msg ?? ''}${err?.message ? `: ${err.message}` : ''}${fields.length ? ` ${fields.join(' ')}` : ''}\n`
  if (err?.stack) line += `${err.stack.split('\n').slice(1).join('\n')}\n`
  return line
}

/** A pino destination that writes each JSON line to `out` as text. */
export function textDestination (out: { write (s: string): unknown } = process.stdout): DestinationStream {
  return { write: (chunk: string) => { for (const l of chunk.split('\n')) if (l) out.write(formatLine(l)) } }
}

export function createLogger (opts: { level: string; format: LogFormat }, out?: { write (s: string): unknown }): Logger {
  const options = {
    level: opts.level,
    // tokens never reach the logs: whatever logs a request or its headers gets these removed
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'res.headers["set-cookie"]'],
  }
  if (opts.format === 'json') return out ? pino(options, out as DestinationStream) : pino(options)
  return pino(options, textDestination(out))
}
