import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { resolveDefinition } from '../definitions/queries.js'
import { seesPersonalData, type ActorKind } from '../actors/filters.js'
import { countActors, getActor, searchActors, type SortKey } from '../actors/queries.js'
import { toFilters } from '../actors/resolve.js'
import { csvWriter, exportActors, exportColumns, geojsonWriter, xlsxWriter, type ExportWriter } from '../actors/export.js'
import { dataInfo, describeSources } from '../meta/data-info.js'
import { StringEnum } from '../schema.js'
import { recordExport } from '../auth/audit.js'
import { ActorList, ActorQuery } from './actors.schema.js'
import { badRequest } from '../errors.js'
import { sendCrmExport } from './crm-export.js'

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
    const f = await toFilters(app.dbHandle, q, req.principal)
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
    if (q.profile === 'crm') {
      if ((q.format !== 'csv' && q.format !== 'xlsx') || f.kind !== 'company') throw badRequest('profile=crm is a csv or xlsx export of companies')
      return sendCrmExport(app, req, reply, f, { format: q.format, lang: q.locale, filters: metadata.filters, route: '/api/actors', metadata })
    }
    const cols = exportColumns(f.kind)
    const writer: ExportWriter = q.format === 'csv' ? csvWriter(q.locale, stallMs, cols) : q.format === 'xlsx' ? xlsxWriter(metadata, stallMs, cols) : geojsonWriter(metadata, stallMs)
    const ext = q.format === 'geojson' ? 'geojson' : q.format
    reply.header('content-disposition', `attachment; filename="kkb-aktorer-${f.kind}-${f.year}.${ext}"`)
    reply.header('x-kkb-export-metadata', encodeURIComponent(JSON.stringify(metadata)))
    reply.type(q.format === 'csv' ? 'text/csv; charset=utf-8' : q.format === 'xlsx'
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/geo+json')
    exportActors(app.dbHandle, f, role, writer, { excludeOptedOut, dataVersion: info.dataVersion })
      .then((rowCount) => recordExport(app.dbHandle, req.principal, '/api/actors', q.format, metadata.filters, rowCount))
      .catch((err) => { req.log.error({ err }, 'export failed mid-stream'); writer.stream.destroy(err as Error) })
    return reply.send(writer.stream)
  })

  app.get('/actors/count', {
    schema: { tags: ['actors'], summary: 'Number of actors matching the filters (same predicate as the list and the key figures)', querystring: ActorQuery,
      response: { 200: Type.Object({ total: Type.Integer() }) } },
  }, async (req) => ({ total: await countActors(app.dbHandle, await toFilters(app.dbHandle, req.query, req.principal)) }))

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
