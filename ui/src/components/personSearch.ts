// The search behind the person pickers: the server's search (useServerSearch) over people.
import { computed, toValue, type MaybeRefOrGetter } from 'vue'
import type { PeopleQuery, Person } from '@/api/types'
import { useServerSearch } from '@/composables/useServerSearch'
import { listPeople } from '@/features/people/api'

/** The filters a picker may fix: which kind of people, and only active ones or not. */
export type PickerFilters = Pick<PeopleQuery, 'kind' | 'active'>

export interface PersonSearchOptions {
  /** How many suggestions are asked for at a time. */
  perPage?: number
  /** How long typing must pause before the server is asked, in milliseconds. */
  delay?: number
  /** People never offered (already chosen, already members), by id. */
  exclude?: MaybeRefOrGetter<readonly string[]>
}

/**
 * usePersonSearch keeps suggestions for the search text: the first page of the people who
 * match it and the filters, without those excluded. It asks at once for the text it starts
 * with, then once typing pauses.
 */
export function usePersonSearch(filters: MaybeRefOrGetter<PickerFilters>, options: PersonSearchOptions = {}) {
  const { perPage = 20, delay } = options
  const { search, found, total, more, loading, error, answered, reload } = useServerSearch<Person>(
    async (q) => {
      const query: PeopleQuery = { ...toValue(filters), page: 1, perPage }
      if (q) query.q = q
      const page = await listPeople(query)
      return { items: page.items ?? [], total: page.total }
    },
    { delay, asks: () => JSON.stringify(toValue(filters)) },
  )

  const items = computed(() => {
    const skip = new Set(toValue(options.exclude) ?? [])
    return found.value.filter((p) => !skip.has(p.id))
  })

  return { search, items, total, more, loading, error, answered, reload }
}
