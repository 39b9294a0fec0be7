// Minimal typings for autocannon 8 (it ships none), as used by scripts/load-test.ts.
declare module 'autocannon' {
  interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    timeout?: number
    pipelining?: number
    method?: string
    headers?: Record<string, string>
    /** cycled through by every connection (a mixed load) */
    requests?: Array<{ method?: string; path: string }>
  }
  interface Histogram { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number; total: number }
  interface Result {
    url: string
    requests: Histogram & { sent: number }
    latency: Histogram & { p97_5: number; p99_9: number }
    throughput: Histogram
    errors: number
    timeouts: number
    mismatches: number
    non2xx: number
    resets: number
    duration: number
    '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number
    statusCodeStats?: Record<string, { count: number }>
  }
  function autocannon (opts: Options): Promise<Result>
  export default autocannon
  export type { Options, Result }
}
