// The OpenAPI document: enums written as `enum` (Swagger UI offers every value), every route's error responses declared
// as ErrorBody (and real errors match it), and the map app's API types (web/src/api/types.ts) agreeing with the
// response schemas the server declares.
import path from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { Value } from 'typebox/value'
import type { DbHandle } from '../../server/db/client.js'
import { ErrorBody } from '../../server/errors.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

type Json = Record<string, any>
let db: DbHandle
let app: FastifyInstance
let doc: Json
beforeAll(async () => {
  db = await openTestDb('base')
  app = await buildTestApp(db)
  doc = (await app.inject('/api/openapi.json')).json()
})
afterAll(async () => { await app?.close(); await db?.close().catch(() => {}) })

const operations = () => Object.entries(doc.paths as Json)
  .flatMap(([p, ops]) => Object.entries(ops as Json).map(([m, op]) => ({ id: `${m.toUpperCase()} ${p}`, op })))
/** The schemas of an operation's inputs: query/path parameters and the JSON request body. */
function inputSchemas (op: Json): Array<[string, Json]> {
  const params: Array<[string, Json]> = (op.parameters ?? []).map((p: Json) => [`${p.in} ${p.name}`, p.schema])
  const body = op.requestBody?.content?.['application/json']?.schema
  return body ? [...params, ['body', body]] : params
}
/** Every sub-schema, with its path. */
function * walk (s: unknown, at: string): Generator<[string, Json]> {
  if (!s || typeof s !== 'object') return
  yield [at, s as Json]
  for (const [k, v] of Object.entries(s)) yield * walk(v, `${at}.${k}`)
}
const enumOf = (op: Json, name: string) => op.parameters.find((p: Json) => p.name === name)?.schema?.enum

describe('OpenAPI enums', () => {
  it('lists every value of a closed set as one enum (never anyOf of single values) in every parameter and body', () => {
    const literalUnions: string[] = []
    for (const { id, op } of operations()) {
      for (const [where, schema] of inputSchemas(op)) {
        for (const [at, s] of walk(schema, `${id} ${where}`)) {
          const alts = s.anyOf ?? s.oneOf
          if (Array.isArray(alts) && alts.every((a: Json) => 'const' in a || a.enum?.length === 1)) literalUnions.push(at)
        }
      }
    }
    expect(literalUnions).toEqual([])
    const kf = doc.paths['/api/key-figures'].get
    expect(enumOf(kf, 'level')).toEqual(['kommun', 'lan', 'riket', 'custom'])
    expect(enumOf(kf, 'format')).toEqual(['json', 'csv', 'xlsx', 'jsonstat'])
    expect(enumOf(kf, 'locale')).toEqual(['sv', 'en'])
    const actors = doc.paths['/api/actors'].get
    expect(enumOf(actors, 'format')).toEqual(['json', 'geojson', 'csv', 'xlsx'])
    expect(enumOf(actors, 'kind')).toEqual(['company', 'workplace', 'education', 'curated'])
    expect(enumOf(actors, 'status')).toEqual(['active', 'inactive', 'all'])
    expect(enumOf(doc.paths['/api/regions'].get, 'level')).toEqual(['lan', 'kommun'])
    expect(enumOf(doc.paths['/api/imports'].post, 'format')).toEqual(['scb-bulk', 'scb-api', 'bolagsverket', 'csv', 'json', 'myh', 'skolverket', 'xlsx', 'json-stat'])
    expect(doc.paths['/api/tokens'].post.requestBody.content['application/json'].schema.properties.role.enum).toEqual(['promoter', 'curator', 'admin'])
  })

  it('accepts every listed value (the enum is the validation, not only the documentation)', async () => {
    for (const format of enumOf(doc.paths['/api/key-figures'].get, 'format')) {
      const r = await app.inject(`/api/key-figures?level=lan&branch=total&year=2025&format=${format}`)
      expect(r.statusCode, format).toBe(200)
    }
    expect((await app.inject('/api/key-figures?level=lan&branch=total&format=pdf')).statusCode).toBe(400)
  })
})

describe('OpenAPI error responses', () => {
  it('declares ErrorBody for the client and server errors of every route', () => {
    expect(doc.components.schemas.ErrorBody.properties.error.required).toEqual(['code', 'message'])
    const ref = { $ref: '#/components/schemas/ErrorBody' }
    const missing: string[] = []
    for (const { id, op } of operations()) {
      const hasPath = (op.parameters ?? []).some((p: Json) => p.in === 'path')
      const codes = ['400', '401', '429', '4XX', '500', ...hasPath ? ['404'] : [], ...op.security?.length ? ['403'] : []]
      for (const code of codes) {
        if (op.responses[code]?.content?.['application/json']?.schema?.$ref !== ref.$ref) missing.push(`${id} ${code}`)
      }
      if (!Object.keys(op.responses).some((c) => c.startsWith('2'))) missing.push(`${id} success`)
    }
    expect(missing).toEqual([])
    // a route's own declaration wins: /api/health answers 503 with its own body
    expect(doc.paths['/api/health'].get.responses['503'].content['application/json'].schema.properties).toHaveProperty('database')
  })

  it('documents the shape of every key-figure route\'s 200 JSON answer (an object with its properties)', () => {
    // routes that still answer without a declared success schema: listed, so that a new one cannot join them unnoticed
    const knownGaps = ['GET /api/key-figures/methodology', 'GET /api/key-figures/curated']
    const undocumented: string[] = []
    for (const { id, op } of operations()) {
      if (!id.startsWith('GET /api/key-figures')) continue
      const schema = op.responses['200']?.content?.['application/json']?.schema
      const resolve = (s: Json): Json => (s?.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s)
      const obj = schema && structured(schema, resolve, 'object')
      if (!obj?.properties || !Object.keys(obj.properties).length) undocumented.push(id)
    }
    expect(undocumented).toEqual(knownGaps)
    const occ = doc.paths['/api/key-figures/occupations'].get.responses['200'].content['application/json'].schema
    const occRow = structured(occ, (s) => s, 'object')!.properties.rows.items
    expect(Object.keys(occRow.properties)).toEqual(expect.arrayContaining(['employed', 'kkOccupations', 'share', 'per10k', 'lq', 'change', 'bySex', 'byAge', 'byOccupation']))
    const need = doc.paths['/api/key-figures/education-need'].get.responses['200'].content['application/json'].schema
    const needRow = structured(need, (s) => s, 'object')!.properties.rows.items
    expect(Object.keys(needRow.properties)).toEqual(expect.arrayContaining(['programmes', 'places', 'applicants', 'companies', 'employees', 'people', 'specialisedWithoutProgramme']))
    expect(enumOf(doc.paths['/api/key-figures/education-need'].get, 'format')).toEqual(['json', 'csv', 'xlsx', 'jsonstat'])
  })

  it('real errors have the declared shape', async () => {
    const cases = [
      { url: '/api/key-figures?level=nowhere', status: 400 },
      { url: '/api/regions?level=lan', headers: { authorization: 'Bearer not-a-known-token' }, status: 401 },
      { url: '/api/definitions/no-such-definition', status: 404 },
      { url: '/api/tokens/999999', method: 'DELETE' as const, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, status: 404 },
      { url: '/api/no-such-route', status: 404 },
      { url: '/api/regions/%zz', status: 400 }, // bad %-encoding: the router's error, same shape
    ]
    for (const c of cases) {
      const r = await app.inject(c)
      expect(r.statusCode, c.url).toBe(c.status)
      expect(Value.Check(ErrorBody, r.json()), `${c.url}: ${r.body}`).toBe(true)
    }
  })
})

// ---- web/src/api/types.ts against the response schemas ----

const webTypes = path.resolve(import.meta.dirname, '../../web/src/api/types.ts')
/** Which response schema each web type describes: [type name, path, method, pick from the 200 schema]. */
const WEB_TYPES: Array<[string, string, string, (s: Json) => Json]> = [
  ['Health', '/api/health', 'get', (s) => s],
  ['DefinitionSummary', '/api/definitions', 'get', (s) => s.items],
  ['Definition', '/api/definitions/{id}', 'get', (s) => s],
  ['KeyFigures', '/api/key-figures', 'get', (s) => s],
  ['ActorPage', '/api/actors', 'get', (s) => s],
  ['Occupations', '/api/key-figures/occupations', 'get', (s) => s],
  ['EducationNeed', '/api/key-figures/education-need', 'get', (s) => s],
  ['Compare', '/api/key-figures/compare', 'get', (s) => s],
  ['Similar', '/api/key-figures/similar', 'get', (s) => s],
]

/** The JSON kinds a schema allows: string, number, boolean, null, array, object; 'any' for an unconstrained schema. */
function kinds (s: Json, resolve: (s: Json) => Json): Set<string> {
  s = resolve(s)
  const alts = s.anyOf ?? s.oneOf
  if (alts) return new Set(alts.flatMap((a: Json) => [...kinds(a, resolve)]))
  const out = new Set<string>()
  if (s.enum?.length === 1 && s.enum[0] === null) return new Set(['null'])
  if (s.type) out.add(s.type === 'integer' ? 'number' : s.type)
  else out.add('any')
  if (s.nullable) out.add('null')
  return out
}
const enumValues = (s: Json, resolve: (s: Json) => Json): unknown[] => {
  s = resolve(s)
  const alts = s.anyOf ?? s.oneOf
  if (alts) return alts.flatMap((a: Json) => enumValues(a, resolve))
  return s.enum ?? []
}
/** The branch of a union schema that is an object or an array (a route answering JSON or a file declares both). */
const structured = (s: Json, resolve: (s: Json) => Json, kind: 'object' | 'array'): Json | undefined => {
  s = resolve(s)
  const alts = s.anyOf ?? s.oneOf
  if (alts) return alts.map(resolve).find((a: Json) => a.type === kind)
  return s.type === kind ? s : undefined
}

/** Differences between a web type and a schema: fields the web reads that the API does not declare, fields the web
 *  requires that the API may omit, JSON kinds (or enum values) the API may send that the web type does not admit. */
function compare (checker: ts.TypeChecker, type: ts.Type, schema: Json, at: string, resolve: (s: Json) => Json, out: string[]) {
  const members = type.isUnion() ? type.types : [type]
  const webKinds = new Set<string>()
  const literals = new Set<unknown>()
  let anyString = false
  for (const t of members) {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return
    if (t.flags & ts.TypeFlags.StringLiteral) {
      webKinds.add('string')
      literals.add((t as ts.StringLiteralType).value)
    } else if (t.flags & ts.TypeFlags.String) {
      webKinds.add('string')
      anyString = true
    } else if (t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) webKinds.add('number')
    else if (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) webKinds.add('boolean')
    else if (t.flags & ts.TypeFlags.Null) webKinds.add('null')
    else if (t.flags & ts.TypeFlags.Undefined) continue
    else if (checker.isArrayType(t)) webKinds.add('array')
    else if (t.flags & ts.TypeFlags.Object) webKinds.add('object')
  }
  const apiKinds = kinds(schema, resolve)
  if (apiKinds.has('any')) return
  for (const k of apiKinds) if (!webKinds.has(k)) out.push(`${at}: the API may send ${k}, the web type does not admit it`)
  if (literals.size && !anyString) {
    for (const v of enumValues(schema, resolve)) {
      if (v !== null && !literals.has(v)) out.push(`${at}: the API may send '${v}', the web type does not list it`)
    }
  }
  for (const t of members) {
    if (checker.isArrayType(t)) {
      const items = structured(schema, resolve, 'array')?.items
      if (items) compare(checker, checker.getTypeArguments(t as ts.TypeReference)[0], items, `${at}[]`, resolve, out)
    } else if (t.flags & ts.TypeFlags.Object && !checker.isArrayType(t)) {
      const obj = structured(schema, resolve, 'object')
      if (!obj?.properties) continue // a free-form object
      for (const prop of checker.getPropertiesOfType(t)) {
        const name = prop.getName()
        const sub = obj.properties[name]
        if (!sub) { out.push(`${at}.${name}: read by the web, not declared by the API`); continue }
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0
        if (!optional && !(obj.required ?? []).includes(name)) out.push(`${at}.${name}: required in the web type, optional in the API`)
        compare(checker, checker.getTypeOfSymbol(prop), sub, `${at}.${name}`, resolve, out)
      }
    }
  }
}

describe('web API types', () => {
  it('agree with the response schemas of the OpenAPI document', () => {
    const program = ts.createProgram([webTypes], { strict: true, noEmit: true, skipLibCheck: true, types: ['geojson'] })
    const checker = program.getTypeChecker()
    const file = program.getSourceFile(webTypes)!
    const declared = new Map<string, ts.Type>()
    ts.forEachChild(file, (n) => {
      if (ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) declared.set(n.name.text, checker.getTypeAtLocation(n.name))
    })
    const resolve = (s: Json): Json => (s?.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s)
    const problems: string[] = []
    for (const [name, url, method, pick] of WEB_TYPES) {
      expect(declared.has(name), name).toBe(true)
      const schema = doc.paths[url][method].responses['200'].content['application/json'].schema
      const json = structured(schema, resolve, 'object') ?? structured(schema, resolve, 'array')!
      compare(checker, declared.get(name)!, pick(json), name, resolve, problems)
    }
    expect(problems).toEqual([])
  })
})
