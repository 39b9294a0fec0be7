// Request and response schemas of /api/actors (and of the tiles, which take the same filters).
import { Type, type Static } from 'typebox'
import { SEARCH_COUNT_CAP } from '../actors/queries.js'
import { StringEnum } from '../schema.js'

const List = (max = 200) => Type.String({ maxLength: 4000, pattern: `^[A-Za-z0-9._-]{1,${max}}(,[A-Za-z0-9._-]{1,${max}})*$` })

export const ActorQuery = Type.Object({
  kind: StringEnum(['company', 'workplace', 'education', 'curated'], { default: 'company' }),
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
  type: Type.Optional(Type.String({ maxLength: 200, pattern: '^(venue|workspace|support|association|person|other)(,(venue|workspace|support|association|person|other))*$', description: 'kind=curated: entry types (data/curated/taxonomy.json)' })),
  subtype: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'kind=curated: subtypes, comma-separated, case-insensitive (free text, e.g. galleri)' })),
  sort: Type.Optional(Type.String({ pattern: '^-?(id|name|employees|registered|relevance)$', description: 'default: relevance when q is given, else id' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  format: StringEnum(['json', 'geojson', 'csv', 'xlsx'], { default: 'json' }),
  locale: StringEnum(['sv', 'en'], { default: 'sv' }),
  profile: Type.Optional(StringEnum(['crm'], { description: 'csv/xlsx column profile: crm = a contact list with names instead of codes and a register link (see README)' })),
})
export type ActorQueryT = Static<typeof ActorQuery>

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
  type: Type.Optional(S), subtype: Type.Optional(NS), website: Type.Optional(NS), published: Type.Optional(Type.Boolean()),
})
export const ActorList = Type.Object({ items: Type.Array(ActorItemSchema), total: Type.Integer(),
  totalExact: Type.Boolean({ description: `false when a name search (q) has more than ${SEARCH_COUNT_CAP} matches: total is then that cap (use /api/actors/count for the exact number)` }),
  nextCursor: NS,
  match: Type.Union([Type.Literal('contains'), Type.Literal('fuzzy'), Type.Null()]) })
