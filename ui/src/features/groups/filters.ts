// The state of the groups list and its address: /groups?scope=…&kind=…&topic=…&q=…&page=…&perPage=…
// The address may come from a link, so anything in it is read defensively.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { GroupsQuery } from '@/api/types'
import { defaultPerPage, first, normalSearch, perPageOptions, positive } from '@/features/people/filters'

export type Scope = 'mine' | 'all'
export type GroupKindFilter = '' | 'internal' | 'extranet'

export interface GroupFilters {
  /** mine: the groups I belong to or am invited to; all: every group I can see. */
  scope: Scope
  kind: GroupKindFilter
  /** A topic's id; '' for any topic. External users have no topics to filter by. */
  topic: string
  /** The search text, trimmed. */
  q: string
  page: number
  perPage: number
}

/** Without a word in the address the list shows my own groups. */
export const defaultScope: Scope = 'mine'

export const noGroupFilters: GroupFilters = { scope: defaultScope, kind: '', topic: '', q: '', page: 1, perPage: defaultPerPage }

// The server's ids: opaque, at most 32 characters of letters, digits, '-' and '_'.
const idPattern = /^[\w-]{1,32}$/

/**
 * groupFiltersFromQuery reads the list's state from the address; what it cannot use is left at
 * its default. Without topics (external users) a topic in the address is ignored.
 */
export function groupFiltersFromQuery(query: LocationQuery, topics = true): GroupFilters {
  const scope = first(query.scope)
  const kind = first(query.kind)
  const topic = first(query.topic)
  const perPage = positive(first(query.perPage))
  return {
    scope: scope === 'mine' || scope === 'all' ? scope : defaultScope,
    kind: kind === 'internal' || kind === 'extranet' ? kind : '',
    topic: topics && idPattern.test(topic) ? topic : '',
    q: normalSearch(first(query.q)),
    page: positive(first(query.page)) ?? 1,
    perPage: perPageOptions.find((n) => n === perPage) ?? defaultPerPage,
  }
}

/** groupFiltersToQuery writes the state to the address, leaving defaults out so that a plain /groups stays plain. */
export function groupFiltersToQuery(f: GroupFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  if (f.scope !== defaultScope) query.scope = f.scope
  if (f.kind) query.kind = f.kind
  if (f.topic) query.topic = f.topic
  if (f.q) query.q = f.q
  if (f.page > 1) query.page = String(f.page)
  if (f.perPage !== defaultPerPage) query.perPage = String(f.perPage)
  return query
}

/** sameGroupFilters tells whether two states show the same page of the same list. */
export function sameGroupFilters(a: GroupFilters, b: GroupFilters): boolean {
  return (
    a.scope === b.scope && a.kind === b.kind && a.topic === b.topic && a.q === b.q && a.page === b.page && a.perPage === b.perPage
  )
}

/** groupsApiQuery is what GET /groups is asked; empty filters are not sent. */
export function groupsApiQuery(f: GroupFilters): GroupsQuery {
  const query: GroupsQuery = { scope: f.scope, page: f.page, perPage: f.perPage }
  if (f.kind) query.kind = f.kind
  if (f.topic) query.topic = f.topic
  if (f.q) query.q = f.q
  return query
}

/** isGroupSearch tells "nothing matches" apart from "nothing is there" (the scope is not a filter). */
export function isGroupSearch(f: GroupFilters): boolean {
  return f.q !== '' || f.kind !== '' || f.topic !== ''
}

/** groupsBack is where a group page's "back" leads: the list page the person came from, else the plain list. */
export function groupsBack(back: unknown): string {
  if (typeof back === 'string' && /^\/groups(?:[?#]|$)/.test(back)) return back
  return '/groups'
}
