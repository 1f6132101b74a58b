import { describe, expect, it } from 'vitest'
import type { Group } from '@/api/types'
import { createBody, editBody, emptyGroupForm, formOf } from './form'

const group: Group = {
  id: 'g1',
  name: 'Design',
  description: 'Pixels',
  kind: 'internal',
  visibility: 'closed',
  archived: false,
  myRole: 'owner',
  myState: 'active',
  memberCount: 2,
  topicId: '',
  topicName: '',
  mayInvite: false,
  needsOwner: false,
  settings: { tools: ['feed', 'tasks', 'drive', 'calendar', 'chat'], invitePolicy: 'moderators', externalTasks: 'involved' },
}

describe('createBody', () => {
  it('sends the visibility of an internal group only', () => {
    expect(createBody({ ...emptyGroupForm, name: ' Ops ', visibility: 'secret' })).toEqual({
      name: 'Ops',
      description: '',
      kind: 'internal',
      visibility: 'secret',
    })
    expect(createBody({ ...emptyGroupForm, name: 'Client', kind: 'extranet', visibility: 'open' })).toEqual({
      name: 'Client',
      description: '',
      kind: 'extranet',
    })
  })
})

describe('editBody', () => {
  it('sends nothing when nothing changed', () => {
    expect(editBody(group, formOf(group), true)).toEqual({})
  })

  it('sends what changed', () => {
    expect(editBody(group, { ...formOf(group), name: 'Design team', archived: true }, true)).toEqual({
      name: 'Design team',
      archived: true,
    })
  })

  it('sends only name and description for a moderator', () => {
    expect(editBody(group, { ...formOf(group), description: 'New', kind: 'extranet', archived: true }, false)).toEqual({
      description: 'New',
    })
  })

  it('sends the visibility when an extranet group becomes internal', () => {
    const extranet: Group = { ...group, kind: 'extranet', visibility: 'secret' }
    expect(editBody(extranet, { ...formOf(extranet), kind: 'internal' }, true)).toEqual({ kind: 'internal', visibility: 'secret' })
    expect(editBody(group, { ...formOf(group), kind: 'extranet' }, true)).toEqual({ kind: 'extranet' })
  })
})
