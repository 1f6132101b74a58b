import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import type { Me } from '@/api/types'
import { useReauth } from './reauth'
import { useSession } from './session'

const call = vi.hoisted(() => vi.fn())
vi.mock('@/api/client', async (original) => ({ ...(await original<typeof import('@/api/client')>()), call }))

const anna = { id: 'u1', name: 'Anna', email: 'anna@example.com', locale: 'en' } as Me

describe('session', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    call.mockReset()
  })

  it('signs out', async () => {
    const session = useSession()
    session.setupFinished(anna, 'Acme')
    call.mockResolvedValue(undefined)
    await session.logout()
    expect(session.me).toBeNull()
    expect(call).toHaveBeenCalledWith(expect.any(Function), { ownUnauthenticated: true })
  })

  it('takes a session the server no longer knows as signed out', async () => {
    const session = useSession()
    session.setupFinished(anna, 'Acme')
    call.mockRejectedValue(new ApiError(401, 'unauthenticated', 'Please sign in.'))
    await session.logout()
    expect(session.me).toBeNull()
    expect(session.expired).toBe(false)
  })

  it('stays signed in when signing out failed', async () => {
    const session = useSession()
    session.setupFinished(anna, 'Acme')
    call.mockRejectedValue(new ApiError(0, 'network', 'Offline.'))
    await expect(session.logout()).rejects.toMatchObject({ code: 'network' })
    expect(session.me).toEqual(anna)
  })

  it('saves the profile and speaks the language chosen with it', async () => {
    const session = useSession()
    session.setupFinished(anna, 'Acme')
    const saved = { ...anna, position: 'Accountant', locale: 'ru' } as Me
    call.mockResolvedValue(saved)
    await session.saveProfile({ position: 'Accountant', locale: 'ru' })
    expect(session.me).toEqual(saved)
    expect(document.documentElement.lang).toBe('ru')
    expect(localStorage.getItem('annex.locale')).toBe('ru')
  })

  it('keeps the profile as it was when saving failed', async () => {
    const session = useSession()
    session.setupFinished(anna, 'Acme')
    call.mockRejectedValue(new ApiError(422, 'invalid', 'Some fields need attention.', { phone: 'Enter a number.' }))
    await expect(session.saveProfile({ phone: 'abc' })).rejects.toMatchObject({ status: 422 })
    expect(session.me).toEqual(anna)
  })

  it('ends a session that expired, and gives up the password dialog', async () => {
    const session = useSession()
    const reauth = useReauth()
    expect(session.end()).toBe(false)
    session.setupFinished(anna, 'Acme')
    const asked = reauth.ask()
    expect(session.end()).toBe(true)
    expect(session).toMatchObject({ me: null, expired: true })
    expect(reauth.open).toBe(false)
    await expect(asked).resolves.toBe(false)
    // Signing in again forgets that it expired.
    call.mockResolvedValue(anna)
    await session.login({ email: anna.email, password: 'secret', remember: false })
    expect(session).toMatchObject({ me: anna, expired: false })
  })
})
