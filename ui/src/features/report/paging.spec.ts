import { describe, expect, it } from 'vitest'
import { pageOf } from './paging'

describe('pageOf', () => {
  it('slices a page and counts the pages', () => {
    const xs = Array.from({ length: 30 }, (_, i) => i)
    expect(pageOf(xs, 1, 25)).toEqual({ items: xs.slice(0, 25), pages: 2 })
    expect(pageOf(xs, 2, 25)).toEqual({ items: xs.slice(25), pages: 2 })
  })
  it('keeps a page past the end on the last one, and an empty list on one page', () => {
    expect(pageOf([1, 2, 3], 9, 2)).toEqual({ items: [3], pages: 2 })
    expect(pageOf([], 1)).toEqual({ items: [], pages: 1 })
  })
})
