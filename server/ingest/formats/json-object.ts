// Tolerant key access for JSON objects from the SCB API and the project JSON formats: keys are matched after
// normaliseKey (case, Swedish letters, punctuation and spaces ignored: "Säteskommun, kod" ≡ "sateskommunkod").
import { normaliseKey } from '../validate.js'

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
