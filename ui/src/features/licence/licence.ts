// What Admin → Licence and the administrators' banner say about the licence in force.
import type { LicenceInfo } from './api'

/** The seat count of the free edition (app/licence: FreeSeats). */
export const freeSeats = 10

type Seats = Pick<LicenceInfo, 'seats' | 'used' | 'expired' | 'overLimit'>

/** seatGauge is the seats-in-use bar: how full (0–100) and in which colour. */
export function seatGauge(info: Seats): { percent: number; color: 'primary' | 'warning' | 'error' } {
  const percent = info.seats > 0 ? Math.min(100, Math.round((info.used / info.seats) * 100)) : 100
  if (info.overLimit || info.used >= info.seats) return { percent, color: 'error' }
  return { percent, color: percent >= 90 ? 'warning' : 'primary' }
}

/** seatsToFree is how many seats must be freed before anyone can be added again (0 when one is free). */
export function seatsToFree(info: Pick<LicenceInfo, 'seats' | 'used'>): number {
  return Math.max(0, info.used - info.seats + 1)
}

/** seatsLeft is how many people can still be added under the licence. */
export function seatsLeft(info: Pick<LicenceInfo, 'seats' | 'used'>): number {
  return Math.max(0, info.seats - info.used)
}

/** bannerOf says which banner administrators see on every page: the expired licence first. */
export function bannerOf(info: Seats | undefined): 'expired' | 'overLimit' | undefined {
  if (!info) return undefined
  if (info.expired) return 'expired'
  return info.overLimit ? 'overLimit' : undefined
}
