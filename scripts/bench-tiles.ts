// Tile benchmark against PostgreSQL (DATABASE_URL):
//  1. for tiles at z5–14 over the data present (the densest and some typical non-empty tiles per zoom), time our tile
//     generation on a cache miss (feature SQL + ST_AsMVT + gzip) against the plain Martin-style ST_AsMVT query for the
//     same tile and filters (no clustering): ratio, target ≤ 1.3×;
//  2. warm-cache throughput with autocannon against a server on loopback (target ≥ 1000 tiles/s).
// `benchTiles(opts)` returns a JSON object for a bench runner; the CLI prints a table and the JSON.
//   DATABASE_URL=postgres://… npx tsx scripts/bench-tiles.ts [--url http://127.0.0.1:3301] [--duration 10] [--connections 32] [--runs 5] [--zooms 5,6,…,14]
// Without --url a server is started as a child process on a free loopback port (never 3000/3111) and stopped after.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDb, isPostgresUrl } from '../server/db/client.js'
import type { ActorFilters } from '../server/actors/filters.js'
import { resolveDefinition } from '../server/definitions/queries.js'
import { packTile } from '../server/tiles/cache.js'
import { TileService } from '../server/tiles/service.js'
import { Params } from '../server/db/sql.js'
import { fromWhere } from '../server/actors/queries.js'
import { geomColumn } from '../server/actors/filters.js'
import { BUFFER, envelope4326, EXTENT, MAX_FEATURES, tileOf } from '../server/tiles/tile-math.js'

export interface BenchTilesOptions {
  databaseUrl?: string
  /** a running server to load (http://127.0.0.1:PORT); default: start one as a child process */
  baseUrl?: string
  zooms?: number[]
  /** densest tiles per zoom (plus `typicalPerZoom` tiles around the median count) */
  densestPerZoom?: number
  typicalPerZoom?: number
  /** timed runs per tile and method (median is kept) */
  runs?: number
  connections?: number
  durationSec?: number
  log?: (line: string) => void
}

/** per tile (medians): SQL = query + encoding (ST_AsMVT), gzip = compressing that tile for the cache / the wire */
export interface TileTiming {
  z: number; x: number; y: number; actors: number; features: number; bytes: number; gzBytes: number; rawBytes: number
  oursSqlMs: number; oursGzipMs: number; rawSqlMs: number; rawGzipMs: number; oursMs: number; rawMs: number; ratio: number; sqlRatio: number
}
export interface BenchTilesResult {
  database: string
  renderer: string
  filters: ActorFilters
  actors: number
  tiles: TileTiming[]
  perZoom: Array<{
    z: number; tiles: number; oursMs: number; rawMs: number; ratio: number; sqlRatio: number; features: number; gzBytes: number; rawBytes: number
  }>
  /** ours = feature SQL + ST_AsMVT + gzip; raw = plain ST_AsMVT query + gzip of its tile (both would be served compressed) */
  generation: { oursMs: number; rawMs: number; ratio: number; sqlRatio: number; worstZoomRatio: number; target: number; ok: boolean }
  loadAverage: number[]
  throughput: {
    url: string; tiles: number; connections: number; durationSec: number; reqPerSec: number; latencyP50Ms: number; latencyP99Ms: number
    non2xx: number; errors: number; mbPerSec: number; target: number; ok: boolean
  }
}

// autocannon ships no types; this is the part used here
interface AutocannonResult {
  requests: { average: number }; latency: { p50: number; p99: number }; throughput: { average: number }
  non2xx: number; errors: number; timeouts: number
}
type Autocannon = (o: { url: string; connections: number; duration: number; headers: Record<string, string>;
  requests: Array<{ method: 'GET'; path: string }> }) => Promise<AutocannonResult>

/**
 * Martin-style baseline for the bench: one plain ST_AsMVT table-source query writing the same point features (same
 * properties, feature id = actor id) for every zoom — no clustering, no exact buffer cut, no ordering —, with
 * `geom && <4326 tile bbox>` + LIMIT. Bench only (the server's queries are in server/tiles/sql.ts).
 */
function rawActorMvt (f: ActorFilters, z: number, x: number, y: number): { text: string; values: unknown[] } {
  const ps = new Params()
  const geom = geomColumn(f.kind)
  const branch = f.kind !== 'education'
  const [w, s, e, n] = envelope4326(z, x, y, BUFFER)
  const fw = fromWhere(f, ps)
  const text = `SELECT ST_AsMVT(q, 'actors', ${EXTENT}, 'geom', 'fid') AS mvt FROM (
      SELECT t.id AS fid, t.id, ${ps.p(f.kind)}::text AS kind, coalesce(${branch ? 'b.grp' : 'NULL::text'}, '') AS "group",
        coalesce(${branch ? 'b.category' : 'NULL::text'}, '') AS category, t.name, coalesce(t.location_precision, '') AS precision,
        ST_AsMVTGeom(ST_Transform(${geom}, 3857), ST_TileEnvelope(${ps.p(z)}::int, ${ps.p(x)}::int, ${ps.p(y)}::int), ${EXTENT}, ${BUFFER}, true) AS geom
      ${fw} AND ${geom} && ST_MakeEnvelope(${ps.p(w)}, ${ps.p(s)}, ${ps.p(e)}, ${ps.p(n)}, 4326) LIMIT ${MAX_FEATURES}) q`
  return { text, values: ps.values }
}

const loadAutocannon = async (): Promise<Autocannon> => (await import('autocannon' as string)).default as Autocannon

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => (port === 3000 || port === 3111 ? freePort().then(resolve, reject) : resolve(port)))
    })
  })
}

async function startServer (databaseUrl: string, log: (l: string) => void): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/server.ts')], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn', DATA_DIR: path.join('/tmp', `kkb-bench-tiles-${port}`) },
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`)
    try { if ((await fetch(`${url}/api/health/live`)).ok) { log(`server started on ${url} (pid ${child.pid})`); return { url, child } } } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill('SIGTERM')
  throw new Error('the server did not start within 120 s')
}

export async function benchTiles (opts: BenchTilesOptions = {}): Promise<BenchTilesResult> {
  const log = opts.log ?? (() => {})
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL
  if (!isPostgresUrl(databaseUrl)) throw new Error('benchTiles needs a PostgreSQL DATABASE_URL (postgres://…)')
  const zooms = opts.zooms ?? [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
  const runs = opts.runs ?? 5
  const db = await openDb({ url: databaseUrl, migrate: false })
  let child: ChildProcess | undefined
  try {
    const svc = await TileService.create(db)
    if (svc.renderer !== 'st_asmvt') throw new Error('this PostGIS has no ST_AsMVT: nothing to compare against')
    // the same filters the route uses without a query string: companies, latest year, national definition, active
    const definition = (await resolveDefinition(db)).id
    const { rows: yr } = await db.query<{ y: number }>('SELECT max(ref_year) AS y FROM kf_company_cell')
    const f: ActorFilters = { kind: 'company', year: Number(yr[0].y), definition, status: 'active', sniRank: 'primary' }
    const groups = await svc.groups('bench', definition)
    const { rows: pts } = await db.query<{ lon: number; lat: number }>(
      'SELECT ST_X(geom_public) AS lon, ST_Y(geom_public) AS lat FROM company WHERE ref_year = $1 AND active AND geom_public IS NOT NULL', [f.year])
    if (!pts.length) throw new Error('no placed companies in the database: seed it first (SEED_DEMO=true)')
    log(`${pts.length} placed active companies (${f.year}), definition ${definition}`)

    const picked: Array<{ z: number; x: number; y: number; actors: number }> = []
    for (const z of zooms) {
      const counts = new Map<string, number>()
      for (const p of pts) { const k = tileOf(Number(p.lon), Number(p.lat), z).join('/'); counts.set(k, (counts.get(k) ?? 0) + 1) }
      const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      const chosen = new Set(sorted.slice(0, opts.densestPerZoom ?? 3).map((e) => e[0]))
      const mid = Math.floor(sorted.length / 2)
      for (const e of sorted.slice(mid, mid + (opts.typicalPerZoom ?? 2))) chosen.add(e[0])
      for (const k of chosen) { const [x, y] = k.split('/').map(Number); picked.push({ z, x, y, actors: counts.get(k)! }) }
    }

    const tiles: TileTiming[] = []
    const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
      const s = performance.now()
      const v = await fn()
      return [performance.now() - s, v]
    }
    for (const t of picked) {
      const raw = rawActorMvt(f, t.z, t.x, t.y)
      const ours = () => svc.renderActors(f, t.z, t.x, t.y, groups)
      const base = async () => (await db.query<{ mvt: Uint8Array | null }>(raw.text, raw.values)).rows[0].mvt ?? new Uint8Array(0)
      const o0 = await ours() // warm-up both (plans, buffers)
      const b0 = await base()
      const m: Record<'os' | 'og' | 'rs' | 'rg', number[]> = { os: [], og: [], rs: [], rg: [] }
      let packed = await packTile(o0.mvt, o0.features, MAX_FEATURES)
      for (let i = 0; i < runs; i++) { // interleaved, so load drift hits both alike
        const [os, r] = await time(ours)
        const [og, p] = await time(() => packTile(r.mvt, r.features, MAX_FEATURES))
        const [rs, b] = await time(base)
        const [rg] = await time(() => packTile(b, 1, MAX_FEATURES))
        m.os.push(os); m.og.push(og); m.rs.push(rs); m.rg.push(rg); packed = p
      }
      const [os, og, rs, rg] = [median(m.os), median(m.og), median(m.rs), median(m.rg)]
      const timing: TileTiming = { ...t, features: o0.features, bytes: packed.bytes, gzBytes: packed.gz?.length ?? 0, rawBytes: b0.length,
        oursSqlMs: round(os), oursGzipMs: round(og), rawSqlMs: round(rs), rawGzipMs: round(rg),
        oursMs: round(os + og), rawMs: round(rs + rg), ratio: round((os + og) / (rs + rg)), sqlRatio: round(os / rs) }
      tiles.push(timing)
      log(`z${t.z}/${t.x}/${t.y}: ${t.actors} actors → ${timing.features} features, ours ${timing.oursMs} ms (SQL ${timing.oursSqlMs}) vs raw ${timing.rawMs} ms (SQL ${timing.rawSqlMs})`)
    }
    const sum = (ts: TileTiming[], k: keyof TileTiming) => ts.reduce((a, t) => a + Number(t[k]), 0)
    const perZoom = zooms.map((z) => {
      const ts = tiles.filter((t) => t.z === z)
      return { z, tiles: ts.length, oursMs: round(sum(ts, 'oursMs')), rawMs: round(sum(ts, 'rawMs')), ratio: round(sum(ts, 'oursMs') / sum(ts, 'rawMs')),
        sqlRatio: round(sum(ts, 'oursSqlMs') / sum(ts, 'rawSqlMs')), features: sum(ts, 'features'), gzBytes: sum(ts, 'gzBytes'), rawBytes: sum(ts, 'rawBytes') }
    })
    const worst = Math.max(...perZoom.map((p) => p.ratio))
    const generation = { oursMs: round(sum(tiles, 'oursMs')), rawMs: round(sum(tiles, 'rawMs')), ratio: round(sum(tiles, 'oursMs') / sum(tiles, 'rawMs')),
      sqlRatio: round(sum(tiles, 'oursSqlMs') / sum(tiles, 'rawSqlMs')), worstZoomRatio: worst, target: 1.3, ok: worst <= 1.3 }

    // warm-cache throughput over the same tiles
    let url = opts.baseUrl
    if (!url) ({ url, child } = await startServer(databaseUrl!, log))
    const paths = picked.map((t) => `/api/tiles/actors/${t.z}/${t.x}/${t.y}.mvt`)
    for (const p of paths) await (await fetch(url + p, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer() // fill the cache
    const connections = opts.connections ?? 32
    const durationSec = opts.durationSec ?? 10
    const autocannon = await loadAutocannon()
    const ac = await autocannon({
      url, connections, duration: durationSec, headers: { 'accept-encoding': 'gzip' },
      requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
    })
    const reqPerSec = ac.requests.average
    const throughput = {
      url, tiles: paths.length, connections, durationSec, reqPerSec: round(reqPerSec, 0), latencyP50Ms: ac.latency.p50, latencyP99Ms: ac.latency.p99,
      non2xx: ac.non2xx, errors: ac.errors + ac.timeouts, mbPerSec: round(ac.throughput.average / 1e6), target: 1000, ok: reqPerSec >= 1000 && ac.non2xx === 0,
    }
    return {
      database: new URL(databaseUrl!).pathname.slice(1), renderer: svc.renderer, filters: f, actors: pts.length, tiles, perZoom, generation, throughput,
      loadAverage: loadavg().map((v) => round(v)),
    }
  } finally {
    await db.close()
    if (child && child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child!.once('exit', r))
    }
  }
}

function printTable (r: BenchTilesResult) {
  const pad = (v: unknown, n: number) => String(v).padStart(n)
  console.log(`\nCache-miss generation vs the plain ST_AsMVT query, both + gzip (${r.database}, ${r.actors} actors, medians; load avg ${r.loadAverage.join(' ')})`)
  console.log(`${pad('z', 3)} ${pad('tiles', 5)} ${pad('features', 9)} ${pad('gz KB', 7)} ${pad('raw KB', 8)} ${pad('ours ms', 8)} ${pad('raw ms', 8)} ${pad('ratio', 6)} ${pad('SQL only', 8)}`)
  for (const z of r.perZoom) {
    console.log(`${pad(z.z, 3)} ${pad(z.tiles, 5)} ${pad(z.features, 9)} ${pad((z.gzBytes / 1024).toFixed(1), 7)} ${pad((z.rawBytes / 1024).toFixed(0), 8)} ` +
      `${pad(z.oursMs.toFixed(1), 8)} ${pad(z.rawMs.toFixed(1), 8)} ${pad(z.ratio.toFixed(2), 6)} ${pad(z.sqlRatio.toFixed(2), 8)}`)
  }
  const g = r.generation
  console.log(`all: ours ${g.oursMs.toFixed(1)} ms, raw ${g.rawMs.toFixed(1)} ms, ratio ${g.ratio} (SQL only ${g.sqlRatio}); worst zoom ${g.worstZoomRatio} (target ≤ ${g.target}: ${g.ok ? 'met' : 'NOT met'})`)
  const t = r.throughput
  console.log(`\nWarm cache, autocannon ${t.connections} connections × ${t.durationSec} s over ${t.tiles} tiles at ${t.url} (gzip):`)
  console.log(`${t.reqPerSec} tiles/s, p50 ${t.latencyP50Ms} ms, p99 ${t.latencyP99Ms} ms, ${t.mbPerSec} MB/s, non-2xx ${t.non2xx}, errors ${t.errors} (target ≥ ${t.target}: ${t.ok ? 'met' : 'NOT met'})\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined }
  const result = await benchTiles({
    baseUrl: arg('url'), durationSec: arg('duration') ? Number(arg('duration')) : undefined,
    connections: arg('connections') ? Number(arg('connections')) : undefined, runs: arg('runs') ? Number(arg('runs')) : undefined,
    zooms: arg('zooms') ? arg('zooms')!.split(',').map(Number) : undefined,
    log: (l) => process.stderr.write(`${l}\n`),
  })
  printTable(result)
  console.log(JSON.stringify({ ...result, tiles: undefined }, null, 2))
}
