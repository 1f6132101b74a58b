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

describe('createBody with a topic', () => {
  it('sends the topic only when one is chosen', () => {
    expect(createBody({ ...emptyGroupForm, name: 'Ops', topicId: 't1' })).toMatchObject({ topicId: 't1' })
    expect(createBody({ ...emptyGroupForm, name: 'Ops' })).not.toHaveProperty('topicId')
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

  it('sends only name, description and topic for a moderator', () => {
    expect(editBody(group, { ...formOf(group), description: 'New', kind: 'extranet', archived: true }, false)).toEqual({
      description: 'New',
    })
    expect(editBody(group, { ...formOf(group), topicId: 't1' }, false)).toEqual({ topicId: 't1' })
  })

  it('takes the topic away with an empty id', () => {
    const filed: Group = { ...group, topicId: 't1', topicName: 'Finance' }
    expect(formOf(filed).topicId).toBe('t1')
    expect(editBody(filed, { ...formOf(filed), topicId: '' }, true)).toEqual({ topicId: '' })
  })

  it('sends the visibility when an extranet group becomes internal', () => {
    const extranet: Group = { ...group, kind: 'extranet', visibility: 'secret' }
    expect(editBody(extranet, { ...formOf(extranet), kind: 'internal' }, true)).toEqual({ kind: 'internal', visibility: 'secret' })
    expect(editBody(group, { ...formOf(group), kind: 'extranet' }, true)).toEqual({ kind: 'extranet' })
  })
})
