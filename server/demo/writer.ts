// Buffered line writer for the synthetic register files: rows are collected into ~256 KB string
// chunks, encoded (UTF-8, or ISO-8859-1 through iconv-lite) and written to a file stream. The
// caller checks `blocked` after each row and awaits `drained()`, so memory stays flat however
// many rows are written (backpressure is honoured, no giant strings).
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import iconv from 'iconv-lite'

export type FileEncoding = 'utf8' | 'latin1'

const CHUNK_CHARS = 256 * 1024

export class LineWriter {
  private readonly stream: WriteStream
  private parts: string[] = []
  private size = 0
  private waiting: Promise<unknown> | null = null
  private failure: Error | null = null
  lines = 0
  bytes = 0

  constructor (readonly path: string, private readonly encoding: FileEncoding, private readonly eol: '\n' | '\r\n' = '\n') {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 })
    this.stream.on('error', (err) => { this.failure = err })
  }

  /** True when the file stream is over its high-water mark: await drained() before writing more. */
  get blocked (): boolean { return this.waiting !== null || this.failure !== null }

  line (text: string): void {
    this.parts.push(text, this.eol)
    this.size += text.length + this.eol.length
    this.lines++
    if (this.size >= CHUNK_CHARS) this.flush()
  }

  private flush (): void {
    if (this.size === 0) return
    const text = this.parts.join('')
    this.parts = []
    this.size = 0
    const buf = this.encoding === 'latin1' ? iconv.encode(text, 'ISO-8859-1') : Buffer.from(text, 'utf8')
    this.bytes += buf.length
    if (!this.stream.write(buf) && this.waiting === null) {
      this.waiting = once(this.stream, 'drain').then(() => { this.waiting = null })
    }
  }

  async drained (): Promise<void> {
    if (this.failure) throw this.failure
    if (this.waiting) await this.waiting
    if (this.failure) throw this.failure
  }

  /** Stops writing after an error elsewhere (the partial file is left for inspection). */
  abort (): void { this.stream.destroy() }

  async close (): Promise<void> {
    this.flush()
    await this.drained()
    this.stream.end()
    await finished(this.stream)
    if (this.failure) throw this.failure
  }
}

const NEEDS_QUOTES = /[;"\n\r]/

/** RFC 4180-style quoting for the ';'-separated CSV format: only when the value needs it. */
export function csvField (v: string | number | null | undefined): string {
  if (v === null || v === undefined) return ''
  const s = String(v)
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Decimal comma, fixed decimals. */
export function decimalComma (v: number | null, decimals: number): string {
  return v === null ? '' : v.toFixed(decimals).replace('.', ',')
}
