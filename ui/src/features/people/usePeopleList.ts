import { computed, onBeforeUnmount, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import { usePagedList } from '@/composables/usePagedList'
import { debounce } from '@/lib/debounce'
import { listPeople } from './api'
import {
  apiQuery,
  expiringDays,
  filtersFromQuery,
  filtersToQuery,
  isFiltered,
  noFilters,
  normalSearch,
  pageCount,
  sameFilters,
  type ActiveFilter,
  type KindFilter,
  type PeopleFilters,
} from './filters'

/** usePeopleList keeps one page of the directory loaded for the filters given. */
export const usePeopleList = (filters: () => PeopleFilters) => usePagedList(filters, apiQuery, listPeople)

/**
 * usePeopleBrowser is a page of people whose search, filters and page live in the address
 * of the route named routeName: the directory, and the administrators' list of accounts.
 */
export function usePeopleBrowser(routeName: string, admin: () => boolean, external: () => boolean) {
  const { t } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const fromQuery = (query = route.query) => filtersFromQuery(query, admin(), external())
  const filters = ref<PeopleFilters>(fromQuery())
  const list = usePeopleList(() => filters.value)
  const { total, loading, shown, error } = list

  function update(change: Partial<PeopleFilters>) {
    // A new search or filter starts again on the first page.
    const next = { ...filters.value, page: 1, ...change }
    if (!sameFilters(next, filters.value)) filters.value = next
  }

  // The search field is applied once typing pauses, or at once on Enter.
  const search = ref<string | null>(filters.value.q)
  const searchNow = () => {
    applySearch.cancel()
    const q = normalSearch(search.value ?? '')
    if (q !== filters.value.q) update({ q })
  }
  const applySearch = debounce(searchNow, 300)
  watch(search, applySearch)
  onBeforeUnmount(applySearch.cancel)

  // The address follows the state, and the state follows the address (back, forward, a link).
  // Both watchers stand still while the router is already leaving for another page.
  watch(
    () => route.query,
    (query) => {
      if (route.name !== routeName) return
      const next = fromQuery(query)
      if (sameFilters(next, filters.value)) return
      if (next.q !== filters.value.q) {
        search.value = next.q
        applySearch.cancel()
      }
      filters.value = next
    },
  )
  watch(filters, (f) => {
    if (route.name !== routeName) return
    if (!sameFilters(f, fromQuery())) void router.replace({ query: filtersToQuery(f) })
  })

  const setPage = (page: number) => {
    if (page !== filters.value.page) filters.value = { ...filters.value, page }
  }
  const setPerPage = (perPage: number) => update({ perPage })
  // On a phone the pages are chosen below the list: show the new page from its top.
  const turnPage = (page: number) => {
    setPage(page)
    window.scrollTo({ top: 0 })
  }
  const pages = computed(() => pageCount(total.value, filters.value.perPage))
  // A page past the end (an old link, people who left): show the last one there is.
  watch([loading, pages], () => {
    if (!loading.value && !error.value && filters.value.page > pages.value) setPage(pages.value)
  })

  const kind = computed({
    get: () => filters.value.kind || 'all',
    set: (value: KindFilter | 'all') => update({ kind: value === 'all' ? '' : value }),
  })
  const kinds = computed(() => [
    { value: 'all', title: t('people.kindAll') },
    { value: 'employee', title: t('people.kindEmployee') },
    { value: 'external', title: t('people.kindExternal') },
  ])
  const active = computed({
    get: () => filters.value.active || 'all',
    set: (value: ActiveFilter | 'all') => update({ active: value === 'all' ? '' : value }),
  })
  const statuses = computed(() => [
    { value: 'all', title: t('people.statusAll') },
    { value: 'true', title: t('people.statusActive') },
    { value: 'false', title: t('people.statusDeactivated') },
    { value: 'expiring', title: t('people.statusExpiring', { days: expiringDays }) },
  ])

  function clearAll() {
    applySearch.cancel()
    search.value = ''
    filters.value = { ...noFilters, perPage: filters.value.perPage }
  }

  // "Nobody matches" speaks of the search that was answered, not of one still on its way.
  const filtered = computed(() => shown.value !== undefined && isFiltered(shown.value))

  return {
    ...list,
    filters,
    search,
    searchNow,
    setPage,
    setPerPage,
    turnPage,
    pages,
    kind,
    kinds,
    active,
    statuses,
    clearAll,
    filtered,
  }
}
