import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { FastifyInstance } from 'fastify'
import { badRequest } from '../errors.js'
import { resolveDefinition } from '../definitions/queries.js'
import { dataYears } from '../keyfigures/compute.js'
import { seesPersonalData, type ActorFilters, type ActorKind } from '../actors/filters.js'
import { countActors, getActor, searchActors, SEARCH_COUNT_CAP, type SortKey } from '../actors/queries.js'
import { csvWriter, exportActors, geojsonWriter, xlsxWriter, type ExportWriter } from '../actors/export.js'
import { dataInfo } from '../meta/data-info.js'
import { describeSources } from './key-figures.js'
import { StringEnum } from '../schema.js'

const List = (max = 200) => Type.String({ maxLength: 4000, pattern: `^[A-Za-z0-9._-]{1,${max}}(,[A-Za-z0-9._-]{1,${max}})*$` })

export const ActorQuery = Type.Object({
  kind: StringEnum(['company', 'workplace', 'education'], { default: 'company' }),
  definition: Type.Optional(Type.String({ maxLength: 64 })),
  kkb: Type.Optional(Type.Boolean({ description: 'only actors in the definition (KKB total)' })),
  group: Type.Optional(List()), category: Type.Optional(List()),
  sni: Type.Optional(List(6)), sniRank: StringEnum(['primary', 'any'], { default: 'primary' }),
  kommun: Type.Optional(List(4)), lan: Type.Optional(List(2)),
  bbox: Type.Optional(Type.String({ pattern: '^-?\\d+(\\.\\d+)?(,-?\\d+(\\.\\d+)?){3}$', description: 'minLon,minLat,maxLon,maxLat' })),
  sizeClass: Type.Optional(List(2)),
  employeesMin: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7 })), employeesMax: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7 })),
  legalForm: Type.Optional(List(2)),
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
  q: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: 'name search: names containing the text; when none do, typo-tolerant matches (see match in the response)' })),
  qMode: Type.Optional(StringEnum(['contains', 'fuzzy'])),
  registeredSince: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  status: StringEnum(['active', 'inactive', 'all'], { default: 'active' }),
  providerType: Type.Optional(List(30)), sun: Type.Optional(List(5)),
  sort: Type.Optional(Type.String({ pattern: '^-?(id|name|employees|registered|relevance)$', description: 'default: relevance when q is given, else id' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  format: StringEnum(['json', 'geojson', 'csv', 'xlsx'], { default: 'json' }),
  locale: StringEnum(['sv', 'en'], { default: 'sv' }),
})
type Q = Static<typeof ActorQuery>

const S = Type.String()
const NS = Type.Union([Type.String(), Type.Null()])
const NN = Type.Union([Type.Number(), Type.Null()])
/** The list item. A response schema also guarantees no undeclared column can ever reach a client. */
export const ActorItemSchema = Type.Object({
  id: Type.Integer(), kind: S, orgnr: Type.Optional(Type.String({ description: 'absent where the role may not see it (sole traders, public role)' })),
  name: S, legalForm: NS, sni: Type.Array(S), sniVersion: NS, group: NS, category: NS, kommunCode: NS, lanCode: NS,
  employees: NN, sizeClass: NS, lon: NN, lat: NN, locationPrecision: NS, soleTrader: Type.Boolean(),
  street: Type.Optional(NS), postcode: Type.Optional(NS), city: NS, registeredOn: NS,
  marketingOptOut: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])), providerType: Type.Optional(S), synthetic: Type.Boolean(),
})
const ActorList = Type.Object({ items: Type.Array(ActorItemSchema), total: Type.Integer(),
  totalExact: Type.Boolean({ description: `false when a name search (q) has more than ${SEARCH_COUNT_CAP} matches: total is then that cap (use /api/actors/count for the exact number)` }),
  nextCursor: NS,
  match: Type.Union([Type.Literal('contains'), Type.Literal('fuzzy'), Type.Null()]) })

const split = (s?: string) => (s ? s.split(',') : undefined)

export async function toFilters (app: FastifyInstance, q: Omit<Q, 'sort' | 'limit' | 'format' | 'locale'>): Promise<ActorFilters> {
  const definition = (await resolveDefinition(app.dbHandle, q.definition)).id
  let year = q.year
  if (year === undefined) {
    if (q.kind === 'education') {
      const { rows } = await app.dbHandle.query<{ y: number | null }>('SELECT max(ref_year) AS y FROM education_provider')
      year = rows[0].y ?? new Date().getFullYear()
    } else {
      const years = await dataYears(app.dbHandle)
      year = years[years.length - 1] ?? new Date().getFullYear()
    }
  }
  const bbox = q.bbox?.split(',').map(Number) as [number, number, number, number] | undefined
  if (bbox && (bbox[0] >= bbox[2] || bbox[1] >= bbox[3])) throw badRequest('bbox must be minLon,minLat,maxLon,maxLat with min < max')
  if (q.employeesMin !== undefined && q.employeesMax !== undefined && q.employeesMin > q.employeesMax) throw badRequest('employeesMin > employeesMax')
  const since = q.registeredSince ? new Date(`${q.registeredSince}T00:00:00Z`) : undefined // the pattern lets 2025-02-30 through
  if (since && (Number.isNaN(since.getTime()) || since.toISOString().slice(0, 10) !== q.registeredSince || since.getUTCFullYear() < 1)) throw badRequest('registeredSince is not a valid date')
  return {
    kind: q.kind as ActorKind, year, definition, kkb: q.kkb, group: split(q.group), category: split(q.category), sni: split(q.sni),
    sniRank: q.sniRank as 'primary' | 'any', kommun: split(q.kommun), lan: split(q.lan), bbox, sizeClass: split(q.sizeClass),
    employeesMin: q.employeesMin, employeesMax: q.employeesMax, legalForm: split(q.legalForm), q: q.q, qMode: q.qMode as ActorFilters['qMode'], registeredSince: q.registeredSince,
    status: q.status as ActorFilters['status'], providerType: split(q.providerType), sun: split(q.sun),
  }
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/actors', {
    schema: {
      tags: ['actors'], summary: 'Find and export companies, workplaces and education providers (json, geojson, csv, xlsx)',
      description: 'Sole traders (enskild näringsidkare): for the public role their organisation number (a personal identity number), street address, turnover and exact point are never returned; the point is generalised to the kommun. Exports by token roles leave out companies with marketing opt-out (reklamspärr).',
      querystring: ActorQuery,
      response: { 200: Type.Union([ActorList, Type.Unknown({ description: 'geojson, csv or xlsx stream' })]) },
    },
  }, async (req, reply) => {
    const q = req.query
    const f = await toFilters(app, q)
    const role = req.principal.role
    if (q.format === 'json') {
      const sort = q.sort ?? (q.q ? 'relevance' : 'id')
      return searchActors(app.dbHandle, f, { role, sort: sort.replace('-', '') as SortKey, desc: sort.startsWith('-'), limit: q.limit, cursor: q.cursor })
    }
    // Exports: one slot per client at a time (429 otherwise), fail before streaming (filters validated above), then
    // stream every matching row, page by page, never holding the database while the client reads.
    reply.exportSlot()
    const info = await dataInfo(app.dbHandle)
    const def = await resolveDefinition(app.dbHandle, f.definition)
    const excludeOptedOut = seesPersonalData(role) // outreach lists honour reklamspärr
    const metadata = {
      title: `KKB Atlas – aktörer (${f.kind})`, filters: { ...q, format: undefined, cursor: undefined, limit: undefined },
      definition: `${def.id} ${def.version}${def.provisional ? ' (provisorisk)' : ''}`, year: f.year, dataVersion: info.dataVersion,
      source: describeSources(info), synthetic: info.synthetic, generatedAt: new Date().toISOString(), role,
      privacy: seesPersonalData(role) ? 'companies with marketing opt-out (reklamspärr) are left out' : 'sole traders: organisation number, address and exact location withheld',
    }
    const stallMs = app.config.exportStallMs
    const writer: ExportWriter = q.format === 'csv' ? csvWriter(q.locale, stallMs) : q.format === 'xlsx' ? xlsxWriter(metadata, stallMs) : geojsonWriter(metadata, stallMs)
    const ext = q.format === 'geojson' ? 'geojson' : q.format
    reply.header('content-disposition', `attachment; filename="kkb-aktorer-${f.kind}-${f.year}.${ext}"`)
    reply.header('x-kkb-export-metadata', encodeURIComponent(JSON.stringify(metadata)))
    reply.type(q.format === 'csv' ? 'text/csv; charset=utf-8' : q.format === 'xlsx'
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/geo+json')
    exportActors(app.dbHandle, f, role, writer, { excludeOptedOut, dataVersion: info.dataVersion })
      .then((rowCount) => app.dbHandle.query(`INSERT INTO export_log (who, role, route, format, filters, row_count) VALUES ($1, $2, $3, $4, $5, $6)`,
        [req.principal.who, role, '/api/actors', q.format, JSON.stringify(metadata.filters), rowCount]))
      .catch((err) => { req.log.error({ err }, 'export failed mid-stream'); writer.stream.destroy(err as Error) })
    return reply.send(writer.stream)
  })

  app.get('/actors/count', {
    schema: { tags: ['actors'], summary: 'Number of actors matching the filters (same predicate as the list and the key figures)', querystring: ActorQuery,
      response: { 200: Type.Object({ total: Type.Integer() }) } },
  }, async (req) => ({ total: await countActors(app.dbHandle, await toFilters(app, req.query)) }))

  app.get('/actors/:id', {
    schema: {
      tags: ['actors'], summary: 'One actor: branch, all SNI codes with titles, workplaces, location, source and import batch',
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
      querystring: Type.Object({
        kind: StringEnum(['company', 'workplace', 'education'], { default: 'company' }),
        definition: Type.Optional(Type.String({ maxLength: 64 })),
      }),
    },
  }, async (req) => {
    const def = await resolveDefinition(app.dbHandle, req.query.definition)
    return getActor(app.dbHandle, req.query.kind as ActorKind, req.params.id, req.principal.role, def.id)
  })
}
export default plugin
