import { describe, expect, it } from 'vitest'
import { dayEnd, formatDate, formatDateTime, isPast, localDay } from './dates'

describe('dates', () => {
  it('formats a day in the language asked for', () => {
    expect(formatDate('2027-03-12T10:00:00Z', 'en')).toBe('March 12, 2027')
    expect(formatDate('2027-03-12T10:00:00Z', 'ru')).toBe('12 марта 2027 г.')
  })

  it('formats a day and a time', () => {
    expect(formatDateTime('2027-03-12T10:00:00Z', 'en')).toMatch(/Mar 12, 2027/)
  })

  it('gives nothing for no date or a date it cannot read', () => {
    expect(formatDate('', 'en')).toBe('')
    expect(formatDateTime('not a date', 'en')).toBe('')
  })

  it('tells past from future', () => {
    const now = new Date('2027-01-01T00:00:00Z')
    expect(isPast('2026-12-31T23:59:59Z', now)).toBe(true)
    expect(isPast('2027-01-02T00:00:00Z', now)).toBe(false)
    expect(isPast('', now)).toBe(false)
  })
})

describe('access days', () => {
  it('ends a picked day at its last minute, in the local zone, and reads it back as that day', () => {
    const end = dayEnd('2027-01-31')
    const d = new Date(end)
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2027, 0, 31, 23, 59])
    expect(localDay(end)).toBe('2027-01-31')
  })
  it('gives nothing for a malformed day', () => {
    expect(dayEnd('')).toBe('')
    expect(dayEnd('31/01/2027')).toBe('')
    expect(localDay('not a date')).toBe('')
  })
})
