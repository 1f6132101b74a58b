// A list's state (its search, filters and page) as it is kept in the address, say
// /people?q=…&kind=…&page=…&perPage=…: each field a parameter with a default, read
// defensively (the address may come from a link) and left out while at its default, so
// that a plain list keeps a plain address.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'

export const perPageOptions = [10, 25, 50, 100] as const
export const defaultPerPage = 25
/** The server's limit for a search. */
export const maxSearchLength = 200

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

/** pageCount is the number of pages for total items, at least 1. */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage))
}

/** Param is one field of the state: its default, and how the address's text is read (undefined: unusable). */
export interface Param<V> {
  fallback: V
  read(raw: string): V | undefined
}

/** oneOf is a choice among values; anything else is the fallback. */
export const oneOf = <V extends string>(values: readonly V[], fallback: V): Param<V> => ({
  fallback,
  read: (raw) => (values.includes(raw as V) ? (raw as V) : undefined),
})

/** searchText is a search, trimmed and cut at the server's limit. */
export const searchText: Param<string> = { fallback: '', read: normalSearch }

/** serverId is an id of the server's: opaque, at most 32 letters, digits, '-' and '_'. */
export const serverId: Param<string> = { fallback: '', read: (raw) => (/^[\w-]{1,32}$/.test(raw) ? raw : undefined) }

export const pageParam: Param<number> = { fallback: 1, read: positive }

/** perPageParam is a page size of perPageOptions. */
export const perPageParam: Param<number> = {
  fallback: defaultPerPage,
  read: (raw) => perPageOptions.find((n) => n === positive(raw)),
}

/** A list's state and its address. */
export interface ListQuery<F> {
  /** The plain list: every field at its default. */
  defaults: F
  /** read takes the state from the address; the fields named in ignore stay at their default. */
  read(query: LocationQuery, ignore?: readonly (keyof F)[]): F
  /** write is the address of a state, without the fields at their default. */
  write(f: F): LocationQueryRaw
}

/** listQuery makes a list's state of its parameters, in the order they are written in the address. */
export function listQuery<F extends object>(params: { [K in keyof F]: Param<F[K]> }): ListQuery<F> {
  const keys = Object.keys(params) as (keyof F & string)[]
  const state = (value: <K extends keyof F & string>(k: K) => F[K]) => Object.fromEntries(keys.map((k) => [k, value(k)])) as F
  return {
    defaults: state((k) => params[k].fallback),
    read: (query, ignore = []) =>
      state((k) => (ignore.includes(k) ? undefined : params[k].read(first(query[k]))) ?? params[k].fallback),
    write(f) {
      const query: LocationQueryRaw = {}
      for (const k of keys) if (f[k] !== params[k].fallback) query[k] = String(f[k])
      return query
    },
  }
}

/** inPage is the state of a list inside a longer page: kept in the page alone, never in the address. */
export const inPage = <F extends object>(defaults: F): ListQuery<F> => ({ defaults, read: () => ({ ...defaults }), write: () => ({}) })

/** paging is the state of a list that is only paged, perPage items a page. */
export const paging = (perPage: number) => inPage({ page: 1, perPage })

/** sameState tells whether two states show the same page of the same list. */
export function sameState<F extends object>(a: F, b: F): boolean {
  const keys = Object.keys(a) as (keyof F)[]
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}
