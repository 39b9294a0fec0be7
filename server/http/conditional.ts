// Content negotiation and revalidation shared by the responses the server keeps ready-made (tiles, key-figure answers):
// gzip when the client accepts it, a strong ETag per representation, 304 on a matching If-None-Match.

/** Accept-Encoding allows gzip (or *), with a q-value above 0. */
export function acceptsGzip (h: string | string[] | undefined): boolean {
  const v = Array.isArray(h) ? h.join(',') : h ?? ''
  return v.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return !q || Number(q.slice(2)) > 0
  })
}

/** If-None-Match (weak comparison, as RFC 9110 asks for it): either representation's tag, or `*`, matches. */
export function notModified (h: string | undefined, etag: string): boolean {
  return !!h && h.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '')
    return tag === '*' || tag === `"${etag}"` || tag === `"${etag}-gz"`
  })
}
