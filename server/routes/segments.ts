// The promoter's workspace (#17): segments (saved /api/actors filters) with what changed since an import and a CRM
// export, and notes/status per firm. Promoter and admin roles; everything is held per organisation and another
// organisation's segment or notes are a 404 / invisible, never a 403 that would confirm they exist.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../plugins/auth.js'
import { StringEnum } from '../schema.js'
import { badRequest } from '../errors.js'
import { audit } from '../auth/audit.js'
import { toFilters, type ActorFilterQuery } from '../actors/resolve.js'
import {
  answerableSince, batchBefore, checkBatch, createSegment, deleteSegment, getSegment, lastSeen, latestBatch, listSegments, markSeen, organisationOf,
  segmentChanges, updateSegment,
} from '../promoter/segments.js'
import { addNote, auditOrgnr, eraseOrgnr, FIRM_STATUSES, firmNotes, orgnrOf, statusOf } from '../promoter/notes.js'
import { ActorItemSchema, ActorQuery } from './actors.schema.js'
import { sendCrmExport } from './crm-export.js'

/** The filters of a segment: the /api/actors query keys (the one schema), without paging and output options. */
export const SegmentFilters = Type.Omit(ActorQuery, ['sort', 'limit', 'cursor', 'format', 'locale', 'profile'])
const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) })
const Name = Type.String({ minLength: 1, maxLength: 200 })
const SegmentSchema = Type.Object({
  id: Type.Integer(), name: Type.String(), filters: Type.Record(Type.String(), Type.Unknown()), createdBy: Type.String(),
  createdAt: Type.String(), updatedAt: Type.String(),
})
const Counts = Type.Object({ new: Type.Integer(), closed: Type.Integer(), changed: Type.Integer() })
const NS = Type.Union([Type.String(), Type.Null()])
const ChangeItem = Type.Intersect([ActorItemSchema, Type.Object({
  fields: Type.Optional(Type.Array(StringEnum(['branch', 'kommun', 'sizeClass', 'legalForm']))),
  before: Type.Optional(Type.Object({ sni1: NS, group: NS, category: NS, kommunCode: NS, sizeClass: NS, legalForm: NS })),
  deregisteredOn: Type.Optional(NS), gone: Type.Optional(Type.Boolean({ description: 'closed: gone from the register file (else deregistered or inactive)' })),
})])
const NoteSchema = Type.Object({
  id: Type.Integer(), orgnr: Type.String(), status: StringEnum([...FIRM_STATUSES]), note: NS, createdBy: Type.String(), createdAt: Type.String(),
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.dbHandle
  const guard = { preHandler: requireRole('promoter') } // the admin passes too
  const filtersOf = (s: { filters: Record<string, unknown> }) => s.filters as unknown as ActorFilterQuery

  app.post('/segments', {
    ...guard,
    schema: {
      tags: ['segments'], summary: 'Save the current /api/actors filters as a named segment of your organisation', security: [{ bearer: [] }],
      body: Type.Object({ name: Name, filters: SegmentFilters }),
      response: { 201: Type.Object({ id: Type.Integer() }) },
    },
  }, async (req, reply) => {
    const org = organisationOf(req.principal)
    return reply.code(201).send(await createSegment(db, org, req.principal.name, req.body.name, req.body.filters as ActorFilterQuery))
  })

  app.get('/segments', {
    ...guard,
    schema: {
      tags: ['segments'], summary: "Your organisation's segments, each with what changed since your last visit", security: [{ bearer: [] }],
      response: { 200: Type.Array(Type.Intersect([SegmentSchema, Type.Object({
        lastSeenImport: Type.Union([Type.Integer(), Type.Null()]),
        sinceLastVisit: Type.Union([Counts, Type.Null()], { description: 'null before the first visit' }),
      })])) },
    },
  }, async (req) => {
    const org = organisationOf(req.principal)
    const out = []
    for (const s of await listSegments(db, org)) {
      const seen = await lastSeen(db, s.id, req.principal.subject)
      const sinceLastVisit = seen === null ? null : (await segmentChanges(db, filtersOf(s), await answerableSince(db, seen, false), req.principal, 0)).counts
      out.push({ ...s, lastSeenImport: seen, sinceLastVisit })
    }
    return out
  })

  app.get('/segments/:id', {
    ...guard,
    schema: { tags: ['segments'], summary: 'One segment', security: [{ bearer: [] }], params: Id, response: { 200: SegmentSchema } },
  }, async (req) => getSegment(db, organisationOf(req.principal), req.params.id))

  app.patch('/segments/:id', {
    ...guard,
    schema: {
      tags: ['segments'], summary: 'Rename a segment or replace its filters', security: [{ bearer: [] }], params: Id,
      body: Type.Object({ name: Type.Optional(Name), filters: Type.Optional(SegmentFilters) }, { minProperties: 1 }),
      response: { 200: SegmentSchema },
    },
  }, async (req) => updateSegment(db, organisationOf(req.principal), req.params.id,
    { name: req.body.name, filters: req.body.filters as ActorFilterQuery | undefined }))

  app.delete('/segments/:id', {
    ...guard, schema: { tags: ['segments'], summary: 'Delete a segment', security: [{ bearer: [] }], params: Id },
  }, async (req, reply) => {
    await deleteSegment(db, organisationOf(req.principal), req.params.id)
    return reply.code(204).send()
  })

  app.get('/segments/:id/changes', {
    ...guard,
    schema: {
      tags: ['segments'], security: [{ bearer: [] }], params: Id,
      summary: 'What changed in the segment since an import (sinceImport) or a day (since); default: since your last visit',
      description: 'new: firms that entered the segment (new in the register or newly matching); closed: firms in it then that are deregistered, inactive or gone from the register now; changed: firms in it then whose branch, kommun, size class or legal form changed. Firms outside the filters are not listed. `seen=true` records this visit. The change log keeps CHANGE_LOG_RETENTION_DAYS days of imports: an older sinceImport or since is a 400, an older last visit is answered from the oldest import still kept (sinceImport in the answer).',
      querystring: Type.Object({
        sinceImport: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'an import batch id (GET /api/imports)' })),
        since: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD: the imports finished on or after that day' })),
        limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'most items per list (counts are exact)' }),
        seen: Type.Optional(Type.Boolean({ description: 'mark the segment seen as of the newest import' })),
      }),
      response: { 200: Type.Object({
        new: Type.Array(ChangeItem), closed: Type.Array(ChangeItem), changed: Type.Array(ChangeItem), counts: Counts,
        sinceImport: Type.Integer(), year: Type.Integer(), baselineYear: Type.Union([Type.Integer(), Type.Null()]), truncated: Type.Boolean(),
      }) },
    },
  }, async (req) => {
    const org = organisationOf(req.principal)
    const s = await getSegment(db, org, req.params.id)
    const q = req.query
    if (q.sinceImport !== undefined && q.since !== undefined) throw badRequest('give sinceImport or since, not both')
    let since: number
    if (q.sinceImport !== undefined) {
      await checkBatch(db, q.sinceImport)
      since = await answerableSince(db, q.sinceImport, true)
    } else if (q.since !== undefined) since = await answerableSince(db, await batchBefore(db, q.since), true)
    else {
      const seen = await lastSeen(db, s.id, req.principal.subject)
      since = seen === null ? await latestBatch(db) : await answerableSince(db, seen, false)
    }
    const changes = await segmentChanges(db, filtersOf(s), since, req.principal, q.limit)
    if (q.seen && req.principal.subject) await markSeen(db, org, s.id, req.principal.subject)
    return changes
  })

  app.post('/segments/:id/seen', {
    ...guard,
    schema: { tags: ['segments'], summary: 'Record your visit: the counts since the last visit start from the newest import', security: [{ bearer: [] }], params: Id },
  }, async (req) => {
    if (!req.principal.subject) throw badRequest('no identity to record a visit for')
    return markSeen(db, organisationOf(req.principal), req.params.id, req.principal.subject)
  })

  app.get('/segments/:id/export', {
    ...guard,
    schema: {
      tags: ['segments'], summary: "The segment's firms as a CRM-ready contact list (the crm column profile)", security: [{ bearer: [] }], params: Id,
      querystring: Type.Object({ format: StringEnum(['csv', 'xlsx'], { default: 'csv' }), lang: StringEnum(['sv', 'en'], { default: 'sv' }) }),
    },
  }, async (req, reply) => {
    const s = await getSegment(db, organisationOf(req.principal), req.params.id)
    const f = await toFilters(db, filtersOf(s))
    reply.exportSlot()
    const safeName = s.name.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || `segment-${s.id}`
    return sendCrmExport(app, req, reply, f, {
      format: req.query.format, lang: req.query.lang, route: `/api/segments/${s.id}/export`, filters: { segment: s.id, ...s.filters },
      metadata: { title: `KKB Atlas – ${s.name}`, segment: s.id, filters: s.filters, year: f.year, generatedAt: new Date().toISOString() },
      fileName: `kkb-${safeName}-${f.year}`,
    })
  })

  // ---- notes and status per firm --------------------------------------------------------------------------------
  const Orgnr = Type.String({ minLength: 10, maxLength: 13, pattern: '^[0-9-]+$' })

  app.get('/notes', {
    ...guard,
    schema: {
      tags: ['notes'], security: [{ bearer: [] }],
      summary: "Your organisation's notes: one firm's entries (orgnr), or the current status of many firms (orgnrs, or all)",
      description: 'Reading the status of several firms at once is recorded in the audit log (how many, never the text).',
      querystring: Type.Object({
        orgnr: Type.Optional(Orgnr),
        orgnrs: Type.Optional(Type.String({ maxLength: 20000, pattern: '^[0-9-]+(,[0-9-]+)*$', description: 'comma-separated' })),
      }),
    },
  }, async (req) => {
    const org = organisationOf(req.principal)
    if (req.query.orgnr) return firmNotes(db, org, orgnrOf(req.query.orgnr))
    const list = req.query.orgnrs ? [...new Set(req.query.orgnrs.split(',').map(orgnrOf))] : null
    if (list && list.length > 2000) throw badRequest('at most 2000 orgnrs at once')
    return { items: await statusOf(db, req.principal, org, list, list ? 'notes:orgnrs' : 'notes:all') }
  })

  app.post('/notes', {
    ...guard,
    schema: {
      tags: ['notes'], summary: "Set a firm's status for your organisation, with an optional short note", security: [{ bearer: [] }],
      body: Type.Object({ orgnr: Orgnr, status: StringEnum([...FIRM_STATUSES]), note: Type.Optional(Type.String({ maxLength: 2000 })) }),
      response: { 201: NoteSchema },
    },
  }, async (req, reply) => {
    const org = organisationOf(req.principal)
    const note = req.body.note?.trim() || null
    return reply.code(201).send(await addNote(db, org, req.principal.name, orgnrOf(req.body.orgnr), req.body.status, note))
  })

  app.delete('/notes', {
    preHandler: requireRole('admin'),
    schema: {
      tags: ['notes', 'admin'], security: [{ bearer: [] }],
      summary: 'Deletion on request: everything held about one organisation number (every organisation\'s notes and statuses, the change log)',
      querystring: Type.Object({ orgnr: Orgnr }),
      response: { 200: Type.Object({ orgnr: Type.String(), deleted: Type.Object({ notes: Type.Integer(), changeLog: Type.Integer() }) }) },
    },
  }, async (req) => {
    const orgnr = orgnrOf(req.query.orgnr)
    const deleted = await eraseOrgnr(db, orgnr)
    await audit(db, req.principal, 'erase', auditOrgnr(orgnr), deleted)
    return { orgnr, deleted }
  })
}
export default plugin
