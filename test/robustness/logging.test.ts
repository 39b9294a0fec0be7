// Request logs: one short line per request (method, URL with secret query values masked, status, ms) in the default
// text format, one JSON object per request with LOG_FORMAT=json; never a token or a cookie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../server/db/client.js'
import { build } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'
import { createLogger, formatLine, loggedUrl } from '../../server/logging.js'
import { ADMIN_TOKEN, openTestDb } from '../helpers/db.js'

let db: DbHandle
beforeAll(async () => { db = await openTestDb('base') })
afterAll(async () => { await db?.close().catch(() => {}) })

async function logsOf (format: 'text' | 'json', requests: Array<{ url: string; headers?: Record<string, string> }>) {
  const lines: string[] = []
  const out = { write: (s: string) => { lines.push(...s.split('\n').filter(Boolean)) } }
  const logger = createLogger({ level: 'info', format }, out)
  const app = await build({ db, logger, config: { adminToken: ADMIN_TOKEN, rateLimitPerMinute: 100_000 } })
  await app.ready()
  lines.length = 0 // start-up lines are not requests
  try {
    for (const r of requests) await app.inject(r)
  } finally {
    await app.close()
  }
  return lines
}

describe('request logs', () => {
  it('text (default): one line per request with method, URL, status and ms; secrets masked', async () => {
    const lines = await logsOf('text', [
      { url: '/api/health/live' },
      { url: '/api/regions?level=lan&access_token=hunter2secret&year=2025' },
      { url: '/api/tokens', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, cookie: 'session=cookiesecret' } },
      { url: '/no/such/route' },
    ])
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d GET \/api\/health\/live 200 \d+(\.\d)? ms$/)
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d GET \/api\/regions\?level=lan&access_token=\*\*\*&year=2025 200 \d+(\.\d)? ms$/)
    expect(lines[2]).toMatch(/ GET \/api\/tokens 200 /)
    expect(lines[3]).toMatch(/ GET \/no\/such\/route 404 /)
    const all = lines.join('\n')
    for (const secret of ['hunter2secret', ADMIN_TOKEN, 'cookiesecret']) expect(all).not.toContain(secret)
  })

  it('LOG_FORMAT=json: one JSON object per request with method, url, status, ms', async () => {
    const lines = await logsOf('json', [
      { url: '/api/health/live?token=abc' },
      { url: '/api/tokens', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    ])
    expect(lines).toHaveLength(2)
    const [a, b] = lines.map((l) => JSON.parse(l))
    expect(a).toMatchObject({ level: 30, msg: 'request', method: 'GET', url: '/api/health/live?token=***', status: 200 })
    expect(typeof a.ms).toBe('number')
    expect(b).toMatchObject({ msg: 'request', url: '/api/tokens', status: 200 })
    expect(lines.join('\n')).not.toContain(ADMIN_TOKEN)
  })
})

describe('log format', () => {
  it('masks the values of secret-looking query parameters only', () => {
    expect(loggedUrl('/api/actors?q=ab&limit=5')).toBe('/api/actors?q=ab&limit=5')
    expect(loggedUrl('/x?api_key=1&Password=2&sessionId=3&keyword=4&q=%zz'))
      .toBe('/x?api_key=***&Password=***&sessionId=***&keyword=***&q=%zz')
    expect(loggedUrl('/x?%74oken=1')).toBe('/x?%74oken=***') // an escaped name is decoded before the test
    expect(loggedUrl('/x')).toBe('/x')
  })

  it('writes events as one line with their fields, errors with their stack, and the start message apart', () => {
    const time = new Date(2026, 0, 2, 3, 4, 5).getTime()
    expect(formatLine(JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', msg: 'database ready', driver: 'pglite' })))
      .toBe('03:04:05 database ready driver=pglite\n')
    expect(formatLine(JSON.stringify({ level: 40, time, msg: 'web/dist is missing', reqId: 'req-1' })))
      .toBe('03:04:05 WARN web/dist is missing\n')
    const err = { message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' }
    expect(formatLine(JSON.stringify({ level: 50, time, msg: 'request failed', err })))
      .toBe('03:04:05 ERROR request failed: boom\n    at f (x.ts:1:1)\n')
    expect(formatLine(JSON.stringify({ level: 30, time, msg: 'KKB Atlas is running', banner: true })))
      .toBe('\n03:04:05 KKB Atlas is running\n\n')
    expect(formatLine('not json')).toBe('not json\n')
  })

  it('LOG_FORMAT accepts text and json and refuses anything else', () => {
    expect(loadConfig({}).logFormat).toBe('text')
    expect(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat).toBe('json')
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/)
  })
})
