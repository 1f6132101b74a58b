import { ref, watch } from 'vue'
import { asApiError } from '@/api/client'
import type { Group } from '@/api/types'
import { listGroups } from './api'
import { groupsApiQuery, type GroupFilters } from './filters'

/**
 * useGroupList keeps one page of groups loaded for the filters given: it asks again
 * whenever they change, and only the answer to the latest question is shown.
 */
export function useGroupList(filters: () => GroupFilters) {
  const items = ref<Group[]>([])
  const total = ref(0)
  const loading = ref(false)
  /** The filters of the page shown: while the next one loads, the list still answers these. */
  const shown = ref<GroupFilters>()
  /** Why the latest load failed, in words; '' when it did not. */
  const error = ref('')
  let latest = 0

  async function load() {
    const mine = ++latest
    loading.value = true
    error.value = ''
    const asked = { ...filters() }
    try {
      const page = await listGroups(groupsApiQuery(asked))
      if (mine !== latest) return
      items.value = page.items ?? []
      total.value = page.total
      shown.value = asked
    } catch (e) {
      if (mine !== latest) return
      const err = asApiError(e)
      if (!err.handled) error.value = [err.detail, ...Object.values(err.fields)].join(' ')
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  watch(() => JSON.stringify(groupsApiQuery(filters())), load, { immediate: true })

  return { items, total, loading, shown, error, reload: load }
}
