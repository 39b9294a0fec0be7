// The curated registry over HTTP (issue #16): entries, their history and restore, the taxonomy, public suggestions and
// the curated key figures. Routes only speak HTTP: the rules are in server/curated/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../plugins/auth.js'
import { createEntry, deleteEntry, entryHistory, getEntry, restoreEntry, updateEntry } from '../curated/entries.js'
import { curatedFigures } from '../curated/figures.js'
import { decideSuggestion, listSuggestions, suggest } from '../curated/suggestions.js'
import { taxonomy, CURATED_TYPES } from '../curated/taxonomy.js'
import { viewerOf } from '../curated/visibility.js'
import { FailureThrottle } from '../auth/throttle.js'
import { retryLater } from '../errors.js'
import { dataChanged } from '../meta/data-version.js'
import { StringEnum } from '../schema.js'
import { audit } from '../auth/audit.js'

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })
const NS = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]))
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 500 }),
  type: StringEnum([...CURATED_TYPES]),
  subtype: NS(100), groups: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })), definition: NS(64),
  kommun: Type.String({ maxLength: 60, description: 'kommun code (4 digits) or name; may be left empty when postcode or postort places it' }),
  street: NS(200), postcode: NS(20), city: NS(100),
  lat: Type.Optional(Type.Union([Type.Number(), Type.Null()])), lon: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  orgnr: NS(20), website: NS(500), description: NS(5000),
  attributes: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
  openedOn: NS(10), closedOn: NS(10), source: NS(500), published: Type.Optional(Type.Boolean()),
  consent: Type.Optional(Type.Union([Type.Object({ fields: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }) }), Type.Null()],
    { description: 'person entries: the fields the person consented to show (besides name, type, subtype and kommun); who and when are recorded' })),
}
const Create = Type.Object(Fields, { additionalProperties: false })
const Patch = Type.Partial(Type.Object({ ...Fields, version: Type.Integer({ minimum: 1, description: 'the version edited: 409 when the entry changed meanwhile' }) }), { additionalProperties: false })

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const changed = () => dataChanged() // this process's caches (tiles, figures) re-read the version at once
  const security = [{ bearer: [] }]

  app.get('/curated/taxonomy', {
    schema: { tags: ['curated'], summary: 'Types and default subtypes of curated entries (data/curated/taxonomy.json), with their symbol colours' },
  }, async () => taxonomy())

  app.post('/curated', {
    preHandler: requireRole('curator'),
    schema: { tags: ['curated'], summary: 'Create a curated entry (curator in the kommuner of their län, admin); warnings when the orgnr is a register company', security, body: Create },
  }, async (req, reply) => {
    const e = await createEntry(app.dbHandle, req.principal, req.body as Record<string, unknown>)
    changed()
    await audit(app.dbHandle, req.principal, 'curated.create', `curated:${String(e.id)}`)
    return reply.code(201).send(e)
  })

  app.get('/curated/:id', {
    schema: { tags: ['curated'], summary: 'One curated entry as the caller may see it (unpublished: 404 to the public; a person only with consent, consented fields only)', params: Id },
  }, async (req) => getEntry(app.dbHandle, req.principal, req.params.id))

  app.patch('/curated/:id', {
    preHandler: requireRole('curator'),
    schema: { tags: ['curated'], summary: 'Change a curated entry (curator of its län and of the län it moves to, admin); a point dragged on the map is lat/lon', security, params: Id, body: Patch },
  }, async (req) => {
    const e = await updateEntry(app.dbHandle, req.principal, req.params.id, req.body as Record<string, unknown>)
    if (e.changed) { changed(); await audit(app.dbHandle, req.principal, 'curated.update', `curated:${req.params.id}`) }
    return e
  })

  app.delete('/curated/:id', {
    preHandler: requireRole('curator'),
    schema: { tags: ['curated'], summary: 'Delete a curated entry (its history is kept; restore brings it back)', security, params: Id },
  }, async (req, reply) => {
    await deleteEntry(app.dbHandle, req.principal, req.params.id)
    changed()
    await audit(app.dbHandle, req.principal, 'curated.delete', `curated:${req.params.id}`)
    return reply.code(204).send()
  })

  app.get('/curated/:id/history', {
    preHandler: requireRole('curator'),
    schema: { tags: ['curated'], summary: 'Every version of an entry: who, when, action, changed fields old → new, the snapshot', security, params: Id },
  }, async (req) => entryHistory(app.dbHandle, req.principal, req.params.id))

  app.post('/curated/:id/restore', {
    preHandler: requireRole('curator'),
    schema: { tags: ['curated'], summary: 'Restore an entry to an earlier version (a new version; a deleted entry comes back)', security, params: Id,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }) },
  }, async (req) => {
    const e = await restoreEntry(app.dbHandle, req.principal, req.params.id, req.body.version)
    changed()
    await audit(app.dbHandle, req.principal, 'curated.restore', `curated:${req.params.id}`, { version: req.body.version })
    return e
  })

  // Suggestions: open to anyone, so bounded per address (SUGGESTIONS_PER_HOUR, default 20).
  const perHour = Number(process.env.SUGGESTIONS_PER_HOUR ?? 20)
  const suggestions = new FailureThrottle(Number.isFinite(perHour) && perHour > 0 ? perHour : 20, 3_600_000)
  app.post('/curated/suggestions', {
    schema: { tags: ['curated'], summary: 'Suggest a missing place (public, rate-limited): it goes to the curators of its län',
      body: Type.Object({
        name: Fields.name, type: StringEnum(CURATED_TYPES.filter((t) => t !== 'person')), subtype: Fields.subtype, kommun: Fields.kommun,
        street: Fields.street, postcode: Fields.postcode, city: Fields.city, website: Fields.website, description: NS(2000), contact: NS(200),
      }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const wait = suggestions.retryAfter(req.ip)
    if (wait > 0) throw retryLater(429, 'RATE_LIMITED', `too many suggestions from this address; retry in ${wait} s`, wait)
    suggestions.fail(req.ip) // counts the suggestion
    return reply.code(201).send(await suggest(app.dbHandle, req.body as Record<string, unknown>))
  })

  app.get('/curated/suggestions', {
    preHandler: requireRole('curator'),
    schema: { tags: ['curated'], summary: 'The suggestion queue of your län (curator) or of all (admin)', security,
      querystring: Type.Object({ status: StringEnum(['pending', 'accepted', 'rejected'], { default: 'pending' }) }) },
  }, async (req) => listSuggestions(app.dbHandle, req.principal, req.query.status))

  for (const action of ['accept', 'reject'] as const) {
    app.post(`/curated/suggestions/:id/${action}`, {
      preHandler: requireRole('curator'),
      schema: { tags: ['curated'], summary: action === 'accept' ? 'Accept a suggestion: it becomes an unpublished entry to check and publish' : 'Reject a suggestion', security, params: Id },
    }, async (req) => {
      const r = await decideSuggestion(app.dbHandle, req.principal, req.params.id, action === 'accept')
      if (r.entryId) changed()
      return r
    })
  }

  app.get('/key-figures/curated', {
    schema: {
      tags: ['key figures', 'curated'], summary: 'Curated entries per region: count and per 10 000 inhabitants, next to the KKB firms; counts exactly what the caller can list',
      querystring: Type.Object({
        level: StringEnum(['kommun', 'lan', 'riket'], { default: 'lan' }),
        region: Type.Optional(Type.String({ maxLength: 4000, pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$' })),
        lan: Type.Optional(Type.String({ maxLength: 200, pattern: '^[0-9]{2}(,[0-9]{2})*$' })),
        type: Type.Optional(Type.String({ maxLength: 200, pattern: '^(venue|workspace|support|association|person|other)(,(venue|workspace|support|association|person|other))*$' })),
        subtype: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
      }),
    },
  }, async (req) => curatedFigures(app.dbHandle, {
    level: req.query.level as 'kommun' | 'lan' | 'riket', regions: req.query.region?.split(','), lan: req.query.lan?.split(','),
    type: req.query.type?.split(','), subtype: req.query.subtype?.split(',').map((s) => s.trim()).filter(Boolean), viewer: viewerOf(req.principal),
  }, { minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance }))
}
export default plugin
