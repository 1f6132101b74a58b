import { describe, expect, it } from 'vitest'
import { isTaskSearch, noTaskFilters, resetTaskFilters, taskFilterCount, tasks, tasksApiQuery, tasksBack } from './filters'

const taskFiltersFromQuery = (query: Record<string, string>) => tasks.read(query)
const taskFiltersToQuery = tasks.write

describe('taskFiltersFromQuery', () => {
  it('reads a plain address as the open tasks I may see, first page', () => {
    expect(taskFiltersFromQuery({})).toEqual(noTaskFilters)
  })

  it('reads every filter', () => {
    expect(
      taskFiltersFromQuery({ role: 'responsible', status: 'done', groupId: 'abcdefgh23456789', q: ' report ', page: '2', perPage: '50' }),
    ).toEqual({ ...noTaskFilters, role: 'responsible', status: 'done', groupId: 'abcdefgh23456789', q: 'report', page: 2, perPage: 50 })
    expect(taskFiltersFromQuery({ due: 'week', personId: 'p1', sort: 'deadline' })).toEqual({ ...noTaskFilters, due: 'week', personId: 'p1', sort: 'deadline' })
  })

  it('leaves what it cannot use at its default', () => {
    expect(
      taskFiltersFromQuery({ role: 'boss', status: 'finished', groupId: '../x', page: '0', perPage: '7', due: 'yesterday', personId: 'a b', sort: 'created' }),
    ).toEqual(noTaskFilters)
  })
})

describe('taskFiltersToQuery', () => {
  it('keeps a plain list plain, and round-trips', () => {
    expect(taskFiltersToQuery(noTaskFilters)).toEqual({})
    const f = { role: 'observer', status: 'all', due: 'today', personId: 'p1', sort: 'priority', groupId: 'g1', q: 'x', page: 3, perPage: 10 } as const
    expect(taskFiltersFromQuery(taskFiltersToQuery(f) as Record<string, string>)).toEqual(f)
  })

  it('keeps the new filters out of a plain address', () => {
    expect(taskFiltersToQuery({ ...noTaskFilters, due: 'overdue' })).toEqual({ due: 'overdue' })
  })
})

describe('tasksApiQuery', () => {
  it('sends open by default and no status for all', () => {
    expect(tasksApiQuery(noTaskFilters)).toEqual({ page: 1, perPage: 25, status: 'open' })
    expect(tasksApiQuery({ ...noTaskFilters, status: 'all', role: 'creator', groupId: 'g1', q: 'a' })).toEqual({
      page: 1,
      perPage: 25,
      role: 'creator',
      groupId: 'g1',
      q: 'a',
    })
  })
})

describe('tasksApiQuery, due and people', () => {
  it('sends the time zone only with a due filter', () => {
    expect(tasksApiQuery({ ...noTaskFilters, due: 'today' }, 'Europe/Moscow')).toEqual({
      page: 1,
      perPage: 25,
      status: 'open',
      due: 'today',
      timeZone: 'Europe/Moscow',
    })
    expect(tasksApiQuery({ ...noTaskFilters, sort: 'deadline', personId: 'p1' }, 'Europe/Moscow')).toEqual({
      page: 1,
      perPage: 25,
      status: 'open',
      personId: 'p1',
      sort: 'deadline',
    })
  })

  it('leaves the time zone to the server when the browser does not say', () => {
    expect(tasksApiQuery({ ...noTaskFilters, due: 'week' }, '')).not.toHaveProperty('timeZone')
  })
})

describe('resetTaskFilters and taskFilterCount', () => {
  it('counts the filters set and resets them, keeping the view, the search and the page size', () => {
    const f = { ...noTaskFilters, role: 'creator', status: 'done', due: 'week', personId: 'p1', sort: 'updated', groupId: 'g1', q: 'x', page: 4, perPage: 50 } as const
    expect(taskFilterCount(noTaskFilters)).toBe(0)
    expect(taskFilterCount(f)).toBe(5)
    expect(resetTaskFilters(f)).toEqual({ ...noTaskFilters, role: 'creator', q: 'x', perPage: 50 })
    expect(taskFilterCount(resetTaskFilters(f))).toBe(0)
  })
})

describe('isTaskSearch', () => {
  it('tells a search from the plain views', () => {
    expect(isTaskSearch(noTaskFilters)).toBe(false)
    expect(isTaskSearch({ ...noTaskFilters, status: 'all', role: 'creator' })).toBe(false)
    expect(isTaskSearch({ ...noTaskFilters, status: 'done' })).toBe(true)
    expect(isTaskSearch({ ...noTaskFilters, q: 'x' })).toBe(true)
    expect(isTaskSearch({ ...noTaskFilters, groupId: 'g1' })).toBe(true)
    expect(isTaskSearch({ ...noTaskFilters, due: 'overdue' })).toBe(true)
    expect(isTaskSearch({ ...noTaskFilters, personId: 'p1' })).toBe(true)
    expect(isTaskSearch({ ...noTaskFilters, sort: 'deadline' })).toBe(false)
  })
})

describe('tasksBack', () => {
  it('goes back to the list page one came from, else the plain list', () => {
    expect(tasksBack('/tasks?status=all&page=2')).toBe('/tasks?status=all&page=2')
    expect(tasksBack('/groups/g1')).toBe('/tasks')
    expect(tasksBack('/tasks/planner')).toBe('/tasks/planner')
    expect(tasksBack('/groups/abcdefghijklmnop/board')).toBe('/groups/abcdefghijklmnop/board')
    expect(tasksBack('/groups/abcdefghijklmnop/board/../../admin')).toBe('/tasks')
    expect(tasksBack(undefined)).toBe('/tasks')
  })
})
