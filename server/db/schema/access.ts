// Who may do what: organisations (a token belongs to one, so that what a promoter saves is shared within it and no
// further), browser sessions (in the database, so several app instances share them without sticky sessions), the
// audit log, and the progress of running imports (written outside the import's transaction so any instance can read it).
import { sql } from 'drizzle-orm'
import { bigint, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

export const organisation = pgTable('organisation', {
  id: serial().primaryKey(),
  name: text().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('organisation_name_key').on(sql`lower(${t.name})`)])

/** A signed-in browser. The id is a random 256-bit secret kept only in the cookie; the row holds its SHA-256. `subject`
 *  names the identity the session stands for (`token:<id>`, `admin-env:<hash prefix>`; an identity provider later), and
 *  is resolved again on every request, so revoking the token ends its sessions at once. */
export const session = pgTable('session', {
  idHash: text('id_hash').primaryKey(),
  subject: text().notNull(),
  csrf: text().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('session_subject_idx').on(t.subject), index('session_expires_idx').on(t.expiresAt)])

/** Who signed in, imported, exported, created or revoked what, and when (GET /api/audit, admin). Never a token. */
export const auditLog = pgTable('audit_log', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  actor: text().notNull(),
  role: text().notNull(),
  organisationId: integer('organisation_id').references(() => organisation.id, { onDelete: 'set null' }),
  action: text().notNull(),
  target: text(),
  details: jsonb(),
}, (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_action_idx').on(t.action, t.at)])

/** Progress of an import while it runs, keyed by its batch id. The import itself is one transaction (its import_batch
 *  row is invisible until it commits), so progress is written beside it, on another connection. */
export const importProgress = pgTable('import_progress', {
  batchId: integer('batch_id').primaryKey(),
  kind: text().notNull(),
  format: text().notNull(),
  fileName: text('file_name').notNull(),
  createdBy: text('created_by'),
  status: text().notNull(), // running | done | failed | cancelled
  rows: bigint({ mode: 'number' }).notNull().default(0),
  bytes: bigint({ mode: 'number' }).notNull().default(0),
  totalBytes: bigint('total_bytes', { mode: 'number' }),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  counts: jsonb(),
  message: text(),
})
