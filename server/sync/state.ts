// What the sync remembers between runs, in DATA_DIR/sync/state.json (a file, not the database: it must survive a
// failed import, which rolls the database back). Written atomically (temporary file + rename) after every step, so
// an interrupted run loses at most the page it was fetching.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** A published file: the validators of the copy on disk, and the reference year it was last imported for. */
export interface FileState {
  url: string
  file: string // under the sync directory
  etag: string | null
  lastModified: string | null
  downloadedAt: string
  /** null until the downloaded copy has been imported */
  importedYear: number | null
  importedAt: string | null
  batchId: number | null
}

/** One paged list of the AFR API (one endpoint, one SNI code): where to continue. */
export interface ListState { cursor: string | null; pages: number; rows: number; done: boolean }

/** An AFR fetch in progress for one kind: the pages so far are in `file` (NDJSON, one page a line, `bytes` long). */
export interface AfrRunState {
  year: number
  startedAt: string
  file: string
  bytes: number
  lists: Record<string, ListState>
  /** the API's own update date when the run started (GET /api-info), if it gives one */
  dataDate: string | null
}

export interface AfrDone { dataDate: string | null; importedAt: string; batchId: number; year: number }

export interface SyncState {
  files: Record<string, FileState>
  afr: { running: Record<string, AfrRunState>; done: Record<string, AfrDone> }
}

export class StateStore {
  readonly dir: string
  private readonly file: string
  state: SyncState
  constructor (dataDir: string) {
    this.dir = path.join(dataDir, 'sync')
    mkdirSync(this.dir, { recursive: true })
    this.file = path.join(this.dir, 'state.json')
    this.state = existsSync(this.file) ? normalise(JSON.parse(readFileSync(this.file, 'utf8'))) : normalise({})
  }

  save (): void {
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, JSON.stringify(this.state, null, 2))
    renameSync(tmp, this.file)
  }

  path (name: string): string { return path.join(this.dir, name) }
}

function normalise (s: Partial<SyncState>): SyncState {
  return { files: s.files ?? {}, afr: { running: s.afr?.running ?? {}, done: s.afr?.done ?? {} } }
}
