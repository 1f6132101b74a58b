// The rules the task screens follow: which status changes to offer, when a deadline is missed,
// and the form of a task as the API takes it.
import type { Task, TaskCreateInput, TaskEditInput, TaskPriority, TaskStatus } from '@/api/types'
import { localDay } from '@/lib/dates'

/** A status change offered on a task: start, send for control, complete, defer, reopen. */
export type StatusAction = 'start' | 'control' | 'complete' | 'defer' | 'reopen'

/** The status each action leads to. */
export const actionStatus: Record<StatusAction, TaskStatus> = {
  start: 'in_progress',
  control: 'waiting',
  complete: 'done',
  defer: 'deferred',
  reopen: 'new',
}

/**
 * statusActions are the changes offered from a status, the usual next step first. A task
 * waiting for control is completed only by who may edit it (its creator, the group's
 * managers); the one who sent it may only take it back.
 */
export function statusActions(status: TaskStatus, mayEdit = true): StatusAction[] {
  switch (status) {
    case 'new':
      return ['start', 'complete', 'defer']
    case 'in_progress':
      return ['complete', 'control', 'defer']
    case 'waiting':
      return mayEdit ? ['complete', 'start', 'defer'] : ['start']
    case 'deferred':
      return ['reopen', 'start']
    default:
      return ['reopen']
  }
}

/** isClosed tells a task that needs nothing more done: done or deferred. */
export const isClosed = (status: TaskStatus) => status === 'done' || status === 'deferred'

/** isOverdue tells an open task whose deadline has passed. */
export function isOverdue(task: Pick<Task, 'status' | 'deadline'>, now = new Date()): boolean {
  if (!task.deadline || isClosed(task.status)) return false
  const d = new Date(task.deadline)
  return !Number.isNaN(d.getTime()) && d.getTime() < now.getTime()
}

export const priorities: readonly TaskPriority[] = ['low', 'normal', 'high']

/** TaskForm is what the task dialog edits; the deadline is a day and a time in the viewer's zone. */
export interface TaskForm {
  title: string
  description: string
  /** The group's id; '' for a personal task. */
  groupId: string
  /** The responsible person's id; '' for the author. */
  responsibleId: string
  /** "2027-01-31", or '' for no deadline. */
  deadlineDay: string
  /** "17:30"; '' means the end of the day. */
  deadlineTime: string
  priority: TaskPriority
}

export const emptyTaskForm: TaskForm = {
  title: '',
  description: '',
  groupId: '',
  responsibleId: '',
  deadlineDay: '',
  deadlineTime: '',
  priority: 'normal',
}

/** The field names of the server's errors that the dialog shows next to its fields. */
export const taskFormFields = ['title', 'description', 'groupId', 'responsibleId', 'deadline', 'priority'] as const

/** Without a time, a deadline is the end of its day. */
export const endOfDay = '23:59'

/**
 * deadlineOf is the moment of a day and a time in the viewer's time zone, as RFC 3339 with its
 * offset (the server keeps the zone it is given); '' for no day or a malformed one.
 */
export function deadlineOf(day: string, time: string): string {
  const [y, m, d] = day.split('-').map(Number)
  if (!y || !m || !d) return ''
  const [hh, mm] = (time || endOfDay).split(':').map(Number)
  const at = new Date(y, m - 1, d, hh || 0, mm || 0)
  if (Number.isNaN(at.getTime())) return ''
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
  const offset = -at.getTimezoneOffset()
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  return `${localDay(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}:00${zone}`
}

/** localTime is a moment's time of day in the viewer's time zone ("17:30"), for time inputs. */
export function localTime(value: string): string {
  const d = value ? new Date(value) : undefined
  if (!d || Number.isNaN(d.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** formOf fills the dialog from a task as it is now. */
export function formOf(task: Task): TaskForm {
  return {
    title: task.title,
    description: task.description,
    groupId: task.groupId,
    responsibleId: task.responsible?.id ?? '',
    deadlineDay: localDay(task.deadline),
    deadlineTime: localTime(task.deadline),
    priority: task.priority,
  }
}

/** createBody is the form as POST /tasks takes it; empty fields are left out. */
export function createBody(f: TaskForm): TaskCreateInput {
  const body: TaskCreateInput = { title: f.title.trim(), priority: f.priority }
  if (f.description.trim()) body.description = f.description
  if (f.groupId) body.groupId = f.groupId
  if (f.responsibleId) body.responsibleId = f.responsibleId
  const deadline = deadlineOf(f.deadlineDay, f.deadlineTime)
  if (deadline) body.deadline = deadline
  return body
}

/** editBody holds only what changed of the fields the dialog edits: title, description, deadline, priority. */
export function editBody(task: Task, f: TaskForm): TaskEditInput {
  const body: TaskEditInput = {}
  const title = f.title.trim()
  if (title !== task.title) body.title = title
  if (f.description !== task.description) body.description = f.description
  if (f.priority !== task.priority) body.priority = f.priority
  // The form holds minutes: a deadline set to the second elsewhere is unchanged if its minute is.
  const deadline = deadlineOf(f.deadlineDay, f.deadlineTime)
  const minute = (value: string) => Math.floor(new Date(value).getTime() / 60_000)
  if (deadline === '' ? task.deadline !== '' : !task.deadline || minute(task.deadline) !== minute(deadline)) body.deadline = deadline
  return body
}

/** taskPath is the address of a task's page. */
export const taskPath = (t: Pick<Task, 'id'>) => `/tasks/${encodeURIComponent(t.id)}`
