// Class breaks for the choropleth. A class i holds values v with breaks[i-1] <= v < breaks[i].
import { DIVERGING, SEQUENTIAL } from './colors'
import type { ClassMethod } from '../state/measures'

export interface Classes {
  method: ClassMethod
  /** fixed breaks (a diverging method): the legend shows the breaks, not the values' ranges */
  fixed: boolean
  breaks: number[]
  colors: string[]
  /** actual [min, max] of the values in each class (for the legend), null when a class is empty */
  ranges: ([number, number] | null)[]
  counts: number[]
}

/** Fixed breaks of the diverging methods: LQ around 1, change (%) around 0 (decline ← → growth). */
export const DIVERGING_BREAKS: Partial<Record<ClassMethod, number[]>> = { lq: [0.67, 0.9, 1.1, 1.5], change: [-10, -2, 2, 10] }

function pick (palette: string[], n: number): string[] {
  if (n >= palette.length) return palette.slice()
  if (n === 1) return [palette[Math.floor(palette.length / 2) + 1] ?? palette[palette.length - 1]]
  return Array.from({ length: n }, (_, i) => palette[Math.round(i * (palette.length - 1) / (n - 1))])
}

export function classIndex (breaks: number[], v: number): number {
  let i = 0
  while (i < breaks.length && v >= breaks[i]) i++
  return i
}

export function classify (values: number[], method: ClassMethod, k = 5): Classes {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  let breaks: number[] = []
  const fixed = DIVERGING_BREAKS[method]
  if (fixed) {
    breaks = fixed.slice()
  } else if (sorted.length) {
    const min = sorted[0]
    const max = sorted[sorted.length - 1]
    const raw = method === 'equal'
      ? Array.from({ length: k - 1 }, (_, i) => min + (max - min) * (i + 1) / k)
      : Array.from({ length: k - 1 }, (_, i) => sorted[Math.floor(sorted.length * (i + 1) / k)])
    breaks = [...new Set(raw.map((b) => Number(b.toPrecision(6))))].filter((b) => b > min && b <= max)
  }
  const n = breaks.length + 1
  const colors = fixed ? DIVERGING.slice() : pick(SEQUENTIAL, n)
  const ranges: ([number, number] | null)[] = Array.from({ length: n }, () => null)
  const counts = Array.from({ length: n }, () => 0)
  for (const v of sorted) {
    const i = classIndex(breaks, v)
    counts[i]++
    const r = ranges[i]
    ranges[i] = r ? [Math.min(r[0], v), Math.max(r[1], v)] : [v, v]
  }
  return { method, fixed: !!fixed, breaks, colors, ranges, counts }
}
