// The HTTP side of the CRM export (profile=crm), shared by /api/actors and /api/segments/:id/export: headers, the
// writer for the format, streaming, and the export + audit log entry when it is done.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ActorFilters } from '../actors/filters.js'
import { seesPersonalData } from '../actors/filters.js'
import { recordExport } from '../auth/audit.js'
import { dataInfo } from '../meta/data-info.js'
import { crmCsv, crmXlsx, exportCrm } from '../promoter/crm-export.js'

export interface CrmExportOptions {
  format: 'csv' | 'xlsx'; lang: 'sv' | 'en'; filters: unknown; route: string; metadata: Record<string, unknown>; fileName?: string
}

export async function sendCrmExport (app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, f: ActorFilters, o: CrmExportOptions) {
  const info = await dataInfo(app.dbHandle)
  const role = req.principal.role
  const stall = app.config.exportStallMs
  const writer = o.format === 'csv' ? crmCsv(o.lang, stall) : crmXlsx(o.lang, { ...o.metadata, profile: 'crm' }, stall)
  const name = o.fileName ?? `kkb-kontakter-${f.year}`
  reply.header('content-disposition', `attachment; filename="${name}.${o.format}"`)
  reply.type(o.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  const opts = { lang: o.lang, excludeOptedOut: seesPersonalData(role), dataVersion: info.dataVersion, registerUrl: app.config.registerUrl }
  exportCrm(app.dbHandle, f, role, writer, opts)
    .then((rowCount) => recordExport(app.dbHandle, req.principal, o.route, `${o.format}:crm`, o.filters, rowCount))
    .catch((err) => { req.log.error({ err }, 'export failed mid-stream'); (writer.stream as unknown as { destroy(e: Error): void }).destroy(err as Error) })
  return reply.send(writer.stream)
}
