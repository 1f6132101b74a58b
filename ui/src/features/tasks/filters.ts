// The state of the tasks list and its address: /tasks?role=…&status=…&groupId=…&q=…&page=…&perPage=…
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

export interface TaskFilters {
  role: TaskRole
  status: TaskStatusFilter
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
  groupId: serverId,
  q: searchText,
  page: pageParam,
  perPage: perPageParam,
})
export const noTaskFilters = tasks.defaults

/** tasksApiQuery is what GET /tasks is asked; empty filters are not sent. */
export function tasksApiQuery(f: TaskFilters): TasksQuery {
  const query: TasksQuery = { page: f.page, perPage: f.perPage }
  if (f.role) query.role = f.role
  if (f.status !== 'all') query.status = f.status
  if (f.groupId) query.groupId = f.groupId
  if (f.q) query.q = f.q
  return query
}

/**
 * isTaskSearch tells "nothing matches" apart from "nothing is there": the view (role) and the
 * two broad status filters (open, all) are no search.
 */
export function isTaskSearch(f: TaskFilters): boolean {
  return f.q !== '' || f.groupId !== '' || (f.status !== 'open' && f.status !== 'all')
}

/** tasksBack is where a task page's "back" leads: the list page the person came from, else the plain list. */
export function tasksBack(back: unknown): string {
  if (typeof back === 'string' && /^\/tasks(?:[?#]|$)/.test(back)) return back
  return '/tasks'
}
