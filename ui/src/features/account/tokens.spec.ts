import { describe, expect, it } from 'vitest'
import { dayRange, expiryDays } from './tokens'

describe('expiryDays', () => {
  const today = new Date(2026, 10, 23, 15, 30)
  it('takes the fixed lengths as they are', () => {
    expect(expiryDays('30', '', today)).toBe(30)
    expect(expiryDays('90', '2027-01-01', today)).toBe(90)
    expect(expiryDays('365', '', today)).toBe(365)
  })
  it('counts the days from today to a chosen day', () => {
    expect(expiryDays('date', '2026-11-24', today)).toBe(1)
    expect(expiryDays('date', '2026-12-23', today)).toBe(30)
    expect(expiryDays('date', '2027-11-23', today)).toBe(365)
    // Across a change to summer time the count stays whole.
    expect(expiryDays('date', '2027-04-23', today)).toBe(151)
  })
  it('gives nothing the server would take for no or a past day', () => {
    expect(expiryDays('date', '', today)).toBe(0)
    expect(expiryDays('date', '2026-11-23', today)).toBe(0)
    expect(expiryDays('date', '2026-11-01', today)).toBeLessThan(0)
    expect(expiryDays('date', 'tomorrow', today)).toBe(0)
  })
})

describe('dayRange', () => {
  it('runs from tomorrow to a year from today', () => {
    expect(dayRange(new Date(2026, 10, 23, 23, 59))).toEqual({ min: '2026-11-24', max: '2027-11-23' })
    expect(dayRange(new Date(2027, 11, 31, 0, 1))).toEqual({ min: '2028-01-01', max: '2028-12-30' })
  })
})
