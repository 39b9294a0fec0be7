// Choropleth classes (web/src/map/classify.ts): quantiles, equal intervals and the fixed diverging breaks, with the
// counts and value ranges the legend shows. A class i holds values v with breaks[i-1] <= v < breaks[i].
import { describe, expect, it } from 'vitest'
import { classify, classIndex, DIVERGING_BREAKS } from '../../web/src/map/classify'
import { DIVERGING, SEQUENTIAL } from '../../web/src/map/colors'

const oneToTen = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]

describe('classIndex', () => {
  it('puts a value equal to a break into the class above it', () => {
    const breaks = [3, 5, 7]
    expect([0, 2.99, 3, 4.9, 5, 7, 100].map((v) => classIndex(breaks, v))).toEqual([0, 0, 1, 1, 2, 3, 3])
    expect(classIndex([], 42)).toBe(0)
  })
})

describe('classify', () => {
  it('quantiles: five classes of equal size, each range the actual min and max of its values', () => {
    const c = classify(oneToTen, 'quantile')
    expect(c.breaks).toEqual([3, 5, 7, 9])
    expect(c.counts).toEqual([2, 2, 2, 2, 2])
    expect(c.ranges).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]])
    expect(c.colors).toEqual(SEQUENTIAL)
    expect(c.fixed).toBe(false)
    expect(c.method).toBe('quantile')
  })

  it('equal intervals: breaks evenly between min and max, whatever the values in between', () => {
    const c = classify([0, 1, 2, 3, 100], 'equal')
    expect(c.breaks).toEqual([20, 40, 60, 80])
    expect(c.counts).toEqual([4, 0, 0, 0, 1])
    expect(c.ranges).toEqual([[0, 3], null, null, null, [100, 100]])
  })

  it('quantiles collapse on ties into fewer classes, with colours spread over the palette', () => {
    const values = [...Array(80).fill(0), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...Array(10).fill(50)]
    const c = classify(values, 'quantile')
    // the quantile breaks 0, 0, 0 and 1 → distinct and above the minimum: only 1 is left
    expect(c.breaks).toEqual([1])
    expect(c.counts).toEqual([80, 20])
    expect(c.colors).toEqual([SEQUENTIAL[0], SEQUENTIAL[4]])
  })

  it('one value for all regions: a single class in a middle-dark colour', () => {
    const c = classify([7, 7, 7], 'quantile')
    expect(c.breaks).toEqual([])
    expect(c.counts).toEqual([3])
    expect(c.ranges).toEqual([[7, 7]])
    expect(c.colors).toEqual([SEQUENTIAL[3]])
  })

  it('no values (all suppressed or missing): one empty class', () => {
    const c = classify([], 'equal')
    expect(c.breaks).toEqual([])
    expect(c.counts).toEqual([0])
    expect(c.ranges).toEqual([null])
  })

  it('ignores values that are not finite numbers', () => {
    const c = classify([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3], 'equal', 2)
    expect(c.breaks).toEqual([2])
    expect(c.counts).toEqual([1, 2])
  })

  it('rounds breaks to six significant digits (the legend shows them)', () => {
    const c = classify([0, 1], 'equal', 3)
    expect(c.breaks).toEqual([0.333333, 0.666667])
  })

  it('LQ: fixed breaks around 1 and the diverging palette, also where no region falls in a class', () => {
    const c = classify([0.5, 0.67, 0.95, 1.1, 3], 'lq')
    expect(c.breaks).toEqual([0.67, 0.9, 1.1, 1.5])
    expect(c.fixed).toBe(true)
    expect(c.colors).toEqual(DIVERGING)
    expect(c.counts).toEqual([1, 1, 1, 1, 1])
    expect(classify([], 'lq').breaks).toEqual(DIVERGING_BREAKS.lq)
    expect(classify([], 'lq').counts).toEqual([0, 0, 0, 0, 0])
  })

  it('change (%): fixed breaks around 0, decline below −2 %, growth from 2 %', () => {
    const c = classify([-50, -10, -2.5, -2, 0, 1.99, 2, 10, 200], 'change')
    expect(c.breaks).toEqual([-10, -2, 2, 10])
    expect(c.counts).toEqual([1, 2, 3, 1, 2])
    expect(c.ranges).toEqual([[-50, -50], [-10, -2.5], [-2, 1.99], [2, 2], [10, 200]])
  })

  it('does not change the caller\'s array or the fixed breaks', () => {
    const values = [3, 1, 2]
    classify(values, 'quantile').breaks.push(99)
    classify(values, 'lq').breaks.push(99)
    expect(values).toEqual([3, 1, 2])
    expect(DIVERGING_BREAKS.lq).toEqual([0.67, 0.9, 1.1, 1.5])
  })
})
