// HTTP for the sync, on Node's own fetch: polite pacing (a request rate), and retries where the server asks for them
// (429 Too Many Requests, 503 with Retry-After), after a passing server error (500, 502, 504) and after a network
// failure. Nothing here knows about SCB or Bolagsverket.

export interface RetryPolicy {
  maxRetries: number
  /** first back-off when the server gives no Retry-After; doubles per attempt */
  baseDelayMs: number
  /** longest wait honoured for one Retry-After */
  maxDelayMs: number
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export const sleep: Sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return }
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
  const onAbort = () => { clearTimeout(t); reject(signal!.reason) }
  signal?.addEventListener('abort', onAbort, { once: true })
})

/** Spaces request starts at least 1/rate seconds apart (rate ≤ 0: no pacing). */
export class Pacer {
  private next = 0
  constructor (private readonly perSecond: number, private readonly wait: Sleep = sleep) {}
  async turn (signal?: AbortSignal): Promise<void> {
    if (this.perSecond <= 0) return
    const now = Date.now()
    const at = Math.max(now, this.next)
    this.next = at + 1000 / this.perSecond
    if (at > now) await this.wait(at - now, signal)
  }
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504])

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs (value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const s = Number(value)
  if (Number.isFinite(s)) return Math.max(0, s * 1000)
  const t = Date.parse(value)
  return Number.isNaN(t) ? null : Math.max(0, t - now)
}

export class HttpError extends Error {
  constructor (message: string, readonly status: number | null) { super(message) }
}

/**
 * fetch with retries: on 429/500/502/503/504 it waits Retry-After (or an exponential back-off) and tries again, as after
 * a network error; any other answer is returned to the caller. `what` names the request in messages (never a key).
 */
export async function fetchRetrying (url: string, init: RequestInit, policy: RetryPolicy, what: string,
  opts: { pacer?: Pacer; signal?: AbortSignal; wait?: Sleep; onRetry?: (m: string) => void } = {}): Promise<Response> {
  const wait = opts.wait ?? sleep
  for (let attempt = 0; ; attempt++) {
    await opts.pacer?.turn(opts.signal)
    let res: Response | null = null
    let failure: string
    try {
      res = await fetch(url, { ...init, signal: opts.signal })
      if (!RETRY_STATUS.has(res.status)) return res
      failure = `HTTP ${res.status}`
    } catch (e) {
      if (opts.signal?.aborted) throw e
      const cause = (e as Error).cause as { message?: string } | undefined
      failure = cause ? `${(e as Error).message} (${cause.message ?? String(cause)})` : (e as Error).message
    }
    if (attempt >= policy.maxRetries) {
      const retries = `${policy.maxRetries} ${policy.maxRetries === 1 ? 'retry' : 'retries'}`
      throw new HttpError(`${what}: ${failure}, ${retries} exhausted`, res?.status ?? null)
    }
    const asked = res ? retryAfterMs(res.headers.get('retry-after')) : null
    await res?.body?.cancel().catch(() => {})
    const delay = Math.min(asked ?? policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs)
    opts.onRetry?.(`${what}: ${failure}, retrying in ${(delay / 1000).toFixed(1)} s`)
    await wait(delay, opts.signal)
  }
}
