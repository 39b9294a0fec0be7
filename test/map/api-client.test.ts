// The map app's API client (web/src/api/client.ts) against a small local HTTP server: the URLs it builds reach the
// server as written, answers are parsed, errors surface with the API's message, identical requests share one answer.
// The app uses same-origin paths (/api/...); fetch here resolves them against the local server, as a browser does
// against the page's origin.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { actorBranch, actorParams, api, ApiError, apiUrl, figureBranch, getJson, keyFiguresUrl, type FigureQuery } from '../../web/src/api/client'

interface Hit { url: string; accept: string | undefined }
let server: Server
let origin: string
let hits: Hit[] = []
/** path (without query) → [status, body, content type] */
let routes: Record<string, [number, string, string?]> = {}
const realFetch = globalThis.fetch

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    hits.push({ url: req.url ?? '', accept: req.headers.accept })
    const notFound: [number, string] = [404, JSON.stringify({ error: { code: 'not_found', message: 'no such route' } })]
    const [status, body, type] = routes[(req.url ?? '').split('?')[0]] ?? notFound
    res.writeHead(status, { 'content-type': type ?? 'application/json' })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  globalThis.fetch = (input, init) => realFetch(new URL(String(input), origin), init)
})
afterAll(async () => {
  globalThis.fetch = realFetch
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => { hits = []; routes = {} })

const json = (body: unknown): [number, string] => [200, JSON.stringify(body)]

describe('URL builders', () => {
  it('apiUrl drops empty values, joins lists with commas and encodes the rest', () => {
    expect(apiUrl('actors', { kind: 'company', q: 'a&b c', size: ['1', '2'], legal: [], year: undefined, lan: null, def: '', kkb: true,
      limit: 0 }))
      .toBe('/api/actors?kind=company&q=a%26b+c&size=1%2C2&kkb=true&limit=0')
    expect(apiUrl('health')).toBe('/api/health')
  })

  it('a branch selection becomes the key figures\' branch/code and the actors\' kkb/group/category', () => {
    expect(['total', 'all', '2', '2.3'].map(figureBranch)).toEqual([
      { branch: 'total' }, { branch: 'all' }, { branch: 'group', code: '2' }, { branch: 'category', code: '2.3' }])
    expect(['total', 'all', '2', '2.3'].map(actorBranch)).toEqual([{ kkb: true }, {}, { group: '2' }, { category: '2.3' }])
  })

  it('keyFiguresUrl: the latest year and the national definition are left to the API', () => {
    expect(keyFiguresUrl({ branch: 'total', level: 'kommun', year: null })).toBe('/api/key-figures?level=kommun&branch=total')
    const q: FigureQuery = { branch: '2.3', level: 'lan', year: 2024, definition: 'essnet-culture', region: ['01', '03'] }
    expect(keyFiguresUrl(q, { format: 'csv', locale: 'sv' }))
      .toBe('/api/key-figures?level=lan&region=01%2C03&branch=category&code=2.3&year=2024&definition=essnet-culture&format=csv&locale=sv')
  })

  it('actorParams: education providers have no branch or definition', () => {
    expect(actorParams({ kind: 'company', branch: 'total', definition: 'd', sizeClass: ['1'], kommun: '0180' }))
      .toEqual({ kind: 'company', definition: 'd', kkb: true, year: undefined, kommun: '0180', lan: undefined, sizeClass: ['1'],
        legalForm: undefined, q: undefined })
    expect(apiUrl('actors', actorParams({ kind: 'education', branch: '2', definition: 'd', year: 2025 })))
      .toBe('/api/actors?kind=education&year=2025')
  })
})

describe('requests', () => {
  it('api calls ask the server for JSON at the paths the API defines, and return the parsed body', async () => {
    routes['/api/reference/size-classes'] = json([{ code: '1', label: '0 anställda', min: 0, max: 0 }])
    routes['/api/reference/legal-forms'] = json([{ code: '49', title: 'Aktiebolag', naturalPerson: false }])
    routes['/api/actors'] = json({ items: [], total: 0, nextCursor: null })
    routes['/api/key-figures'] = json({ rows: [] })
    expect(await api.sizeClasses()).toEqual([{ code: '1', label: '0 anställda', min: 0, max: 0 }])
    expect((await api.legalForms())[0].code).toBe('49')
    await api.actors({ kind: 'workplace', branch: '2', sizeClass: ['7', '8'], lan: '08' }, { limit: 50, sort: '-employees' })
    await api.keyFigures({ branch: 'all', level: 'riket', year: 'all' })
    expect(hits.map((h) => h.url)).toEqual([
      '/api/reference/size-classes', '/api/reference/legal-forms',
      '/api/actors?kind=workplace&group=2&lan=08&sizeClass=7%2C8&limit=50&sort=-employees',
      '/api/key-figures?level=riket&branch=all&year=all',
    ])
    expect(hits.every((h) => h.accept === 'application/json')).toBe(true)
  })

  it('identical requests share one answer; health is asked every time', async () => {
    routes['/api/definitions'] = json([{ id: 'a' }])
    routes['/api/health'] = json({ status: 'ok' })
    const [a, b] = await Promise.all([api.definitions(), api.definitions()])
    expect(a).toBe(b)
    await api.definitions()
    await api.health()
    await api.health()
    expect(hits.map((h) => h.url)).toEqual(['/api/definitions', '/api/health', '/api/health'])
  })

  it('an error answer becomes an ApiError with the status and the API\'s message, and is not cached', async () => {
    routes['/api/definitions/broken'] = [400, JSON.stringify({ error: { code: 'bad_request', message: 'unknown definition "broken"' } })]
    const err = await api.definition('broken').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(400)
    expect((err as ApiError).message).toBe('unknown definition "broken"')
    routes['/api/definitions/broken'] = json({ id: 'broken', groups: [] })
    expect(await api.definition('broken')).toEqual({ id: 'broken', groups: [] })
    expect(hits.length).toBe(2)
  })

  it('an error without the API\'s error body reports the HTTP status', async () => {
    routes['/api/oops'] = [502, '<html>bad gateway</html>', 'text/html']
    await expect(getJson('/api/oops')).rejects.toThrow('502 Bad Gateway')
  })

  it('path segments are encoded', async () => {
    routes['/api/definitions/a%2Fb%20c'] = json({ id: 'a/b c' })
    expect(await api.definition('a/b c')).toEqual({ id: 'a/b c' })
  })

  it('a request can be aborted', async () => {
    routes['/api/actors'] = json({ items: [], total: 0, nextCursor: null })
    const ctrl = new AbortController()
    ctrl.abort()
    await expect(api.actors({ kind: 'company', branch: 'total', q: 'abort' }, { limit: 8 }, ctrl.signal)).rejects.toThrow(/abort/i)
  })

  it('tilesAvailable: the TileJSON\'s maxzoom when the endpoint answers 200, else null (never an error)', async () => {
    routes['/api/tiles/actors.json'] = json({ tilejson: '3.0.0', maxzoom: 12 })
    expect(await api.tilesAvailable()).toEqual({ maxzoom: 12 })
    routes['/api/tiles/actors.json'] = json({ tilejson: '3.0.0' })
    expect(await api.tilesAvailable()).toEqual({ maxzoom: 14 })
    routes['/api/tiles/actors.json'] = [503, JSON.stringify({ error: { message: 'tiles off' } })]
    expect(await api.tilesAvailable()).toBeNull()
    routes['/api/tiles/actors.json'] = [200, 'not json']
    expect(await api.tilesAvailable()).toBeNull()
    expect(hits.filter((h) => h.url === '/api/tiles/actors.json').length).toBe(4)
  })
})
