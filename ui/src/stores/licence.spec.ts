import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { LicenceInfo } from '@/features/licence/api'
import { useLicence } from './licence'

const getLicence = vi.hoisted(() => vi.fn())
vi.mock('@/features/licence/api', () => ({ getLicence }))

const info = { seats: 10, used: 2, expired: true, overLimit: false } as LicenceInfo

describe('licence store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    getLicence.mockReset()
  })

  it('asks once per administrator', async () => {
    getLicence.mockResolvedValue(info)
    const licence = useLicence()
    await licence.load('u1')
    await licence.load('u1')
    expect(getLicence).toHaveBeenCalledTimes(1)
    expect(licence.info).toEqual(info)
    await licence.load('u2')
    expect(getLicence).toHaveBeenCalledTimes(2)
  })

  it('asks again after a failure', async () => {
    getLicence.mockRejectedValueOnce(new Error('offline')).mockResolvedValue(info)
    const licence = useLicence()
    await licence.load('u1')
    expect(licence.info).toBeUndefined()
    await licence.load('u1')
    expect(licence.info).toEqual(info)
  })
})
