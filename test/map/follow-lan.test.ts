// Following one län (issue #21): switching the level keeps a chosen län, and the key-figure query of the kommun level
// then asks for that län's kommuner only (lan=), which the table's export links carry too.
import { describe, expect, it } from 'vitest'
import { flowsUrl, keyFiguresUrl } from '../../web/src/api/client'
import { defaults } from '../../web/src/state/fields'
import { figureQuery, followedLan, levelChange } from '../../web/src/state/queries'

describe('following a län', () => {
  it('"Kalmar län" then "Kommun" follows Kalmar län and keeps it selected', () => {
    const s = { ...defaults, level: 'lan' as const, region: '08' }
    const next = { ...s, ...levelChange(s, 'kommun') }
    expect(next).toMatchObject({ level: 'kommun', lan: '08', region: '08' })
    expect(followedLan(next)).toBe('08')
    expect(keyFiguresUrl(figureQuery(next, 'kommun'), { format: 'csv' })).toBe('/api/key-figures?level=kommun&lan=08&branch=total&format=csv')
    // the births and closures of the same kommuner; a chosen category brings the category rows (flows have no code filter)
    expect(flowsUrl(figureQuery(next, 'kommun'), { format: 'csv' })).toBe('/api/key-figures/flows?level=kommun&lan=08&period=quarter&branch=total&format=csv')
    expect(flowsUrl(figureQuery({ ...next, branch: '9.1' }, 'kommun'))).toBe('/api/key-figures/flows?level=kommun&lan=08&period=quarter&branch=total%2Ccategory')
  })

  it('a kommun selected inside the followed län keeps the following; back to län selects the followed län', () => {
    const s = { ...defaults, level: 'kommun' as const, lan: '08', region: '0880' }
    expect(followedLan(s)).toBe('08')
    expect(levelChange(s, 'lan')).toEqual({ level: 'lan', region: '08' })
    expect(levelChange(s, 'kommun')).toEqual({})
  })

  it('the län level and the other levels of the same state are not limited', () => {
    const s = { ...defaults, level: 'lan' as const, lan: '08' }
    expect(followedLan(s)).toBeNull()
    expect(figureQuery(s, 'lan').lan).toBeUndefined()
    expect(figureQuery({ ...s, level: 'kommun' }, 'riket').lan).toBeUndefined()
    expect(figureQuery(defaults, 'kommun').lan).toBeUndefined()
  })
})
