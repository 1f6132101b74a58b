import { ref, watch, type Ref } from 'vue'
import { asApiError } from '@/api/client'

/** A page as the list endpoints answer it. */
export interface Page<T> {
  items?: T[] | null
  total: number
}

/**
 * usePagedList keeps one page of a server-side list loaded for the filters given: it asks
 * again whenever the query they make changes, and only the answer to the latest question
 * is shown.
 */
export function usePagedList<F extends object, Q, T>(
  filters: () => F,
  toQuery: (f: F) => Q,
  fetchPage: (q: Q) => Promise<Page<T>>,
) {
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  /** The filters of the page shown: while the next one loads, the list still answers these. */
  const shown = ref() as Ref<F | undefined>
  /** Why the latest load failed, in words; '' when it did not. */
  const error = ref('')
  let latest = 0

  async function load() {
    const mine = ++latest
    loading.value = true
    error.value = ''
    const asked = { ...filters() }
    try {
      const page = await fetchPage(toQuery(asked))
      if (mine !== latest) return
      items.value = page.items ?? []
      total.value = page.total
      shown.value = asked
    } catch (e) {
      if (mine !== latest) return
      const err = asApiError(e)
      // The session ended and the person is on the way to sign in: nothing to say here.
      if (!err.handled) error.value = [err.detail, ...Object.values(err.fields)].join(' ')
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  watch(() => JSON.stringify(toQuery(filters())), load, { immediate: true })

  return { items, total, loading, shown, error, reload: load }
}
