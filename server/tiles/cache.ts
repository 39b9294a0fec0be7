// In-process caches for tiles: an LRU of PROMISES (concurrent misses for one key share one render: no stampede),
// gzip bytes stored once per tile. Entries are keyed by the data version (meta/data-version.ts).
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip as gzipCb, gunzip as gunzipCb, constants as zlibConstants } from 'node:zlib'
import { LRUCache } from 'lru-cache'

const gzip = promisify(gzipCb)
export const gunzip = promisify(gunzipCb)

/** A promise cache: the pending promise is stored at once, replaced by a settled one with its real size when it resolves. */
export class PromiseCache<T extends object> {
  private lru: LRUCache<string, Promise<T>>
  hits = 0
  misses = 0

  constructor (opts: { maxEntries: number; maxBytes?: number; sizeOf?: (v: T) => number }) {
    this.lru = new LRUCache<string, Promise<T>>({ max: opts.maxEntries, ...(opts.maxBytes ? { maxSize: opts.maxBytes } : {}) })
    this.sizeOf = opts.sizeOf
    this.sized = !!opts.maxBytes
  }

  private sizeOf?: (v: T) => number
  private sized: boolean

  get (key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.lru.get(key)
    if (hit) { this.hits++; return hit }
    this.misses++
    const p = load()
    this.lru.set(key, p, this.sized ? { size: 1024 } : {})
    p.then((v) => {
      // still the entry we created (not cleared or replaced meanwhile): record the real size
      if (this.lru.peek(key) === p && this.sized) this.lru.set(key, Promise.resolve(v), { size: Math.max(1, this.sizeOf?.(v) ?? 1024) })
    }, () => {
      if (this.lru.peek(key) === p) this.lru.delete(key) // never cache a failure
    })
    return p
  }

  clear (): void { this.lru.clear() }
  get size (): number { return this.lru.size }
  get bytes (): number { return this.lru.calculatedSize ?? 0 }
}

export interface CachedTile {
  /** gzip-compressed MVT, or null for an empty tile (→ 204) */
  gz: Buffer | null
  /** strong validator of the tile bytes, without quotes: sent as "<etag>" (identity) or "<etag>-gz" (gzip) */
  etag: string
  /** uncompressed length */
  bytes: number
  features: number
  truncated: boolean
}

export async function packTile (mvt: Uint8Array, features: number, cap: number): Promise<CachedTile> {
  if (!mvt.length) return { gz: null, etag: '', bytes: 0, features: 0, truncated: false }
  const raw = Buffer.from(mvt.buffer, mvt.byteOffset, mvt.byteLength)
  const etag = createHash('sha1').update(raw).digest('base64url')
  const gz = await gzip(raw, { level: 4, strategy: zlibConstants.Z_DEFAULT_STRATEGY }) // ~level-6 size at about half the time
  return { gz, etag, bytes: raw.length, features, truncated: features >= cap }
}
