// The state of the groups list and its address: /groups?scope=…&kind=…&topic=…&q=…&page=…&perPage=…
// The address may come from a link, so anything in it is read defensively.
import type { LocationQuery } from 'vue-router'
import type { GroupsQuery } from '@/api/types'
import { listQuery, oneOf, pageParam, perPageParam, searchText, serverId } from '@/lib/listQuery'

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
export const groups = listQuery<GroupFilters>({
  scope: oneOf(['mine', 'all'], 'mine'),
  kind: oneOf(['internal', 'extranet'], ''),
  topic: serverId,
  q: searchText,
  page: pageParam,
  perPage: perPageParam,
})
export const noGroupFilters = groups.defaults

/** groupFiltersFromQuery reads the list's state from the address. Without topics (external users) a topic in it is ignored. */
export const groupFiltersFromQuery = (query: LocationQuery, topics = true) => groups.read(query, topics ? [] : ['topic'])

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
