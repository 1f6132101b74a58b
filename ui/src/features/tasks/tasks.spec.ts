import { describe, expect, it } from 'vitest'
import type { Task } from '@/api/types'
import { actionStatus, createBody, deadlineOf, editBody, emptyTaskForm, formOf, isOverdue, localTime, statusActions } from './tasks'

const task: Task = {
  id: 't1',
  groupId: 'g1',
  groupName: 'Finance',
  title: 'Close the quarter',
  description: 'All of it',
  creator: { id: 'u1', name: 'Anna', kind: 'employee', active: true, photo: '' },
  responsible: { id: 'u2', name: 'Boris', kind: 'employee', active: true, photo: '' },
  participants: [],
  observers: [],
  status: 'new',
  priority: 'normal',
  deadline: '2027-03-31T17:30:00+02:00',
  createdAt: '2027-03-01T09:00:00Z',
  updatedAt: '2027-03-01T09:00:00Z',
  completedAt: '',
  mayEdit: true,
  mayChangeStatus: true,
}

describe('statusActions', () => {
  it('offers the usual next step first', () => {
    expect(statusActions('new')).toEqual(['start', 'complete', 'defer'])
    expect(statusActions('in_progress')).toEqual(['complete', 'control', 'defer'])
    expect(statusActions('waiting')[0]).toBe('complete')
    expect(statusActions('done')).toEqual(['reopen'])
    expect(statusActions('deferred')).toEqual(['reopen', 'start'])
  })

  it('never offers the status the task is in', () => {
    for (const s of ['new', 'in_progress', 'waiting', 'done', 'deferred'] as const) {
      expect(statusActions(s).map((a) => actionStatus[a])).not.toContain(s)
      expect(statusActions(s, false).map((a) => actionStatus[a])).not.toContain(s)
    }
  })

  it('leaves completing a task waiting for control to who may edit it', () => {
    expect(statusActions('waiting', false)).toEqual(['start'])
    expect(statusActions('waiting', true)).toContain('complete')
  })
})

describe('isOverdue', () => {
  const now = new Date('2027-04-01T00:00:00Z')
  it('marks an open task past its deadline', () => {
    expect(isOverdue({ status: 'new', deadline: '2027-03-31T17:30:00+02:00' }, now)).toBe(true)
    expect(isOverdue({ status: 'in_progress', deadline: '2027-03-31T23:59:00Z' }, now)).toBe(true)
  })

  it('leaves alone a task without a deadline, a deadline to come, and a closed task', () => {
    expect(isOverdue({ status: 'new', deadline: '' }, now)).toBe(false)
    expect(isOverdue({ status: 'new', deadline: '2027-04-02T00:00:00Z' }, now)).toBe(false)
    expect(isOverdue({ status: 'done', deadline: '2027-03-01T00:00:00Z' }, now)).toBe(false)
    expect(isOverdue({ status: 'deferred', deadline: '2027-03-01T00:00:00Z' }, now)).toBe(false)
    expect(isOverdue({ status: 'new', deadline: 'soon' }, now)).toBe(false)
  })
})

describe('deadlineOf', () => {
  it('is the local moment of the day and time, with its offset', () => {
    const at = deadlineOf('2027-01-31', '17:30')
    expect(at).toMatch(/^2027-01-31T17:30:00(Z|[+-]\d\d:\d\d)$/)
    expect(new Date(at).getTime()).toBe(new Date(2027, 0, 31, 17, 30).getTime())
  })

  it('is the end of the day without a time, and nothing without a day', () => {
    expect(new Date(deadlineOf('2027-01-31', '')).getTime()).toBe(new Date(2027, 0, 31, 23, 59).getTime())
    expect(deadlineOf('', '10:00')).toBe('')
    expect(deadlineOf('tomorrow', '')).toBe('')
  })

  it('round-trips through the form', () => {
    const at = deadlineOf('2027-06-15', '08:05')
    expect(localTime(at)).toBe('08:05')
    expect(formOf({ ...task, deadline: at }).deadlineDay).toBe('2027-06-15')
  })
})

describe('createBody', () => {
  it('leaves out what is empty', () => {
    expect(createBody({ ...emptyTaskForm, title: '  Call Anna ' })).toEqual({ title: 'Call Anna', priority: 'normal' })
  })

  it('sends every field given', () => {
    const body = createBody({
      ...emptyTaskForm,
      title: 'Report',
      description: 'Two pages',
      groupId: 'g1',
      responsibleId: 'u2',
      deadlineDay: '2027-05-01',
      deadlineTime: '12:00',
      priority: 'high',
    })
    expect(body).toMatchObject({ title: 'Report', description: 'Two pages', groupId: 'g1', responsibleId: 'u2', priority: 'high' })
    expect(new Date(body.deadline ?? '').getTime()).toBe(new Date(2027, 4, 1, 12, 0).getTime())
  })
})

describe('editBody', () => {
  it('is empty when nothing changed', () => {
    expect(editBody(task, formOf(task))).toEqual({})
  })

  it('holds only what changed', () => {
    expect(editBody(task, { ...formOf(task), title: 'Close Q1 ', priority: 'high' })).toEqual({ title: 'Close Q1', priority: 'high' })
  })

  it('keeps a deadline set to the second when its minute is unchanged', () => {
    const exact = { ...task, deadline: '2027-03-31T15:30:42.5Z' }
    expect(editBody(exact, formOf(exact))).toEqual({})
  })

  it('adds a deadline to a task without one', () => {
    const body = editBody({ ...task, deadline: '' }, { ...formOf(task), deadlineDay: '2027-05-01', deadlineTime: '09:00' })
    expect(new Date(body.deadline ?? '').getTime()).toBe(new Date(2027, 4, 1, 9, 0).getTime())
  })

  it('removes the deadline with an empty string', () => {
    expect(editBody(task, { ...formOf(task), deadlineDay: '' })).toEqual({ deadline: '' })
    expect(editBody({ ...task, deadline: '' }, { ...formOf(task), deadlineDay: '' })).toEqual({})
  })
})
