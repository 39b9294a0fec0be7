// Axis ticks that are exact: steps of 1, 2 or 5 × 10^k, each tick an integer multiple of the step computed from integers
// (no accumulated floating-point drift), so a gridline at 2.5 is labelled 2.5, never "3" (issue #21).

/** Decimals needed to print every multiple of `step` exactly. */
export function stepDecimals (step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
}

/** Decimals that print every tick of a step exactly: 2.5 needs one (stepDecimals says 0), 0.25 two. */
export function tickDecimals (step: number): number {
  const d = stepDecimals(step)
  return d + ((step * 10 ** d) % 1 > 1e-9 ? 1 : 0)
}

/** About `count` ticks covering [min, max], the first ≤ min and the last ≥ max. `integer`: whole steps only (a count
 *  of companies has no gridline at 2.5 or 0.25; 0–1 gets the ticks 0 and 1). */
export function niceTicks (min: number, max: number, count = 5, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1]
  if (max < min) [min, max] = [max, min]
  if (max === min) { const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1; min -= pad; max += pad }
  const raw = (max - min) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const steps = [1, 2, 2.5, 5, 10].map((f) => f * mag).filter((s) => !integer || (s >= 1 && Number.isInteger(s)))
  const step = steps.find((s) => s >= raw - 1e-12) ?? (integer ? Math.max(1, 10 * mag) : 10 * mag)
  const d = tickDecimals(step)
  const first = Math.floor(min / step + 1e-9); const last = Math.ceil(max / step - 1e-9)
  const out: number[] = []
  for (let i = first; i <= last; i++) out.push(Number((i * step).toFixed(d)))
  return out
}
