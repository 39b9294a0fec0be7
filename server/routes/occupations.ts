// People, not only firms: occupation key figures from an imported statistical table, and the education need per
// SUN field and län. HTTP only: the figures are computed in server/statistics/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { computeOccupationFigures, OCCUPATION_FORMULAS, type OccupationLevel } from '../statistics/occupations.js'
import { occupationCsv, occupationJsonStat, occupationXlsx } from '../statistics/occupation-export.js'
import { educationNeed } from '../statistics/education-need.js'
import { educationNeedCsv, educationNeedJsonStat, educationNeedXlsx } from '../statistics/education-need-export.js'
import { parseYears } from '../keyfigures/years.js'
import { StringEnum } from '../schema.js'
import { EducationNeedResult, OccupationResult, orFile } from './occupations.schema.js'

const Codes = (description: string) => Type.Optional(Type.String({ maxLength: 4000, pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$', description }))

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const rule = () => ({ minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance })

  app.get('/key-figures/occupations', {
    schema: {
      tags: ['key figures'],
      summary: 'Cultural and creative occupations (SSYK 2012) per region and year from an imported statistical table: people by workplace region (json, csv, xlsx, JSON-stat 2.0)',
      querystring: Type.Object({
        level: StringEnum(['kommun', 'lan', 'riket'], { default: 'kommun' }),
        region: Codes('region codes to keep, comma-separated'),
        lan: Codes('only this län (or its kommuner), comma-separated'),
        year: Type.Optional(Type.String({ pattern: '^(all|latest|\\d{4}(-\\d{4})?(,\\d{4})*)$', description: 'YYYY, YYYY-YYYY, comma list, all or latest (default)' })),
        sex: Type.Optional(Type.String({ pattern: '^(1|2|1\\+2|1 2|total|män|kvinnor|men|women)$', description: 'SCB code 1 (män), 2 (kvinnor), or total (default)' })),
        table: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'statistical table id (default: the latest imported with occupations)' })),
        contents: Type.Optional(Type.String({ maxLength: 64, description: 'contents code of the table (default: its first)' })),
        list: Type.Optional(Type.String({ maxLength: 64, description: 'occupation list (default kreametern-occupations)' })),
        format: StringEnum(['json', 'csv', 'xlsx', 'jsonstat'], { default: 'json' }),
        locale: StringEnum(['sv', 'en'], { default: 'sv', description: 'CSV: sv = ";" and decimal comma, en = "," and "."' }),
      }),
      response: { 200: orFile(OccupationResult) },
    },
  }, async (req, reply) => {
    const q = req.query
    const res = await computeOccupationFigures(app.dbHandle, {
      level: q.level as OccupationLevel, regions: q.region?.split(','), lan: q.lan?.split(','), years: parseYears(q.year), sex: q.sex,
      table: q.table, contents: q.contents, list: q.list,
    })
    const generatedAt = new Date().toISOString()
    const base = `kkb-yrken-${res.level}-${res.years.join('_') || 'inga-ar'}`
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(occupationCsv(res, q.locale))
    }
    if (q.format === 'xlsx') {
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${base}.xlsx"`).send(await occupationXlsx(res, generatedAt))
    }
    if (q.format === 'jsonstat') {
      return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${base}.jsonstat.json"`)
        .send(JSON.stringify(occupationJsonStat(res, generatedAt)))
    }
    return { ...res, meta: { generatedAt, counts: 'people by the region of their workplace, as the table defines them', formulas: OCCUPATION_FORMULAS } }
  })

  app.get('/key-figures/education-need', {
    schema: {
      tags: ['key figures'],
      summary: 'Education need per SUN 2020 field and län (json, csv, xlsx, JSON-stat 2.0): programmes and places, KKB firms and employees of the related branch group, people in the related occupations, and a flag for strong specialisation (LQ ≥ 1.25) without a programme',
      querystring: Type.Object({
        lan: Codes('län codes to keep, comma-separated'),
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100, description: 'education year (default: the latest imported)' })),
        definition: Type.Optional(Type.String({ maxLength: 64 })),
        table: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'occupation table id (default: the latest imported)' })),
        format: StringEnum(['json', 'csv', 'xlsx', 'jsonstat'], { default: 'json' }),
        locale: StringEnum(['sv', 'en'], { default: 'sv', description: 'CSV: sv = ";" and decimal comma, en = "," and "."' }),
      }),
      response: { 200: orFile(EducationNeedResult) },
    },
  }, async (req, reply) => {
    const q = req.query
    if (q.format !== 'json') reply.exportSlot() // files: a few at a time per client
    const res = await educationNeed(app.dbHandle, { lan: q.lan?.split(','), year: q.year, definition: q.definition, table: q.table }, rule())
    const base = `kkb-utbildningsbehov-${q.lan?.replace(/,/g, '_') ?? 'alla-lan'}-${res.years.education ?? 'inget-ar'}`
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(educationNeedCsv(res, q.locale))
    }
    if (q.format === 'xlsx') {
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${base}.xlsx"`).send(await educationNeedXlsx(res, new Date().toISOString()))
    }
    if (q.format === 'jsonstat') {
      return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${base}.jsonstat.json"`)
        .send(JSON.stringify(educationNeedJsonStat(res, new Date().toISOString())))
    }
    return res
  })
}
export default plugin
