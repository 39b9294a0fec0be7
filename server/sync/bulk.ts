// The published bulk files (SCB's and Bolagsverket's zips): a conditional GET (If-None-Match / If-Modified-Since with
// the validators of the copy on disk), so an unchanged file is neither downloaded nor imported again.
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import yauzl from 'yauzl'
import { referenceYearFromFileName } from '../ingest/formats/index.js'
import { HttpError, fetchRetrying, type Pacer, type RetryPolicy, type Sleep } from './http.js'
import type { StateStore } from './state.js'

export interface BulkFile {
  /** key in the state file, e.g. "scb" */
  name: string
  url: string
}

export interface DownloadResult { file: string; downloaded: boolean; bytes: number }
export interface DownloadOptions {
  pacer?: Pacer
  signal?: AbortSignal
  wait?: Sleep
  onProgress?: (bytes: number, total: number | null) => void
  onRetry?: (m: string) => void
}

/** Downloads `src` unless the copy on disk is still current (304). Saves the new validators before returning. */
export async function downloadIfChanged (store: StateStore, src: BulkFile, policy: RetryPolicy,
  opts: DownloadOptions = {}): Promise<DownloadResult> {
  const prev = store.state.files[src.name]
  const fileName = `${src.name}-${baseName(src.url)}`
  const local = store.path(fileName)
  const headers: Record<string, string> = {}
  if (prev && prev.url === src.url && existsSync(store.path(prev.file))) {
    if (prev.etag) headers['if-none-match'] = prev.etag
    if (prev.lastModified) headers['if-modified-since'] = prev.lastModified
  }
  const res = await fetchRetrying(src.url, { headers }, policy, `${src.name} download`, opts)
  if (res.status === 304) {
    await res.body?.cancel().catch(() => {})
    return { file: store.path(prev!.file), downloaded: false, bytes: 0 }
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel().catch(() => {})
    throw new HttpError(`${src.name} download: HTTP ${res.status} from ${src.url}`, res.status)
  }
  const total = Number(res.headers.get('content-length')) || null
  let bytes = 0
  const part = `${local}.part`
  const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>)
  body.on('data', (b: Buffer) => { bytes += b.length; opts.onProgress?.(bytes, total) })
  try {
    await pipeline(body, createWriteStream(part))
  } catch (e) {
    rmSync(part, { force: true })
    throw new HttpError(`${src.name} download interrupted after ${bytes} bytes: ${(e as Error).message}`, null)
  }
  renameSync(part, local)
  store.state.files[src.name] = {
    url: src.url, file: fileName, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified'),
    downloadedAt: new Date().toISOString(), importedYear: null, importedAt: null, batchId: null,
  }
  store.save()
  return { file: local, downloaded: true, bytes }
}

function baseName (url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'download'
  return last.replace(/[^A-Za-z0-9._-]/g, '_')
}

/** The reference year in the name of a zip's entry (`scb_bulkfil_JE_20260601T065839_76.txt` → 2026), or null. */
export async function zipEntryYear (file: string): Promise<number | null> {
  const zip = await new Promise<yauzl.ZipFile | null>((resolve) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, z) => resolve(err || !z ? null : z))
  })
  if (zip === null) return referenceYearFromFileName(file)
  return new Promise((resolve) => {
    let year: number | null = null
    zip.on('entry', (e: yauzl.Entry) => {
      year = year ?? referenceYearFromFileName(e.fileName)
      zip.readEntry()
    })
    zip.on('end', () => resolve(year))
    zip.on('error', () => resolve(year))
    zip.readEntry()
  })
}
