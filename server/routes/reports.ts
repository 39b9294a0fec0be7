// Printable reports: GET /api/reports/region/{code}.pdf (issue #21). HTTP only: the report is server/reports/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { StringEnum } from '../schema.js'
import { dataInfo } from '../meta/data-info.js'
import { regionReport } from '../reports/region-pdf.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/reports/region/:code.pdf', {
    schema: {
      tags: ['key figures'],
      summary: 'Regional profile as PDF: key figures against län and riket, trend, births and closures, strongest branches by LQ, sources',
      params: Type.Object({ code: Type.String({ pattern: '^([0-9]{2}|[0-9]{4}|SE|se)$', description: 'kommun (4 digits), län (2 digits) or SE' }) }),
      querystring: Type.Object({
        lang: StringEnum(['sv', 'en'], { default: 'sv' }),
        definition: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      // the PDF as the success response's own content type; the errors stay JSON (ErrorBody, declared centrally)
      response: { 200: { description: 'The regional profile (PDF)', content: { 'application/pdf': { schema: { description: 'binary (application/pdf)' } } } } },
    },
  }, async (req, reply) => {
    reply.exportSlot() // a file: a few at a time per client
    const report = await regionReport(app.dbHandle, req.params.code, {
      lang: req.query.lang as 'sv' | 'en', definition: req.query.definition, info: await dataInfo(app.dbHandle),
      rule: { minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance },
    })
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${report.fileName}"`).send(report.pdf)
  })
}

export default plugin
