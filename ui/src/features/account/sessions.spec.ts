import { describe, expect, it } from 'vitest'
import { deviceParts, isPhone, otherSessions, thisDeviceFirst } from './sessions'

describe('sessions', () => {
  it('names a device by its browser and system, or what is known of them', () => {
    expect(deviceParts({ browser: 'Firefox', os: 'Linux' })).toEqual({ kind: 'both', name: '' })
    expect(deviceParts({ browser: 'curl', os: '' })).toEqual({ kind: 'one', name: 'curl' })
    expect(deviceParts({ browser: '', os: 'Android' })).toEqual({ kind: 'one', name: 'Android' })
    expect(deviceParts({ browser: '', os: '' })).toEqual({ kind: 'unknown', name: '' })
  })

  it('tells phones from computers', () => {
    expect(isPhone({ browser: 'Safari', os: 'iPhone' })).toBe(true)
    expect(isPhone({ browser: 'Chrome', os: 'Android' })).toBe(true)
    expect(isPhone({ browser: 'Chrome', os: 'Windows' })).toBe(false)
  })

  it('lists this device first, the others in their order', () => {
    const list = [
      { id: 'a', current: false },
      { id: 'b', current: true },
      { id: 'c', current: false },
    ]
    expect(thisDeviceFirst(list).map((s) => s.id)).toEqual(['b', 'a', 'c'])
  })

  it('keeps the other sessions', () => {
    expect(otherSessions([{ current: true }, { current: false }, { current: false }])).toHaveLength(2)
  })
})
