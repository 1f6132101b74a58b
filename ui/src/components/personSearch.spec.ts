import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { ApiError } from '@/api/client'
import type { PeoplePage, Person } from '@/api/types'
import { usePersonSearch, type PickerFilters } from './personSearch'

const listPeople = vi.hoisted(() => vi.fn())
vi.mock('@/features/people/api', () => ({ listPeople }))

const anna: Person = { id: 'u1', name: 'Anna', email: 'anna@example.com', kind: 'employee', position: '', company: '', phone: '', timeZone: '', photo: '', admin: false, active: true }
const boris: Person = { ...anna, id: 'u2', name: 'Boris', email: 'boris@example.com' }

const page = (items: Person[], total = items.length): PeoplePage => ({ items, total, page: 1, perPage: 20 })

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((res) => (resolve = res))
  return { promise, resolve }
}

const flush = async () => {
  await nextTick()
  await Promise.resolve()
  await Promise.resolve()
}

function start(filters: PickerFilters = { kind: 'employee', active: 'true' }, exclude = ref<string[]>([])) {
  const scope = effectScope()
  const picker = scope.run(() => usePersonSearch(filters, { delay: 250, perPage: 20, exclude }))!
  return { picker, exclude, stop: () => scope.stop() }
}

describe('usePersonSearch', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    vi.useRealTimers()
    listPeople.mockReset()
  })

  it('offers the first people at once, with the filters given', async () => {
    listPeople.mockResolvedValue(page([anna, boris]))
    const { picker, stop } = start()
    expect(picker.loading.value).toBe(true)
    await flush()
    expect(listPeople).toHaveBeenCalledWith({ kind: 'employee', active: 'true', page: 1, perPage: 20 })
    expect(picker.items.value).toEqual([anna, boris])
    expect(picker.answered.value).toBe('')
    expect(picker.loading.value).toBe(false)
    stop()
  })

  it('asks once when typing pauses, with the text trimmed', async () => {
    listPeople.mockResolvedValue(page([anna, boris]))
    const { picker, stop } = start()
    await flush()
    listPeople.mockClear()
    listPeople.mockResolvedValue(page([anna]))
    for (const text of ['a', 'an', 'ann ']) {
      picker.search.value = text
      await nextTick()
      vi.advanceTimersByTime(100)
    }
    expect(listPeople).not.toHaveBeenCalled()
    vi.advanceTimersByTime(250)
    await flush()
    expect(listPeople).toHaveBeenCalledTimes(1)
    expect(listPeople).toHaveBeenCalledWith({ kind: 'employee', active: 'true', q: 'ann', page: 1, perPage: 20 })
    expect(picker.items.value).toEqual([anna])
    expect(picker.answered.value).toBe('ann')

    // Only spaces added: the same question is not asked again.
    picker.search.value = 'ann  '
    await nextTick()
    vi.advanceTimersByTime(300)
    expect(listPeople).toHaveBeenCalledTimes(1)
    stop()
  })

  it('shows only the answer to the latest question', async () => {
    const slow = deferred<PeoplePage>()
    const fast = deferred<PeoplePage>()
    listPeople.mockResolvedValueOnce(page([])).mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise)
    const { picker, stop } = start()
    await flush()
    picker.search.value = 'a'
    await nextTick()
    vi.advanceTimersByTime(250)
    picker.search.value = 'bo'
    await nextTick()
    vi.advanceTimersByTime(250)
    fast.resolve(page([boris]))
    await flush()
    slow.resolve(page([anna, boris]))
    await flush()
    expect(picker.items.value).toEqual([boris])
    expect(picker.answered.value).toBe('bo')
    expect(picker.loading.value).toBe(false)
    stop()
  })

  it('leaves out the people excluded, and tells when more match than were asked for', async () => {
    listPeople.mockResolvedValue(page([anna, boris], 41))
    const { picker, exclude, stop } = start()
    await flush()
    expect(picker.more.value).toBe(true)
    exclude.value = ['u1']
    expect(picker.items.value).toEqual([boris])
    stop()
  })

  it('says in words why the search failed', async () => {
    listPeople.mockRejectedValueOnce(new ApiError(0, 'network', 'Annex could not be reached.'))
    const { picker, stop } = start()
    await flush()
    expect(picker.error.value).toBe('Annex could not be reached.')
    expect(picker.items.value).toEqual([])
    listPeople.mockResolvedValueOnce(page([anna]))
    await picker.reload()
    expect(picker.error.value).toBe('')
    expect(picker.items.value).toEqual([anna])
    stop()
  })

  it('stops asking once its view is gone', async () => {
    listPeople.mockResolvedValue(page([]))
    const { picker, stop } = start()
    await flush()
    listPeople.mockClear()
    picker.search.value = 'anna'
    await nextTick()
    stop()
    vi.advanceTimersByTime(1000)
    expect(listPeople).not.toHaveBeenCalled()
  })
})
