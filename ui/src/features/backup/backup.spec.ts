import { describe, expect, it } from 'vitest'
import { percent, size } from './progress'

describe('backup progress', () => {
  it('is unknown while the database is copied, then counts bytes', () => {
    const p = { phase: 'snapshot', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 }
    expect(percent(p)).toBeUndefined()
    expect(percent({ ...p, phase: 'files', bytesDone: 250, bytesTotal: 1000 })).toBe(25)
    expect(percent({ ...p, phase: 'files', bytesDone: 1000, bytesTotal: 0 })).toBeUndefined()
    expect(percent({ ...p, phase: 'done' })).toBe(100)
  })
  it('writes sizes with a unit', () => {
    expect(size(512)).toEqual({ value: 512, unit: 'B' })
    expect(size(1_450_000)).toEqual({ value: 1.5, unit: 'MB' })
    expect(size(1_234_000_000)).toEqual({ value: 1.2, unit: 'GB' })
    expect(size(234_000_000)).toEqual({ value: 234, unit: 'MB' })
  })
})
