// Failed authentications per client address, counted in a fixed window. After `max` failures the address is refused
// (429 with Retry-After) before its next token is even looked up, until the window ends: a human-chosen ADMIN_TOKEN
// cannot be guessed at the speed of the database. In memory and per process, like the request rate limit.
const MAX_TRACKED = 100_000 // addresses; beyond it the oldest windows are dropped (memory stays bounded under a spray)

interface Window { failures: number; endsAt: number }

export class FailureThrottle {
  private windows = new Map<string, Window>()
  constructor (private readonly max: number, private readonly windowMs: number, private readonly now = () => Date.now()) {}

  /** Seconds until `key` may authenticate again; 0 when it may now. */
  retryAfter (key: string): number {
    const w = this.windows.get(key)
    if (!w) return 0
    const t = this.now()
    if (t >= w.endsAt) { this.windows.delete(key); return 0 }
    return w.failures >= this.max ? Math.ceil((w.endsAt - t) / 1000) : 0
  }

  /** Records one failed authentication of `key`. */
  fail (key: string): void {
    const t = this.now()
    let w = this.windows.get(key)
    if (!w || t >= w.endsAt) {
      this.windows.delete(key) // re-inserted last: the map stays in order of window start
      w = { failures: 0, endsAt: t + this.windowMs }
      this.windows.set(key, w)
      if (this.windows.size > MAX_TRACKED) this.prune(t)
    }
    w.failures++
  }

  private prune (t: number): void {
    for (const [k, w] of this.windows) {
      if (this.windows.size <= MAX_TRACKED && t < w.endsAt) break
      this.windows.delete(k)
    }
  }
}
