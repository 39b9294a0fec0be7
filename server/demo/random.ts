// Small, fast, seedable PRNG for the synthetic demo register (server/demo/generate.ts).
// sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator, 128-bit state) seeded through a
// murmur3-style mixer, so that any tuple of integers (seed, stream, index, …) gives an independent,
// reproducible stream: same inputs → same numbers on every platform (only 32-bit integer ops and
// IEEE doubles are used; Math.random is never touched).

/** murmur3 fmix32 finaliser: a bijective 32-bit avalanche mix. */
export function mix32 (h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Hashes a tuple of integers to one uint32 (order-sensitive). */
export function hash32 (...keys: number[]): number {
  let h = 0x9e3779b9
  for (const k of keys) {
    // fold in both halves so indices above 2^32 still differ
    h = mix32(h ^ Math.imul((k >>> 0) ^ 0x27d4eb2d, 0x165667b1))
    const hi = Math.floor(k / 0x100000000)
    if (hi !== 0) h = mix32(h ^ Math.imul(hi >>> 0, 0x27d4eb2f))
  }
  return h
}

/** Prefix-sum table for weighted picks (binary search, O(log n)). */
export class WeightedTable<T> {
  readonly items: readonly T[]
  private readonly cum: Float64Array
  readonly total: number
  constructor (items: readonly T[], weights: readonly number[]) {
    if (items.length !== weights.length || items.length === 0) throw new Error('WeightedTable: items and weights must be non-empty and of equal length')
    this.items = items
    this.cum = new Float64Array(weights.length)
    let s = 0
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`WeightedTable: bad weight ${w}`)
      s += w
      this.cum[i] = s
    }
    if (s <= 0) throw new Error('WeightedTable: all weights are zero')
    this.total = s
  }

  /** Index for a uniform u in [0, 1). */
  indexFor (u: number): number {
    const x = u * this.total
    let lo = 0
    let hi = this.cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cum[mid] > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  pick (rng: Rng): T { return this.items[this.indexFor(rng.float())] }
}

export class Rng {
  private a = 0
  private b = 0
  private c = 0
  private d = 0
  private spare: number | null = null

  constructor (seed = 0) { this.reseed(seed) }

  /** A generator for the tuple (keys…): independent streams for independent uses. */
  static of (...keys: number[]): Rng { return new Rng(hash32(...keys)) }

  /** Re-initialises in place (no allocation): used once per generated row. */
  reseed (seed: number): this {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    this.spare = null
    for (let i = 0; i < 12; i++) this.next()
    return this
  }

  /** Next uint32. */
  next (): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform double in [0, 1) with 32 bits of randomness. */
  float (): number { return this.next() / 4294967296 }

  /** Uniform integer in [min, max] (inclusive). */
  int (min: number, max: number): number { return min + Math.floor(this.float() * (max - min + 1)) }

  /** Integer in [min, max] skewed towards min (power > 1 = stronger skew). */
  skewedInt (min: number, max: number, power = 2): number {
    return min + Math.floor(Math.pow(this.float(), power) * (max - min + 1))
  }

  chance (p: number): boolean { return this.float() < p }

  pick<T> (arr: readonly T[]): T { return arr[Math.floor(this.float() * arr.length)] }

  /** Weighted pick from parallel arrays (linear; use WeightedTable for large or hot lists). */
  weighted<T> (items: readonly T[], weights: readonly number[]): T {
    let total = 0
    for (const w of weights) total += w
    let x = this.float() * total
    for (let i = 0; i < items.length; i++) {
      x -= weights[i]
      if (x < 0) return items[i]
    }
    return items[items.length - 1]
  }

  /** Standard normal (Marsaglia polar method, deterministic given the stream). */
  normal (mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const s = this.spare
      this.spare = null
      return mean + sd * s
    }
    let u: number, v: number, s: number
    do {
      u = this.float() * 2 - 1
      v = this.float() * 2 - 1
      s = u * u + v * v
    } while (s >= 1 || s === 0)
    const m = Math.sqrt(-2 * Math.log(s) / s)
    this.spare = v * m
    return mean + sd * u * m
  }

  /** Log-normal with the given median and sigma (of the underlying normal). */
  lognormal (median: number, sigma: number): number { return median * Math.exp(sigma * this.normal()) }

  exponential (mean: number): number { return -mean * Math.log(1 - this.float()) }
}

function gcd (a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/**
 * A bijection of [0, size): i → (a·i + b) mod size. Used to turn row indices into unique,
 * scattered-looking identifiers (organisation numbers, CFAR numbers) without storing a set.
 */
export class AffinePermutation {
  private readonly a: number
  private readonly b: number
  constructor (readonly size: number, seed: number) {
    if (!Number.isSafeInteger(size) || size < 2) throw new Error('AffinePermutation: bad size')
    // multiplier: roughly size·0.618 so consecutive indices land far apart; a·i must stay < 2^53
    let a = Math.max(3, Math.floor(size * 0.6180339887) + (hash32(seed, 1) % 1000))
    while (gcd(a, size) !== 1) a++
    if (a * size > Number.MAX_SAFE_INTEGER) throw new Error('AffinePermutation: size too large')
    this.a = a
    this.b = hash32(seed, 2) % size
  }

  apply (i: number): number {
    if (i < 0 || i >= this.size) throw new Error(`AffinePermutation: index ${i} out of range [0, ${this.size})`)
    return (this.a * i + this.b) % this.size
  }
}
