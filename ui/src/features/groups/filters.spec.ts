import { describe, expect, it } from 'vitest'
import { groupFiltersFromQuery, groups, groupsApiQuery, groupsBack, isGroupSearch, noGroupFilters } from './filters'

const groupFiltersToQuery = groups.write

describe('groupFiltersFromQuery', () => {
  it('reads a plain address as my groups, first page', () => {
    expect(groupFiltersFromQuery({})).toEqual(noGroupFilters)
  })

  it('reads every filter', () => {
    expect(groupFiltersFromQuery({ scope: 'all', kind: 'extranet', topic: 'abcdefgh23456789', q: '  design ', page: '3', perPage: '50' })).toEqual({
      scope: 'all',
      kind: 'extranet',
      topic: 'abcdefgh23456789',
      q: 'design',
      page: 3,
      perPage: 50,
    })
  })

  it('leaves what it cannot use at its default', () => {
    expect(groupFiltersFromQuery({ scope: 'everything', kind: 'secret', page: '0', perPage: '7' })).toEqual(noGroupFilters)
    expect(groupFiltersFromQuery({ page: '-2' }).page).toBe(1)
    expect(groupFiltersFromQuery({ page: '1e3' }).page).toBe(1)
    expect(groupFiltersFromQuery({ scope: ['all', 'mine'] }).scope).toBe('all')
    expect(groupFiltersFromQuery({ q: null }).q).toBe('')
  })

  it('reads no topic that cannot be an id, nor any for those without topics', () => {
    expect(groupFiltersFromQuery({ topic: 'x'.repeat(33) }).topic).toBe('')
    expect(groupFiltersFromQuery({ topic: '../admin' }).topic).toBe('')
    expect(groupFiltersFromQuery({ topic: ['t1', 't2'] }).topic).toBe('t1')
    expect(groupFiltersFromQuery({ topic: 't1' }, false).topic).toBe('')
  })

  it('cuts an overlong search to the server limit', () => {
    expect(groupFiltersFromQuery({ q: 'x'.repeat(300) }).q).toHaveLength(200)
  })
})

describe('groupFiltersToQuery', () => {
  it('keeps a plain list plain', () => {
    expect(groupFiltersToQuery(noGroupFilters)).toEqual({})
  })

  it('round-trips through the address', () => {
    const f = { scope: 'all', kind: 'internal', topic: 't1', q: 'ops', page: 2, perPage: 10 } as const
    const query = groupFiltersToQuery(f)
    expect(query).toEqual({ scope: 'all', kind: 'internal', topic: 't1', q: 'ops', page: '2', perPage: '10' })
    expect(groupFiltersFromQuery(query as Record<string, string>)).toEqual(f)
  })
})

describe('groupsApiQuery', () => {
  it('always sends the scope, and no empty filter', () => {
    expect(groupsApiQuery(noGroupFilters)).toEqual({ scope: 'mine', page: 1, perPage: 25 })
    expect(groupsApiQuery({ ...noGroupFilters, scope: 'all', kind: 'extranet', topic: 't1', q: 'a' })).toEqual({
      scope: 'all',
      kind: 'extranet',
      topic: 't1',
      q: 'a',
      page: 1,
      perPage: 25,
    })
  })
})

describe('isGroupSearch', () => {
  it('count search, kind and topic, not the scope', () => {
    expect(isGroupSearch({ ...noGroupFilters, topic: 't1' })).toBe(true)
    expect(isGroupSearch({ ...noGroupFilters, scope: 'all' })).toBe(false)
    expect(isGroupSearch({ ...noGroupFilters, kind: 'internal' })).toBe(true)
    expect(isGroupSearch({ ...noGroupFilters, q: 'x' })).toBe(true)
  })
})

describe('groupsBack', () => {
  it('goes back to the list page the person came from', () => {
    expect(groupsBack('/groups?scope=all&page=2')).toBe('/groups?scope=all&page=2')
    expect(groupsBack('/groups')).toBe('/groups')
  })

  it('goes to the plain list from anywhere else', () => {
    expect(groupsBack('/groups/abc')).toBe('/groups')
    expect(groupsBack('/people')).toBe('/groups')
    expect(groupsBack(undefined)).toBe('/groups')
    expect(groupsBack('//evil.example/groups')).toBe('/groups')
  })
})
