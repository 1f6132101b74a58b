import { describe, expect, it } from 'vitest'
import { bannerOf, seatGauge, seatsLeft, seatsToFree } from './licence'

const info = { seats: 10, used: 2, expired: false, overLimit: false }

describe('seatGauge', () => {
  it('fills in proportion, in the primary colour while seats are free', () => {
    expect(seatGauge(info)).toEqual({ percent: 20, color: 'primary' })
  })

  it('warns when nearly full and alarms when full or over', () => {
    expect(seatGauge({ ...info, seats: 20, used: 19 }).color).toBe('warning')
    expect(seatGauge({ ...info, used: 10 })).toEqual({ percent: 100, color: 'error' })
    expect(seatGauge({ ...info, used: 12, overLimit: true })).toEqual({ percent: 100, color: 'error' })
  })
})

describe('seat counts', () => {
  it('counts the seats left and those to free', () => {
    expect(seatsLeft(info)).toBe(8)
    expect(seatsToFree(info)).toBe(0)
    expect(seatsLeft({ seats: 10, used: 12 })).toBe(0)
    // Back under the limit is not enough: one seat must be free to add someone.
    expect(seatsToFree({ seats: 10, used: 12 })).toBe(3)
    expect(seatsToFree({ seats: 10, used: 10 })).toBe(1)
  })
})

describe('bannerOf', () => {
  it('shows nothing while the licence is fine, or not loaded', () => {
    expect(bannerOf(info)).toBeUndefined()
    expect(bannerOf(undefined)).toBeUndefined()
  })

  it('puts an expired licence before seats over the limit', () => {
    expect(bannerOf({ ...info, overLimit: true })).toBe('overLimit')
    expect(bannerOf({ ...info, overLimit: true, expired: true })).toBe('expired')
  })
})
