// The signed-in browser: who the page is (GET /api/session), sign-in and sign-out, and the one way to change anything —
// send(), which adds the session's CSRF token. Reads need nothing: the session cookie (HttpOnly, set by the server)
// goes with every same-origin request, export links included, so every view fetches as the signed-in role.
import { ApiError } from './client'

export type Role = 'public' | 'promoter' | 'curator' | 'admin'
export interface WhoAmI {
  signedIn: boolean; name: string; role: Role; lan: string[]; organisation: string | null
  via: 'public' | 'bearer' | 'session'; csrfToken: string | null; expiresAt: string | null
}

let current: WhoAmI = { signedIn: false, name: 'public', role: 'public', lan: [], organisation: null, via: 'public', csrfToken: null, expiresAt: null }

export const me = (): WhoAmI => current

async function failure (res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => null) as { error?: { message?: string } } | null
  return new ApiError(res.status, body?.error?.message ?? `${res.status} ${res.statusText}`)
}

export async function loadSession (): Promise<WhoAmI> {
  const res = await fetch('/api/session', { headers: { accept: 'application/json' }, cache: 'no-store' })
  if (res.ok) current = await res.json() as WhoAmI
  return current
}

/** A state-changing request of this session: JSON in and out, the CSRF token in X-CSRF-Token. */
export async function send<T> (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (current.csrfToken) headers['x-csrf-token'] = current.csrfToken
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  if (!res.ok) throw await failure(res)
  return (res.status === 204 ? undefined : await res.json()) as T
}

export async function signIn (token: string): Promise<WhoAmI> {
  current = await send<WhoAmI>('POST', '/api/session', { token })
  return current
}

export async function signOut (): Promise<void> {
  await send('DELETE', '/api/session')
}

export const csrfHeader = (): Record<string, string> => (current.csrfToken ? { 'x-csrf-token': current.csrfToken } : {})
