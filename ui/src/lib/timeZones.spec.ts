import { describe, expect, it } from 'vitest'
import {
  formatOffset,
  isTimeZone,
  matchesZone,
  timeZoneNames,
  utcOffsetMinutes,
  zoneLabel,
  zoneClock,
  zoneName,
  zoneTime,
} from './timeZones'

const winter = new Date('2026-01-15T12:00:00Z')
const summer = new Date('2026-07-15T12:00:00Z')

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('')).toBe(false)
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false)
  })

  it('lists the browser zones with UTC and the extra names, sorted, once each', () => {
    const names = timeZoneNames(['Europe/Kyiv', 'Europe/Berlin', ''])
    expect(names).toContain('UTC')
    expect(names).toContain('Europe/Kyiv')
    expect(names).not.toContain('')
    expect(names.filter((z) => z === 'Europe/Berlin')).toHaveLength(1)
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')))
    expect(names.length).toBeGreaterThan(300)
  })

  it('computes the offset from UTC, with summer time', () => {
    expect(utcOffsetMinutes('UTC', winter)).toBe(0)
    expect(utcOffsetMinutes('Europe/Berlin', winter)).toBe(60)
    expect(utcOffsetMinutes('Europe/Berlin', summer)).toBe(120)
    expect(utcOffsetMinutes('America/New_York', winter)).toBe(-300)
    expect(utcOffsetMinutes('Asia/Kathmandu', winter)).toBe(345)
    expect(utcOffsetMinutes('Europe/Moscow', summer)).toBe(180)
  })

  it('writes offsets', () => {
    expect(formatOffset(0)).toBe('UTC')
    expect(formatOffset(180)).toBe('UTC+03:00')
    expect(formatOffset(345)).toBe('UTC+05:45')
    expect(formatOffset(-300)).toBe('UTC\u221205:00')
    expect(formatOffset(-30)).toBe('UTC\u221200:30')
  })

  it('shows the time there in the reader’s language', () => {
    expect(zoneTime('Europe/Berlin', winter, 'en')).toMatch(/Thu.*1:00.PM/)
    expect(zoneTime('Asia/Tokyo', winter, 'ru')).toMatch(/чт.*21:00/)
  })

  it('shows the clock with its offset, and nothing for a zone the browser does not know', () => {
    expect(zoneClock('Asia/Kolkata', winter, 'ru')).toMatch(/^чт 17:30 \(UTC\+05:30\)$/)
    expect(zoneClock('Mars/Olympus_Mons', winter, 'en')).toBe('')
  })

  it('labels names without underscores', () => {
    expect(zoneLabel('America/Port_of_Spain')).toBe('America/Port of Spain')
  })

  it('finds a zone by city, by part of its name and by its common name', () => {
    expect(matchesZone('America/New_York', 'new york', 'en')).toBe(true)
    expect(matchesZone('America/New_York', 'New_Y', 'en')).toBe(true)
    expect(matchesZone('America/New_York', 'america/new', 'en')).toBe(true)
    expect(matchesZone('America/New_York', 'Eastern', 'en')).toBe(true)
    expect(matchesZone('Europe/Moscow', 'москва', 'ru')).toBe(true)
    expect(matchesZone('Europe/Moscow', 'berlin', 'en')).toBe(false)
    expect(matchesZone('Europe/Moscow', '  ', 'en')).toBe(true)
  })

  it('gives a common name only where there is one', () => {
    expect(zoneName('America/New_York', 'en', winter)).toBe('Eastern Time')
    expect(zoneName('Etc/GMT-3', 'en', winter)).toBe('')
  })
})
