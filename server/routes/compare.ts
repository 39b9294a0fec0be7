// Comparisons (issue #21): regions side by side with ranks and percentiles, and similar kommuner. HTTP only: the
// rules are server/keyfigures/compare.ts (COMPARE_FORMULAS, published at /api/key-figures/methodology).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { compareFileName, compareMetadata, compareRegions, compareTable, COMPARE_FORMULAS, RANKED, similarKommuner } from '../keyfigures/compare.js'
import type { BranchLevel } from '../keyfigures/compute.js'
import { tableToCsv, tableToXlsx } from '../keyfigures/export.js'
import { SUPPRESSION_TEXT } from '../keyfigures/formulas.js'
import { answerMeta, dataInfo } from '../meta/data-info.js'
import { StringEnum } from '../schema.js'
import { KeyFigureRow } from './key-figures.schema.js'

const N = Type.Union([Type.Number(), Type.Null()])
const Rank = Type.Union([Type.Object({ rank: Type.Integer(), of: Type.Integer(), percentile: N }), Type.Null()])
const Definition = Type.Object({ id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean() })
const Meta = Type.Object({ source: Type.String(), generatedAt: Type.String(), synthetic: Type.Boolean(), dataVersion: Type.Integer() })

const CompareResult = Type.Object({
  definition: Definition, year: Type.Union([Type.Integer(), Type.Null()]),
  branch: Type.Object({ level: Type.String(), code: Type.String(), name: Type.String() }),
  measures: Type.Array(StringEnum(RANKED)),
  peers: Type.Object({ kommun: Type.Integer(), lan: Type.Integer() }),
  regions: Type.Array(Type.Object({
    regionLevel: StringEnum(['kommun', 'lan', 'riket']), regionCode: Type.String(), regionName: Type.String(),
    lanCode: Type.Union([Type.String(), Type.Null()]), lanName: Type.Union([Type.String(), Type.Null()]),
    row: KeyFigureRow,
    ranks: Type.Record(Type.String(), Type.Object({
      riket: Rank, lan: Rank,
    }), { description: 'per measure: riket = among all kommuner (a kommun) or all län (a län); lan = among the kommuner of its län' }),
  })),
  method: Type.Object({ rank: Type.String(), percentile: Type.String(), similar: Type.String() }),
  meta: Meta,
})

const SimilarResult = Type.Object({
  definition: Definition, year: Type.Union([Type.Integer(), Type.Null()]),
  kommun: Type.Object({ regionCode: Type.String(), regionName: Type.String(), population: N, companies: Type.Number() }),
  groups: Type.Array(Type.String()),
  items: Type.Array(Type.Object({
    regionCode: Type.String(), regionName: Type.String(), lanCode: Type.String(), lanName: Type.String(), population: N, companies: Type.Number(),
    distance: Type.Number(), populationDistance: Type.Number(), structureDistance: Type.Number(),
  })),
  method: Type.String(),
  meta: Meta,
})

const Branch = {
  branch: StringEnum(['total', 'group', 'category', 'all'], { default: 'total' }),
  code: Type.Optional(Type.String({ maxLength: 20, pattern: '^[A-Za-z0-9._-]+$', description: 'the group or category code (branch=group|category)' })),
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const rule = () => ({ minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance })
  const meta = async () => {
    const info = await dataInfo(app.dbHandle)
    return { info, meta: answerMeta(info) }
  }

  app.get('/key-figures/compare', {
    schema: {
      tags: ['key figures'],
      summary: 'Up to six regions side by side: key figures of one branch and year with each region\'s rank and percentile among all kommuner (or län) and within its län',
      description: COMPARE_FORMULAS.rank + ' ' + COMPARE_FORMULAS.percentile,
      querystring: Type.Object({
        region: Type.String({ maxLength: 60, pattern: '^[0-9A-Za-z]+(,[0-9A-Za-z]+){0,5}$', description: '1–6 region codes: kommun (4 digits), län (2 digits), SE = riket', examples: ['0880,08,SE'] }),
        ...Branch,
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100, description: 'default: the latest year' })),
        definition: Type.Optional(Type.String({ maxLength: 64 })),
        format: StringEnum(['json', 'csv', 'xlsx'], { default: 'json' }),
        locale: StringEnum(['sv', 'en'], { default: 'sv', description: 'CSV: sv = ";" and decimal comma (Swedish Excel), en = "," and "."' }),
      }),
      response: { 200: Type.Union([CompareResult, Type.Unknown()]) },
    },
  }, async (req, reply) => {
    const q = req.query
    if (q.format !== 'json') reply.exportSlot()
    const res = await compareRegions(app.dbHandle, { definition: q.definition, regions: q.region.split(','), branch: q.branch as BranchLevel,
      code: q.code, year: q.year }, rule())
    const { info, meta: m } = await meta()
    if (q.format === 'json') return { ...res, meta: m }
    const table = compareTable(res, info.synthetic)
    const name = compareFileName(res, info.synthetic)
    reply.header('link', '</api/key-figures/methodology>; rel="describedby"')
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(tableToCsv(table, q.locale))
    }
    const xlsx = await tableToXlsx(table, { sheet: 'Jämförelse', generatedAt: m.generatedAt,
      metadata: compareMetadata(res, { source: m.source, suppression: SUPPRESSION_TEXT(rule()), synthetic: info.synthetic, generatedAt: m.generatedAt }) })
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`).send(xlsx)
  })

  app.get('/key-figures/similar', {
    schema: {
      tags: ['key figures'], summary: 'Kommuner som liknar min: the kommuner closest by population and branch-group structure',
      description: COMPARE_FORMULAS.similar,
      querystring: Type.Object({
        kommun: Type.String({ pattern: '^[0-9]{4}$', description: 'the kommun to compare with', examples: ['0880'] }),
        n: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100, description: 'default: the latest year' })),
        definition: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: { 200: SimilarResult },
    },
  }, async (req) => {
    const q = req.query
    const res = await similarKommuner(app.dbHandle, { definition: q.definition, code: q.kommun, n: q.n, year: q.year }, rule())
    return { ...res, meta: (await meta()).meta }
  })
}

export default plugin
