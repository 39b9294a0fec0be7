import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { computeKeyFigures, type BranchLevel, type RegionLevel } from '../keyfigures/compute.js'
import { exportFileName, toCsv, toJsonStat, toXlsx } from '../keyfigures/export.js'
import { AnswerCache, exportMeta, keyFigureJson, methodology } from '../keyfigures/publish.js'
import { computeFlows, type FlowBranch, type FlowLevel } from '../keyfigures/flows.js'
import { flowFileName, flowsToCsv, flowsToXlsx } from '../keyfigures/flows-export.js'
import { computeSurvival } from '../keyfigures/survival.js'
import { answerMeta, dataInfo } from '../meta/data-info.js'
import { acceptsGzip, notModified } from '../http/conditional.js'
import { educationFigures } from '../keyfigures/education.js'
import { StringEnum } from '../schema.js'
import { parseYears } from '../keyfigures/years.js'
import { EducationFiguresResult } from './education.schema.js'
import { KeyFigureRow } from './key-figures.schema.js'

const N = Type.Union([Type.Number(), Type.Null()])
const Result = Type.Object({
  definition: Type.Object({ id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean() }),
  year: Type.Union([Type.Integer(), Type.Null()]), years: Type.Array(Type.Integer()), level: Type.String(),
  rows: Type.Array(KeyFigureRow),
  // with lan=: the län and riket rows of the same branches and years, to read the kommun rows against
  context: Type.Optional(Type.Array(KeyFigureRow)),
  meta: Type.Object({ source: Type.String(), generatedAt: Type.String(), synthetic: Type.Boolean(), dataVersion: Type.Integer(),
    yearsAvailable: Type.Array(Type.Integer()),
    // the imports behind the figures, for a client to describe them in its own language (`source` is the Swedish text)
    sources: Type.Array(Type.Object({
      source: Type.String(), refYear: Type.Union([Type.Integer(), Type.Null()]), synthetic: Type.Boolean(), importedAt: Type.String(),
    })),
    suppression: Type.Object({ minCompanies: Type.Number(), dominance: Type.Number(), rule: Type.String() }),
    // year → SNI version of most of its companies: a series crossing a change crosses the SNI 2007 → 2025 break
    sniVersionByYear: Type.Record(Type.String(), Type.String()) }),
})

/** The regions and branches of the company-event measures (flows, survival): one selection, read by selectRegions
 *  in keyfigures/flows.ts for both. */
const CompanyEventSelection = {
  level: StringEnum(['kommun', 'lan', 'riket'], { default: 'kommun' }),
  region: Type.Optional(Type.String({ maxLength: 4000, pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$', description: 'region codes, comma-separated' })),
  lan: Type.Optional(Type.String({ maxLength: 200, pattern: '^[0-9]{2}(,[0-9]{2})*$', description: 'level=kommun|lan: only the kommuner (or the län) of these län' })),
  branch: Type.String({ default: 'total', pattern: '^(total|group|category)(,(total|group|category))*$', description: 'total|group|category (comma-separated for several)' }),
}

const FlowRow = Type.Object({
  regionLevel: Type.String(), regionCode: Type.String(), regionName: Type.String(),
  branchLevel: Type.String(), branchCode: Type.String(), branchName: Type.String(),
  period: Type.String({ description: '2025Q3 (period=quarter) or 2025 (period=year)' }), year: Type.Integer(), quarter: Type.Union([Type.Integer(), Type.Null()]),
  births: N, closures: N, net: N, closuresDatesOnly: Type.Boolean(),
})
const FlowResult = Type.Object({
  definition: Type.Object({ id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean() }),
  level: Type.String(), period: Type.String(), years: Type.Array(Type.Integer()), snapshots: Type.Array(Type.Integer()), rows: Type.Array(FlowRow),
  meta: Type.Object({ source: Type.String(), generatedAt: Type.String(), synthetic: Type.Boolean(), dataVersion: Type.Integer() }),
})

export const KeyFigureQuery = Type.Object({
  level: StringEnum(['kommun', 'lan', 'riket', 'custom'], { default: 'kommun' }),
  region: Type.Optional(Type.String({ maxLength: 4000, pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$', description: 'region codes, comma-separated (level=kommun with län codes = lan=)' })),
  lan: Type.Optional(Type.String({ maxLength: 200, pattern: '^[0-9]{2}(,[0-9]{2})*$', description: 'level=kommun|lan: only the kommuner (or the län) of these län, e.g. 08; adds the län and riket rows (context in JSON, Regionnivå in files)' })),
  branch: Type.String({ default: 'total', pattern: '^(total|group|category|all)(,(total|group|category|all))*$', description: 'total|group|category|all (comma-separated for several)' }),
  code: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$', description: 'keep only these branch codes' })),
  year: Type.Optional(Type.String({ pattern: '^(all|latest|\\d{4}(-\\d{4})?(,\\d{4})*)$', description: 'YYYY, YYYY-YYYY, comma list, all or latest (default)' })),
  definition: Type.Optional(Type.String({ maxLength: 64 })),
  format: StringEnum(['json', 'csv', 'xlsx', 'jsonstat'], { default: 'json' }),
  locale: StringEnum(['sv', 'en'], { default: 'sv', description: 'CSV: sv = ";" and decimal comma (Swedish Excel), en = "," and "."' }),
})

const SurvivalRow = Type.Object({
  regionLevel: Type.String(), regionCode: Type.String(), regionName: Type.String(),
  branchLevel: Type.String(), branchCode: Type.String(), branchName: Type.String(),
  cohort: Type.Integer({ description: 'the year the companies were registered in' }),
  year: Type.Integer({ description: 'the snapshot they are looked for in' }),
  started: Type.Number(), surviving: N, rate: N,
})
const SurvivalResult = Type.Object({
  definition: Type.Object({ id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean() }),
  level: Type.String(), snapshots: Type.Array(Type.Integer()), rows: Type.Array(SurvivalRow),
  meta: Type.Object({ source: Type.String(), generatedAt: Type.String(), synthetic: Type.Boolean(), dataVersion: Type.Integer() }),
})

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const answers = new AnswerCache()
  app.dataVersion.subscribe(() => answers.clear())
  const rule = () => ({ minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance })

  app.get('/key-figures', {
    schema: {
      tags: ['key figures'], summary: 'KKB key figures per region, branch and year (json, csv, xlsx, JSON-stat 2.0)',
      querystring: KeyFigureQuery,
      response: { 200: Type.Union([Result, Type.Unknown()]), 304: Type.Null({ description: 'Not modified: the answer has the ETag sent in If-None-Match' }) },
    },
  }, async (req, reply) => {
    const q = req.query
    if (q.format !== 'json') reply.exportSlot() // files: a few at a time per client
    const version = await app.dataVersion.get()
    const info = await dataInfo(app.dbHandle)
    const compute = () => computeKeyFigures(app.dbHandle, {
      definition: q.definition, level: q.level as RegionLevel, regions: q.region?.split(','), lan: q.lan?.split(','), branch: q.branch.split(',') as BranchLevel[],
      codes: q.code?.split(','), years: parseYears(q.year),
    }, rule())
    if (q.format === 'json') {
      const answer = await answers.get(version, req.url, async () => keyFigureJson(await compute(), info, rule()))
      const gz = acceptsGzip(req.headers['accept-encoding'])
      reply.header('vary', 'Accept-Encoding').header('etag', gz ? `"${answer.etag}-gz"` : `"${answer.etag}"`)
      if (notModified(req.headers['if-none-match'], answer.etag)) return reply.code(304).send(null)
      reply.type('application/json; charset=utf-8')
      return gz ? reply.header('content-encoding', 'gzip').send(answer.gz) : reply.send(answer.body)
    }
    const res = await compute()
    const base = exportFileName(res, { lan: q.lan?.split(','), regions: q.region?.split(','), branch: q.branch.split(','), codes: q.code?.split(',') }, info.synthetic)
    reply.header('link', '</api/key-figures/methodology>; rel="describedby"')
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(toCsv(res, q.locale, info.synthetic))
    }
    const meta = await exportMeta(app.dbHandle, res, info, rule())
    if (q.format === 'xlsx') {
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${base}.xlsx"`).send(await toXlsx(res, meta))
    }
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${base}.jsonstat.json"`)
      .send(JSON.stringify(toJsonStat(res, meta)))
  })

  app.get('/key-figures/flows', {
    schema: {
      tags: ['key figures'], summary: 'Births and closures of companies per region, branch and quarter or year (formulas: /api/key-figures/methodology, flows)',
      querystring: Type.Object({
        ...CompanyEventSelection,
        period: StringEnum(['quarter', 'year'], { default: 'quarter' }),
        year: Type.Optional(Type.String({ pattern: '^(all|latest|\\d{4}(-\\d{4})?(,\\d{4})*)$', description: 'YYYY, YYYY-YYYY, comma list, latest or all (default: every year from the first snapshot to the last)' })),
        definition: Type.Optional(Type.String({ maxLength: 64 })),
        format: StringEnum(['json', 'csv', 'xlsx'], { default: 'json' }),
        locale: StringEnum(['sv', 'en'], { default: 'sv', description: 'CSV: sv = ";" and decimal comma (Swedish Excel), en = "," and "."' }),
      }),
      response: { 200: Type.Union([FlowResult, Type.Unknown()]) },
    },
  }, async (req, reply) => {
    const q = req.query
    if (q.format !== 'json') reply.exportSlot() // files: a few at a time per client
    const res = await computeFlows(app.dbHandle, { definition: q.definition, level: q.level as FlowLevel, regions: q.region?.split(','),
      lan: q.lan?.split(','), branch: q.branch.split(',') as FlowBranch[], period: q.period as 'quarter' | 'year', years: q.year ? parseYears(q.year) : 'all' })
    const info = await dataInfo(app.dbHandle)
    const meta = answerMeta(info)
    if (q.format === 'json') return { ...res, meta }
    const base = flowFileName(res, { regions: q.region?.split(','), lan: q.lan?.split(','), branch: q.branch.split(',') }, info.synthetic)
    reply.header('link', '</api/key-figures/methodology>; rel="describedby"')
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(flowsToCsv(res, q.locale, info.synthetic))
    }
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${base}.xlsx"`).send(await flowsToXlsx(res, meta))
  })

  app.get('/key-figures/survival', {
    schema: {
      tags: ['key figures'], summary: 'Survival of new companies: of those registered in year Y, how many are active in each later snapshot (formulas: /api/key-figures/methodology, survival)',
      querystring: Type.Object({
        ...CompanyEventSelection,
        definition: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: { 200: SurvivalResult },
    },
  }, async (req) => {
    const q = req.query
    const res = await computeSurvival(app.dbHandle, { definition: q.definition, level: q.level as FlowLevel, regions: q.region?.split(','),
      lan: q.lan?.split(','), branch: q.branch.split(',') as FlowBranch[] })
    const info = await dataInfo(app.dbHandle)
    return { ...res, meta: answerMeta(info) }
  })

  app.get('/key-figures/education', {
    schema: {
      tags: ['key figures'], summary: 'Arts and culture education per region and SUN 2020 field, beside the companies of the related KKB branch group',
      querystring: Type.Object({
        level: StringEnum(['kommun', 'lan', 'riket', 'custom'], { default: 'lan' }),
        region: Type.Optional(Type.String({ maxLength: 4000, pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$' })),
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
        definition: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: { 200: EducationFiguresResult },
    },
  }, async (req) => educationFigures(app.dbHandle, { level: req.query.level as RegionLevel, regions: req.query.region?.split(','),
    year: req.query.year, definition: req.query.definition }, rule()))

  app.get('/key-figures/methodology', {
    schema: { tags: ['key figures'], summary: 'How every key figure is computed: definition and SNI list, sources, formulas, suppression',
      querystring: Type.Object({ definition: Type.Optional(Type.String({ maxLength: 64 })) }) },
  }, async (req) => methodology(app.dbHandle, req.query.definition, await dataInfo(app.dbHandle), rule()))
}

export default plugin
