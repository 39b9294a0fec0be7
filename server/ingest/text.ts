// Streaming text input for the importers: zip unwrapping, encoding detection + decoding, line-ending
// normalisation, line splitting and delimiter detection. Nothing here ever holds a whole file in memory.
import { isAscii, isUtf8 } from 'node:buffer'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import iconv from 'iconv-lite'
import yauzl from 'yauzl'
import { DEFAULT_IMPORT_LIMITS, LIMIT_SETTING } from './limits.js'

export type TextEncoding = 'ascii' | 'utf8' | 'windows1252' | 'utf16le' | 'utf16be'

export interface DecodeOptions {
  /** Encoding used when the bytes are not valid UTF-8 (default windows1252, a superset of ISO-8859-1's letters). */
  fallback?: 'windows1252' | 'latin1'
  /** A zip entry larger than this (uncompressed) is refused (default: DEFAULT_IMPORT_LIMITS). */
  maxUncompressedBytes?: number
  /** What the format reads, for the messages of a file that is something else (e.g. "SCB's bulk file (scb-bulk: …)"). */
  expected?: string
}

export interface TextSource {
  /** Decoded text chunks, line endings normalised to `\n`, BOM removed. */
  chunks: AsyncGenerator<string>
  /** Name of the zip entry that was read, or null when the input was not a zip. */
  entryName: string | null
  /** The encoding decided so far ('ascii' until the first non-ASCII byte has been seen). */
  encoding: () => TextEncoding
  /** Stops reading and releases the input (stream, zip, temp file). Safe to call more than once. */
  close: () => Promise<void>
}

const ZIP_MAGIC = 0x04034b50 // "PK\x03\x04" little-endian
const XLS_MAGIC = 0xd0cf11e0 // an OLE2 compound document (Excel 97–2003), big-endian

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** Length of the prefix of `buf` that does not end inside a (possibly valid) UTF-8 multi-byte sequence. */
function completeUtf8Prefix (buf: Buffer): number {
  const n = buf.length
  // look back at most 3 bytes for a lead byte whose sequence is cut off
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = buf[n - back]
    if ((b & 0xc0) === 0x80) continue // continuation byte: keep looking for the lead
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
      return need > back ? n - back : n
    }
    return n
  }
  return n
}

/**
 * UTF-16 without a byte-order mark (Excel's "Unicode text" and some exports): text in the Latin range has a zero byte
 * in every other position, which no 8-bit encoding or UTF-8 file has. Decided on the first bytes (at least 2 pairs):
 * zeros in ≥ 40 % of the odd positions and ≤ 10 % of the even ones → little-endian, the other way round → big-endian.
 */
export function utf16WithoutBom (sample: Buffer): 'utf16le' | 'utf16be' | null {
  const pairs = Math.min(sample.length, UTF16_SAMPLE) >> 1
  if (pairs < 2) return null
  let even = 0
  let odd = 0
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) even++
    if (sample[2 * i + 1] === 0) odd++
  }
  if (odd >= 0.4 * pairs && even <= 0.1 * pairs) return 'utf16le'
  if (even >= 0.4 * pairs && odd <= 0.1 * pairs) return 'utf16be'
  return null
}
/** Bytes looked at before the encoding is decided (a BOM, or UTF-16 without one). */
const UTF16_SAMPLE = 512

/**
 * Decides the encoding of a byte sample: a BOM wins, then UTF-16 without BOM (see utf16WithoutBom); otherwise the sample is UTF-8 when it is valid UTF-8
 * (an incomplete sequence at the very end is tolerated unless `atEnd`), else the fallback (Windows-1252).
 * Pure ASCII → 'ascii' (undecided: every candidate decodes it identically).
 */
export function detectEncoding (sample: Buffer, fallback: 'windows1252' | 'latin1' = 'windows1252', atEnd = false): TextEncoding | 'latin1' {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8'
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le'
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be'
  const utf16 = utf16WithoutBom(sample)
  if (utf16 !== null) return utf16
  if (isAscii(sample)) return 'ascii'
  return isUtf8(atEnd ? sample : sample.subarray(0, completeUtf8Prefix(sample))) ? 'utf8' : fallback
}

/**
 * Streams bytes → text. The decision is lazy: while the bytes are pure ASCII they are passed through; the
 * first chunk that holds a non-ASCII byte decides UTF-8 vs Windows-1252 (so a Latin-1 file whose first
 * 64 KB are ASCII is still detected correctly). A BOM (UTF-8, UTF-16 LE/BE) decides at once and is removed.
 * After the decision, UTF-8/UTF-16 go through iconv-lite's streaming decoders (multi-byte sequences split
 * across chunks are handled); Windows-1252 / ISO-8859-1 use Node's native latin1 decoding (+ a remap of
 * 0x80–0x9F for Windows-1252), which is several times faster. Line endings (CRLF, CR, LF, mixed) → LF.
 */
export async function * decodeBytes (bytes: AsyncIterable<Buffer>, opts: DecodeOptions = {}, onEncoding?: (e: TextEncoding) => void): AsyncGenerator<string> {
  const fallback = opts.fallback ?? 'windows1252'
  let decoder: iconv.DecoderStream | null = null
  let started = false
  let head: Buffer | null = null // the first bytes, until there are enough to look for a BOM
  let pendingCR = false

  const normalise = (s: string): string => {
    if (pendingCR) {
      pendingCR = false
      if (s.charCodeAt(0) === 10) s = s.slice(1)
    }
    if (s.indexOf('\r') === -1) return s
    if (s.charCodeAt(s.length - 1) === 13) pendingCR = true // a following "\n" in the next chunk is dropped
    return s.replace(CR_RE, '\n')
  }

  const decide = (buf: Buffer, atEnd = false): string => {
    // first non-ASCII content (or a BOM): choose the decoder
    const enc = detectEncoding(buf, fallback, atEnd)
    let e: TextEncoding
    let body = buf
    if (enc === 'utf8' && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) body = buf.subarray(3)
    if ((enc === 'utf16le' && buf[0] === 0xff && buf[1] === 0xfe) || (enc === 'utf16be' && buf[0] === 0xfe && buf[1] === 0xff)) body = buf.subarray(2)
    if (enc === 'latin1') e = 'windows1252'
    else e = enc === 'ascii' ? 'utf8' : enc
    decoder = enc === 'latin1' ? LATIN1_DECODER : e === 'windows1252' ? new Cp1252Decoder() : iconv.getDecoder(e, { stripBOM: false })
    onEncoding?.(e)
    return decoder.write(body)
  }

  let tail: Buffer | null = null // undecided: a possible UTF-8 sequence cut at the end of an otherwise ASCII chunk
  const handle = (buf: Buffer): string => {
    if (decoder !== null) return (decoder as iconv.DecoderStream).write(buf)
    if (tail !== null) { buf = Buffer.concat([tail, buf]); tail = null }
    if (isAscii(buf)) return buf.toString('latin1')
    const cut = completeUtf8Prefix(buf)
    if (cut < buf.length && isAscii(buf.subarray(0, cut))) {
      // the only non-ASCII bytes are an incomplete sequence at the end: wait for the next chunk to decide
      tail = Buffer.from(buf.subarray(cut))
      return buf.toString('latin1', 0, cut)
    }
    return decide(buf)
  }

  for await (const chunk of bytes) {
    let buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk as string) : chunk
    if (!started) {
      head = head === null ? buf : Buffer.concat([head, buf])
      if (head.length < UTF16_SAMPLE) continue
      started = true
      buf = head
      head = null
      if (hasBomOrUtf16(buf)) {
        const s = decide(buf)
        if (s !== '') yield normalise(s)
        continue
      }
    }
    const s = handle(buf)
    if (s !== '') yield normalise(s)
  }
  if (!started && head !== null && head.length > 0) {
    const s = hasBomOrUtf16(head) ? decide(head, true) : handle(head)
    if (s !== '') yield normalise(s)
  }
  if (tail !== null) {
    const s = decide(tail, true)
    if (s !== '') yield normalise(s)
  }
  if (decoder !== null) {
    const rest = (decoder as iconv.DecoderStream).end()
    if (rest) yield normalise(rest)
  }
}

const CR_RE = /\r\n?/g

function hasBomOrUtf16 (b: Buffer): boolean {
  return (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) || (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) ||
    utf16WithoutBom(b) !== null
}

// Single-byte decoders on top of Node's native latin1 decoding (several times faster than a table lookup in JS).
// Windows-1252 differs from ISO-8859-1 only in 0x80–0x9F: those code points are remapped after decoding
// (five bytes undefined in Windows-1252 stay as the C1 control characters, like ISO-8859-1).
const LATIN1_DECODER: iconv.DecoderStream = { write: (b) => b.toString('latin1'), end: () => undefined }
const C1_RE = /[\u0080-\u009f]/g
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'
const cp1252Char = (c: string): string => CP1252_HIGH[c.charCodeAt(0) - 0x80]
class Cp1252Decoder implements iconv.DecoderStream {
  write (b: Buffer): string {
    const s = b.toString('latin1')
    C1_RE.lastIndex = 0
    return C1_RE.test(s) ? s.replace(C1_RE, cp1252Char) : s
  }

  end (): string | undefined { return undefined }
}

// ---------------------------------------------------------------------------------------------------------
// Zip + input opening

interface PeekedInput { head: Buffer; rest: AsyncGenerator<Buffer>; close: () => Promise<void> }

async function peek (input: AsyncIterable<Buffer | string>, n: number): Promise<PeekedInput> {
  const it = input[Symbol.asyncIterator]()
  const parts: Buffer[] = []
  let len = 0
  let done = false
  while (len < n) {
    const r = await it.next()
    if (r.done) { done = true; break }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value
    parts.push(b)
    len += b.length
  }
  const head = parts.length === 1 ? parts[0] : Buffer.concat(parts)
  /** Releases the input (destroys a stream) unless it was read to the end. */
  const close = async (): Promise<void> => {
    if (done) return
    done = true
    await it.return?.()
  }
  async function * rest (): AsyncGenerator<Buffer> {
    try {
      while (!done) {
        const r = await it.next()
        if (r.done) { done = true; return }
        yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value
      }
    } finally {
      await close()
    }
  }
  return { head, rest: rest(), close }
}

function openZip (file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => { if (err || !zip) reject(err ?? new Error('zip open failed')); else resolve(zip) })
  })
}

function listEntries (zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = []
    zip.on('entry', (e: yauzl.Entry) => { out.push(e); zip.readEntry() })
    zip.once('end', () => resolve(out))
    zip.once('error', reject)
    zip.readEntry()
  })
}

function openEntry (zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, s) => { if (err || !s) reject(err ?? new Error('zip entry open failed')); else resolve(s) })
  })
}

const TEXT_ENTRY = /\.(txt|csv|tsv|json|ndjson|jsonl)$/i
const BINARY_ENTRY = /\.(pdf|png|jpe?g|gif|xlsx?|docx?|odt|ods|zip|gz|7z|rar)$/i
const expecting = (expected: string | undefined) => expected ? `; expected ${expected}` : ''

/** Chooses the entry to read: the only file (unless named as a document or image), else the only text file (.txt, .csv, .json, …). */
export function pickZipEntry (names: string[], file: string, expected?: string): string {
  const files = names.filter((n) => !n.endsWith('/') && !n.startsWith('__MACOSX/') && !path.basename(n).startsWith('._'))
  // an Excel workbook is a zip too: say so, rather than "no text entry"
  if (files.includes('[Content_Types].xml') && files.some((n) => n.startsWith('xl/'))) {
    throw new Error(`${file}: this is an Excel workbook (XLSX), not a text file${expecting(expected)} ` +
      '(save the sheet as CSV, or use a format that reads Excel: myh for education, xlsx for curated lists)')
  }
  // the only file, whatever its name (a published entry may have none), unless its name says it is no text
  if (files.length === 1 && !BINARY_ENTRY.test(files[0])) return files[0]
  const text = files.filter((n) => TEXT_ENTRY.test(n))
  if (text.length === 1) return text[0]
  throw new Error(`${file}: the zip must contain exactly one text file (.txt, .csv or .json), found ${text.length} ` +
    `(${files.length === 0 ? 'the zip is empty' : files.slice(0, 5).join(', ')})${expecting(expected)}`)
}

async function * zipEntryBytes (input: Readable | AsyncIterable<Buffer | string>, peeked: PeekedInput, file: string, onEntry: (name: string) => void,
  maxBytes: number, expected?: string): AsyncGenerator<Buffer> {
  // yauzl needs random access to the central directory at the end of the file: use the path of a file
  // stream when there is one, else spool the stream to a temporary file (streamed, never buffered in memory).
  let zipPath: string | null = null
  let tmpDir: string | null = null
  const p = (input as { path?: unknown }).path
  if (typeof p === 'string') {
    try { if ((await stat(p)).isFile()) zipPath = p } catch { /* not a readable path: spool */ }
  }
  let zip: yauzl.ZipFile | null = null
  try {
    if (zipPath !== null) {
      await peeked.close() // yauzl reads the file itself
    } else {
      tmpDir = await mkdtemp(path.join(os.tmpdir(), 'kkb-ingest-'))
      zipPath = path.join(tmpDir, 'input.zip')
      const head = peeked.head
      async function * all (): AsyncGenerator<Buffer> { yield head; yield * peeked.rest }
      await pipeline(all(), createWriteStream(zipPath))
    }
    try {
      zip = await openZip(zipPath)
    } catch (e) {
      throw new Error(`${file}: not a readable zip file (${(e as Error).message})${expecting(expected)}`, { cause: e })
    }
    const entries = await listEntries(zip)
    const name = pickZipEntry(entries.map((e) => e.fileName), file, expected)
    const entry = entries.find((e) => e.fileName === name)!
    onEntry(name)
    // A zip bomb is refused by its declared size at once, and by the bytes actually inflated in case the header lies.
    const tooBig = () => new Error(`${file}: the zip entry ${name} is larger than ${Math.round(maxBytes / 1048576)} MB uncompressed ` +
      `(${LIMIT_SETTING.maxUncompressedBytes}); the import was refused`)
    if (entry.uncompressedSize > maxBytes) throw tooBig()
    const stream = await openEntry(zip, entry)
    let inflated = 0
    for await (const chunk of stream) {
      inflated += (chunk as Buffer).length
      if (inflated > maxBytes) { stream.destroy(); throw tooBig() }
      yield chunk as Buffer
    }
  } finally {
    zip?.close()
    if (tmpDir !== null) await rm(tmpDir, { recursive: true, force: true })
  }
}

/**
 * Opens an import input: unwraps a zip (detected by the `PK\x03\x04` magic or a `.zip` file name; the single
 * `.txt` entry is streamed), detects the encoding and yields LF-normalised text chunks.
 */
export async function openText (input: Readable | AsyncIterable<Buffer | string>, file: string, opts: DecodeOptions = {}): Promise<TextSource> {
  const peeked = await peek(input, 4)
  const isZip = (peeked.head.length >= 4 && peeked.head.readUInt32LE(0) === ZIP_MAGIC) ||
    (peeked.head.length > 0 && file.toLowerCase().endsWith('.zip'))
  let encoding: TextEncoding = 'ascii'
  let bytes: AsyncGenerator<Buffer>
  const source: TextSource = {
    chunks: null as unknown as AsyncGenerator<string>,
    entryName: null,
    encoding: () => encoding,
    close: async () => {
      // each step is a no-op when already finished; the last one covers generators that never started
      await source.chunks.return(undefined)
      await bytes.return(undefined)
      await peeked.close()
    },
  }
  if (peeked.head.length >= 4 && peeked.head.readUInt32BE(0) === XLS_MAGIC) {
    await peeked.close()
    throw new Error(`${file}: this is an Excel 97–2003 workbook (XLS), not a text file${expecting(opts.expected)} (save the sheet as CSV)`)
  }
  if (isZip) {
    bytes = zipEntryBytes(input, peeked, file, (name) => { source.entryName = name },
      opts.maxUncompressedBytes ?? DEFAULT_IMPORT_LIMITS.maxUncompressedBytes, opts.expected)
  } else {
    const head = peeked.head
    bytes = (async function * () { if (head.length > 0) yield head; yield * peeked.rest })()
  }
  source.chunks = decodeBytes(bytes, opts, (e) => { encoding = e })
  return source
}

// ---------------------------------------------------------------------------------------------------------
// Lines

/**
 * A bound on the length of one physical line: a longer line is never held in memory; it is replaced by an empty line
 * (every reader skips blank lines, so line numbers stay physical) and reported through `onOverlong` with its number.
 */
export interface LineGuard {
  maxChars: number
  onOverlong: (line: number, chars: number) => void
}

/**
 * Splits LF-normalised text chunks into physical lines, yielding one array of complete lines per chunk
 * (so consumers pay one `await` per chunk, not per line). A final line without a trailing newline is
 * yielded too; a trailing newline does not produce an extra empty line. With a guard, no line longer than
 * guard.maxChars is ever built (a 1 GiB line without a newline costs one chunk of memory, not 1 GiB).
 */
export async function * readLines (chunks: AsyncIterable<string>, guard?: LineGuard): AsyncGenerator<string[]> {
  if (guard === undefined) {
    let carry = ''
    for await (const chunk of chunks) {
      const text = carry === '' ? chunk : carry + chunk
      const lastNl = text.lastIndexOf('\n')
      if (lastNl === -1) { carry = text; continue }
      carry = text.slice(lastNl + 1)
      yield text.slice(0, lastNl).split('\n')
    }
    if (carry !== '') yield [carry]
    return
  }
  const max = guard.maxChars
  let carry = ''
  let lineNo = 1 // number of the line the carry belongs to
  let skipped = -1 // ≥ 0 while the rest of an over-long line (number lineNo) is being skipped: its length so far
  for await (const chunk of chunks) {
    let pos = 0
    let head: string[] | null = null
    if (skipped >= 0) {
      const nl = chunk.indexOf('\n')
      if (nl === -1) { skipped += chunk.length; continue }
      guard.onOverlong(lineNo++, skipped + nl)
      skipped = -1
      head = ['']
      pos = nl + 1
    }
    const lastNl = chunk.lastIndexOf('\n')
    let lines: string[] = []
    if (lastNl < pos) {
      carry += pos === 0 ? chunk : chunk.slice(pos)
    } else {
      lines = (carry + chunk.slice(pos, lastNl)).split('\n')
      carry = chunk.slice(lastNl + 1)
      for (let k = 0; k < lines.length; k++) {
        if (lines[k].length > max) { guard.onOverlong(lineNo + k, lines[k].length); lines[k] = '' }
      }
      lineNo += lines.length
    }
    if (carry.length > max) { skipped = carry.length; carry = '' }
    if (head !== null) lines = head.concat(lines)
    if (lines.length > 0) yield lines
  }
  if (skipped >= 0) { guard.onOverlong(lineNo, skipped); yield [''] } else if (carry !== '') yield [carry]
}

/** A line the parsers skip: empty or only whitespace (tested cheaply first: most lines start with a letter or digit). */
export const isBlankLine = (line: string): boolean => line === '' || (line.charCodeAt(0) <= 32 && line.trim() === '')

/**
 * The same bound for a reader that takes text rather than lines (csv-parse): over-long lines are blanked (their line
 * break kept) and reported; everything else passes through unchanged.
 */
export async function * guardChunks (chunks: AsyncIterable<string>, guard: LineGuard): AsyncGenerator<string> {
  for await (const lines of readLines(chunks, guard)) yield lines.join('\n') + '\n'
}

// ---------------------------------------------------------------------------------------------------------
// Delimiters

export type Delimiter = ';' | ',' | '\t'

/**
 * Detects the delimiter of a project CSV from its header line: the most frequent of `;`, `,` and TAB outside
 * double quotes. Ties prefer TAB, then `;`, then `,`; a header without any of them → `,`.
 */
export function detectDelimiter (headerLine: string): Delimiter {
  let semi = 0; let comma = 0; let tab = 0
  let inQuote = false
  for (let i = 0; i < headerLine.length; i++) {
    const c = headerLine.charCodeAt(i)
    if (c === 34) inQuote = !inQuote
    else if (inQuote) continue
    else if (c === 59) semi++
    else if (c === 44) comma++
    else if (c === 9) tab++
  }
  if (tab > 0 && tab >= semi && tab >= comma) return '\t'
  if (semi > 0 && semi >= comma) return ';'
  return ','
}
