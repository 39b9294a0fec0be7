// Load test of a running KKB Atlas server with autocannon: key figures, the actor list, name search and (when the
// route exists) an actor vector tile, one endpoint after the other, 50 concurrent connections each.
//
//   npx tsx scripts/load-test.ts [--url http://127.0.0.1:3000] [--duration 30] [--connections 50] [--timeout 60]
//   npx tsx scripts/load-test.ts --mixed --stalled 1 --duration 60 --connections 20
//
// --mixed: every connection cycles through all endpoints at once (one result line) instead of one endpoint after the other.
// --stalled N: N clients each open a CSV export of every actor and never read it, for the whole run (a new one every
// 20 s, as the server cuts a stalled export off after EXPORT_STALL_MS): the load must not notice them.
//
// Prints requests/s (mean), p50/p99 latency, and errors/timeouts/non-2xx per endpoint; exits 1 when any request failed.
// --timeout is per request (s): at 50 connections a request waits behind the 49 others, so a 0.5 s answer has ~25 s latency.
// Between endpoints the script waits until the server has finished the requests autocannon abandoned at the end.
// The server's public rate limit applies to the load (all from one address): start it with RATE_LIMIT_PER_MINUTE high
// (the maximum, 1000000), e.g.
//   DATABASE_URL=postgres://… SEED_DEMO=true PORT=3401 DATA_DIR=/tmp/kkb-load RATE_LIMIT_PER_MINUTE=1000000 npx tsx server/server.ts
// test/robustness/load.test.ts runs the same code for a few seconds per endpoint against an in-process server.
import net from 'node:net'
import { pathToFileURL } from 'node:url'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'

export interface Endpoint { name: string; path: string }
export interface EndpointResult {
  name: string; path: string; requests: number; rps: number; p50: number; p99: number; max: number
  errors: number; timeouts: number; non2xx: number; statusCodes: Record<string, number>
}
export interface LoadOptions {
  duration: number; connections: number; timeout?: number
  /** a fixed number of requests instead of a duration */
  amount?: number
}

export const TILE_PATH = '/api/tiles/actors/6/34/18.mvt'

/** The endpoints to load; the name-search word comes from the data, the tile only when the server has the route. */
export async function discoverEndpoints (baseUrl: string): Promise<Endpoint[]> {
  const first = await fetch(`${baseUrl}/api/actors?kkb=true&limit=1`)
  if (!first.ok) throw new Error(`GET /api/actors answered ${first.status}: is the server running with data?`)
  const item = ((await first.json()) as { items: Array<{ name: string }> }).items[0]
  const word = (item?.name ?? 'Film').split(/\s+/).find((w) => w.length >= 4) ?? 'Film'
  const endpoints: Endpoint[] = [
    { name: 'key figures', path: '/api/key-figures?level=kommun&branch=category' },
    { name: 'actor list', path: '/api/actors?kkb=true&limit=100' },
    { name: 'name search', path: `/api/actors?q=${encodeURIComponent(word)}&limit=20` },
  ]
  const tile = await fetch(`${baseUrl}${TILE_PATH}`)
  await tile.arrayBuffer()
  if (tile.status !== 404) endpoints.push({ name: 'actor tile z6', path: TILE_PATH })
  return endpoints
}

export async function loadEndpoint (baseUrl: string, ep: Endpoint, o: LoadOptions): Promise<EndpointResult> {
  const r = await autocannon({ url: `${baseUrl}${ep.path}`, connections: o.connections, timeout: o.timeout ?? 10, ...(o.amount ? { amount: o.amount } : { duration: o.duration }) })
  const statusCodes: Record<string, number> = {}
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = v.count
  return {
    name: ep.name, path: ep.path, requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, statusCodes,
  }
}

/**
 * Waits until the server answers the liveness probe quickly again: requests still in flight when autocannon stops are
 * abandoned by the client but still computed by the server, and would otherwise slow down the next endpoint's run.
 */
export async function waitForDrain (baseUrl: string, maxMs = 120_000): Promise<number> {
  const start = Date.now()
  while (Date.now() - start < maxMs) {
    const t0 = Date.now()
    await (await fetch(`${baseUrl}/api/health/live`)).arrayBuffer()
    if (Date.now() - t0 < 50) break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return Date.now() - start
}

export async function runLoad (baseUrl: string, endpoints: Endpoint[], o: LoadOptions, log?: (r: EndpointResult) => void): Promise<EndpointResult[]> {
  const out: EndpointResult[] = []
  for (const ep of endpoints) {
    await waitForDrain(baseUrl)
    const r = await loadEndpoint(baseUrl, ep, o)
    log?.(r)
    out.push(r)
  }
  return out
}

export async function loadMixed (baseUrl: string, endpoints: Endpoint[], o: LoadOptions): Promise<EndpointResult> {
  const all: Endpoint = { name: 'mixed', path: endpoints.map((e) => e.path).join(' | ') }
  const r = await autocannon({ url: baseUrl, connections: o.connections, timeout: o.timeout ?? 10, duration: o.duration,
    requests: endpoints.map((e) => ({ method: 'GET', path: e.path })) })
  const statusCodes: Record<string, number> = {}
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = v.count
  return {
    name: all.name, path: all.path, requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, statusCodes,
  }
}

export const STALLED_EXPORT_PATH = '/api/actors?format=geojson&status=all' // the largest export: more than socket buffers hold

/**
 * A client that opens an export and stops reading after the response head (TCP backpressure reaches the server).
 * stop() resumes reading and tells whether the server had cut the export off (the connection ends without the body's
 * last chunk), the whole export had fitted into the socket buffers (it ends with it), or the server was still sending.
 */
export type StalledEnd = 'cut off' | 'complete' | 'still sending'
export function stalledExport (baseUrl: string, path = STALLED_EXPORT_PATH): Promise<{ status: number; stop(): Promise<StalledEnd> }> {
  const u = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port || 80), u.hostname)
    const closed = new Promise<void>((r) => socket.once('close', () => r()))
    let head = ''
    socket.on('error', () => {})
    socket.once('error', reject)
    socket.on('data', function onHead (c: Buffer) {
      head += c.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onHead)
      socket.pause()
      resolve({
        status: Number(head.slice(9, 12)),
        async stop () {
          let tail = ''
          socket.on('data', (d: Buffer) => { tail = (tail + d.toString('latin1')).slice(-16) })
          socket.resume()
          const ended = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))])
          socket.destroy()
          return tail.endsWith('\r\n0\r\n\r\n') ? 'complete' : ended ? 'cut off' : 'still sending'
        },
      })
    })
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`))
  })
}

export const formatResult = (r: EndpointResult) =>
  `${r.name.padEnd(14)} ${r.rps.toFixed(1).padStart(8)} req/s  p50 ${String(r.p50).padStart(5)} ms  p99 ${String(r.p99).padStart(5)} ms  ` +
  `max ${String(r.max).padStart(5)} ms  n=${r.requests}  errors ${r.errors}  timeouts ${r.timeouts}  non-2xx ${r.non2xx}  ${r.path}`

async function main () {
  const { values } = parseArgs({ options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' }, duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' }, timeout: { type: 'string', default: '60' },
    mixed: { type: 'boolean', default: false }, stalled: { type: 'string', default: '0' },
  } })
  const baseUrl = values.url!.replace(/\/$/, '')
  const o: LoadOptions = { duration: Number(values.duration), connections: Number(values.connections), timeout: Number(values.timeout) }
  const endpoints = await discoverEndpoints(baseUrl)
  const health = await (await fetch(`${baseUrl}/api/health`)).json() as { database?: string; dataVersion?: number }
  const stalledCount = Number(values.stalled)
  process.stdout.write(`load test of ${baseUrl} (${health.database ?? '?'}, data version ${health.dataVersion ?? '?'}): ` +
    `${o.connections} connections, ${o.duration} s ${values.mixed ? 'of mixed load' : 'per endpoint'}, timeout ${o.timeout} s` +
    `${stalledCount ? `, ${stalledCount} stalled export client(s)` : ''}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`)
  // stalled clients: opened before the load and renewed every 20 s, so one is always waiting on the server
  const stalled: Array<Awaited<ReturnType<typeof stalledExport>>> = []
  const openStalled = async () => { for (let i = 0; i < stalledCount; i++) stalled.push(await stalledExport(baseUrl)) }
  await openStalled()
  const renew = stalledCount ? setInterval(() => { openStalled().catch(() => {}) }, 20_000) : undefined
  renew?.unref()
  const results = values.mixed ? [await loadMixed(baseUrl, endpoints, o)] : await runLoad(baseUrl, endpoints, o)
  for (const r of results) process.stdout.write(formatResult(r) + '\n')
  clearInterval(renew)
  if (stalled.length) {
    const ends = await Promise.all(stalled.map((s) => s.stop()))
    const n = (e: StalledEnd) => ends.filter((x) => x === e).length
    process.stdout.write(`stalled exports: ${stalled.length} opened (HTTP ${stalled.map((s) => s.status).join(', ')}); at the end ` +
      `${n('cut off')} cut off by the server, ${n('still sending')} still being sent, ${n('complete')} complete (fitted in the socket buffers)\n`)
  }
  const failed = results.some((r) => r.errors || r.timeouts || r.non2xx)
  if (failed) process.stdout.write('FAILED: some requests errored, timed out or were not 2xx\n')
  process.exitCode = failed ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
