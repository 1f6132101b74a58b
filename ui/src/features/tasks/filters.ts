// The state of the tasks list and its address:
// /tasks?role=…&status=…&due=…&personId=…&sort=…&groupId=…&q=…&page=…&perPage=…
// The address may come from a link, so anything in it is read defensively.
import type { TasksQuery, TaskStatus } from '@/api/types'
import { listQuery, oneOf, pageParam, perPageParam, searchText, serverId } from '@/lib/listQuery'

/** '' is every task I may see; the others are the tasks I am named on that way. */
export type TaskRole = '' | 'responsible' | 'creator' | 'participant' | 'observer'
/** 'open' is neither done nor deferred; 'all' is any status. */
export type TaskStatusFilter = 'open' | 'all' | TaskStatus

export const taskRoles: readonly TaskRole[] = ['', 'responsible', 'creator', 'participant', 'observer']
export const taskStatuses: readonly TaskStatus[] = ['new', 'in_progress', 'waiting', 'done', 'deferred']
const statusFilters: readonly TaskStatusFilter[] = ['open', 'all', ...taskStatuses]
/** Open tasks past their deadline, due today, or due this week (in the browser's time zone); '' is any deadline. */
export type TaskDue = '' | 'overdue' | 'today' | 'week'
export const taskDues: readonly TaskDue[] = ['', 'overdue', 'today', 'week']
/** '' is the server's order: newest first. */
export type TaskSort = '' | 'deadline' | 'updated' | 'priority'
export const taskSorts: readonly TaskSort[] = ['', 'deadline', 'updated', 'priority']

export interface TaskFilters {
  role: TaskRole
  status: TaskStatusFilter
  due: TaskDue
  /** A person's id: the tasks they are named on, in any way; '' for anyone. */
  personId: string
  sort: TaskSort
  /** A group's id; '' for tasks of every group and personal ones. */
  groupId: string
  /** The search text, trimmed. */
  q: string
  page: number
  perPage: number
}

/** Without a word in the address the list shows the open tasks I may see. */
export const defaultStatus: TaskStatusFilter = 'open'

export const tasks = listQuery<TaskFilters>({
  role: oneOf(taskRoles, ''),
  status: oneOf(statusFilters, defaultStatus),
  due: oneOf(taskDues, ''),
  personId: serverId,
  sort: oneOf(taskSorts, ''),
  groupId: serverId,
  q: searchText,
  page: pageParam,
  perPage: perPageParam,
})
export const noTaskFilters = tasks.defaults

/** browserTimeZone is the IANA time zone the browser is in ('' if it does not say). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? ''
  } catch {
    return ''
  }
}

/**
 * tasksApiQuery is what GET /tasks is asked; empty filters are not sent. "Today" and "this
 * week" are the browser's (timeZone), not the profile's: the day the person sees.
 */
export function tasksApiQuery(f: TaskFilters, timeZone = browserTimeZone()): TasksQuery {
  const query: TasksQuery = { page: f.page, perPage: f.perPage }
  if (f.role) query.role = f.role
  if (f.status !== 'all') query.status = f.status
  if (f.due) {
    query.due = f.due
    if (timeZone) query.timeZone = timeZone
  }
  if (f.personId) query.personId = f.personId
  if (f.sort) query.sort = f.sort
  if (f.groupId) query.groupId = f.groupId
  if (f.q) query.q = f.q
  return query
}

/**
 * isTaskSearch tells "nothing matches" apart from "nothing is there": the view (role) and the
 * two broad status filters (open, all) are no search.
 */
export function isTaskSearch(f: TaskFilters): boolean {
  return f.q !== '' || f.groupId !== '' || f.due !== '' || f.personId !== '' || (f.status !== 'open' && f.status !== 'all')
}

/** What "reset filters" brings back: the default filters and order, keeping the view (role), the search and the page size. */
export function resetTaskFilters(f: TaskFilters): TaskFilters {
  return { ...noTaskFilters, role: f.role, q: f.q, perPage: f.perPage }
}

/** taskFilterCount is how many filters differ from the plain list (the view, the search and the page aside). */
export function taskFilterCount(f: TaskFilters): number {
  const keys = ['status', 'due', 'personId', 'sort', 'groupId'] as const
  return keys.filter((k) => f[k] !== noTaskFilters[k]).length
}

/** tasksBack is where a task page's "back" leads: the list or board the person came from, else the plain list. */
export function tasksBack(back: unknown): string {
  if (typeof back === 'string' && /^\/(?:tasks(?:\/planner)?|groups\/[a-z2-7]{16}\/board)(?:[?#]|$)/.test(back)) return back
  return '/tasks'
}
