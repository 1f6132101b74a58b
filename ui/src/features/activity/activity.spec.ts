import { describe, expect, it } from 'vitest'
import { dayRange, describeDetails } from './activity'

describe('the activity page', () => {
  it('turns picked days into a range of whole days in the viewer’s zone', () => {
    const r = dayRange('2026-12-01', '2026-12-03')
    expect(r.reversed).toBe(false)
    expect(new Date(r.from!).getTime()).toBe(new Date(2026, 11, 1).getTime())
    // The last day is included: the range ends at the start of the next one.
    expect(new Date(r.to!).getTime()).toBe(new Date(2026, 11, 4).getTime())
    expect(dayRange('2026-12-01', '2026-12-01').reversed).toBe(false)
  })

  it('says when the last day comes before the first', () => {
    expect(dayRange('2026-12-03', '2026-12-01').reversed).toBe(true)
  })

  it('leaves an open end open', () => {
    expect(dayRange('', '2026-12-01').from).toBeUndefined()
    expect(dayRange('2026-12-01', '').to).toBeUndefined()
    expect(dayRange('', '')).toEqual({ from: undefined, to: undefined, reversed: false })
  })

  it('writes details on one line, keys in order', () => {
    expect(describeDetails({ email: 'a@example.com', changed: 'name' })).toBe('changed: name · email: a@example.com')
    expect(describeDetails(null)).toBe('')
  })
})
