import { describe, expect, it } from 'vitest'
import { span } from './duration'

describe('system durations', () => {
  it('use the largest whole unit', () => {
    expect(span(59)).toEqual({ n: 0, unit: 'minutes' })
    expect(span(3599)).toEqual({ n: 59, unit: 'minutes' })
    expect(span(3600)).toEqual({ n: 1, unit: 'hours' })
    expect(span(2 * 86400 + 7200)).toEqual({ n: 2, unit: 'days' })
    expect(span(-5)).toEqual({ n: 0, unit: 'minutes' })
  })
})
