// Saved region sets of the compare view (web/src/data/region-sets.ts): kept in localStorage, replaced by name, and
// whatever is in storage that is not a set is ignored rather than breaking the view.
import { describe, expect, it } from 'vitest'
import { loadSets, removeSet, saveSet, STORAGE_KEY } from '../../web/src/data/region-sets'

const memory = (init: Record<string, string> = {}) => {
  const m = new Map(Object.entries(init))
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => { m.set(k, v) }, raw: () => m.get(STORAGE_KEY) }
}

describe('saved region sets', () => {
  it('saves, replaces by name, lists by name and removes', () => {
    const s = memory()
    expect(loadSets(s)).toEqual([])
    saveSet(s, { name: 'Smålandslänen', codes: ['06', '07', '08'] })
    saveSet(s, { name: ' Kalmar mot riket ', codes: ['0880', '08', 'SE'] })
    expect(loadSets(s).map((x) => x.name)).toEqual(['Kalmar mot riket', 'Smålandslänen'])
    saveSet(s, { name: 'Smålandslänen', codes: ['06', '07'] })
    expect(loadSets(s).find((x) => x.name === 'Smålandslänen')!.codes).toEqual(['06', '07'])
    expect(removeSet(s, 'Kalmar mot riket').map((x) => x.name)).toEqual(['Smålandslänen'])
    expect(JSON.parse(s.raw()!)).toEqual([{ name: 'Smålandslänen', codes: ['06', '07'] }])
  })

  it('keeps only region codes, at most six, and ignores unreadable storage', () => {
    const s = memory()
    saveSet(s, { name: 'x', codes: ['0880', 'DROP TABLE', '123', '01', '02', '03', '04', '05', '06'] })
    expect(loadSets(s)[0].codes).toEqual(['0880', '01', '02', '03', '04', '05'])
    expect(saveSet(s, { name: '   ', codes: ['01'] }).map((x) => x.name)).toEqual(['x'])
    expect(loadSets(memory({ [STORAGE_KEY]: '{not json' }))).toEqual([])
    expect(loadSets(memory({ [STORAGE_KEY]: '{"name":"a"}' }))).toEqual([])
    expect(loadSets(memory({ [STORAGE_KEY]: '[{"name":"a","codes":"0880"},{"name":"b","codes":["0880"]},null]' }))).toEqual([{ name: 'b', codes: ['0880'] }])
  })
})
