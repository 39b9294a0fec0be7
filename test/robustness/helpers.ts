// Shared by the robustness tests: the route list taken from the running app (never hand-listed), the OpenAPI
// parameters of each route, and the error-shape assertion.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

export interface RouteInfo {
  method: string
  /** Fastify pattern, e.g. /api/actors/:id */
  url: string
  /** OpenAPI parameters (query + path) when the route is in the spec */
  params: Array<{ in: 'query' | 'path'; name: string; required?: boolean; schema: Record<string, unknown> }>
  /** the route takes a JSON body (OpenAPI requestBody) */
  body?: Record<string, unknown>
}

/**
 * Every route of the app, parsed from `app.printRoutes({ commonPrefix: false })` (the router's own tree: each line is a
 * node whose text is appended to its parent's path). OPTIONS (the CORS preflight catch-all) and HEAD (Fastify's
 * automatic twin of each GET) are left out unless `withAuto` is set.
 */
export function listRoutes (app: FastifyInstance, withAuto = false): RouteInfo[] {
  const tree = app.printRoutes({ commonPrefix: false })
  const stack: string[] = []
  const out: RouteInfo[] = []
  const spec = app.swagger() as { paths: Record<string, Record<string, { parameters?: RouteInfo['params']; requestBody?: { content?: Record<string, { schema: Record<string, unknown> }> } }>> }
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line.replace(/\u00a0/g, ' '))
    if (!m) continue
    const depth = m[1].length / 4
    stack.length = depth
    stack.push(m[2])
    if (!m[3]) continue
    const url = stack.join('')
    for (const method of m[3].split(',').map((s) => s.trim())) {
      if (!withAuto && (method === 'HEAD' || method === 'OPTIONS')) continue
      const op = spec.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]
      const body = op?.requestBody?.content?.['application/json']?.schema
      out.push({ method, url, params: op?.parameters ?? [], ...(body ? { body } : {}) })
    }
  }
  return out
}

/** Admin-only routes (imports, tokens, the export and audit logs). */
export const ADMIN_ONLY = /^\/api\/(imports|tokens|exports|audit)([/?]|$)/
/** Curated-registry routes for curators (and admins): editing, history, restore, the moderation queue (issue #16).
 * The taxonomy, reading one entry, sending a suggestion and the curated key figures stay public. */
export function curatorOnly (method: string, url: string): boolean {
  const path = url.split('?')[0]
  if (!path.startsWith('/api/curated')) return false
  if (path === '/api/curated/taxonomy') return false
  if (method === 'GET' && /^\/api\/curated\/[^/]+$/.test(path) && path !== '/api/curated/suggestions') return false
  if (method === 'POST' && path === '/api/curated/suggestions') return false
  return true
}
/** Routes of the promoter and admin roles (an organisation's segments and notes): 401 without a token, never public. */
export const SIGNED_IN = /^\/api\/(segments|notes)([/?]|$)/
/** Admin-only routes: the paths above, and by method the erasure of everything held about one orgnr (DELETE /api/notes). */
export const adminOnly = (method: string, url: string) => ADMIN_ONLY.test(url) || (method === 'DELETE' && /^\/api\/notes([?]|$)/.test(url))
/** Whether a route answers 401 without a token. */
export const needsToken = (method: string, url: string) => ADMIN_ONLY.test(url) || SIGNED_IN.test(url) || curatorOnly(method, url)

/** Fills path parameters with harmless values (ids that do not exist, tile 0/0/0). */
export function concretePath (url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => (['z', 'x', 'y'].includes(name) ? '0' : name === 'id' ? '999999' : name === 'code' ? '0880' : 'x'))
}

export function expectErrorShape (res: LightMyRequestResponse, context = '') {
  let body: unknown
  try { body = JSON.parse(res.body) } catch { throw new Error(`${context}: ${res.statusCode} body is not JSON: ${res.body.slice(0, 200)}`) }
  const e = (body as { error?: { code?: unknown; message?: unknown } }).error
  expect(typeof e?.code, `${context}: error.code in ${res.body.slice(0, 300)}`).toBe('string')
  expect(typeof e?.message, `${context}: error.message in ${res.body.slice(0, 300)}`).toBe('string')
  expect(res.headers['content-type'], context).toMatch(/^application\/json/)
}

export const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
