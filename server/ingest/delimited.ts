// Delimited-record reader for the project's own CSV formats (hand-made / Excel-exported files).
// RFC 4180 quoting (`"…"`, `""` escapes, quoted line breaks), but tolerant and self-resynchronising:
//  * a `"` inside an unquoted field is kept literally;
//  * a record that spans several physical lines is only accepted when it has the expected number of fields;
//    otherwise (an unterminated or stray quote swallowed the following lines) the record's first line is
//    rejected ("broken quoting") and parsing restarts on the next physical line, so one bad quote costs one row;
//  * a quoted value may span at most MAX_RECORD_LINES physical lines.
// Input: LF-normalised physical lines (see text.ts readLines). Output: batches of raw records.

import { isBlankLine } from './text.js'

export const MAX_RECORD_LINES = 50

export interface RawRecord {
  /** physical line (1-based) where the record starts */
  line: number
  fields: string[] | null
  /** set when fields is null */
  error?: string
  /** 0-based field index the error refers to, when known */
  errorField?: number
  /** the first physical line of the record (for the rejection report) */
  text: string
}

interface Parsed {
  fields: string[] | null
  /** number of physical lines consumed */
  lines: number
  error?: string
  errorField?: number
  /** quoted field still open at the end of the available lines */
  needMore?: boolean
}

const WS = (c: number): boolean => c === 32 || c === 9

/** Parses one record starting at lines[start]. */
export function parseRecordAt (lines: string[], start: number, delim: string, eof: boolean): Parsed {
  const first = lines[start]
  if (first.indexOf('"') === -1) {
    const parts = first.split(delim)
    for (let i = 0; i < parts.length; i++) parts[i] = parts[i].trim()
    return { fields: parts, lines: 1 }
  }
  const d = delim.charCodeAt(0)
  const tabDelim = d === 9
  const fields: string[] = []
  let li = start
  let cur = first
  let i = 0
  for (;;) {
    // start of a field: skip leading blanks
    while (i < cur.length && WS(cur.charCodeAt(i)) && !(tabDelim && cur.charCodeAt(i) === 9)) i++
    if (i < cur.length && cur.charCodeAt(i) === 34) {
      // quoted field
      i++
      let value = ''
      for (;;) {
        const q = cur.indexOf('"', i)
        if (q === -1) {
          value += cur.slice(i) + '\n'
          if (li + 1 >= lines.length) {
            if (eof) return { fields: null, lines: li - start + 1, error: 'unterminated quoted field', errorField: fields.length }
            return { fields: null, lines: 0, needMore: true }
          }
          if (li + 1 - start >= MAX_RECORD_LINES) {
            return { fields: null, lines: li - start + 1, error: `quoted field spans more than ${MAX_RECORD_LINES} lines`, errorField: fields.length }
          }
          li++
          cur = lines[li]
          i = 0
          continue
        }
        if (q + 1 < cur.length && cur.charCodeAt(q + 1) === 34) {
          value += cur.slice(i, q + 1)
          i = q + 2
          continue
        }
        value += cur.slice(i, q)
        i = q + 1
        break
      }
      while (i < cur.length && WS(cur.charCodeAt(i)) && !(tabDelim && cur.charCodeAt(i) === 9)) i++
      fields.push(value)
      if (i >= cur.length) break
      if (cur.charCodeAt(i) !== d) {
        return { fields: null, lines: li - start + 1, error: 'unexpected text after a closing quote', errorField: fields.length - 1 }
      }
      i++
      if (i === cur.length) { fields.push(''); break }
    } else {
      const next = cur.indexOf(delim, i)
      if (next === -1) {
        fields.push(cur.slice(i).trim())
        break
      }
      fields.push(cur.slice(i, next).trim())
      i = next + 1
      if (i === cur.length) { fields.push(''); break }
    }
  }
  return { fields, lines: li - start + 1 }
}

/**
 * Reads records from batches of physical lines. `expectedFields` is the header's field count; it drives the
 * broken-quote recovery described above. Blank lines are skipped. `firstLineNo` is the physical line
 * number of the first line the iterator yields.
 */
export async function * readRecords (lineBatches: AsyncIterable<string[]>, delim: string, expectedFields: number,
  firstLineNo: number): AsyncGenerator<RawRecord[]> {
  let buf: string[] = []
  let bufLine = firstLineNo // physical line number of buf[0]
  let pos = 0
  let eof = false
  const it = lineBatches[Symbol.asyncIterator]()
  for (;;) {
    if (!eof) {
      const r = await it.next()
      if (r.done) eof = true
      else {
        if (pos > 0) { buf = buf.slice(pos); bufLine += pos; pos = 0 }
        buf = buf.length === 0 ? r.value : buf.concat(r.value)
      }
    }
    const out: RawRecord[] = []
    while (pos < buf.length) {
      const line = buf[pos]
      if (isBlankLine(line)) { pos++; continue }
      const p = parseRecordAt(buf, pos, delim, eof)
      if (p.needMore) break
      const lineNo = bufLine + pos
      if (p.fields === null) {
        out.push({ line: lineNo, fields: null, error: p.lines > 1 ? `broken quoting: ${p.error} (the quote opened on this line is not closed correctly)` : p.error, errorField: p.errorField, text: line })
        pos++ // resync on the next physical line
        continue
      }
      if (p.lines > 1 && p.fields.length !== expectedFields) {
        out.push({ line: lineNo, fields: null, error: `broken quoting: a quoted field opened on this line runs over ${p.lines} lines and the record has ${p.fields.length} columns instead of ${expectedFields}`, text: line })
        pos++
        continue
      }
      out.push({ line: lineNo, fields: p.fields, text: line })
      pos += p.lines
    }
    if (out.length > 0) yield out
    if (eof && pos >= buf.length) return
  }
}
