import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { ApiError } from '@/api/client'
import type { PeoplePage, Person } from '@/api/types'
import { apiQuery, noFilters, type PeopleFilters } from '@/features/people/filters'
import { usePagedList } from './usePagedList'

const listPeople = vi.fn()

const anna: Person = { id: 'u1', name: 'Anna', email: 'anna@example.com', kind: 'employee', position: '', company: '', phone: '', timeZone: '', photo: '', admin: false, active: true }
const boris: Person = { ...anna, id: 'u2', name: 'Boris', email: 'boris@example.com' }

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

const flush = () => new Promise((r) => setTimeout(r))

function start(initial: PeopleFilters = noFilters) {
  const filters = ref(initial)
  const scope = effectScope()
  const list = scope.run(() => usePagedList(() => filters.value, apiQuery, listPeople))!
  return { filters, list, stop: () => scope.stop() }
}

describe('usePagedList', () => {
  afterEach(() => listPeople.mockReset())

  it('loads the page of the filters, and again when they change', async () => {
    listPeople.mockResolvedValue({ items: [anna], total: 1, page: 1, perPage: 25 } satisfies PeoplePage)
    const { filters, list, stop } = start()
    expect(list.loading.value).toBe(true)
    await flush()
    expect(listPeople).toHaveBeenLastCalledWith({ page: 1, perPage: 25 })
    expect(list.items.value).toEqual([anna])
    expect(list.total.value).toBe(1)
    expect(list.shown.value).toEqual(noFilters)
    expect(list.loading.value).toBe(false)

    const next = deferred<PeoplePage>()
    listPeople.mockReturnValueOnce(next.promise)
    filters.value = { ...noFilters, q: 'an', kind: 'external' }
    await nextTick()
    // Until the answer comes, the list shown still belongs to the old filters.
    expect(list.loading.value).toBe(true)
    expect(list.shown.value).toEqual(noFilters)
    expect(list.items.value).toEqual([anna])
    next.resolve({ items: [], total: 0, page: 1, perPage: 25 })
    await flush()
    expect(list.shown.value).toEqual({ ...noFilters, q: 'an', kind: 'external' })
    expect(listPeople).toHaveBeenLastCalledWith({ q: 'an', kind: 'external', page: 1, perPage: 25 })
    expect(listPeople).toHaveBeenCalledTimes(2)
    stop()
  })

  it('takes a missing list as empty', async () => {
    listPeople.mockResolvedValue({ items: null, total: 0, page: 1, perPage: 25 } satisfies PeoplePage)
    const { list, stop } = start()
    await flush()
    expect(list.items.value).toEqual([])
    expect(list.shown.value).toEqual(noFilters)
    stop()
  })

  it('shows only the answer to the latest question', async () => {
    const slow = deferred<PeoplePage>()
    const fast = deferred<PeoplePage>()
    listPeople.mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise)
    const { filters, list, stop } = start()
    filters.value = { ...noFilters, q: 'bo' }
    await nextTick()
    fast.resolve({ items: [boris], total: 1, page: 1, perPage: 25 })
    await flush()
    expect(list.loading.value).toBe(false)
    slow.resolve({ items: [anna, boris], total: 2, page: 1, perPage: 25 })
    await flush()
    expect(list.items.value).toEqual([boris])
    expect(list.total.value).toBe(1)
    expect(list.shown.value?.q).toBe('bo')
    stop()
  })

  it('says in words why loading failed, and loads again on reload', async () => {
    listPeople.mockRejectedValueOnce(
      new ApiError(422, 'invalid', 'Some fields need attention.', { 'query.q': 'This is too long.' }),
    )
    const { list, stop } = start()
    await flush()
    expect(list.error.value).toBe('Some fields need attention. This is too long.')
    expect(list.loading.value).toBe(false)

    listPeople.mockResolvedValueOnce({ items: [anna], total: 1, page: 1, perPage: 25 })
    await list.reload()
    expect(list.error.value).toBe('')
    expect(list.items.value).toEqual([anna])
    stop()
  })

  it('says nothing when the session ended under the call', async () => {
    const err = new ApiError(401, 'unauthenticated', 'Please sign in.')
    err.handled = true
    listPeople.mockRejectedValueOnce(err)
    const { list, stop } = start()
    await flush()
    expect(list.error.value).toBe('')
    stop()
  })
})
