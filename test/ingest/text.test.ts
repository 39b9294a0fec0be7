import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { decodeBytes, detectDelimiter, detectEncoding, openText, pickZipEntry, readLines } from '../../server/ingest/text.js'
import { streamOf } from './helpers.js'
import { makeZip } from './zip-writer.js'

async function text (data: Buffer, chunk = 64 * 1024, file = 'f.csv'): Promise<{ text: string; encoding: string; entry: string | null }> {
  const src = await openText(streamOf(data, chunk), file)
  let out = ''
  for await (const c of src.chunks) out += c
  return { text: out, encoding: src.encoding(), entry: src.entryName }
}

async function lines (data: Buffer, chunk: number): Promise<string[]> {
  const src = await openText(streamOf(data, chunk), 'f.txt')
  const out: string[] = []
  for await (const b of readLines(src.chunks)) out.push(...b)
  return out
}

const SAMPLE = 'Åsa "Lillan" Öberg;Café €5;naïve\n'

describe('encoding detection', () => {
  it('detects UTF-8 with and without BOM, Windows-1252 and ISO-8859-1', async () => {
    expect(await text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]))).toEqual({ text: SAMPLE, encoding: 'utf8', entry: null })
    expect(await text(Buffer.from(SAMPLE))).toMatchObject({ text: SAMPLE, encoding: 'utf8' })
    expect(await text(iconv.encode(SAMPLE, 'win1252'))).toMatchObject({ text: SAMPLE, encoding: 'windows1252' })
    const latin = 'Åsa "Lillan" Öberg; Ärlig Ödmjuk\n'
    expect(await text(iconv.encode(latin, 'latin1'))).toMatchObject({ text: latin, encoding: 'windows1252' })
    expect(await text(Buffer.from('plain ascii\n'))).toMatchObject({ text: 'plain ascii\n', encoding: 'ascii' })
  })

  it('decides at the first non-ASCII byte, even far into the file, and across 1-byte chunks', async () => {
    const ascii = 'x'.repeat(200_000) + '\n'
    const latin = await text(iconv.encode(ascii + SAMPLE, 'win1252'))
    expect(latin.encoding).toBe('windows1252')
    expect(latin.text.endsWith(SAMPLE)).toBe(true)
    const utf = await text(Buffer.from(ascii + SAMPLE))
    expect(utf.encoding).toBe('utf8')
    expect(utf.text.endsWith(SAMPLE)).toBe(true)
    // UTF-8 multi-byte sequences split across 1-byte chunks
    expect((await text(Buffer.from(SAMPLE), 1)).text).toBe(SAMPLE)
    expect((await text(iconv.encode(SAMPLE, 'win1252'), 1)).text).toBe(SAMPLE)
    // a lone lead byte at the very end is not UTF-8
    expect(await text(Buffer.from([0x61, 0x62, 0x63, 0x64, 0xc3]))).toMatchObject({ text: 'abcdÃ', encoding: 'windows1252' })
  })

  it('reads UTF-16 with a BOM', async () => {
    expect(await text(iconv.encode('Ödla;1\n', 'utf16le', { addBOM: true }))).toMatchObject({ text: 'Ödla;1\n', encoding: 'utf16le' })
  })

  it('detectEncoding on samples', () => {
    expect(detectEncoding(Buffer.from('abc'))).toBe('ascii')
    expect(detectEncoding(Buffer.from('åäö'))).toBe('utf8')
    expect(detectEncoding(Buffer.from([0xe5, 0x20]))).toBe('windows1252')
    expect(detectEncoding(Buffer.from([0x61, 0xc3]))).toBe('utf8') // cut sequence at the end of a sample
  })
})

describe('line endings', () => {
  it('normalises CRLF, CR and LF (mixed), at every chunk size', async () => {
    const data = Buffer.from('a\r\nb\nc\rd\r\n\r\ne\n\rf')
    for (const chunk of [1, 2, 3, 5, 1024]) {
      expect(await lines(data, chunk)).toEqual(['a', 'b', 'c', 'd', '', 'e', '', 'f'])
    }
  })

  it('does not produce a trailing empty line and keeps a final line without newline', async () => {
    expect(await lines(Buffer.from('a\nb\n'), 1)).toEqual(['a', 'b'])
    expect(await lines(Buffer.from('a\r\nb'), 1)).toEqual(['a', 'b'])
    expect(await lines(Buffer.from(''), 1)).toEqual([])
  })

  it('decodeBytes accepts any async iterable of buffers', async () => {
    async function * src () { yield Buffer.from('x\r'); yield Buffer.from('\ny') }
    let s = ''
    for await (const c of decodeBytes(src())) s += c
    expect(s).toBe('x\ny')
  })
})

describe('delimiters and zips', () => {
  it('detects ; , and TAB from the header, ignoring quoted text', () => {
    expect(detectDelimiter('orgnr;name;kommun')).toBe(';')
    expect(detectDelimiter('orgnr,name,kommun')).toBe(',')
    expect(detectDelimiter('orgnr\tname\tkommun')).toBe('\t')
    expect(detectDelimiter('"a;b;c",name,kommun')).toBe(',')
    expect(detectDelimiter('orgnr')).toBe(',')
  })

  it('unwraps the single .txt entry of a zip (by magic or extension)', async () => {
    const zip = makeZip([{ name: 'dir/', data: Buffer.alloc(0) }, { name: 'readme.pdf', data: Buffer.from('x') }, { name: 'dir/data_20250101.txt', data: iconv.encode(SAMPLE, 'win1252') }])
    expect(await text(zip, 50, 'upload')).toEqual({ text: SAMPLE, encoding: 'windows1252', entry: 'dir/data_20250101.txt' })
    const stored = makeZip([{ name: 'a.csv', data: Buffer.from('x;y\n') }], false)
    expect(await text(stored, 64 * 1024, 'a.zip')).toMatchObject({ text: 'x;y\n', entry: 'a.csv' })
    await expect(text(Buffer.from('not a zip at all'), 1024, 'x.zip')).rejects.toThrow(/x\.zip: not a readable zip file/)
    expect(() => pickZipEntry(['a.txt', 'b.txt'], 'two.zip')).toThrow('two.zip: the zip must contain exactly one text file (.txt, .csv or .json), found 2 (a.txt, b.txt)')
  })
})

describe('bounded lines (issue #14 F1)', () => {
  async function guarded (chunks: string[], max: number) {
    const overlong: Array<[number, number]> = []
    const out: string[] = []
    async function * src () { yield * chunks }
    for await (const b of readLines(src(), { maxChars: max, onOverlong: (l, n) => overlong.push([l, n]) })) out.push(...b)
    return { out, overlong }
  }

  it('blanks a line over the limit (keeping line numbers) and reports its number and length, however it is chunked', async () => {
    const text = 'a\n' + 'x'.repeat(25) + '\nb\n' + 'y'.repeat(30)
    for (const size of [1, 3, 7, 100]) {
      const chunks: string[] = []
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size))
      expect(await guarded(chunks, 10), `chunk ${size}`).toEqual({ out: ['a', '', 'b', ''], overlong: [[2, 25], [4, 30]] })
    }
    expect(await guarded(['short\nlines\n'], 10)).toEqual({ out: ['short', 'lines'], overlong: [] })
  })

  it('a 2 MB line without a newline, in 2 000 chunks, is one blanked line reported once', async () => {
    async function * endless () { for (let i = 0; i < 2000; i++) yield 'z'.repeat(1000) }
    const overlong: Array<[number, number]> = []
    const out: string[] = []
    for await (const b of readLines(endless(), { maxChars: 5000, onOverlong: (l, n) => overlong.push([l, n]) })) out.push(...b)
    expect(out).toEqual([''])
    expect(overlong).toEqual([[1, 2_000_000]])
  })

  it('detects UTF-16 without a BOM from the zero bytes, and not a UTF-8 text with one NUL', async () => {
    expect(detectEncoding(iconv.encode('orgnr;namn\nÅsa', 'utf16le'))).toBe('utf16le')
    expect(detectEncoding(iconv.encode('orgnr;namn\nÅsa', 'utf16be'))).toBe('utf16be')
    expect(detectEncoding(Buffer.from('orgnr;namn\nNul\u0000 AB;1\n'))).toBe('ascii')
    expect((await text(iconv.encode('orgnr;namn\r\nÅsa Öberg;1\r\n', 'utf16le'), 3)).text).toBe('orgnr;namn\nÅsa Öberg;1\n')
  })
})
