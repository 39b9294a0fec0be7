// The promoter's workspace API (#17, server/routes/segments.ts): segments of the signed-in organisation, what changed in
// one, its CRM export, and the organisation's notes and status per firm. Reads go uncached (another colleague may have
// changed a segment or a note a moment ago); writes go through send(), which carries the session's CSRF token.
import { actorParams, apiUrl, getJson, type ActorQuery } from './client'
import { me, send } from './session'
import type { Actor } from './types'

/** The /api/actors query keys a segment holds (strings and comma lists, as the API takes them in a query). */
export type SegmentFilters = Record<string, string | number | boolean>

export interface ChangeCounts { new: number; closed: number; changed: number }
export interface Segment {
  id: number; name: string; filters: SegmentFilters; createdBy: string; createdAt: string; updatedAt: string
  lastSeenImport: number | null
  /** null before this person's first visit */
  sinceLastVisit: ChangeCounts | null
}
export type ChangedField = 'branch' | 'kommun' | 'sizeClass' | 'legalForm'
export interface ChangeItem extends Actor {
  fields?: ChangedField[]
  before?: { sni1: string | null; group: string | null; category: string | null; kommunCode: string | null; sizeClass: string | null; legalForm: string | null }
  deregisteredOn?: string | null
  /** closed: gone from the register file (else deregistered or inactive) */
  gone?: boolean
}
export interface Changes {
  new: ChangeItem[]; closed: ChangeItem[]; changed: ChangeItem[]; counts: ChangeCounts
  sinceImport: number; year: number; baselineYear: number | null; truncated: boolean
}

export const FIRM_STATUSES = ['new', 'contacted', 'meeting', 'in_programme', 'not_relevant'] as const
export type FirmStatus = typeof FIRM_STATUSES[number]
export interface Note { id: number; orgnr: string; status: FirmStatus; note: string | null; createdBy: string; createdAt: string }
export interface FirmNotes { orgnr: string; status: FirmStatus | null; notes: Note[] }
export interface FirmStatusRow { orgnr: string; status: FirmStatus; note: string | null; createdBy: string; createdAt: string }

/** Segments and notes belong to an organisation: a promoter's, or an admin's who signed in with an organisation's token. */
export const hasWorkspace = (): boolean => {
  const who = me()
  return who.signedIn && (who.role === 'promoter' || who.role === 'admin') && !!who.organisation
}

/** The web state's actor filters (companies) as a segment's filters: the same keys /api/actors reads, arrays as comma lists. */
export function segmentFilters (q: ActorQuery): SegmentFilters {
  const out: SegmentFilters = {}
  for (const [k, v] of Object.entries(actorParams({ ...q, kind: 'company' }))) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue
    out[k] = Array.isArray(v) ? v.join(',') : v
  }
  return out
}

const fresh = { cache: false }
export const promoterApi = {
  segments: () => getJson<Segment[]>('/api/segments', fresh),
  create: (name: string, filters: SegmentFilters) => send<{ id: number }>('POST', '/api/segments', { name, filters }),
  rename: (id: number, name: string) => send<Segment>('PATCH', `/api/segments/${id}`, { name }),
  remove: (id: number) => send<void>('DELETE', `/api/segments/${id}`),
  /** since: a day (YYYY-MM-DD); without it, since this person's last visit */
  changes: (id: number, since?: string) => getJson<Changes>(apiUrl(`segments/${id}/changes`, { since }), fresh),
  markSeen: (id: number) => send<{ seenBatchId: number }>('POST', `/api/segments/${id}/seen`),
  exportUrl: (id: number, format: 'csv' | 'xlsx', lang: 'sv' | 'en') => apiUrl(`segments/${id}/export`, { format, lang }),
  notes: (orgnr: string) => getJson<FirmNotes>(apiUrl('notes', { orgnr }), fresh),
  /** the current status of these firms in the organisation (a bulk read: the server records it in the audit log) */
  statuses: (orgnrs: string[]) => getJson<{ items: FirmStatusRow[] }>(apiUrl('notes', { orgnrs }), fresh),
  addNote: (orgnr: string, status: FirmStatus, note: string) => send<Note>('POST', '/api/notes', { orgnr, status, note: note || undefined }),
}
