import { describe, expect, it } from 'vitest'
import { isTaskSearch, noTaskFilters, tasks, tasksApiQuery, tasksBack } from './filters'

const taskFiltersFromQuery = (query: Record<string, string>) => tasks.read(query)
const taskFiltersToQuery = tasks.write

describe('taskFiltersFromQuery', () => {
  it('reads a plain address as the open tasks I may see, first page', () => {
    expect(taskFiltersFromQuery({})).toEqual(noTaskFilters)
  })

  it('reads every filter', () => {
    expect(
      taskFiltersFromQuery({ role: 'responsible', status: 'done', groupId: 'abcdefgh23456789', q: ' report ', page: '2', perPage: '50' }),
    ).toEqual({ role: 'responsible', status: 'done', groupId: 'abcdefgh23456789', q: 'report', page: 2, perPage: 50 })
  })

  it('leaves what it cannot use at its default', () => {
    expect(taskFiltersFromQuery({ role: 'boss', status: 'finished', groupId: '../x', page: '0', perPage: '7' })).toEqual(noTaskFilters)
  })
})

describe('taskFiltersToQuery', () => {
  it('keeps a plain list plain, and round-trips', () => {
    expect(taskFiltersToQuery(noTaskFilters)).toEqual({})
    const f = { role: 'observer', status: 'all', groupId: 'g1', q: 'x', page: 3, perPage: 10 } as const
    expect(taskFiltersFromQuery(taskFiltersToQuery(f) as Record<string, string>)).toEqual(f)
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

describe('isTaskSearch', () => {
  it('tells a search from the plain views', () => {
    expect(isTaskSearch(noTaskFilters)).toBe(false)
    expect(isTaskSearch({ ...noTaskFilters, status: 'all', role: 'creator' })).toBe(false)
    expect(isTaskSearch({ ...noTaskFilters, status: 'done' })).toBe(true)
    expect(isTaskSearch({ ...noTaskFilters, q: 'x' })).toBe(true)
    expect(isTaskSearch({ ...noTaskFilters, groupId: 'g1' })).toBe(true)
  })
})

describe('tasksBack', () => {
  it('goes back to the list page one came from, else the plain list', () => {
    expect(tasksBack('/tasks?status=all&page=2')).toBe('/tasks?status=all&page=2')
    expect(tasksBack('/groups/g1')).toBe('/tasks')
    expect(tasksBack(undefined)).toBe('/tasks')
  })
})
