// Tolerant key access for JSON objects from the SCB API and the project JSON formats: keys are matched after
// normaliseKey (case, Swedish letters, punctuation and spaces ignored: "Säteskommun, kod" ≡ "sateskommunkod").
import { normaliseKey } from '../validate.js'
import type { ImportLimits } from '../limits.js'
import { checkValues, type RowError } from './common.js'

export class JsonRow {
  private readonly m = new Map<string, { key: string; value: unknown }>()
  constructor (obj: Record<string, unknown>) {
    for (const k of Object.keys(obj)) {
      const nk = normaliseKey(k)
      if (!this.m.has(nk)) this.m.set(nk, { key: k, value: obj[k] })
    }
  }

  /** Trimmed string value of the first present, non-blank key (normalised names), or ''. */
  s (...keys: string[]): string {
    for (const k of keys) {
      const e = this.m.get(k)
      if (e === undefined) continue
      const v = toText(e.value)
      if (v !== '') return v
    }
    return ''
  }

  /** The key as written in the object for the first present key, else `fallback` (for rejection reports). */
  label (fallback: string, ...keys: string[]): string {
    for (const k of keys) {
      const e = this.m.get(k)
      if (e !== undefined && toText(e.value) !== '') return e.key
    }
    for (const k of keys) {
      const e = this.m.get(k)
      if (e !== undefined) return e.key
    }
    return fallback
  }

  has (key: string): boolean { return this.m.has(key) }
  /** The normalised keys of the object. */
  keys (): IterableIterator<string> { return this.m.keys() }
  /** The raw value of a key (normalised name), e.g. a nested object. */
  raw (key: string): unknown { return this.m.get(key)?.value }

  /** Every value, nested ones too, checked like a CSV row's (length, NUL bytes, invalid UTF-8; see checkValues). */
  check (limits: ImportLimits): RowError | null {
    const texts: string[] = []
    const labels: string[] = []
    const visit = (v: unknown, label: string, depth: number): void => {
      if (typeof v === 'string') { texts.push(v); labels.push(label) } else if (depth < 8 && typeof v === 'object' && v !== null) {
        for (const [k, x] of Object.entries(v)) visit(x, Array.isArray(v) ? label : `${label}.${k}`, depth + 1)
      }
    }
    for (const e of this.m.values()) visit(e.value, e.key, 0)
    return checkValues(texts, (i) => labels[i], limits)
  }
}

/**
 * Refusing what is not understood: a JSON parser counts the objects it understood and refuses (as a rejected row)
 * each one of an unknown shape. A file in which nothing was understood is refused as a whole: it is not in the format
 * the user named, and importing it as "0 rows" would hide that.
 */
export class ShapeCheck {
  understood = 0
  refused = 0
  private firstRefused: string | null = null
  refuse (found: string): void {
    this.refused++
    if (this.firstRefused === null) this.firstRefused = found
  }

  /** Throws when items were read but none was understood, naming the format expected and what was found. */
  assertUnderstood (file: string, format: string, keys: string): void {
    if (this.understood > 0 || this.refused === 0) return
    const n = this.refused === 1 ? 'its only item' : `none of its ${this.refused} items`
    throw new Error(`${file}: not in the ${format} format (expected objects with keys such as ${keys}): ${n} has them; ` +
      `the first is ${this.firstRefused}`)
  }
}

/** A short description of a JSON item for messages: its keys, or its type and start. */
export function describeItem (v: unknown): string {
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
    if (keys.length === 0) return 'an empty object'
    const shown = keys.slice(0, 8).map((k) => JSON.stringify(k)).join(', ')
    return `an object with the keys ${shown}${keys.length > 8 ? `, … (${keys.length} keys)` : ''}`
  }
  const t = JSON.stringify(v) ?? String(v)
  return t.length > 40 ? t.slice(0, 40) + '…' : t
}

export function toText (v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v.trim()
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  if (typeof v === 'boolean') return v ? '1' : '0'
  return ''
}

export function isPlainObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
