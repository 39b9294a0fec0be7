// Full register density for chosen län: the national demo is a sample (e.g. 20 000 companies, ≈ 1/60 of the register),
// and on top of it every kommun of a full-density län gets the companies it would have in a register of
// REGISTER_ACTIVE_COMPANIES active firms, so an analyst of that län sees real counts (and few suppressed cells).
// The extra companies are allotted to kommuner exactly (not drawn), in index ranges after the national sample's, so the
// sample's own companies stay as they were and every company is still a pure function of (seed, index).
import type { World } from './world.js'

/** What the product seeds on first start (seed-demo.ts, config.ts): Kalmar län — the län of the analyst the demo is
 * judged by — at full register density, and the rest of the country as a sample of 100 000 (≈ 1/12.5 of the register,
 * so riket is not mostly Kalmar län). First start ≈ 45–60 s on a 2-core machine (server/demo/README.md). */
export const PRODUCT_DEMO = { companiesPerYear: 100_000, fullDensityLan: ['08'] } as const

/** Active firms in SCB's business register, roughly (1.2–1.3 M); full density means this many nationally. */
export const REGISTER_ACTIVE_COMPANIES = 1_250_000
/** share of first-year rows that are active (makeCompany: ≈ 8 % new with 1 % inactive, the rest 5.5 %) */
const ACTIVE_SHARE = 0.949
/** new companies in the second year per first-year company (as for the national sample) */
export const NEW_SHARE = 0.09

/** Which kommun an index of a contiguous range belongs to, for counts allotted per kommun. */
export class Allotment {
  readonly total: number
  private readonly ends: number[]
  constructor (readonly parts: ReadonlyArray<{ kommun: number; n: number }>) {
    let s = 0
    this.ends = parts.map((p) => (s += p.n))
    this.total = s
  }

  kommunAt (j: number): number {
    let lo = 0
    let hi = this.ends.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (j < this.ends[mid]) hi = mid
      else lo = mid + 1
    }
    return this.parts[lo].kommun
  }
}

export interface DensePlan {
  /** first-year companies added per kommun of the full-density län */
  firstYear: Allotment
  /** second-year new companies added per kommun */
  newInSecond: Allotment
  /** expected first-year companies per kommun at full density (national sample + added), by kommun code */
  target: Record<string, number>
}

/**
 * The companies to add so the kommuner of `lanCodes` reach full register density, given a national sample of
 * `sampleCompanies` (its first 3 per kommun round-robin, the rest by the kommun weights, population^0.92).
 */
export function densePlan (w: World, lanCodes: readonly string[], sampleCompanies: number): DensePlan {
  const lans = new Set(lanCodes)
  const known = new Set(w.kommuner.map((k) => k.lanCode))
  for (const l of lans) if (!known.has(l)) throw new Error(`unknown län code for full density: ${l}`)
  const roundRobin = Math.min(sampleCompanies, w.kommuner.length * 3)
  const first: Array<{ kommun: number; n: number }> = []
  const fresh: Array<{ kommun: number; n: number }> = []
  const target: Record<string, number> = {}
  for (const k of w.kommuner) {
    if (!lans.has(k.lanCode)) continue
    const share = w.kommunShare[k.index]
    const full = Math.round(REGISTER_ACTIVE_COMPANIES / ACTIVE_SHARE * share)
    const sample = roundRobin / w.kommuner.length + (sampleCompanies - roundRobin) * share
    const n = Math.max(0, Math.round(full - sample))
    first.push({ kommun: k.index, n })
    fresh.push({ kommun: k.index, n: Math.round(n * NEW_SHARE) })
    target[k.code] = full
  }
  return { firstYear: new Allotment(first), newInSecond: new Allotment(fresh), target }
}
