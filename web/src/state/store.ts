// A small store: one state object, patched with set(); watchers name the keys they depend on and are called
// only when one of those changed. Not a framework: no scheduling, no batching, watchers run in the order they were added.
type Watcher<T> = (s: T, prev: T) => void

export class Store<T extends object> {
  private watchers: { keys: readonly (keyof T)[]; fn: Watcher<T> }[] = []
  /** @param byIdentity keys compared with === (loaded data); the others are compared by value (JSON) */
  constructor (private state: T, private byIdentity: ReadonlySet<keyof T> = new Set()) {}

  get (): T { return this.state }

  set (patch: Partial<T>): void {
    const prev = this.state
    const changed = (Object.keys(patch) as (keyof T)[]).filter((k) => !this.same(k, prev[k], patch[k]))
    if (!changed.length) return
    this.state = { ...prev, ...patch }
    for (const w of this.watchers.slice()) {
      // the current state: a watcher before this one may have set more
      if (w.keys.some((k) => changed.includes(k))) w.fn(this.state, prev)
    }
  }

  /** Calls fn after each change of any of the keys; returns the unsubscribe function. */
  watch (keys: readonly (keyof T)[], fn: Watcher<T>): () => void {
    const w = { keys, fn }
    this.watchers.push(w)
    return () => { this.watchers = this.watchers.filter((x) => x !== w) }
  }

  private same (k: keyof T, a: unknown, b: unknown): boolean {
    if (a === b || this.byIdentity.has(k)) return a === b
    return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b)
  }
}
