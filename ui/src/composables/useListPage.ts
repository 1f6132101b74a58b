// A list page of the server's, the same on every list: its state (search, filters, page)
// typed and, for a page of its own, kept in the address both ways; the search asked once
// typing pauses; a page past the end (an old link, rows that went away) turned back to the
// last one there is. The rows come through usePagedList, which shows only the latest answer.
import { computed, onScopeDispose, ref, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { usePagedList, type Page } from '@/composables/usePagedList'
import { debounce } from '@/lib/debounce'
import { normalSearch, pageCount, sameState, type ListQuery } from '@/lib/listQuery'

/** The fields every list's state has. A list with a search also has q. */
export interface Paging {
  page: number
  perPage: number
}

export interface ListPageOptions<F extends Paging, Q, T> {
  /** The state's fields and defaults, and its address. */
  state: ListQuery<F>
  /** The route whose address holds the state; without one the state lives in the page alone. */
  route?: string
  /** Fields this viewer has no filter for: an address does not set them. */
  ignore?: () => readonly (keyof F)[]
  /** What the server is asked for a state; the state itself by default. */
  ask?: (f: F) => Q
  fetch: (q: Q) => Promise<Page<T>>
  /** Tells "nothing matches" (a search or filter) from "nothing is there". */
  isSearch?: (f: F) => boolean
  /** What "clear" sets besides an empty search. */
  clear?: Partial<F>
  /** What else the question depends on (filters held elsewhere): a change starts again at page 1. */
  also?: () => unknown
  /** A page turned below the list is shown from its top (false: a list inside a longer page). */
  scroll?: boolean
  /** How long typing must pause before the search is asked, in milliseconds. */
  delay?: number
}

/** useListPage keeps a list page's state, its address and its rows. */
export function useListPage<F extends Paging, Q = F, T = unknown>(options: ListPageOptions<F, Q, T>) {
  const { state, route: routeName, ignore = () => [], isSearch = () => false, delay = 300 } = options
  const route = useRoute()
  const router = useRouter()
  const fromAddress = () => state.read(route.query, ignore())
  const filters = ref(routeName ? fromAddress() : { ...state.defaults }) as Ref<F>

  // Filters held elsewhere come first, so that their change asks once, for page 1.
  if (options.also) watch(() => JSON.stringify(options.also?.()), () => setPage(1))
  const list = usePagedList(() => filters.value, options.ask ?? ((f) => f as unknown as Q), options.fetch)
  const { total, loading, shown, error } = list

  /** update changes filters; a new search or filter starts again on the first page. */
  function update(change: Partial<F>) {
    const next = { ...filters.value, page: 1, ...change }
    if (!sameState(next, filters.value)) filters.value = next
  }
  const setPage = (page: number) => {
    if (page !== filters.value.page) filters.value = { ...filters.value, page }
  }
  const setPerPage = (perPage: number) => update({ perPage } as Partial<F>)
  const turnPage = (page: number) => {
    setPage(page)
    if (options.scroll !== false) window.scrollTo({ top: 0 })
  }
  const pages = computed(() => pageCount(total.value, filters.value.perPage))
  watch([loading, pages], () => {
    if (!loading.value && !error.value && filters.value.page > pages.value) setPage(pages.value)
  })

  // The search field is applied once typing pauses, or at once on Enter.
  const q = (f: F) => (f as { q?: string }).q ?? ''
  const search = ref<string | null>(q(filters.value))
  const searchNow = () => {
    later.cancel()
    const text = normalSearch(search.value ?? '')
    if (text !== q(filters.value)) update({ q: text } as unknown as Partial<F>)
  }
  const later = debounce(searchNow, delay)
  watch(search, later)
  onScopeDispose(later.cancel)

  function clearAll() {
    later.cancel()
    search.value = ''
    update({ ...options.clear, q: '' } as unknown as Partial<F>)
  }

  if (routeName) {
    // The address follows the state, and the state follows the address (back, forward, a link).
    // Both stand still while the router is already leaving for another page.
    watch(
      () => route.query,
      () => {
        if (route.name !== routeName) return
        const next = fromAddress()
        if (sameState(next, filters.value)) return
        if (q(next) !== q(filters.value)) {
          search.value = q(next)
          later.cancel()
        }
        filters.value = next
      },
    )
    watch(filters, (f) => {
      if (route.name === routeName && !sameState(f, fromAddress())) void router.replace({ query: state.write(f) })
    })
  }

  /** field is a filter for a v-model; none names the empty value ('' cannot be chosen in a select). */
  function field<K extends keyof F>(key: K, none?: string) {
    return computed({
      get: () => (none !== undefined && filters.value[key] === '' ? none : filters.value[key]),
      set: (value: F[K] | string) => update({ [key]: value === none ? '' : value } as Partial<F>),
    })
  }

  // "Nothing matches" speaks of the search that was answered, not of one still on its way.
  const searched = computed(() => shown.value !== undefined && isSearch(shown.value))

  return { ...list, filters, update, field, setPage, setPerPage, turnPage, pages, search, searchNow, clearAll, searched }
}

/** What ListPage shows of a list page. */
export interface ListView {
  shown: Readonly<Ref<unknown>>
  loading: Readonly<Ref<boolean>>
  error: Readonly<Ref<string>>
  total: Readonly<Ref<number>>
  filters: Readonly<Ref<Paging>>
  pages: Readonly<Ref<number>>
  search: Ref<string | null>
  searchNow(): void
  turnPage(page: number): void
  setPerPage(perPage: number): void
  reload(): unknown
}
