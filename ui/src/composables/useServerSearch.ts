// The search behind the pickers: the server searches (it alone knows what the signed-in
// person may see), a burst of typing asks once, and only the latest answer shows.
import { computed, onScopeDispose, ref, watch, type Ref, type WatchSource } from 'vue'
import { asApiError } from '@/api/client'
import { normalSearch } from '@/features/people/filters'
import { debounce } from '@/lib/debounce'

/** One answer of the server: the first items that match, and how many match in all. */
export interface SearchAnswer<T> {
  items: T[]
  total: number
}

export interface ServerSearchOptions {
  /** How long typing must pause before the server is asked, in milliseconds. */
  delay?: number
  /** What else the question depends on (filters): a change asks again at once. */
  asks?: WatchSource<unknown>
  /** Search text that is no new question (such as the chosen item's name). */
  ignore?: (q: string) => boolean
}

/**
 * useServerSearch keeps the server's answer to the search text, normalised before it is
 * sent. It asks at once for the text it starts with, then once typing pauses.
 */
export function useServerSearch<T>(ask: (q: string) => Promise<SearchAnswer<T>>, options: ServerSearchOptions = {}) {
  const { delay = 250 } = options
  const search = ref('') as Ref<string>
  const found = ref<T[]>([]) as Ref<T[]>
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
      const answer = await ask(q)
      if (mine !== latest) return
      found.value = answer.items
      total.value = answer.total
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
  watch(
    () => normalSearch(search.value ?? ''),
    (q) => {
      if (!options.ignore?.(q)) later()
    },
  )
  if (options.asks) watch(options.asks, () => void load())
  onScopeDispose(later.cancel)
  void load()

  /** More match than were asked for: typing more finds the others. */
  const more = computed(() => total.value > found.value.length)

  return { search, found, total, more, loading, error, answered, reload: load }
}
