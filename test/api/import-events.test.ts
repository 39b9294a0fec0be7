// An import started over HTTP without waiting (wait=false → 202 with its id) and followed as server-sent events until it
// ends; the progress is read from import_progress, so a second app instance on the same database serves the same stream.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
let other: FastifyInstance
let dataDir: string
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }

beforeAll(async () => {
  db = await openTestDb('base')
  dataDir = mkdtempSync(path.join(tmpdir(), 'kkb-events-'))
  app = await buildTestApp(db, { dataDir })
  other = await buildTestApp(db, { dataDir: mkdtempSync(path.join(tmpdir(), 'kkb-events-2-')) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  await other.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => { await app?.close(); await other?.close(); await db?.close(); rmSync(dataDir, { recursive: true, force: true }) })

const base = (a: FastifyInstance) => { const addr = a.server.address() as { port: number }; return `http://127.0.0.1:${addr.port}` }

/** Reads a text/event-stream to its end: [event, data] pairs. */
async function events (url: string): Promise<Array<[string, Record<string, unknown>]>> {
  const res = await fetch(url, { headers: admin })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const text = await res.text()
  return text.split('\n\n').filter(Boolean).map((block) => {
    const ev = /^event: (.*)$/m.exec(block)![1]
    const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]) as Record<string, unknown>
    return [ev, data]
  })
}

/** A valid organisation number: 9 digits and the Luhn check digit. */
function orgnr (nine: number): string {
  const d = String(nine).padStart(9, '0')
  let sum = 0
  for (let i = 0; i < 9; i++) { let v = Number(d[i]) * (i % 2 === 0 ? 2 : 1); if (v > 9) v -= 9; sum += v }
  return d + String((10 - (sum % 10)) % 10)
}

function companiesCsv (n: number, bad: number): string {
  const lines = ['orgnr;name;legal_form;sni1;kommun;employees']
  for (let i = 0; i < n; i++) {
    const nr = orgnr(556000000 + i)
    lines.push(`${nr};Eventbolaget ${i} AB;49;90010;0880;${i % 40}`)
  }
  for (let i = 0; i < bad; i++) lines.push(`not-an-orgnr-${i};Trasig rad;49;90010;0880;1`)
  return lines.join('\n') + '\n'
}

describe('import progress as server-sent events', () => {
  it('wait=false answers 202 with the id; the events end with the counts; a second instance serves the same stream', { timeout: 180_000 }, async () => {
    const res = await fetch(`${base(app)}/api/imports?kind=companies&format=csv&year=2025&source=events&wait=false&fileName=events.csv`,
      { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: companiesCsv(2_000, 3) })
    expect(res.status).toBe(202)
    const started = await res.json() as { id: number; status: string; events: string }
    expect(started).toMatchObject({ status: 'running', events: `/api/imports/${started.id}/events` })
    const seen = await events(`${base(app)}${started.events}`)
    const end = seen[seen.length - 1]
    expect(end[0]).toBe('end')
    expect(end[1]).toMatchObject({ id: started.id, status: 'done', fraction: 1, etaSeconds: 0, fileName: 'events.csv' })
    expect(end[1].counts).toMatchObject({ read: 2_003, imported: 2_000, rejected: 3 })
    expect(end[1].rowsPerSecond).toBeGreaterThan(0)
    for (const [ev, data] of seen.slice(0, -1)) {
      expect(ev).toBe('progress')
      expect(data.status).toBe('running')
    }
    const rows = seen.map(([, d]) => d.rows as number)
    expect([...rows].sort((a, b) => a - b)).toEqual(rows) // never goes back
    // the journal row every instance reads
    const { rows: journal } = await db.query<{ status: string; rows: string }>('SELECT status, rows::text FROM import_progress WHERE batch_id = $1', [started.id])
    expect(journal[0]).toMatchObject({ status: 'done', rows: '2003' })
    const fromOther = await events(`${base(other)}${started.events}`)
    expect(fromOther).toHaveLength(1)
    expect(fromOther[0][1]).toMatchObject({ status: 'done', counts: { imported: 2_000 } })
    // the import log has it with its counts and its report
    const log = await (await fetch(`${base(other)}/api/imports?limit=5`, { headers: admin })).json() as Array<{ id: number; counts: Record<string, number> }>
    expect(log.find((l) => l.id === started.id)?.counts).toMatchObject({ imported: 2_000, rejected: 3 })
    const report = await fetch(`${base(app)}/api/imports/${started.id}/errors`, { headers: admin })
    expect((await report.text()).split('\n').filter((l) => l.includes('not-an-orgnr'))).toHaveLength(3)
  })

  it('a failed import ends its stream with status failed; unknown ids are 404; the public gets 401', async () => {
    const res = await fetch(`${base(app)}/api/imports?kind=companies&format=csv&year=2025&wait=false`,
      { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: 'namn;x\n1;2\n' })
    expect([202, 422]).toContain(res.status) // a file refused before it has an id fails at once
    if (res.status === 202) {
      const { events: url } = await res.json() as { events: string }
      const seen = await events(`${base(app)}${url}`)
      expect(seen[seen.length - 1][1].status).toBe('failed')
    }
    expect((await fetch(`${base(app)}/api/imports/999999/events`, { headers: admin })).status).toBe(404)
    expect((await fetch(`${base(app)}/api/imports/1/events`)).status).toBe(401)
  })
})
