// The curated registry's API (issue #16) on real PostGIS: scope (a curator of län 18 is refused in län 08, also when
// moving an entry there), the publish flag, a person's consent, history and restore, and the one visibility rule: the
// curated key figures count exactly what the same role lists, for every role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { DbHandle } from '../../server/db/client.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
let c18: Record<string, string>
let c08: Record<string, string>
let promoter: Record<string, string>

async function token (payload: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload })
  expect(res.statusCode, res.body).toBe(201)
  return { authorization: `Bearer ${res.json().token as string}` }
}
const post = (headers: Record<string, string>, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/curated', headers, payload })

beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  c18 = await token({ name: 'Region Örebro', role: 'curator', lan: ['18'] })
  c08 = await token({ name: 'Region Kalmar', role: 'curator', lan: ['08'] })
  promoter = await token({ name: 'Främjare', role: 'promoter' })
})
afterAll(async () => { await app?.close(); await db?.close() })

describe('scope', () => {
  it('a curator of län 18 creates in Örebro (1880) and gets 403 in Kalmar (0880, län 08), also when moving an entry there', async () => {
    const ok = await post(c18, { name: 'Konsthall Test', type: 'venue', subtype: 'konsthall', kommun: '1880', published: true })
    expect(ok.statusCode, ok.body).toBe(201)
    const e = ok.json()
    expect(e).toMatchObject({ name: 'Konsthall Test', type: 'venue', kommunCode: '1880', lanCode: '18', locationPrecision: 'kommun', version: 1, editable: true })
    expect(e.lon).toBeTypeOf('number') // the kommun's point until an address point is given
    const no = await post(c18, { name: 'Galleri Kalmar', type: 'venue', kommun: '0880' })
    expect(no.statusCode).toBe(403)
    expect(no.json().error.message).toMatch(/län 18.*län 01|scope/)
    const move = await app.inject({ method: 'PATCH', url: `/api/curated/${e.id as number}`, headers: c18, payload: { kommun: '0880' } })
    expect(move.statusCode).toBe(403)
    // the Kalmar curator may not edit or delete the Örebro entry; the public may not write at all
    expect((await app.inject({ method: 'PATCH', url: `/api/curated/${e.id as number}`, headers: c08, payload: { name: 'x' } })).statusCode).toBe(403)
    expect((await app.inject({ method: 'DELETE', url: `/api/curated/${e.id as number}`, headers: c08 })).statusCode).toBe(403)
    expect((await post({}, { name: 'x', type: 'venue', kommun: '1880' })).statusCode).toBe(401)
    expect((await post(promoter, { name: 'x', type: 'venue', kommun: '1880' })).statusCode).toBe(403)
    // the entry is unchanged by the refused requests
    expect((await app.inject({ url: `/api/curated/${e.id as number}`, headers: c18 })).json()).toMatchObject({ kommunCode: '1880', name: 'Konsthall Test', version: 1 })
  })

  it('refuses bad input with every problem named, and places by postcode when the kommun is left empty', async () => {
    const bad = await post(c18, { name: 'x', type: 'venue', kommun: '9999', website: 'not a url', lat: 80, lon: 10 })
    expect(bad.statusCode).toBe(400)
    const fields = (bad.json().error.details.problems as Array<{ field: string }>).map((p) => p.field)
    expect(fields).toEqual(expect.arrayContaining(['kommun', 'website', 'lat']))
    const placed = await post(c18, { name: 'Replokalen', type: 'workspace', kommun: '', postcode: '70210', city: 'Örebro', lat: 59.27, lon: 15.21 })
    expect(placed.statusCode, placed.body).toBe(201)
    expect(placed.json()).toMatchObject({ kommunCode: '1880', locationPrecision: 'address', lat: 59.27, lon: 15.21 })
  })

  it('warns when the organisation number is a register company', async () => {
    const { rows } = await db.query<{ orgnr: string }>("SELECT orgnr FROM company WHERE NOT sole_trader AND lan_code = '18' LIMIT 1")
    const res = await post(c18, { name: 'Dubblett', type: 'support', kommun: '1880', orgnr: rows[0].orgnr })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().warnings[0]).toMatch(/register company/)
  })
})

describe('publish flag and consent', () => {
  it('the public sees a published entry, gets 404 for an unpublished one; the curator sees both', async () => {
    const pub = (await post(c18, { name: 'Bygdegården Pub', type: 'venue', kommun: '1880', published: true })).json()
    const hidden = (await post(c18, { name: 'Bygdegården Dold', type: 'venue', kommun: '1880', published: false })).json()
    expect((await app.inject({ url: `/api/curated/${pub.id as number}` })).statusCode).toBe(200)
    expect((await app.inject({ url: `/api/curated/${hidden.id as number}` })).statusCode).toBe(404)
    expect((await app.inject({ url: `/api/curated/${hidden.id as number}`, headers: promoter })).statusCode).toBe(404)
    expect((await app.inject({ url: `/api/curated/${hidden.id as number}`, headers: c18 })).statusCode).toBe(200)
    const list = (await app.inject({ url: '/api/actors?kind=curated&q=bygdeg' })).json()
    expect(list.items.map((a: { name: string }) => a.name)).toEqual(['Bygdegården Pub'])
    const csv = (await app.inject({ url: '/api/actors?kind=curated&format=csv&q=bygdeg' })).body
    expect(csv).toContain('Bygdegården Pub')
    expect(csv).not.toContain('Bygdegården Dold')
  })

  it('a person is never shown beyond curators and admins without consent, and then only the consented fields', async () => {
    const p = (await post(c18, { name: 'Anna Konstnär', type: 'person', kommun: '1880', published: true, street: 'Hemgatan 1', postcode: '70210',
      website: 'https://anna.example', description: 'målare', lat: 59.28, lon: 15.22 })).json()
    expect((await app.inject({ url: `/api/curated/${p.id as number}` })).statusCode).toBe(404)
    expect((await app.inject({ url: '/api/actors?kind=curated&type=person' })).json().total).toBe(0)
    const withConsent = await app.inject({ method: 'PATCH', url: `/api/curated/${p.id as number}`, headers: c18, payload: { consent: { fields: ['website'] } } })
    expect(withConsent.statusCode, withConsent.body).toBe(200)
    expect(withConsent.json().consent).toMatchObject({ by: 'Region Örebro', fields: ['website'] })
    const seen = (await app.inject({ url: `/api/curated/${p.id as number}` })).json()
    expect(seen).toMatchObject({ name: 'Anna Konstnär', website: 'https://anna.example', street: null, postcode: null, description: null, locationPrecision: 'kommun' })
    expect(seen.consent).toBeUndefined()
    const item = (await app.inject({ url: '/api/actors?kind=curated&type=person' })).json().items[0]
    expect(item).toMatchObject({ name: 'Anna Konstnär', street: null, website: 'https://anna.example', locationPrecision: 'kommun' })
    expect(item.lat).not.toBe(59.28)
    const geo = (await app.inject({ url: '/api/actors?kind=curated&type=person&format=geojson' })).body
    expect(geo).not.toContain('Hemgatan')
    expect(geo).not.toContain('59.28')
    // the curator of the län sees everything
    expect((await app.inject({ url: `/api/curated/${p.id as number}`, headers: c18 })).json()).toMatchObject({ street: 'Hemgatan 1', lat: 59.28 })
    // a curator of another län is the public there
    expect((await app.inject({ url: `/api/curated/${p.id as number}`, headers: c08 })).json()).toMatchObject({ street: null })
  })
})

describe('history and restore', () => {
  it('records create, edit and delete with old → new, and restores an earlier version (also of a deleted entry)', async () => {
    const e = (await post(c18, { name: 'Ateljé Ett', type: 'workspace', subtype: 'ateljé', kommun: '1880', attributes: { studioPlaces: 4 } })).json()
    const id = e.id as number
    const upd = await app.inject({ method: 'PATCH', url: `/api/curated/${id}`, headers: c18, payload: { name: 'Ateljé Två', lat: 59.3, lon: 15.2, version: 1 } })
    expect(upd.statusCode, upd.body).toBe(200)
    expect(upd.json()).toMatchObject({ name: 'Ateljé Två', version: 2 })
    const stale = await app.inject({ method: 'PATCH', url: `/api/curated/${id}`, headers: c18, payload: { name: 'x', version: 1 } })
    expect(stale.statusCode).toBe(409)
    const h = (await app.inject({ url: `/api/curated/${id}/history`, headers: c18 })).json()
    expect(h.items.map((i: { action: string }) => i.action)).toEqual(['update', 'create'])
    expect(h.items[0]).toMatchObject({ version: 2, who: 'Region Örebro', changes: { name: { old: 'Ateljé Ett', new: 'Ateljé Två' }, lat: { old: null, new: 59.3 } } })
    expect((await app.inject({ url: `/api/curated/${id}/history` })).statusCode).toBe(401)
    expect((await app.inject({ url: `/api/curated/${id}/history`, headers: c08 })).statusCode).toBe(403)

    const back = await app.inject({ method: 'POST', url: `/api/curated/${id}/restore`, headers: c18, payload: { version: 1 } })
    expect(back.statusCode, back.body).toBe(200)
    expect(back.json()).toMatchObject({ name: 'Ateljé Ett', version: 3, locationPrecision: 'kommun', attributes: { studioPlaces: 4 } })

    expect((await app.inject({ method: 'DELETE', url: `/api/curated/${id}`, headers: c18 })).statusCode).toBe(204)
    expect((await app.inject({ url: `/api/curated/${id}`, headers: c18 })).statusCode).toBe(404)
    const again = await app.inject({ method: 'POST', url: `/api/curated/${id}/restore`, headers: c18, payload: { version: 2 } })
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toMatchObject({ id, name: 'Ateljé Två', version: 5 })
    const actions = (await app.inject({ url: `/api/curated/${id}/history`, headers: c18 })).json().items.map((i: { action: string }) => i.action)
    expect(actions).toEqual(['restore', 'delete', 'restore', 'update', 'create'])
  })
})

describe('one visibility rule', () => {
  it('key figures count exactly what each role lists (per län and per kommun), and the count endpoint agrees', async () => {
    // entries of every visibility in two län
    for (const e of [{ name: 'Kalmar publicerad', type: 'venue', published: true }, { name: 'Kalmar dold', type: 'venue', published: false },
      { name: 'Kalmar person', type: 'person', published: true, consent: { fields: [] } }, { name: 'Kalmar person utan samtycke', type: 'person', published: true }]) {
      const res = await post(admin, { ...e, kommun: '0880' })
      expect(res.statusCode, res.body).toBe(201)
    }
    const roles: Record<string, Record<string, string>> = { public: {}, promoter, curator18: c18, curator08: c08, admin }
    const seen: Record<string, number> = {}
    for (const [role, headers] of Object.entries(roles)) {
      const fig = await app.inject({ url: '/api/key-figures/curated?level=lan', headers })
      expect(fig.statusCode, fig.body).toBe(200)
      for (const lan of ['08', '18']) {
        const list = (await app.inject({ url: `/api/actors?kind=curated&lan=${lan}&limit=1000`, headers })).json()
        const count = (await app.inject({ url: `/api/actors/count?kind=curated&lan=${lan}`, headers })).json().total
        const row = fig.json().rows.find((r: { regionCode: string }) => r.regionCode === lan)
        expect(row.entries, `${role} ${lan}`).toBe(list.items.length)
        expect(count, `${role} ${lan}`).toBe(list.items.length)
        seen[`${role}${lan}`] = list.items.length
      }
      const kommun = (await app.inject({ url: '/api/key-figures/curated?level=kommun&lan=18&type=venue', headers })).json()
      const örebro = kommun.rows.find((r: { regionCode: string }) => r.regionCode === '1880')
      expect(örebro.entries, role).toBe((await app.inject({ url: '/api/actors?kind=curated&kommun=1880&type=venue&limit=1000', headers })).json().total)
      expect(örebro.per10k).toBeCloseTo(örebro.entries / örebro.population * 10_000, 2)
      expect(örebro).toHaveProperty('kkbCompanies')
    }
    // the rule differs by role (Kalmar kommun holds only the four entries above)
    const inKalmar = async (headers: Record<string, string>) => (await app.inject({ url: '/api/actors/count?kind=curated&kommun=0880', headers })).json().total
    expect(await inKalmar({})).toBe(2) // the published venue and the person with consent
    expect(await inKalmar(promoter)).toBe(2)
    expect(await inKalmar(c18)).toBe(2) // outside their län a curator sees what the public sees
    expect(await inKalmar(c08)).toBe(4)
    expect(await inKalmar(admin)).toBe(4)
    expect(seen.public18).toBeLessThan(seen.curator1818)
    expect(seen.curator1818).toBe(seen.admin18)
    expect(seen.promoter18).toBe(seen.public18)
  })

  it('tiles carry curated entries by type for the public without the unpublished ones', async () => {
    const res = await app.inject({ url: '/api/tiles/actors/5/17/9.mvt?kind=curated' }) // Örebro at z5
    expect(res.statusCode).toBe(200) // the published Örebro entries
    const json = (await app.inject({ url: '/api/tiles/actors.json?kind=curated' })).json()
    expect(Object.keys(json.vector_layers[0].fields)).toEqual(expect.arrayContaining(['g_venue', 'g_person']))
  })
})

describe('a moved point decides the kommun', () => {
  const patch = (headers: Record<string, string>, id: number, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/api/curated/${id}`, headers, payload })

  it('dragging into another kommun of the län changes the kommun; into another län is 403 for the curator; no kommun or a contradicting one is 400', async () => {
    const made = await post(c18, { name: 'Flyttbar ateljé', type: 'workspace', kommun: '1880', lat: 59.27, lon: 15.21, published: true })
    expect(made.statusCode, made.body).toBe(201)
    const id = made.json().id as number
    // Örebro → Kumla (both län 18): the point's kommun, with a warning to check the address
    const kumla = await patch(c18, id, { lat: 59.127, lon: 15.143, version: 1 })
    expect(kumla.statusCode, kumla.body).toBe(200)
    expect(kumla.json()).toMatchObject({ kommunCode: '1881', lanCode: '18', version: 2, lat: 59.127, lon: 15.143 })
    expect(kumla.json().warnings.join(' ')).toMatch(/1880 Örebro to 1881 Kumla/)
    const hist = (await app.inject({ url: `/api/curated/${id}/history`, headers: c18 })).json()
    expect(hist.items[0].changes.kommun).toEqual({ old: '1880', new: '1881' })
    expect(Object.keys(hist.items[0].changes).sort()).toEqual(['kommun', 'lat', 'lon'])
    // a move inside the kommun keeps it, and the stale version is a conflict, not an overwrite
    expect((await patch(c18, id, { lat: 59.13, lon: 15.15, version: 1 })).statusCode).toBe(409)
    const inside = await patch(c18, id, { lat: 59.13, lon: 15.15, version: 2 })
    expect(inside.json()).toMatchObject({ kommunCode: '1881', version: 3 })
    expect(inside.json().warnings).toEqual([])
    // into Västerås (län 19): outside the curator's scope, said so, and nothing changes
    const out = await patch(c18, id, { lat: 59.61, lon: 16.55, version: 3 })
    expect(out.statusCode).toBe(403)
    expect(out.json().error.message).toMatch(/scope is län 18.*moved into another kommun.*1980 Västerås is in län 19/)
    // a point in no Swedish kommun (Fyn, Denmark) and a kommun that contradicts the point are bad input
    const abroad = await patch(c18, id, { lat: 55.3, lon: 10.6, version: 3 })
    expect(abroad.statusCode).toBe(400)
    expect(abroad.json().error.message).toMatch(/lies in no Swedish kommun/)
    const contra = await patch(c18, id, { kommun: '1814', lat: 59.28, lon: 15.22, version: 3 })
    expect(contra.statusCode).toBe(400)
    expect(contra.json().error.message).toMatch(/lies in kommun 1880 Örebro, not in 1814 Lekeberg/)
    // the edit form sends the unchanged kommun with the moved point: the point still decides
    const form = await patch(c18, id, { kommun: '1881', lat: 59.28, lon: 15.22, version: 3 })
    expect(form.json()).toMatchObject({ kommunCode: '1880', version: 4 })
    // the admin may move it across the län border; the list and figures follow the new kommun
    const admin19 = await patch(admin, id, { lat: 59.61, lon: 16.55, version: 4 })
    expect(admin19.json()).toMatchObject({ kommunCode: '1980', lanCode: '19', version: 5 })
    const list = (await app.inject({ url: '/api/actors?kind=curated&kommun=1980&limit=1000' })).json()
    expect(list.items.map((a: { id: number }) => a.id)).toContain(id)
  })
})

describe('suggestions and their moderation', () => {
  const suggestOne = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/curated/suggestions', payload })
  it('the queue of a län is its curators\' (with the contact), accept makes one unpublished entry even when two decide at once, reject makes none', async () => {
    const a = await suggestOne({ name: 'Förslag Bygdegård', type: 'venue', subtype: 'bygdegård/samlingslokal', kommun: '1880', contact: 'a@b.example' })
    expect(a.statusCode, a.body).toBe(201)
    expect((await suggestOne({ name: 'Förslag Kalmar', type: 'venue', kommun: '0880' })).statusCode).toBe(201)
    const c = await suggestOne({ name: 'Förslag att avvisa', type: 'association', kommun: '1880' })
    expect((await suggestOne({ name: 'Någon person', type: 'person', kommun: '1880' })).statusCode).toBe(400) // no consent to give for others
    const queue = async (h: Record<string, string>, status = 'pending') =>
      ((await app.inject({ url: `/api/curated/suggestions?status=${status}`, headers: h })).json().items as Array<{ id: number; name: string; contact: string | null }>)
    const q18 = await queue(c18)
    expect(q18.map((x) => x.name)).toEqual(expect.arrayContaining(['Förslag Bygdegård', 'Förslag att avvisa']))
    expect(q18.map((x) => x.name)).not.toContain('Förslag Kalmar')
    expect(q18.find((x) => x.name === 'Förslag Bygdegård')!.contact).toBe('a@b.example')
    expect((await queue(c08)).map((x) => x.name)).toContain('Förslag Kalmar')
    expect((await app.inject({ url: '/api/curated/suggestions' })).statusCode).toBe(401)
    expect((await app.inject({ url: '/api/curated/suggestions', headers: promoter })).statusCode).toBe(403)
    // another län's curator may not decide it
    const aid = a.json().id as number
    expect((await app.inject({ method: 'POST', url: `/api/curated/suggestions/${aid}/accept`, headers: c08 })).statusCode).toBe(403)
    // two curators accept at once: one entry, the other is told it was decided
    const both = await Promise.all([1, 2].map(() => app.inject({ method: 'POST', url: `/api/curated/suggestions/${aid}/accept`, headers: c18 })))
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 400])
    const entryId = both.find((r) => r.statusCode === 200)!.json().entryId as number
    expect((await app.inject({ url: '/api/actors/count?kind=curated&q=Förslag Bygdegård', headers: admin })).json().total).toBe(1)
    expect((await app.inject({ url: `/api/curated/${entryId}`, headers: c18 })).json()).toMatchObject({ name: 'Förslag Bygdegård', published: false, kommunCode: '1880' })
    expect((await app.inject({ url: `/api/curated/${entryId}` })).statusCode).toBe(404) // unpublished until a curator publishes it
    const rejected = await app.inject({ method: 'POST', url: `/api/curated/suggestions/${c.json().id as number}/reject`, headers: c18 })
    expect(rejected.json()).toMatchObject({ status: 'rejected', entryId: null })
    expect((await app.inject({ url: '/api/actors/count?kind=curated&q=Förslag att avvisa', headers: admin })).json().total).toBe(0)
    expect((await queue(c18, 'accepted')).map((x) => x.name)).toEqual(['Förslag Bygdegård'])
    expect((await queue(c18)).map((x) => x.name)).not.toContain('Förslag att avvisa')
  })
})
