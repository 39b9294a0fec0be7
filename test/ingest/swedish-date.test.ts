import { describe, expect, it } from 'vitest'
import { swedishDate } from '../../server/ingest/swedish-date.js'
import { Invalid } from '../../server/ingest/validate.js'

describe('swedishDate: AFR timestamps are Swedish calendar dates', () => {
  it('reads midnight in winter and in summer time as the Swedish day, not the UTC one', () => {
    expect(swedishDate('2025-02-02T23:00:00.000Z')).toBe('2025-02-03')
    expect(swedishDate('2025-06-30T22:00:00.000Z')).toBe('2025-07-01')
    // the nights the clock changes: summer time starts at 02:00 on 30 March 2025 and ends at 03:00 on 26 October 2025
    expect(swedishDate('2025-03-29T23:00:00.000Z')).toBe('2025-03-30')
    expect(swedishDate('2025-03-30T22:00:00.000Z')).toBe('2025-03-31')
    expect(swedishDate('2025-10-25T22:00:00.000Z')).toBe('2025-10-26')
    expect(swedishDate('2025-10-26T23:00:00.000Z')).toBe('2025-10-27')
    // Sweden's older rules: no summer time in 1975; until 1995 it ended on the last Sunday of September
    expect(swedishDate('1975-07-01T23:00:00Z')).toBe('1975-07-02')
    expect(swedishDate('1985-10-05T23:00:00Z')).toBe('1985-10-06')
  })

  it('keeps a real time of day on its day, reads explicit offsets, and passes plain dates through', () => {
    expect(swedishDate('2025-01-20T15:16:00.000Z')).toBe('2025-01-20')
    expect(swedishDate('2025-01-20T23:30:00+01:00')).toBe('2025-01-20')
    expect(swedishDate('2019-04-15')).toBe('2019-04-15')
    expect(swedishDate('20190415')).toBe('2019-04-15')
    expect(swedishDate('')).toBeNull()
  })

  it('refuses what is not a date', () => {
    expect(swedishDate('2025-13-40T23:00:00.000Z')).toBeInstanceOf(Invalid)
    expect(swedishDate('igår')).toBeInstanceOf(Invalid)
  })
})
