// Incremental JSON splitter: yields one top-level item at a time without parsing the whole document.
// Accepted shapes (detected from the first non-blank character / line):
//  * a JSON array of objects `[ {...}, {...} ]` (possibly pretty-printed, any size);
//  * NDJSON / JSON Lines: one object per line (each line parsed on its own, so a bad line costs one item);
//  * a sequence of (pretty-printed) objects not wrapped in an array.
// Every item carries the physical line (1-based) where it starts.
// API list pages (`{"jes": [...], "pagination": {...}}`) are opened when the caller names their envelope keys: each
// element of the page's array becomes an item of its own, with the line where it starts inside the page.
import { DEFAULT_IMPORT_LIMITS, LIMIT_SETTING } from './limits.js'
import { readLines } from './text.js'

export type JsonItem = { line: number; value: unknown; error?: undefined } | { line: number; value?: undefined; error: string }

export interface JsonItemsOptions {
  /** keys whose array holds the items of a list page; a page with `pagination` and one array is opened too */
  envelopes?: readonly string[]
  /** characters of one top-level item (IMPORT_MAX_LINE_KB); a longer one is one error item, scanned but never held.
   * A list page holds many items: with envelopes, a top-level value may be 100 times as long. */
  maxChars?: number
}

const tooLong = (maxChars: number) => `JSON object longer than ${maxChars} characters (${LIMIT_SETTING.maxLineChars})`

function pushParsed (out: JsonItem[], text: string, line: number, envelopes: readonly string[] | undefined): void {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    out.push({ line, error: `invalid JSON: ${(e as Error).message}` })
    return
  }
  const key = envelopes === undefined ? null : envelopeKey(value, envelopes)
  if (key === null) { out.push({ line, value }); return }
  const elements = (value as Record<string, unknown[]>)[key]
  const lines = elementLines(text, line, key)
  const exact = lines.length === elements.length
  for (let k = 0; k < elements.length; k++) out.push({ line: exact ? lines[k] : line, value: elements[k] })
}

/** The key of a list page's array: a named envelope key, or the only array next to `pagination`. */
export function envelopeKey (value: unknown, envelopes: readonly string[]): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const o = value as Record<string, unknown>
  for (const k of envelopes) if (Array.isArray(o[k])) return k
  if (!('pagination' in o)) return null
  const arrays = Object.keys(o).filter((k) => Array.isArray(o[k]))
  return arrays.length === 1 ? arrays[0] : null
}

/** The line where each element of the array under `key` (at the top level of the object text) starts. */
function elementLines (text: string, firstLine: number, key: string): number[] {
  const lines: number[] = []
  let line = firstLine
  let depth = 0
  let inString = false
  let escape = false
  let stringStart = 0
  let lastString = ''
  let inTarget = false
  let expect = false // the next value at depth 2 of the target starts an element
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) line++
    if (inString) {
      if (escape) escape = false
      else if (c === 92) escape = true
      else if (c === 34) { inString = false; if (depth === 1) lastString = text.slice(stringStart + 1, i) }
      continue
    }
    if (inTarget && depth === 2 && expect && c > 32 && c !== 44 && c !== 93) { lines.push(line); expect = false }
    if (c === 34) { inString = true; stringStart = i } else if (c === 123 || c === 91) {
      depth++
      if (depth === 2 && c === 91 && lastString === key) { inTarget = true; expect = true }
    } else if (c === 125 || c === 93) {
      if (inTarget && depth === 2) return lines
      depth--
    } else if (c === 44 && inTarget && depth === 2) expect = true
  }
  return lines
}

async function * prepend (first: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  if (first !== '') yield first
  for (;;) {
    const r = await rest.next()
    if (r.done) return
    yield r.value
  }
}

/**
 * Splits LF-normalised JSON text into items, in batches. Throws for an empty input ("file is empty") and for
 * input that is not JSON at all (first character neither `[` nor `{`).
 */
export async function * readJsonItems (chunks: AsyncIterable<string>, file: string, opts: JsonItemsOptions = {}): AsyncGenerator<JsonItem[]> {
  const maxChars = (opts.maxChars ?? DEFAULT_IMPORT_LIMITS.maxLineChars) * (opts.envelopes ? 100 : 1)
  const it = chunks[Symbol.asyncIterator]()
  // Look at the start: first non-blank character, and whether the first non-blank line is a whole object.
  let head = ''
  let done = false
  for (;;) {
    const firstNonBlank = head.search(NON_BLANK)
    if (firstNonBlank !== -1) {
      const c = head[firstNonBlank]
      if (c === '[') break
      if (c !== '{') throw new Error(`${file}: not JSON (expected "[" or "{" at the start, found "${c}")`)
      if (head.indexOf('\n', firstNonBlank) !== -1 || done) break
    }
    if (done) break
    if (head.length > maxChars) break // one huge first line: scanned (and bounded) like concatenated objects
    const r = await it.next()
    if (r.done) done = true
    else head += r.value
  }
  const start = head.search(NON_BLANK)
  if (start === -1) throw new Error(`${file}: file is empty`)
  const rest = done ? (async function * () {})()[Symbol.asyncIterator]() : it
  if (head[start] === '{') {
    const nl = head.indexOf('\n', start)
    const firstLine = (nl === -1 ? head.slice(start) : head.slice(start, nl)).trim()
    let ndjson = false
    if (firstLine.endsWith('}')) {
      try { JSON.parse(firstLine); ndjson = true } catch { /* pretty-printed object */ }
    }
    if (ndjson) {
      yield * ndjsonItems(prepend(head, rest), opts.envelopes, maxChars)
      return
    }
  }
  yield * scanItems(prepend(head, rest), head[start] === '[', opts.envelopes, maxChars)
}

const NON_BLANK = /\S/

async function * ndjsonItems (chunks: AsyncIterable<string>, envelopes: readonly string[] | undefined, maxChars: number): AsyncGenerator<JsonItem[]> {
  let lineNo = 0
  const overlong: JsonItem[] = []
  const guard = { maxChars, onOverlong: (line: number) => { overlong.push({ line, error: tooLong(maxChars) }) } }
  for await (const lines of readLines(chunks, guard)) {
    const out: JsonItem[] = overlong.splice(0, overlong.length)
    for (const l of lines) {
      lineNo++
      const t = l.trim()
      if (t === '' || t === ',') continue
      pushParsed(out, t.endsWith(',') ? t.slice(0, -1) : t, lineNo, envelopes)
    }
    if (out.length > 0) yield out
  }
}

enum S { Before, Between, InItem, Scalar, After }

/** Character scanner for the array form and for concatenated objects (depth-aware, string/escape-aware). */
async function * scanItems (chunks: AsyncIterable<string>, array: boolean, envelopes: readonly string[] | undefined,
  maxChars: number): AsyncGenerator<JsonItem[]> {
  let state: S = array ? S.Before : S.Between
  let buf = ''
  let i = 0
  let line = 1 // line at position i
  let itemStart = 0
  let itemLine = 0
  let depth = 0
  let inString = false
  let escape = false
  let trailingReported = false
  let oversize = false // the current item is longer than maxChars: scanned to its end but no longer kept
  const out: JsonItem[] = []
  const inItem = (): boolean => state === S.InItem || state === S.Scalar

  const scan = (): void => {
    const n = buf.length
    while (i < n) {
      const c = buf.charCodeAt(i)
      switch (state) {
        case S.Before:
          if (c === 91 /* [ */) state = S.Between
          else if (c === 10) line++
          i++
          break
        case S.Between:
          if (c === 10) { line++; i++; break }
          if (c === 32 || c === 9 || c === 13 || c === 44 /* , */) { i++; break }
          if (array && c === 93 /* ] */) { state = S.After; i++; break }
          itemStart = i; itemLine = line; oversize = false
          if (c === 123 /* { */ || c === 91 /* [ */) { state = S.InItem; depth = 1; inString = false; escape = false; i++; break }
          state = S.Scalar; inString = c === 34; escape = false; i++
          break
        case S.InItem:
          if (inString) {
            if (escape) escape = false
            else if (c === 92) escape = true
            else if (c === 34) inString = false
            else if (c === 10) line++
            i++
            break
          }
          if (c === 34) inString = true
          else if (c === 123 || c === 91) depth++
          else if (c === 125 || c === 93) {
            depth--
            if (depth === 0) {
              i++
              if (oversize || i - itemStart > maxChars) out.push({ line: itemLine, error: tooLong(maxChars) })
              else pushParsed(out, buf.slice(itemStart, i), itemLine, envelopes)
              state = S.Between
              break
            }
          } else if (c === 10) line++
          i++
          break
        case S.Scalar:
          // a non-object element: runs to the next top-level separator
          if (inString) {
            if (escape) escape = false
            else if (c === 92) escape = true
            else if (c === 34) inString = false
            i++
            break
          }
          if (c === 44 || c === 10 || (array && c === 93)) {
            if (oversize) out.push({ line: itemLine, error: tooLong(maxChars) })
            else pushParsed(out, buf.slice(itemStart, i).trim(), itemLine, undefined) // the caller says what it expected
            state = S.Between
            break // the separator is handled in Between
          }
          i++
          break
        case S.After:
          if (c === 10) line++
          else if (c !== 32 && c !== 9 && c !== 13 && !trailingReported) {
            trailingReported = true
            out.push({ line, error: 'unexpected content after the end of the JSON array' })
          }
          i++
          break
      }
    }
  }

  for await (const chunk of chunks) {
    if (inItem() && !oversize && buf.length - itemStart > maxChars) oversize = true
    const keepFrom = inItem() && !oversize ? itemStart : i
    buf = keepFrom >= buf.length ? chunk : buf.slice(keepFrom) + chunk
    i -= keepFrom
    itemStart -= keepFrom
    scan()
    if (out.length >= 500) yield out.splice(0, out.length)
  }
  const end = state as S
  if (end === S.InItem) out.push({ line: itemLine, error: oversize ? tooLong(maxChars) : 'unexpected end of file inside a JSON object' })
  else if (end === S.Scalar && oversize) out.push({ line: itemLine, error: tooLong(maxChars) })
  else if (end === S.Scalar) pushParsed(out, buf.slice(itemStart).trim(), itemLine, undefined)
  else if (array && end === S.Between) out.push({ line, error: 'unexpected end of file: the JSON array is not closed' })
  else if (array && end === S.Before) out.push({ line, error: 'no JSON array found' })
  if (out.length > 0) yield out
}
