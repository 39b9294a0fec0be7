// The URL state of the map app (web/src/state): one field table drives the defaults, parsing and writing of every
// parameter. Every view must survive a link: a state written to a query string reads back the same.
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defaults, type State } from '../../web/src/state/fields'
import { parseUrl, toSearch } from '../../web/src/state/url'

/** every field away from its default */
const full: State = {
  lang: 'en', def: 'essnet-culture', branch: '2.3', year: 2024, level: 'lan', lan: '08', measure: 'lqCompanies', classes: 'lq',
  kind: 'workplace', edu: true, size: ['1', '2'], legal: ['71', '72'], region: '0880', actor: 'company:42', view: 'table', seg: '7',
  tab: 'actors', cmp: ['0880', '08', 'SE'], sort: '-employees', fsort: 'regionName', sni: true, series: 'per10k', index: 2024, rankin: 'riket', show: 'series',
  source: 'geojson', basemap: 'https://example.org/style.json',
  map: { zoom: 7.5, lat: 56.6634, lon: 16.3566 },
}

describe('URL state', () => {
  it('the defaults are the empty query string, both ways', () => {
    expect(toSearch(defaults)).toBe('')
    expect(parseUrl('')).toEqual(defaults)
    expect(parseUrl('?')).toEqual(defaults)
  })

  it('writes every non-default field under its parameter name, commas and slashes unescaped, the map last', () => {
    const search = toSearch(full)
    expect(search).toBe('?lang=en&def=essnet-culture&branch=2.3&year=2024&level=lan&lan=08&measure=lqCompanies&classes=lq&actors=workplace'
      + '&edu=1&size=1,2&legal=71,72&region=0880&actor=company%3A42&view=table&seg=7&tab=actors&cmp=0880,08,SE&sort=-employees&fsort=regionName&sni=1'
      + '&series=per10k&index=2024&rankin=riket&show=series&source=geojson&basemap=https%3A//example.org/style.json&map=7.50/56.6634/16.3566')
    expect(parseUrl(search)).toEqual(full)
  })

  it('leaves out a field at its default and keeps the others', () => {
    expect(toSearch({ ...defaults, branch: '2', region: '01' })).toBe('?branch=2&region=01')
    expect(toSearch({ ...defaults, measure: 'per10k', classes: 'quantile', kind: 'company', size: [] })).toBe('')
  })

  it('ignores keys that are not URL fields (the loaded data the app keeps beside the state)', () => {
    const withLoaded = { ...defaults, figures: { rows: [1, 2, 3] }, definition: { id: 'x' } } as State
    expect(toSearch(withLoaded)).toBe('')
  })

  it('rounds the map position to what a link needs', () => {
    const s = parseUrl(toSearch({ ...defaults, map: { zoom: 4.123456, lat: 63.00351234, lon: 17.55 } }))
    expect(s.map).toEqual({ zoom: 4.12, lat: 63.0035, lon: 17.55 })
  })

  it('falls back to the default for every value it does not understand', () => {
    const s = parseUrl('?lang=de&def=a%20b&branch=x1&year=1800&level=region&measure=turnover&classes=cubic&actors=people&edu=yes'
      + '&size=1,%3Cb%3E,2&legal=,,49&region=123&actor=company:abc&view=list&tab=x&sort=orgnr&fsort=a%20b&sni=true'
      + '&source=tiles&basemap=javascript:alert(1)&map=1/2')
    expect(s).toEqual({ ...defaults, size: ['1', '2'], legal: ['49'] })
    expect(parseUrl('?year=2024.5').year).toBeNull()
    expect(parseUrl('?year=abc').year).toBeNull()
    expect(parseUrl('?map=a/b/c').map).toBeNull()
    expect(parseUrl('?map=1/2/3/4').map).toBeNull()
    expect(parseUrl('?def=' + 'x'.repeat(65)).def).toBe('')
    expect(parseUrl('?branch=1234').branch).toBe('total')
  })

  it('accepts each value of the closed lists and the codes it expects', () => {
    expect(parseUrl('?branch=all').branch).toBe('all')
    expect(parseUrl('?branch=12.3').branch).toBe('12.3')
    expect(parseUrl('?actors=none').kind).toBe('none')
    expect(parseUrl('?actor=education:7').actor).toBe('education:7')
    expect(parseUrl('?region=01').region).toBe('01')
    expect(parseUrl('?sort=id').sort).toBe('id')
    expect(parseUrl('?basemap=http://127.0.0.1/s.json').basemap).toBe('http://127.0.0.1/s.json')
    expect(parseUrl('?unknown=1&lang=en')).toEqual({ ...defaults, lang: 'en' })
  })

  it('a class method must fit the measure: diverging classes only for the measure they belong to', () => {
    expect(parseUrl('?measure=lqCompanies&classes=lq').classes).toBe('lq')
    expect(parseUrl('?measure=companiesChangePct&classes=change').classes).toBe('change')
    expect(parseUrl('?measure=per10k&classes=lq').classes).toBe('quantile')
    expect(parseUrl('?measure=lqCompanies&classes=change').classes).toBe('quantile')
    expect(parseUrl('?classes=lq').classes).toBe('quantile')
    expect(parseUrl('?measure=companies&classes=equal').classes).toBe('equal')
  })

  it('any valid state survives the round trip through a link', () => {
    // strings from explicit alphabets (fc.stringMatching is slow to start for \w classes)
    const from = (alphabet: string, minLength: number, maxLength: number) =>
      fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength })
    const word = 'abcXYZ019_'
    const digits = (n: number) => from('0123456789', n, n)
    const code = from(word + '.-', 1, 6)
    const measureAndClasses = fc.oneof(
      fc.record({ measure: fc.constantFrom('companies', 'per10k', 'shareCompanies', 'employees') as fc.Arbitrary<State['measure']>,
        classes: fc.constantFrom('quantile', 'equal') as fc.Arbitrary<State['classes']> }),
      fc.record({ measure: fc.constant('lqCompanies' as const),
        classes: fc.constantFrom('quantile', 'equal', 'lq') as fc.Arbitrary<State['classes']> }),
      fc.record({ measure: fc.constant('companiesChangePct' as const),
        classes: fc.constantFrom('quantile', 'equal', 'change') as fc.Arbitrary<State['classes']> }))
    /** numbers with at most `digits` decimals, as a link writes them */
    const fixed = (digits: number, min: number, max: number) =>
      fc.integer({ min: min * 10 ** digits, max: max * 10 ** digits }).map((n) => n / 10 ** digits)
    const num = (n: number) => from('0123456789', 1, n)
    const state: fc.Arbitrary<State> = fc.record({
      lang: fc.constantFrom('sv', 'en'),
      def: fc.oneof(fc.constant(''), from(word + '.-', 1, 64)),
      branch: fc.oneof(fc.constantFrom('total', 'all'), fc.tuple(num(3), fc.option(num(3))).map(([g, c]) => (c ? `${g}.${c}` : g))),
      year: fc.oneof(fc.constant(null), fc.integer({ min: 1901, max: 2199 })),
      level: fc.constantFrom('kommun', 'lan'),
      lan: fc.oneof(fc.constant(null), digits(2)),
      kind: fc.constantFrom('company', 'workplace', 'none'),
      edu: fc.boolean(), sni: fc.boolean(),
      size: fc.array(code, { maxLength: 4 }), legal: fc.array(code, { maxLength: 4 }),
      region: fc.oneof(fc.constant(null), digits(2), digits(4)),
      actor: fc.oneof(fc.constant(null),
        fc.tuple(fc.constantFrom('company', 'workplace', 'education'), fc.nat()).map(([k, n]) => `${k}:${n}`)),
      view: fc.constantFrom('map', 'table', 'compare', 'segments'),
      seg: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 999_999_999 }).map(String)), tab: fc.constantFrom('figures', 'actors'),
      cmp: fc.uniqueArray(fc.oneof(digits(2), digits(4), fc.constant('SE')), { maxLength: 6 }),
      sort: fc.constantFrom('name', '-name', 'employees', '-employees', 'id', '-id'),
      fsort: fc.tuple(fc.constantFrom('', '-'), from(word, 1, 30)).map(([d, k]) => d + k),
      series: fc.constantFrom('companies', 'per10k', 'shareCompanies', 'lqCompanies', 'employees', 'turnover'),
      index: fc.oneof(fc.constant(null), fc.integer({ min: 1901, max: 2199 })),
      rankin: fc.constantFrom('lan', 'riket'),
      show: fc.constantFrom('map', 'series', 'shares', 'ranked'),
      source: fc.constantFrom('auto', 'geojson'),
      basemap: fc.oneof(fc.constant(null), fc.webUrl({ validSchemes: ['http', 'https'] })),
      // fc.record makes objects without a prototype; the app's are plain objects
      map: fc.oneof(fc.constant(null),
        fc.record({ zoom: fixed(2, 0, 22), lat: fixed(4, -85, 85), lon: fixed(4, -180, 180) }).map((m) => ({ ...m }))),
    }).chain((rest) => measureAndClasses.map((mc) => ({ ...rest, ...mc }) as State))
    fc.assert(fc.property(state, (s) => isDeepStrictEqual(parseUrl(toSearch(s)), s)), { numRuns: 200 })
  })
})
