// The state of the tasks list and its address: /tasks?role=…&status=…&groupId=…&q=…&page=…&perPage=…
// The address may come from a link, so anything in it is read defensively.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { TasksQuery, TaskStatus } from '@/api/types'
import { defaultPerPage, first, normalSearch, perPageOptions, positive } from '@/features/people/filters'

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

export const noTaskFilters: TaskFilters = { role: '', status: defaultStatus, groupId: '', q: '', page: 1, perPage: defaultPerPage }

// The server's ids: opaque, at most 32 characters of letters, digits, '-' and '_'.
const idPattern = /^[\w-]{1,32}$/

/** taskFiltersFromQuery reads the list's state from the address; what it cannot use is left at its default. */
export function taskFiltersFromQuery(query: LocationQuery): TaskFilters {
  const role = first(query.role) as TaskRole
  const status = first(query.status) as TaskStatusFilter
  const groupId = first(query.groupId)
  const perPage = positive(first(query.perPage))
  return {
    role: role !== '' && taskRoles.includes(role) ? role : '',
    status: statusFilters.includes(status) ? status : defaultStatus,
    groupId: idPattern.test(groupId) ? groupId : '',
    q: normalSearch(first(query.q)),
    page: positive(first(query.page)) ?? 1,
    perPage: perPageOptions.find((n) => n === perPage) ?? defaultPerPage,
  }
}

/** taskFiltersToQuery writes the state to the address, leaving defaults out so that a plain /tasks stays plain. */
export function taskFiltersToQuery(f: TaskFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  if (f.role) query.role = f.role
  if (f.status !== defaultStatus) query.status = f.status
  if (f.groupId) query.groupId = f.groupId
  if (f.q) query.q = f.q
  if (f.page > 1) query.page = String(f.page)
  if (f.perPage !== defaultPerPage) query.perPage = String(f.perPage)
  return query
}

/** sameTaskFilters tells whether two states show the same page of the same list. */
export function sameTaskFilters(a: TaskFilters, b: TaskFilters): boolean {
  return (
    a.role === b.role &&
    a.status === b.status &&
    a.groupId === b.groupId &&
    a.q === b.q &&
    a.page === b.page &&
    a.perPage === b.perPage
  )
}

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
