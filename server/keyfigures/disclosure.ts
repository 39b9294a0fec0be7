// Secondary suppression over every additive relation of the key figures (parent = Σ children), iterated to a fixed point.
// Pure and in memory: it runs over the cells compute.ts has already summed (a few thousand per measure and year).
// The rule in words is SUPPRESSION_TEXT in formulas.ts; this file is its only implementation.
import type { SuppressionFlag } from './formulas.js'

/** One cell of one measure: its value, its contributors, those of them the public cannot see, and its flag. */
export interface ProtectedCell { value: number; n: number; withheldN: number; flag: SuppressionFlag }

/** An additive relation as cell keys: [parent, ...children] with parent = Σ children. A missing key is a known zero. */
export type Relation = string[]

interface Need {
  /** the cells added must carry withheld contributors (hiding a cell of public figures protects nothing) */
  withheld: boolean
  /** how many more withheld contributors the hidden children of a published parent need together (0: none) */
  short: number
}

/** The cells as arrays by index (string keys are looked up once, not in the inner loop). */
interface Table { cells: Array<ProtectedCell | undefined>; keys: string[] }

/**
 * What the relation lacks, or null when it is safe:
 * - exactly one hidden cell: it is parent minus the others (or their sum);
 * - exactly one hidden cell with withheld contributors: the others are hidden but public per company, so subtracting
 *   their public figures gives it;
 * - a published parent whose hidden children together hold fewer than `min` withheld contributors: their combined
 *   figure is disclosed (parent minus the published children minus the public figures).
 */
function need (r: Int32Array, t: Table, min: number): Need | null {
  let hidden = 0; let unknown = 0; let unknownChildrenW = 0
  for (let i = 0; i < r.length; i++) {
    const c = t.cells[r[i]]
    if (!c?.flag) continue
    hidden++
    if (c.withheldN > 0) { unknown++; if (i > 0) unknownChildrenW += c.withheldN }
  }
  if (hidden === 1) return { withheld: unknown === 1, short: 0 }
  if (unknown === 1) return { withheld: true, short: 0 }
  const parentHidden = !!t.cells[r[0]]?.flag
  if (!parentHidden && unknown >= 2 && unknownChildrenW < min) return { withheld: true, short: min - unknownChildrenW }
  return null
}

/** The cell to hide next: a child if one helps (see SUPPRESSION_TEXT for the order), else the parent; -1 if none can. */
function choose (r: Int32Array, t: Table, n: Need): number {
  let best = -1; let bestFirst = 0; let bestValue = 0
  for (let i = 1; i < r.length; i++) {
    const c = t.cells[r[i]]
    if (!c || c.flag || c.n === 0 || (n.withheld && c.withheldN === 0)) continue
    // first: cells that close the gap on their own; then (when the gap needs several) the most withheld contributors;
    // when no withheld contributors are needed, cells without any (hiding one with them would need a partner in turn)
    const first = n.short > 0 ? (c.withheldN >= n.short ? 0 : 1 / (1 + c.withheldN)) : n.withheld ? 0 : (c.withheldN > 0 ? 1 : 0)
    const value = Math.abs(c.value)
    if (best < 0 || first < bestFirst || (first === bestFirst && (value < bestValue || (value === bestValue && t.keys[r[i]] < t.keys[best])))) {
      best = r[i]; bestFirst = first; bestValue = value
    }
  }
  if (best >= 0) return best
  const p = t.cells[r[0]]
  return p && !p.flag && p.n > 0 && (!n.withheld || p.withheldN > 0) ? r[0] : -1
}

/**
 * Adds 'secondary' flags until every relation is safe (see `need`). Only ever hides more, so it ends; a worklist revisits
 * just the relations of a newly hidden cell. Deterministic for the same cells, whatever is requested afterwards.
 * Returns the relations that could not be made safe from their own cells (none when the sums are consistent).
 */
export function secondarySuppression (cells: Map<string, ProtectedCell>, relations: Relation[], minCompanies: number): Relation[] {
  const index = new Map<string, number>()
  const t: Table = { cells: [], keys: [] }
  const id = (k: string) => {
    let i = index.get(k)
    if (i === undefined) { index.set(k, i = t.keys.length); t.keys.push(k); t.cells.push(cells.get(k)) }
    return i
  }
  const rels = relations.map((r) => Int32Array.from(r, id))
  const byCell: number[][] = t.keys.map(() => [])
  rels.forEach((r, i) => { for (const c of r) byCell[c].push(i) })
  const queue = rels.map((_, i) => i)
  const queued = new Uint8Array(rels.length).fill(1)
  const unsafe = new Set<number>()
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]
    queued[i] = 0
    const r = rels[i]
    for (let n = need(r, t, minCompanies); n; n = need(r, t, minCompanies)) {
      const pick = choose(r, t, n)
      if (pick < 0) { unsafe.add(i); break }
      t.cells[pick]!.flag = 'secondary'
      for (const j of byCell[pick]) if (j !== i && !queued[j]) { queued[j] = 1; queue.push(j) }
    }
  }
  return [...unsafe].filter((i) => need(rels[i], t, minCompanies)).map((i) => relations[i])
}
