// The map app's store (web/src/state/store.ts): a watcher runs only when one of its keys changes.
import { describe, expect, it } from 'vitest'
import { Store } from '../../web/src/state/store'

interface S { a: number; list: string[]; data: { rows: number[] } | null }

describe('Store', () => {
  it('calls a watcher when one of its keys changes, with the new and the previous state', () => {
    const store = new Store<S>({ a: 1, list: [], data: null })
    const calls: [number, number][] = []
    store.watch(['a'], (s, prev) => calls.push([s.a, prev.a]))
    store.set({ list: ['x'] })
    store.set({ a: 2 })
    store.set({ a: 2 })
    expect(calls).toEqual([[2, 1]])
  })

  it('compares the state\'s values by value, the keys named as loaded data by identity', () => {
    const store = new Store<S>({ a: 1, list: ['x'], data: { rows: [1] } }, new Set(['data']))
    let list = 0; let data = 0
    store.watch(['list'], () => list++)
    store.watch(['data'], () => data++)
    store.set({ list: ['x'] })
    store.set({ data: { rows: [1] } })
    expect([list, data]).toEqual([0, 1])
    store.set({ list: ['x', 'y'] })
    const same = store.get().data
    store.set({ data: same })
    expect([list, data]).toEqual([1, 1])
  })

  it('a watcher after one that sets more sees the latest state; unsubscribed watchers are not called', () => {
    const store = new Store<S>({ a: 0, list: [], data: null })
    store.watch(['a'], (s) => store.set({ list: [String(s.a)] }))
    const seen: string[][] = []
    const off = store.watch(['a'], (s) => seen.push(s.list))
    store.set({ a: 1 })
    off()
    store.set({ a: 2 })
    expect(seen).toEqual([['1']])
    expect(store.get().list).toEqual(['2'])
  })
})
