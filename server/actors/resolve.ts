// What an actor query means: the definition, the default year, the parsed lists and the checks no schema can express.
// Shared by the list, the count, the exports and the tiles, so a tile holds exactly the actors the list shows.
import type { DbHandle } from '../db/client.js'
import { badRequest } from '../errors.js'
import { resolveDefinition } from '../definitions/queries.js'
import { dataYears } from '../keyfigures/compute.js'
import type { ActorQueryT } from '../routes/actors.schema.js'
import type { ActorFilters, ActorKind } from './filters.js'
import type { Principal } from '../auth/tokens.js'
import { viewerOf } from '../curated/visibility.js'

export type ActorFilterQuery = Omit<ActorQueryT, 'sort' | 'limit' | 'format' | 'locale' | 'profile'>

const split = (s?: string) => (s ? s.split(',') : undefined)

/** `who` matters only for curated entries (their visibility); the register kinds look the same to every role here. */
export async function toFilters (db: DbHandle, q: ActorFilterQuery, who?: Pick<Principal, 'role' | 'lan'>): Promise<ActorFilters> {
  const definition = (await resolveDefinition(db, q.definition)).id
  let year = q.year
  if (q.kind === 'curated') {
    year = 0 // entries are edited in place, no reference years
  } else if (year === undefined) {
    if (q.kind === 'education') {
      const { rows } = await db.query<{ y: number | null }>('SELECT max(ref_year) AS y FROM education_provider')
      year = rows[0].y ?? new Date().getFullYear()
    } else {
      const years = await dataYears(db)
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
    ...(q.kind === 'curated' ? { type: split(q.type), subtype: q.subtype?.split(',').map((s) => s.trim()).filter(Boolean), viewer: viewerOf(who ?? { role: 'public', lan: [] }) } : {}),
  }
}
