import { afterEach, describe, expect, it } from 'vitest'
import { closedBy, inviteStep, landingPath, sameAddress } from './invite'
import { clearInviteToken, inviteToken, setInviteToken } from './token'

const pending = { state: 'pending', problem: '', email: 'gina@client.example', hasAccount: false } as const

describe('inviteStep', () => {
  it('offers registration to an address without an account', () => {
    expect(inviteStep(pending, null)).toEqual({ kind: 'register' })
  })

  it('asks an address with an account to sign in first', () => {
    expect(inviteStep({ ...pending, hasAccount: true }, null)).toEqual({ kind: 'signIn' })
  })

  it('lets the invited account accept, whatever the case of its address', () => {
    expect(inviteStep({ ...pending, hasAccount: true }, { email: ' Gina@Client.example' })).toEqual({ kind: 'accept' })
  })

  it('tells another account that the invitation is not for it', () => {
    expect(inviteStep({ ...pending, hasAccount: true }, { email: 'ada@example.com' })).toEqual({
      kind: 'otherAccount',
      signedInAs: 'ada@example.com',
    })
    // Nor may someone signed in create a second account for the invited address.
    expect(inviteStep(pending, { email: 'ada@example.com' }).kind).toBe('otherAccount')
  })

  it('says a link that no longer works is closed, before anything else', () => {
    for (const state of ['expired', 'revoked', 'accepted', 'declined'] as const) {
      expect(inviteStep({ ...pending, state }, { email: pending.email })).toEqual({ kind: 'closed', state })
    }
  })

  it('says a pending link that does not work now is closed, and why', () => {
    for (const problem of ['inviter_inactive', 'group_archived', 'extranet_off'] as const) {
      expect(inviteStep({ ...pending, problem }, null)).toEqual({ kind: 'closed', state: problem })
    }
  })
})

describe('closedBy', () => {
  it('reads the state from the error codes of a link that no longer works', () => {
    expect(closedBy('invitation_expired')).toBe('expired')
    expect(closedBy('invitation_unknown')).toBe('unknown')
    expect(closedBy('invitation_revoked_ask_admin')).toBe('revoked')
    expect(closedBy('invitation_inviter_inactive_ask_admin')).toBe('inviter_inactive')
    expect(closedBy('invitation_group_archived')).toBe('group_archived')
    expect(closedBy('invitation_other_account')).toBeUndefined()
    expect(closedBy('toString')).toBeUndefined()
  })
})

describe('landingPath', () => {
  it('lands in the inviting group, else at home', () => {
    expect(landingPath('g1')).toBe('/groups/g1')
    expect(landingPath('')).toBe('/feed')
  })
})

describe('sameAddress', () => {
  it('ignores case and surrounding space', () => {
    expect(sameAddress('ANNA@example.com ', 'anna@example.com')).toBe(true)
    expect(sameAddress('anna@example.com', 'anne@example.com')).toBe(false)
  })
})

describe('invite token', () => {
  afterEach(clearInviteToken)

  it('is kept for this tab until cleared', () => {
    expect(inviteToken()).toBe('')
    setInviteToken('abc')
    expect(inviteToken()).toBe('abc')
    clearInviteToken()
    expect(inviteToken()).toBe('')
  })
})
