import { ref, watch } from 'vue'
import { asApiError } from '@/api/client'
import type { Person } from '@/api/types'
import { listPeople } from './api'
import { apiQuery, type PeopleFilters } from './filters'

/**
 * usePeopleList keeps one page of the directory loaded for the filters given: it asks again
 * whenever they change, and only the answer to the latest question is shown.
 */
export function usePeopleList(filters: () => PeopleFilters) {
  const items = ref<Person[]>([])
  const total = ref(0)
  const loading = ref(false)
  /** The filters of the page shown: while the next one loads, the list still answers these. */
  const shown = ref<PeopleFilters>()
  /** Why the latest load failed, in words; '' when it did not. */
  const error = ref('')
  let latest = 0

  async function load() {
    const mine = ++latest
    loading.value = true
    error.value = ''
    const asked = { ...filters() }
    try {
      const page = await listPeople(apiQuery(asked))
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

  watch(() => JSON.stringify(apiQuery(filters())), load, { immediate: true })

  return { items, total, loading, shown, error, reload: load }
}
