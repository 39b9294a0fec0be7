// The tile service: picks the renderer once (probe), renders actor and region tiles, and caches them per
// (data version, normalised filters, z/x/y). Routes, tests and the bench all go through this.
import type { DbHandle } from '../db/client.js'
import type { ActorFilters } from '../actors/filters.js'
import { dataVersionOf, type DataVersion } from '../meta/data-version.js'
import { packTile, PromiseCache, type CachedTile } from './cache.js'
import { encoderFor, probeRenderer, type Encoder, type RenderedTile, type RendererName } from './render.js'
import { actorFeatures, regionFeatures, type RegionLevel } from './sql.js'
import { MAX_FEATURES } from './tile-math.js'
import { CURATED_TYPES } from '../curated/taxonomy.js'

export const ACTOR_LAYER = 'actors'
export const REGION_LAYER = 'regions'

export interface TileServiceOptions {
  /** force a renderer (tests, bench); default: probe the database */
  renderer?: RendererName
  /** tile cache budget in bytes of gzip data (default 256 MB) and entries */
  maxBytes?: number
  maxEntries?: number
  /** the data version the cache is keyed by (default: the database handle's, meta/data-version.ts) */
  version?: DataVersion
}

export interface TileStats { renderer: RendererName; renders: number; hits: number; misses: number; entries: number; bytes: number }

/** JSON of the filters with sorted keys, no undefined, and de-duplicated, sorted lists: equal filters → equal key. */
export function filterKey (f: ActorFilters): string {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(f).sort() as Array<keyof ActorFilters>) {
    let v: unknown = f[k]
    if (v === undefined || v === null) continue
    if (Array.isArray(v) && k !== 'bbox') v = [...new Set(v as string[])].sort()
    out[k] = v
  }
  return JSON.stringify(out)
}

export class TileService {
  readonly version: DataVersion
  private tiles: PromiseCache<CachedTile>
  private memo = new PromiseCache<{ v: unknown }>({ maxEntries: 2000 })
  renders = 0

  private constructor (readonly db: Pick<DbHandle, 'query'>, readonly renderer: RendererName, private encode: Encoder, opts: TileServiceOptions) {
    this.tiles = new PromiseCache<CachedTile>({
      maxEntries: opts.maxEntries ?? 100_000, maxBytes: opts.maxBytes ?? 256 * 1024 * 1024, sizeOf: (t) => (t.gz?.length ?? 0) + 256,
    })
    this.version = opts.version ?? dataVersionOf(db)
    this.version.subscribe(() => this.clear()) // a new version makes every entry unreachable: free the memory
  }

  static async create (db: Pick<DbHandle, 'query'>, opts: TileServiceOptions = {}): Promise<TileService> {
    const name = opts.renderer ?? await probeRenderer(db)
    return new TileService(db, name, encoderFor(name, db), opts)
  }

  /** Drop every cached tile and memo (a new data version makes them unreachable anyway; this frees the memory). */
  clear (): void { this.tiles.clear(); this.memo.clear() }

  /** Small per-version memo (resolved filters, group lists): a promise cache like the tiles. */
  remember<T> (version: string, key: string, load: () => Promise<T>): Promise<T> {
    return this.memo.get(`${version}|${key}`, async () => ({ v: await load() })).then((r) => r.v as T)
  }

  /** A tile query's filters, resolved (definition, default year) once per data version and distinct query. */
  filters<Q extends object> (version: string, q: Q, resolve: (q: Q) => Promise<ActorFilters>): Promise<ActorFilters> {
    const key = JSON.stringify(Object.keys(q).sort().map((k) => [k, (q as Record<string, unknown>)[k]]))
    return this.remember(version, `filters|${key}`, () => resolve(q))
  }

  /** KKB group codes of a definition, in the definition's order (the g_<code> properties of clusters). */
  groups (version: string, definition: string): Promise<string[]> {
    return this.remember(version, `groups|${definition}`, async () =>
      (await this.db.query<{ code: string }>('SELECT code FROM kkb_group WHERE definition_id = $1 ORDER BY sort, code', [definition])).rows.map((r) => r.code))
  }

  /** Uncached render of an actor tile (the bench times this). */
  async renderActors (f: ActorFilters, z: number, x: number, y: number, groups: string[]): Promise<RenderedTile> {
    this.renders++
    return this.encode(actorFeatures(f, z, x, y, groups), ACTOR_LAYER, z, x, y)
  }

  async renderRegions (level: RegionLevel, z: number, x: number, y: number): Promise<RenderedTile> {
    this.renders++
    return this.encode(regionFeatures(level, z, x, y), REGION_LAYER, z, x, y)
  }

  /** Cached actor tile. Pass the version the filters were resolved under. */
  async actorTile (version: string, f: ActorFilters, z: number, x: number, y: number): Promise<CachedTile> {
    const groups = f.kind === 'education' ? [] : f.kind === 'curated' ? [...CURATED_TYPES] : await this.groups(version, f.definition)
    return this.tiles.get(`${version}|a|${filterKey(f)}|${z}/${x}/${y}`, async () => {
      const r = await this.renderActors(f, z, x, y, groups)
      return packTile(r.mvt, r.features, MAX_FEATURES)
    })
  }

  async regionTile (version: string, level: RegionLevel, z: number, x: number, y: number): Promise<CachedTile> {
    return this.tiles.get(`${version}|r|${level}|${z}/${x}/${y}`, async () => {
      const r = await this.renderRegions(level, z, x, y)
      return packTile(r.mvt, r.features, Infinity)
    })
  }

  stats (): TileStats {
    const t = this.tiles
    return { renderer: this.renderer, renders: this.renders, hits: t.hits, misses: t.misses, entries: t.size, bytes: t.bytes }
  }
}
