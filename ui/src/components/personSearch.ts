// The search behind the person pickers: the server searches (it alone knows whom the
// signed-in person may see), a burst of typing asks once, and only the latest answer shows.
import { computed, onScopeDispose, ref, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue'
import { asApiError } from '@/api/client'
import type { PeopleQuery, Person } from '@/api/types'
import { listPeople } from '@/features/people/api'
import { normalSearch } from '@/features/people/filters'
import { debounce } from '@/lib/debounce'

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
  const { perPage = 20, delay = 250 } = options
  const search = ref('') as Ref<string>
  const found = ref<Person[]>([])
  /** How many match on the server, beyond those shown: a hint to type more. */
  const total = ref(0)
  const loading = ref(false)
  /** Why the latest search failed, in words; '' when it did not. */
  const error = ref('')
  /** The search text the suggestions answer. */
  const answered = ref<string>()
  let latest = 0

  async function load() {
    const mine = ++latest
    const q = normalSearch(search.value ?? '')
    loading.value = true
    error.value = ''
    try {
      const query: PeopleQuery = { ...toValue(filters), page: 1, perPage }
      if (q) query.q = q
      const page = await listPeople(query)
      if (mine !== latest) return
      found.value = page.items ?? []
      total.value = page.total
      answered.value = q
    } catch (e) {
      if (mine !== latest) return
      const err = asApiError(e)
      found.value = []
      total.value = 0
      if (!err.handled) error.value = err.detail
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  const later = debounce(() => void load(), delay)
  // Only a change of what is asked asks again: "anna" and "anna " are the same question.
  watch(() => normalSearch(search.value ?? ''), later)
  watch(() => JSON.stringify(toValue(filters)), () => void load())
  onScopeDispose(later.cancel)
  void load()

  const items = computed(() => {
    const skip = new Set(toValue(options.exclude) ?? [])
    return found.value.filter((p) => !skip.has(p.id))
  })

  /** More people match than were asked for: typing more finds the others. */
  const more = computed(() => total.value > found.value.length)

  return { search, items, total, more, loading, error, answered, reload: load }
}
