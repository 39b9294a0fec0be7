import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { computeKeyFigures, type BranchLevel, type RegionLevel } from '../keyfigures/compute.js'
import { FORMULAS, SUPPRESSION_TEXT } from '../keyfigures/formulas.js'
import { exportFileName, toCsv, toJsonStat, toXlsx, type ExportMeta } from '../keyfigures/export.js'
import { dataInfo, describeSources } from '../meta/data-info.js'
import { educationFigures } from '../keyfigures/education.js'
import { getDefinition } from '../definitions/queries.js'
import { SIZE_CLASSES } from '../reference/size-classes.js'
import { StringEnum } from '../schema.js'
import { parseYears } from '../keyfigures/years.js'
import { OCCUPATION_METHOD } from '../statistics/occupations.js'
import { EDUCATION_NEED_TEXT } from '../statistics/education-need.js'

const Flag = Type.Union([Type.Null(), Type.Literal('min-companies'), Type.Literal('dominance'), Type.Literal('secondary')])
const N = Type.Union([Type.Number(), Type.Null()])
const Row = Type.Object({
  year: Type.Integer(), regionLevel: Type.String(), regionCode: Type.String(), regionName: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]),
  branchLevel: Type.String(), branchCode: Type.String(), branchName: Type.String(),
  companies: Type.Number(), companiesAll: Type.Number(), shareCompanies: N, lqCompanies: N, workplaces: N,
  employees: N, employeesAll: N, shareEmployees: N, lqEmployees: N, employeesCoverage: Type.Number(), employeesEstimated: Type.Number(),
  turnover: N, turnoverCoverage: Type.Number(), valueAdded: N, valueAddedCoverage: Type.Number(),
  population: N, populationYear: N, per10k: N, companiesChange: N, companiesChangePct: N,
  suppressed: Type.Object({ employees: Flag, turnover: Flag, valueAdded: Flag, shareEmployees: Flag, lqEmployees: Flag }),
})
const Result = Type.Object({
  definition: Type.Object({ id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean() }),
  year: Type.Union([Type.Integer(), Type.Null()]), years: Type.Array(Type.Integer()), level: Type.String(),
  rows: Type.Array(Row),
  // with lan=: the län and riket rows of the same branches and years, to read the kommun rows against
  context: Type.Optional(Type.Array(Row)),
  meta: Type.Object({ source: Type.String(), generatedAt: Type.String(), synthetic: Type.Boolean(), dataVersion: Type.Integer(),
    yearsAvailable: Type.Array(Type.Integer()),
    // the imports behind the figures, for a client to describe them in its own language (`source` is the Swedish text)
    sources: Type.Array(Type.Object({ source: Type.String(), refYear: Type.Union([Type.Integer(), Type.Null()]), synthetic: Type.Boolean(), importedAt: Type.String() })),
    suppression: Type.Object({ minCompanies: Type.Number(), dominance: Type.Number(), rule: Type.String() }) }),
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

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const jsonCache = new Map<string, string>()
  const rule = () => ({ minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance })

  app.get('/key-figures', {
    schema: {
      tags: ['key figures'], summary: 'KKB key figures per region, branch and year (json, csv, xlsx, JSON-stat 2.0)',
      querystring: KeyFigureQuery, response: { 200: Type.Union([Result, Type.Unknown()]) },
    },
  }, async (req, reply) => {
    const q = req.query
    if (q.format !== 'json') reply.exportSlot() // files: a few at a time per client
    const info = await dataInfo(app.dbHandle)
    const cached = q.format === 'json' ? jsonCache.get(`${info.dataVersion}|${req.url}`) : undefined
    if (cached) return reply.type('application/json; charset=utf-8').send(cached)
    const res = await computeKeyFigures(app.dbHandle, {
      definition: q.definition, level: q.level as RegionLevel, regions: q.region?.split(','), lan: q.lan?.split(','), branch: q.branch.split(',') as BranchLevel[],
      codes: q.code?.split(','), years: parseYears(q.year),
    }, rule())
    const generatedAt = new Date().toISOString()
    const source = describeSources(info)
    if (q.format === 'json') {
      // A full kommun × category answer is several MB: serialise it once per (query, data version) and send the string
      // (the schema's anyOf would otherwise be checked row by row on every request).
      const key = `${info.dataVersion}|${req.url}`
      let body = jsonCache.get(key)
      if (!body) {
        body = JSON.stringify({ definition: res.definition, year: res.years.length === 1 ? res.years[0] : null, years: res.years, level: res.level, rows: res.rows,
          ...(res.context.length ? { context: res.context } : {}),
          meta: { source, generatedAt, synthetic: info.synthetic, dataVersion: info.dataVersion, yearsAvailable: res.allYears, sources: info.sources,
            suppression: { ...rule(), rule: SUPPRESSION_TEXT(rule()) } } })
        if (jsonCache.size >= 64) jsonCache.delete(jsonCache.keys().next().value!)
        jsonCache.set(key, body)
      }
      return reply.type('application/json; charset=utf-8').send(body)
    }
    const def = await getDefinition(app.dbHandle, res.definition.id)
    const meta: ExportMeta = { source, generatedAt, suppression: SUPPRESSION_TEXT(rule()), synthetic: info.synthetic,
      sni: def.groups.flatMap((g) => g.categories.flatMap((c) => c.sni.map((s) => ({ version: s.version, code: s.code, category: `${c.code} ${c.name}`, title: s.title })))) }
    const base = exportFileName(res, { lan: q.lan?.split(','), regions: q.region?.split(','), branch: q.branch.split(','), codes: q.code?.split(',') }, info.synthetic)
    reply.header('link', '</api/key-figures/methodology>; rel="describedby"')
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(toCsv(res, q.locale, info.synthetic))
    }
    if (q.format === 'xlsx') {
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${base}.xlsx"`).send(await toXlsx(res, meta))
    }
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${base}.jsonstat.json"`)
      .send(JSON.stringify(toJsonStat(res, meta)))
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
    },
  }, async (req) => educationFigures(app.dbHandle, { level: req.query.level as RegionLevel, regions: req.query.region?.split(','),
    year: req.query.year, definition: req.query.definition }, rule()))

  app.get('/key-figures/methodology', {
    schema: { tags: ['key figures'], summary: 'How every key figure is computed: definition and SNI list, sources, formulas, suppression',
      querystring: Type.Object({ definition: Type.Optional(Type.String({ maxLength: 64 })) }) },
  }, async (req) => {
    const info = await dataInfo(app.dbHandle)
    const def = await getDefinition(app.dbHandle, req.query.definition ?? (await app.dbHandle.query<{ id: string }>(
      'SELECT id FROM kkb_definition ORDER BY national DESC, id LIMIT 1')).rows[0]?.id ?? '')
    return {
      definition: def,
      provisionalNote: def.provisional ? 'This definition is provisional: its SNI list is a candidate mapping, not confirmed against the official table.' : null,
      formulas: FORMULAS,
      // people by workplace region, from an imported statistical table (GET /api/key-figures/occupations), in words sv/en
      occupations: OCCUPATION_METHOD,
      educationNeed: EDUCATION_NEED_TEXT,
      suppression: { minCompanies: app.config.suppressMinCompanies, dominance: app.config.suppressDominance, rule: SUPPRESSION_TEXT(rule()) },
      sizeClasses: SIZE_CLASSES,
      seriesBreak: 'SCB moved the register from SNI 2007 to SNI 2025 during 2025. Every company keeps its codes with their version, and each definition lists its codes in both versions, so branch figures compare across the break by branch, not by code. Expect a break in series at the change (codes split, merged or moved; SCB\'s own key was not available, see data/definitions/README.md).',
      education: 'providers, programmes and places (sum of reported places; placesReported = programmes that report places) per SUN 2020 inriktning (3 characters), per region; relatedGroup from data/definitions/sun-kkb-groups.csv (our own provisional tagging).',
      regions: 'kommun = seat kommun of the company (SCB Säteskommun, or placed by postcode/postort for files without it); län = sum of its kommuner; riket = all companies including unplaced ones; custom = named sets of län/kommuner (GET /api/region-sets).',
      data: { synthetic: info.synthetic, dataVersion: info.dataVersion, years: info.years, sources: info.sources },
      referenceData: 'Boundaries: SCB/Lantmäteriet; population: SCB (via Kolada N01951), 31 Dec; SNI 2007/2025: SCB. See data/SOURCES.md.',
    }
  })
}

export default plugin
