import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, reactive, ref } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { listQuery, oneOf, pageParam, paging, perPageParam, searchText } from '@/lib/listQuery'
import type { Page } from './usePagedList'
import { useListPage, type ListPageOptions } from './useListPage'

// The route and router of the page: the address is a query the router replaces.
const route = reactive({ name: 'things' as string, query: {} as LocationQuery })
const router = { replace: vi.fn(({ query }: { query: LocationQueryRaw }) => void (route.query = query as LocationQuery)) }
vi.mock('vue-router', () => ({ useRoute: () => route, useRouter: () => router }))

interface Filters {
  q: string
  kind: '' | 'a' | 'b'
  page: number
  perPage: number
}
const state = listQuery<Filters>({ q: searchText, kind: oneOf(['a', 'b'], ''), page: pageParam, perPage: perPageParam })

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((res) => (resolve = res))
  return { promise, resolve }
}

/** The server: as many rows as total says, every question answered at once unless held. */
function server(total = 3) {
  return vi.fn((f: Filters): Promise<Page<string>> => Promise.resolve({ items: [`${f.q}${f.kind}${f.page}`], total }))
}

const settle = () => vi.advanceTimersByTimeAsync(1)

// Every list of a test stops with it, passed or failed: none follows the next test's address.
const scopes: ReturnType<typeof effectScope>[] = []
function run<R>(fn: () => R): R {
  const scope = effectScope()
  scopes.push(scope)
  return scope.run(fn)!
}

function start(options: Partial<ListPageOptions<Filters, Filters, string>> = {}, fetch = server()) {
  const list = run(() => useListPage<Filters, Filters, string>({ state, route: 'things', fetch, ...options }))
  return { list, fetch }
}

describe('useListPage', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    route.name = 'things'
    route.query = {}
    router.replace.mockClear()
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined)
  })
  afterEach(() => {
    scopes.splice(0).forEach((s) => s.stop())
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('starts from the address and asks the server for it', async () => {
    route.query = { q: ' anna ', kind: 'b', page: '2', perPage: 'lots' }
    const ask = vi.fn((f: Filters) => f)
    const { list, fetch } = start({ ask }, server(100))
    await settle()
    expect(list.filters.value).toEqual({ q: 'anna', kind: 'b', page: 2, perPage: 25 })
    expect(list.search.value).toBe('anna')
    expect(fetch).toHaveBeenCalledExactlyOnceWith({ q: 'anna', kind: 'b', page: 2, perPage: 25 })
    expect(list.items.value).toEqual(['annab2'])
  })

  it('writes a change to the address, and a new filter starts again on page 1', async () => {
    route.query = { page: '3' }
    const { list, fetch } = start({}, server(100))
    await settle()
    const kind = list.field('kind', 'all')
    expect(kind.value).toBe('all')
    kind.value = 'a'
    await settle()
    expect(list.filters.value).toEqual({ q: '', kind: 'a', page: 1, perPage: 25 })
    expect(router.replace).toHaveBeenLastCalledWith({ query: { kind: 'a' } })
    expect(fetch).toHaveBeenLastCalledWith({ q: '', kind: 'a', page: 1, perPage: 25 })

    list.turnPage(2)
    await settle()
    expect(router.replace).toHaveBeenLastCalledWith({ query: { kind: 'a', page: '2' } })
    expect(window.scrollTo).toHaveBeenCalledWith({ top: 0 })
    kind.value = 'all'
    list.setPerPage(50)
    await settle()
    expect(route.query).toEqual({ perPage: '50' })
  })

  it('asks for a search once typing pauses, or at once on Enter', async () => {
    const { list, fetch } = start()
    await settle()
    fetch.mockClear()
    list.search.value = 'an'
    await nextTick()
    await vi.advanceTimersByTimeAsync(200)
    list.search.value = 'ann'
    await nextTick()
    await vi.advanceTimersByTimeAsync(200)
    expect(fetch).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(100)
    expect(fetch).toHaveBeenCalledExactlyOnceWith({ q: 'ann', kind: '', page: 1, perPage: 25 })
    expect(route.query).toEqual({ q: 'ann' })

    // The same question with a space more is not asked again.
    list.search.value = 'ann '
    await nextTick()
    await vi.advanceTimersByTimeAsync(300)
    expect(fetch).toHaveBeenCalledTimes(1)

    list.search.value = 'boris'
    list.searchNow()
    await settle()
    expect(fetch).toHaveBeenLastCalledWith({ q: 'boris', kind: '', page: 1, perPage: 25 })
    // Enter asked already: the pause asks nothing more.
    await vi.advanceTimersByTimeAsync(400)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('follows the address (back, forward, a link), search field included', async () => {
    const { list, fetch } = start({}, server(100))
    await settle()
    route.query = { q: 'zoe', page: '2' }
    await settle()
    expect(list.filters.value).toEqual({ q: 'zoe', kind: '', page: 2, perPage: 25 })
    expect(list.search.value).toBe('zoe')
    expect(fetch).toHaveBeenLastCalledWith({ q: 'zoe', kind: '', page: 2, perPage: 25 })
    // Setting the field from the address asks nothing once the pause is over.
    await vi.advanceTimersByTimeAsync(400)
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(router.replace).not.toHaveBeenCalled()
  })

  it('stands still while the router leaves for another page', async () => {
    const { list, fetch } = start()
    await settle()
    route.name = 'elsewhere'
    route.query = { q: 'other' }
    await settle()
    expect(list.filters.value.q).toBe('')
    list.update({ kind: 'a' })
    await settle()
    expect(router.replace).not.toHaveBeenCalled()
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('reads no filter the viewer has not', async () => {
    route.query = { kind: 'a', q: 'x' }
    const { list } = start({ ignore: () => ['kind'] })
    expect(list.filters.value).toEqual({ q: 'x', kind: '', page: 1, perPage: 25 })
  })

  it('turns a page past the end back to the last one there is', async () => {
    route.query = { page: '9' }
    const { list, fetch } = start({}, server(30))
    await settle()
    await settle()
    expect(list.pages.value).toBe(2)
    expect(list.filters.value.page).toBe(2)
    expect(fetch).toHaveBeenLastCalledWith({ q: '', kind: '', page: 2, perPage: 25 })
    expect(route.query).toEqual({ page: '2' })
  })

  it('shows only the answer to the latest question', async () => {
    const slow = deferred<Page<string>>()
    const fetch = server()
    fetch.mockReturnValueOnce(slow.promise)
    const { list } = start({}, fetch)
    list.update({ kind: 'b' })
    await settle()
    expect(list.items.value).toEqual(['b1'])
    slow.resolve({ items: ['old'], total: 1 })
    await settle()
    expect(list.items.value).toEqual(['b1'])
    expect(list.shown.value?.kind).toBe('b')
  })

  it('tells a search that found nothing, and clears it', async () => {
    route.query = { q: 'nobody', kind: 'a', perPage: '50' }
    const { list } = start({ isSearch: (f) => f.q !== '' || f.kind !== '', clear: { kind: '' } }, server(0))
    await settle()
    expect(list.searched.value).toBe(true)
    list.clearAll()
    // Until the answer comes, "nothing matches" still speaks of the search shown.
    expect(list.searched.value).toBe(true)
    await settle()
    expect(list.searched.value).toBe(false)
    expect(list.search.value).toBe('')
    expect(list.filters.value).toEqual({ q: '', kind: '', page: 1, perPage: 50 })
  })

  it('keeps the state of a list inside a page to itself, and starts again on page 1 when filters held elsewhere change', async () => {
    route.query = { page: '4' }
    const other = ref('x')
    const fetch = vi.fn((q: { page: number; other: string }) => Promise.resolve({ items: [`${q.other}${q.page}`], total: 50 }))
    const list = run(() =>
      useListPage({ state: paging(10), ask: (f) => ({ page: f.page, other: other.value }), fetch, also: () => other.value, scroll: false }),
    )
    await settle()
    expect(list.filters.value).toEqual({ page: 1, perPage: 10 })
    list.turnPage(3)
    await settle()
    expect(list.items.value).toEqual(['x3'])
    expect(window.scrollTo).not.toHaveBeenCalled()
    other.value = 'y'
    await settle()
    expect(list.filters.value.page).toBe(1)
    expect(fetch).toHaveBeenLastCalledWith({ page: 1, other: 'y' })
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(router.replace).not.toHaveBeenCalled()
  })
})
