// The state of the people directory and its address: /people?q=…&kind=…&active=…&page=…&perPage=…
// The address may come from a link, so anything in it is read defensively.
import type { LocationQuery } from 'vue-router'
import type { PeopleQuery, Person } from '@/api/types'
import { listQuery, oneOf, pageParam, perPageParam, searchText } from '@/lib/listQuery'

// Shared by the other lists and pickers, which still find them here.
export { defaultPerPage, first, maxSearchLength, normalSearch, pageCount, perPageOptions, positive } from '@/lib/listQuery'

export type KindFilter = '' | 'employee' | 'external'
/** 'expiring': active external users whose access ends within expiringDays. */
export type ActiveFilter = '' | 'true' | 'false' | 'expiring'

/** The window of Admin → Users' "access ends soon" filter. */
export const expiringDays = 14

export interface PeopleFilters {
  /** The search text, trimmed. */
  q: string
  kind: KindFilter
  /** Only administrators filter by it; for everyone else it stays ''. */
  active: ActiveFilter
  page: number
  perPage: number
}

export const people = listQuery<PeopleFilters>({
  q: searchText,
  kind: oneOf(['employee', 'external'], ''),
  active: oneOf(['true', 'false', 'expiring'], ''),
  page: pageParam,
  perPage: perPageParam,
})
export const noFilters = people.defaults

/** unfiltered names the filters a viewer has not: only administrators filter by status, and an external user's contacts are not filtered by kind. */
export const unfiltered = (admin: boolean, external: boolean) => [...(admin ? [] : ['active' as const]), ...(external ? ['kind' as const] : [])]

/** filtersFromQuery reads the directory's state from the address; what it cannot use is left at its default. */
export const filtersFromQuery = (query: LocationQuery, admin: boolean, external = false) => people.read(query, unfiltered(admin, external))

/** apiQuery is what GET /people is asked; empty filters are not sent. */
export function apiQuery(f: PeopleFilters): PeopleQuery {
  const query: PeopleQuery = { page: f.page, perPage: f.perPage }
  if (f.q) query.q = f.q
  if (f.kind) query.kind = f.kind
  if (f.active === 'expiring') query.expiresWithin = expiringDays
  else if (f.active) query.active = f.active
  return query
}

/** isFiltered tells "nobody matches" apart from "nobody is there". */
export function isFiltered(f: PeopleFilters): boolean {
  return f.q !== '' || f.kind !== '' || f.active !== ''
}

/** profilePath is the address of a person's profile. */
export const profilePath = (p: Pick<Person, 'id'>) => `/people/${encodeURIComponent(p.id)}`

/**
 * directoryBack is where a profile's "back" leads: the directory page the person came from
 * (with its search and page), else the plain directory. back is the router's history state.
 */
export function directoryBack(back: unknown): string {
  if (typeof back === 'string' && /^\/people(?:[?#]|$)/.test(back)) return back
  return '/people'
}
