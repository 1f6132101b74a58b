// The state of the people directory and its address: /people?q=…&kind=…&active=…&page=…&perPage=…
// The address may come from a link, so anything in it is read defensively.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { PeopleQuery } from '@/api/types'

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

export const perPageOptions = [10, 25, 50, 100] as const
export const defaultPerPage = 25
/** The server's limit for q. */
export const maxSearchLength = 200

export const noFilters: PeopleFilters = { q: '', kind: '', active: '', page: 1, perPage: defaultPerPage }

/** first is the first text value of a query parameter, else an empty string. */
export function first(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v : ''
}

/** positive reads a whole number from 1 up, else undefined. */
export function positive(value: string): number | undefined {
  if (!/^[1-9]\d{0,8}$/.test(value)) return undefined
  return Number(value)
}

/** normalSearch is the search text as it is sent and kept in the address. */
export function normalSearch(text: string): string {
  return [...text.trim()].slice(0, maxSearchLength).join('').trim()
}

/**
 * filtersFromQuery reads the directory's state from the address; what it cannot use is left at its
 * default. An external user's contacts are not filtered by kind.
 */
export function filtersFromQuery(query: LocationQuery, admin: boolean, external = false): PeopleFilters {
  const kind = first(query.kind)
  const active = first(query.active)
  const perPage = positive(first(query.perPage))
  return {
    q: normalSearch(first(query.q)),
    kind: !external && (kind === 'employee' || kind === 'external') ? kind : '',
    active: admin && (active === 'true' || active === 'false' || active === 'expiring') ? active : '',
    page: positive(first(query.page)) ?? 1,
    perPage: perPageOptions.find((n) => n === perPage) ?? defaultPerPage,
  }
}

/** filtersToQuery writes the state to the address, leaving defaults out so that a plain /people stays plain. */
export function filtersToQuery(f: PeopleFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  if (f.q) query.q = f.q
  if (f.kind) query.kind = f.kind
  if (f.active) query.active = f.active
  if (f.page > 1) query.page = String(f.page)
  if (f.perPage !== defaultPerPage) query.perPage = String(f.perPage)
  return query
}

/** sameFilters tells whether two states show the same page of the same list. */
export function sameFilters(a: PeopleFilters, b: PeopleFilters): boolean {
  return a.q === b.q && a.kind === b.kind && a.active === b.active && a.page === b.page && a.perPage === b.perPage
}

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

/** pageCount is the number of pages for total people, at least 1. */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage))
}

/**
 * directoryBack is where a profile's "back" leads: the directory page the person came from
 * (with its search and page), else the plain directory. back is the router's history state.
 */
export function directoryBack(back: unknown): string {
  if (typeof back === 'string' && /^\/people(?:[?#]|$)/.test(back)) return back
  return '/people'
}
