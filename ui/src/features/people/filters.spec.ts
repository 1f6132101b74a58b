import { describe, expect, it } from 'vitest'
import { apiQuery, directoryBack, filtersFromQuery, isFiltered, noFilters, normalSearch, pageCount, people } from './filters'

const filtersToQuery = people.write

describe('people filters in the address', () => {
  it('reads a plain /people as no filters, first page', () => {
    expect(filtersFromQuery({}, false)).toEqual(noFilters)
    expect(filtersToQuery(noFilters)).toEqual({})
  })

  it('round-trips every filter', () => {
    const f = { q: 'Анна', kind: 'external', active: 'false', page: 3, perPage: 50 } as const
    const query = filtersToQuery(f)
    expect(query).toEqual({ q: 'Анна', kind: 'external', active: 'false', page: '3', perPage: '50' })
    expect(filtersFromQuery(query as Record<string, string>, true)).toEqual(f)
  })

  it('keeps the active filter for administrators only', () => {
    expect(filtersFromQuery({ active: 'false' }, true).active).toBe('false')
    expect(filtersFromQuery({ active: 'false' }, false).active).toBe('')
  })

  it('filters an external user\'s contacts by no kind', () => {
    expect(filtersFromQuery({ kind: 'employee' }, false).kind).toBe('employee')
    expect(filtersFromQuery({ kind: 'employee' }, false, true).kind).toBe('')
  })

  it('ignores what it cannot use', () => {
    expect(
      filtersFromQuery({ kind: 'admin', active: 'maybe', page: '0', perPage: '1000' }, true),
    ).toEqual(noFilters)
    expect(filtersFromQuery({ page: '-2' }, false).page).toBe(1)
    expect(filtersFromQuery({ page: '2.5' }, false).page).toBe(1)
    expect(filtersFromQuery({ page: '99999999999999999999' }, false).page).toBe(1)
    expect(filtersFromQuery({ perPage: '30' }, false).perPage).toBe(25)
    expect(filtersFromQuery({ q: null }, false).q).toBe('')
  })

  it('takes the first of repeated parameters', () => {
    expect(filtersFromQuery({ q: ['anna', 'boris'], page: ['2', '5'] }, false)).toMatchObject({ q: 'anna', page: 2 })
    expect(filtersFromQuery({ q: [null, 'boris'] }, false).q).toBe('')
  })

  it('trims the search and cuts it at the server limit', () => {
    expect(filtersFromQuery({ q: '  anna  ' }, false).q).toBe('anna')
    expect(normalSearch('я'.repeat(250))).toBe('я'.repeat(200))
    // Counted in characters, not UTF-16 units: an emoji is not split in half.
    expect([...normalSearch('😀'.repeat(201))]).toHaveLength(200)
    expect(normalSearch('a'.repeat(199) + ' b')).toBe('a'.repeat(199))
  })
})

describe('people filters for the API', () => {
  it('sends the page always and the filters when set', () => {
    expect(apiQuery(noFilters)).toEqual({ page: 1, perPage: 25 })
    expect(apiQuery({ q: 'x', kind: 'employee', active: 'true', page: 2, perPage: 10 })).toEqual({
      q: 'x',
      kind: 'employee',
      active: 'true',
      page: 2,
      perPage: 10,
    })
  })

  it('tells a search or filter from the plain list', () => {
    expect(isFiltered(noFilters)).toBe(false)
    expect(isFiltered({ ...noFilters, page: 4, perPage: 100 })).toBe(false)
    expect(isFiltered({ ...noFilters, q: 'a' })).toBe(true)
    expect(isFiltered({ ...noFilters, kind: 'external' })).toBe(true)
    expect(isFiltered({ ...noFilters, active: 'false' })).toBe(true)
  })

  it('counts pages, at least one', () => {
    expect(pageCount(0, 25)).toBe(1)
    expect(pageCount(25, 25)).toBe(1)
    expect(pageCount(26, 25)).toBe(2)
  })
})

describe('back from a profile', () => {
  it('returns to the directory page the person came from', () => {
    expect(directoryBack('/people?q=anna&page=2')).toBe('/people?q=anna&page=2')
    expect(directoryBack('/people')).toBe('/people')
  })

  it('else to the plain directory', () => {
    expect(directoryBack(undefined)).toBe('/people')
    expect(directoryBack(null)).toBe('/people')
    expect(directoryBack('/people/u2')).toBe('/people')
    expect(directoryBack('/peoplex')).toBe('/people')
    expect(directoryBack('/feed')).toBe('/people')
    expect(directoryBack('//evil.example/people')).toBe('/people')
  })
})
