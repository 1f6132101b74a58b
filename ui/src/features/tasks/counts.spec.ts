import { describe, expect, it } from 'vitest'
import { badgeText, countsOf, countsShown, dueLink, noCounts } from './counts'

describe('countsOf', () => {
  it('reads the counts, and anything odd as 0', () => {
    expect(countsOf({ overdue: 3, today: 1 })).toEqual({ overdue: 3, today: 1 })
    expect(countsOf({ overdue: -1, today: 1.5 })).toEqual(noCounts)
    expect(countsOf({ overdue: '2' })).toEqual(noCounts)
    expect(countsOf(undefined)).toEqual(noCounts)
  })
})

describe('countsShown', () => {
  it('hides the counters when both are 0', () => {
    expect(countsShown(noCounts)).toBe(false)
    expect(countsShown({ overdue: 0, today: 2 })).toBe(true)
    expect(countsShown({ overdue: 1, today: 0 })).toBe(true)
  })
})

describe('badgeText', () => {
  it('keeps large counts short', () => {
    expect(badgeText(7)).toBe('7')
    expect(badgeText(99)).toBe('99')
    expect(badgeText(100)).toBe('99+')
  })
})

describe('dueLink', () => {
  it('leads to the list filtered by the counter', () => {
    expect(dueLink('overdue')).toEqual({ path: '/tasks', query: { due: 'overdue' } })
    expect(dueLink('today')).toEqual({ path: '/tasks', query: { due: 'today' } })
  })
})
