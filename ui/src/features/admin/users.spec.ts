import { describe, expect, it } from 'vitest'
import type { Person } from '@/api/types'
import { employeeBody, needsConfirmation, newlyOwnerless, userActions } from './users'

const person = (over: Partial<Person> = {}): Person => ({
  id: 'u2',
  name: 'Bea',
  email: 'bea@example.com',
  kind: 'employee',
  position: '',
  company: '',
  phone: '',
  timeZone: '',
  photo: '',
  admin: false,
  active: true,
  ...over,
})

const me = { id: 'u1', admin: true }

describe('userActions', () => {
  it('offers an employee the admin flag and deactivation', () => {
    expect(userActions(person(), me)).toEqual(['makeAdmin', 'resetPassword', 'endSessions', 'resetTwoFactor', 'deactivate'])
    expect(userActions(person({ admin: true }), me)).toEqual(['removeAdmin', 'resetPassword', 'endSessions', 'resetTwoFactor', 'deactivate'])
  })

  it('never offers an external user the admin flag, but the move to the intranet', () => {
    expect(userActions(person({ kind: 'external' }), me)).toEqual(['moveToIntranet', 'resetPassword', 'endSessions', 'resetTwoFactor', 'deactivate'])
    expect(userActions(person({ kind: 'external', active: false }), me)).toEqual(['moveToIntranet', 'reactivate'])
  })

  it('offers a deactivated person reactivation, and no new admin flag', () => {
    expect(userActions(person({ active: false }), me)).toEqual(['reactivate'])
    expect(userActions(person({ active: false, admin: true }), me)).toEqual(['removeAdmin', 'reactivate'])
  })

  it('never offers me to deactivate myself', () => {
    expect(userActions(person({ id: 'u1', admin: true }), me)).toEqual(['removeAdmin'])
  })

  it('offers nothing to someone who is not an administrator', () => {
    expect(userActions(person(), { id: 'u1', admin: false })).toEqual([])
    expect(userActions(person(), null)).toEqual([])
  })
})

describe('needsConfirmation', () => {
  it('asks before what ends sessions for good or cannot be undone', () => {
    expect(needsConfirmation('deactivate', person(), me)).toBe(true)
    expect(needsConfirmation('moveToIntranet', person(), me)).toBe(true)
    expect(needsConfirmation('resetPassword', person(), me)).toBe(true)
    expect(needsConfirmation('endSessions', person(), me)).toBe(true)
    expect(needsConfirmation('resetTwoFactor', person(), me)).toBe(true)
    expect(needsConfirmation('reactivate', person(), me)).toBe(false)
    expect(needsConfirmation('makeAdmin', person(), me)).toBe(false)
    expect(needsConfirmation('removeAdmin', person(), me)).toBe(false)
  })

  it('asks before I remove my own admin flag', () => {
    expect(needsConfirmation('removeAdmin', person({ id: 'u1' }), me)).toBe(true)
  })
})

describe('employeeBody', () => {
  it('trims, and leaves out an empty position', () => {
    expect(employeeBody({ name: ' Anna Petrova ', email: ' anna@example.com', position: '  ' })).toEqual({
      name: 'Anna Petrova',
      email: 'anna@example.com',
    })
    expect(employeeBody({ name: 'Anna', email: 'anna@example.com', position: ' Accountant ' })).toEqual({
      name: 'Anna',
      email: 'anna@example.com',
      position: 'Accountant',
    })
  })
})

describe('newlyOwnerless', () => {
  const g = (id: string) => ({ id, name: id.toUpperCase() })

  it('keeps the groups that lost their owner just now', () => {
    expect(newlyOwnerless([g('a')], [g('a'), g('b'), g('c')])).toEqual([g('b'), g('c')])
    expect(newlyOwnerless([g('a')], [g('a')])).toEqual([])
    expect(newlyOwnerless([], [])).toEqual([])
  })

  it('shows every waiting group when the list from before is missing', () => {
    expect(newlyOwnerless(undefined, [g('a'), g('b')])).toEqual([g('a'), g('b')])
  })
})
