import { describe, expect, it } from 'vitest'
import type { Group, Member } from '@/api/types'
import { canGovern, canInvite, canManage, memberActions, ownerCandidates, selfActions } from './actions'

const group = (over: Partial<Group> = {}): Group => ({
  id: 'g1',
  name: 'Design',
  description: '',
  kind: 'internal',
  visibility: 'open',
  archived: false,
  myRole: '',
  myState: '',
  memberCount: 3,
  topicId: '',
  topicName: '',
  mayInvite: false,
  needsOwner: false,
  settings: { tools: ['feed', 'tasks', 'drive', 'calendar', 'chat'], invitePolicy: 'moderators', externalTasks: 'involved' },
  ...over,
})

const member = (over: Partial<Member> = {}, kind: 'employee' | 'external' = 'employee'): Member => ({
  person: { id: 'u2', name: 'Bea', email: 'bea@example.com', kind, admin: false, active: true, position: '' } as Member['person'],
  role: 'member',
  state: 'active',
  ...over,
})

const me = { id: 'u1', admin: false }
const admin = { id: 'u9', admin: true }

describe('selfActions', () => {
  it('offers joining an open group and asking to join a closed one', () => {
    expect(selfActions(group({ visibility: 'open' }))).toEqual(['join'])
    expect(selfActions(group({ visibility: 'closed' }))).toEqual(['ask'])
  })

  it('offers nothing to join in a secret or archived group', () => {
    expect(selfActions(group({ visibility: 'secret' }))).toEqual([])
    expect(selfActions(group({ archived: true }))).toEqual([])
  })

  it('answers an invitation, withdraws a request', () => {
    expect(selfActions(group({ myState: 'invited', myRole: 'member' }))).toEqual(['accept', 'decline'])
    expect(selfActions(group({ myState: 'requested', myRole: 'member', visibility: 'closed' }))).toEqual(['withdraw'])
  })

  it('lets members and moderators leave, but not the owner', () => {
    expect(selfActions(group({ myState: 'active', myRole: 'member' }))).toEqual(['leave'])
    expect(selfActions(group({ myState: 'active', myRole: 'moderator' }))).toEqual(['leave'])
    expect(selfActions(group({ myState: 'active', myRole: 'owner' }))).toEqual([])
  })

  it('lets a member leave an archived group', () => {
    expect(selfActions(group({ myState: 'active', myRole: 'member', archived: true }))).toEqual(['leave'])
  })
})

describe('canManage and canGovern', () => {
  it('follow the active role', () => {
    expect(canManage(group({ myState: 'active', myRole: 'moderator' }), me)).toBe(true)
    expect(canGovern(group({ myState: 'active', myRole: 'moderator' }), me)).toBe(false)
    expect(canGovern(group({ myState: 'active', myRole: 'owner' }), me)).toBe(true)
    expect(canManage(group({ myState: 'active', myRole: 'member' }), me)).toBe(false)
  })

  it('give nothing for a role only invited to', () => {
    expect(canManage(group({ myState: 'invited', myRole: 'moderator' }), me)).toBe(false)
  })

  it('give administrators everything', () => {
    expect(canManage(group(), admin)).toBe(true)
    expect(canGovern(group(), admin)).toBe(true)
    expect(canManage(group(), null)).toBe(false)
  })
})

describe('memberActions', () => {
  const owner = group({ myState: 'active', myRole: 'owner' })
  const moderator = group({ myState: 'active', myRole: 'moderator' })

  it('gives the owner roles and removal', () => {
    expect(memberActions(owner, member(), me)).toEqual(['makeModerator', 'makeOwner', 'remove'])
    expect(memberActions(owner, member({ role: 'moderator' }), me)).toEqual(['makeMember', 'makeOwner', 'remove'])
  })

  it('never makes an external user moderator or owner', () => {
    expect(memberActions(owner, member({}, 'external'), me)).toEqual(['remove'])
  })

  it('gives moderators removal only', () => {
    expect(memberActions(moderator, member(), me)).toEqual(['remove'])
    expect(memberActions(moderator, member({ role: 'moderator' }), me)).toEqual([])
  })

  it('changes no role of a pending member, but approves a request and removes', () => {
    expect(memberActions(owner, member({ state: 'invited' }), me)).toEqual(['remove'])
    expect(memberActions(owner, member({ state: 'requested' }), me)).toEqual(['approve', 'remove'])
  })

  it('offers nothing on the owner, on myself, or to plain members', () => {
    expect(memberActions(owner, member({ role: 'owner' }), admin)).toEqual([])
    expect(memberActions(owner, member({ person: { ...member().person, id: 'u1' } }), me)).toEqual([])
    expect(memberActions(group({ myState: 'active', myRole: 'member' }), member(), me)).toEqual([])
  })
})

describe('canInvite', () => {
  it('follows what the server says of the invite policy', () => {
    expect(canInvite(group({ mayInvite: true }))).toBe(true)
    expect(canInvite(group({ mayInvite: false }))).toBe(false)
  })

  it('offers nobody to invite into an archived group', () => {
    expect(canInvite(group({ archived: true, mayInvite: true }))).toBe(false)
  })
})

describe('ownerCandidates', () => {
  it('keeps active employees with an active account who do not own the group', () => {
    const ok = member({ person: { ...member().person, id: 'ok' } })
    const moderator = member({ role: 'moderator', person: { ...member().person, id: 'mod' } })
    const owner = member({ role: 'owner', person: { ...member().person, id: 'owner', active: false } })
    const deactivated = member({ person: { ...member().person, id: 'off', active: false } })
    const invited = member({ state: 'invited', person: { ...member().person, id: 'inv' } })
    const requested = member({ state: 'requested', person: { ...member().person, id: 'req' } })
    const external = member({ person: { ...member({}, 'external').person, id: 'ext' } })
    const found = ownerCandidates([owner, ok, moderator, deactivated, invited, requested, external])
    expect(found.map((m) => m.person.id)).toEqual(['ok', 'mod'])
  })
})

describe('memberActions and deactivated accounts', () => {
  it('never offers a deactivated account the group', () => {
    const owner = group({ myRole: 'owner', myState: 'active' })
    const off = member({ person: { ...member().person, active: false } })
    expect(memberActions(owner, off, me)).not.toContain('makeOwner')
  })
})
