// Notes and status per firm and organisation. A note about a sole trader is personal data (the firm's orgnr is the
// person's personnummer), so: it is read only within its organisation, never exported beyond it (no export or tile reads
// this table), a read of many firms' notes at once goes to the audit log (which firms: a count, never the text), the text
// never goes into a log line, and it is deleted after NOTES_RETENTION_DAYS and on request (eraseOrgnr).
import type { DbHandle } from '../db/client.js'
import { audit } from '../auth/audit.js'
import type { Principal } from '../auth/tokens.js'
import { badRequest } from '../errors.js'
import { normaliseOrgnr, Invalid } from '../ingest/validate.js'

export const FIRM_STATUSES = ['new', 'contacted', 'meeting', 'in_programme', 'not_relevant'] as const
export type FirmStatus = typeof FIRM_STATUSES[number]

export interface Note { id: number; orgnr: string; status: FirmStatus; note: string | null; createdBy: string; createdAt: string }
export interface FirmNotes { orgnr: string; status: FirmStatus | null; notes: Note[] }

/** An organisation number as the register stores it (10 digits, checksum valid); 400 otherwise. */
export function orgnrOf (raw: string): string {
  const v = normaliseOrgnr(raw)
  if (v instanceof Invalid) throw badRequest(`orgnr: ${v.reason}`)
  return v.orgnr
}

const NOTE_COLS = `id::int AS id, orgnr, status::text AS status, note, created_by AS "createdBy", created_at AS "createdAt"`
const iso = (n: Note): Note => ({ ...n, createdAt: new Date(n.createdAt).toISOString() })

export async function addNote (db: DbHandle, org: number, who: string, orgnr: string, status: FirmStatus, note: string | null): Promise<Note> {
  const { rows } = await db.query<Note>(`INSERT INTO firm_note (organisation_id, orgnr, status, note, created_by) VALUES ($1, $2, $3, $4, $5)
    RETURNING ${NOTE_COLS}`, [org, orgnr, status, note, who])
  return iso(rows[0])
}

/** One firm's entries, newest first; its status is the newest entry's. */
export async function firmNotes (db: DbHandle, org: number, orgnr: string): Promise<FirmNotes> {
  const { rows } = await db.query<Note>(`SELECT ${NOTE_COLS} FROM firm_note WHERE organisation_id = $1 AND orgnr = $2 ORDER BY created_at DESC, id DESC`, [org, orgnr])
  return { orgnr, status: rows[0]?.status ?? null, notes: rows.map(iso) }
}

/** A read of more firms' notes than this at once is a bulk read: it goes to the audit log. */
export const BULK_READ = 2

/**
 * The current status and newest note of many firms (a segment's lists, the organisation's whole file). Logged to the
 * audit log when it covers several firms, with the count and how many of them are sole traders, never the text.
 */
export interface FirmStatusRow { orgnr: string; status: FirmStatus; note: string | null; createdBy: string; createdAt: string }

export async function statusOf (db: DbHandle, who: Principal, org: number, orgnrs: string[] | null, context: string): Promise<FirmStatusRow[]> {
  const { rows } = await db.query<Note>(`SELECT DISTINCT ON (orgnr) ${NOTE_COLS} FROM firm_note
    WHERE organisation_id = $1 ${orgnrs ? 'AND orgnr = ANY($2::text[])' : ''} ORDER BY orgnr, created_at DESC, id DESC`, orgnrs ? [org, orgnrs] : [org])
  if (rows.length >= BULK_READ) {
    const sole = rows.filter((r) => isPersonalNumber(r.orgnr)).length
    await audit(db, who, 'notes.read', context, { firms: rows.length, soleTraders: sole })
  }
  return rows.map((r) => ({ orgnr: r.orgnr, status: r.status, note: r.note, createdBy: r.createdBy, createdAt: new Date(r.createdAt).toISOString() }))
}

/** A personal identity number: the register's 10 digits with a birth month in digits 3–4 (3rd digit below 2). */
const isPersonalNumber = (orgnr: string) => Number(orgnr[2]) < 2

/** Deletes notes older than the retention period; returns how many. */
export async function purgeNotes (db: DbHandle, retentionDays: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM firm_note WHERE created_at < now() - make_interval(days => $1::int)`, [retentionDays])
  return rowCount
}

/**
 * Deletion on request (GDPR art. 17): everything this system holds about one organisation number beyond the public
 * register itself — every organisation's notes and statuses, and the register's change log (copies of old register
 * rows). The register rows are the authority's published data and come back with the next import; they are not ours to
 * erase. Recorded in the audit log by the caller, with the counts, never the orgnr of a sole trader in clear.
 */
export async function eraseOrgnr (db: DbHandle, orgnr: string): Promise<{ notes: number; changeLog: number }> {
  return db.transaction(async (tx) => {
    const notes = (await tx.query('DELETE FROM firm_note WHERE orgnr = $1', [orgnr])).rowCount
    const changeLog = (await tx.query('DELETE FROM company_change WHERE orgnr = $1', [orgnr])).rowCount
    return { notes, changeLog }
  })
}

/** How an orgnr appears in the audit log: a sole trader's (a personnummer) only masked. */
export const auditOrgnr = (orgnr: string) => (isPersonalNumber(orgnr) ? `${orgnr.slice(0, 6)}****` : orgnr)
