import { describe, expect, it } from 'vitest'
import type { Me } from '@/api/types'
import { profileChanges, profileFormOf } from './profile'

const me: Me = {
  id: 'u1',
  name: 'Anna Petrova',
  email: 'anna@example.com',
  kind: 'employee',
  admin: false,
  locale: 'en',
  mustChangePassword: false,
  twoFactor: { enabled: false, required: false },
  position: 'Accountant',
  company: '',
  phone: '',
  timeZone: '',
  photo: '',
}

describe('profile form', () => {
  it('starts from the person as they are', () => {
    expect(profileFormOf(me)).toEqual({
      name: 'Anna Petrova',
      position: 'Accountant',
      company: '',
      phone: '',
      timeZone: '',
      locale: 'en',
    })
  })

  it('sends nothing when nothing changed, white space aside', () => {
    const form = { ...profileFormOf(me), name: '  Anna   Petrova ', position: 'Accountant ' }
    expect(profileChanges(me, form)).toEqual({})
  })

  it('sends only the fields changed, cleaned', () => {
    const form = { ...profileFormOf(me), phone: ' +49 30 1234 ', timeZone: 'Europe/Berlin', locale: 'ru' as const }
    expect(profileChanges(me, form)).toEqual({ phone: '+49 30 1234', timeZone: 'Europe/Berlin', locale: 'ru' })
  })

  it('sends an emptied field as empty', () => {
    const form = { ...profileFormOf(me), position: '' }
    expect(profileChanges(me, form)).toEqual({ position: '' })
  })

  it('takes a cleared time zone (null from the picker) as none', () => {
    const form = { ...profileFormOf({ ...me, timeZone: 'Europe/Berlin' }), timeZone: null as unknown as string }
    expect(profileChanges({ ...me, timeZone: 'Europe/Berlin' }, form)).toEqual({ timeZone: '' })
  })
})
