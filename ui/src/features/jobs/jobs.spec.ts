import { describe, expect, it } from 'vitest'
import { readSchedule, took } from './jobs'

describe('jobs', () => {
  it('reads the schedules of the configuration', () => {
    expect(readSchedule('@every 1m')).toEqual({ kind: 'every', n: 1, unit: 'minutes' })
    expect(readSchedule('@every 60m')).toEqual({ kind: 'every', n: 1, unit: 'hours' })
    expect(readSchedule('@every 90m')).toEqual({ kind: 'every', n: 90, unit: 'minutes' })
    expect(readSchedule('@every 1h')).toEqual({ kind: 'every', n: 1, unit: 'hours' })
    expect(readSchedule('@every 30s')).toEqual({ kind: 'every', n: 30, unit: 'seconds' })
    expect(readSchedule('@daily')).toEqual({ kind: 'daily' })
    expect(readSchedule(' 0 3 * * * ')).toEqual({ kind: 'cron', spec: '0 3 * * *' })
    expect(readSchedule('@every 1h30m')).toEqual({ kind: 'cron', spec: '@every 1h30m' })
  })

  it('says how long a run took in a fitting unit', () => {
    expect(took(35)).toEqual({ n: 35, unit: 'ms' })
    expect(took(1234)).toEqual({ n: 1.2, unit: 's' })
    expect(took(125_000)).toEqual({ n: 2, unit: 'min' })
  })
})
