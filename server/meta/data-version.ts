// The data version: the one fact every cache is keyed by. A counter row (meta.data_version) that every import bumps in
// its transaction, whoever runs it (HTTP, CLI, sync, demo seeding, definition loads), plus the time the definitions
// were last loaded. Each process reads it cheaply (one primary-key lookup at most every `maxAgeMs`, concurrent readers
// share the query), so several server instances on one PostgreSQL see each other's imports; an import in this process
// is seen at once (dataChanged()). Caches subscribe: when the version moves they are told and drop what they hold.
import type { DbHandle } from '../db/client.js'

type Query = Pick<DbHandle, 'query'>

/** Inside the import's transaction: the data changed. */
export async function bumpDataVersion (q: Query): Promise<void> {
  await q.query(`INSERT INTO meta (key, value) VALUES ('data_version', '1')
    ON CONFLICT (key) DO UPDATE SET value = (meta.value::int + 1)::text`)
}

/** The counter alone, read now (an export checks it between pages: no cache may stand in between). */
export async function currentDataVersion (q: Query): Promise<number> {
  const { rows } = await q.query<{ value: string }>("SELECT value FROM meta WHERE key = 'data_version'")
  return Number(rows[0]?.value ?? 0)
}

/** Every version service of this process, to be told when an import here has committed. */
const live = new Set<WeakRef<DataVersion>>()

/** After an import in this process commits: every service re-reads the version on its next use. */
export function dataChanged (): void {
  for (const ref of live) {
    const s = ref.deref()
    if (s) s.invalidate()
    else live.delete(ref)
  }
}

export class DataVersion {
  private value: string | undefined
  private at = 0
  private pending: Promise<string> | undefined
  private subscribers = new Set<(v: string) => void>()
  private memos = new Map<string, Promise<unknown>>()

  constructor (private db: Query, private maxAgeMs = 1000, onChange?: (v: string) => void) {
    if (onChange) this.subscribers.add(onChange)
    live.add(new WeakRef(this))
  }

  /** The current version: `<counter>.<definitions loaded at>`. */
  get (): Promise<string> {
    if (this.value !== undefined && Date.now() - this.at < this.maxAgeMs) return Promise.resolve(this.value)
    if (!this.pending) {
      this.pending = this.read().finally(() => { this.pending = undefined })
    }
    return this.pending
  }

  /** The counter part of a version (what responses show as dataVersion). */
  static counter (version: string): number { return Number(version.split('.')[0]) }

  /** Forget the cached value (an import in this process), so the next use re-reads it. */
  invalidate (): void { this.at = 0 }

  /** `fn` runs with the new version whenever it moves; returns the unsubscribe. */
  subscribe (fn: (v: string) => void): () => void {
    this.subscribers.add(fn)
    return () => { this.subscribers.delete(fn) }
  }

  /** A value derived from the data, computed once per version (a failure is not kept). */
  memo<T> (version: string, key: string, load: () => Promise<T>): Promise<T> {
    const k = `${version}|${key}`
    let p = this.memos.get(k) as Promise<T> | undefined
    if (!p) {
      p = load()
      p.catch(() => this.memos.delete(k))
      this.memos.set(k, p)
    }
    return p
  }

  private async read (): Promise<string> {
    const { rows } = await this.db.query<{ v: string }>(`SELECT coalesce((SELECT value FROM meta WHERE key = 'data_version'), '0') || '.' ||
      coalesce((SELECT max(loaded_at)::text FROM kkb_definition), '') AS v`)
    const v = rows[0].v
    const changed = this.value !== undefined && v !== this.value
    this.value = v
    this.at = Date.now()
    if (changed) {
      this.memos.clear()
      for (const fn of this.subscribers) fn(v)
    }
    return v
  }
}

const byDb = new WeakMap<object, DataVersion>()

/**
 * The version service of a database handle: one per handle, shared by the Fastify plugin (`app.dataVersion`) and the
 * domain modules that cache by it (key figures, data info, tiles), also where no app runs (CLI, bench, tests).
 */
export function dataVersionOf (db: Query): DataVersion {
  let s = byDb.get(db)
  if (!s) byDb.set(db, s = new DataVersion(db))
  return s
}
