import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useServerSearch, type ServerSearchOptions } from './useServerSearch'

const flush = async () => {
  await nextTick()
  await Promise.resolve()
  await Promise.resolve()
}

function start(options: ServerSearchOptions) {
  const ask = vi.fn((q: string) => Promise.resolve({ items: [q], total: 1 }))
  const scope = effectScope()
  const s = scope.run(() => useServerSearch(ask, options))!
  return { s, ask, stop: () => scope.stop() }
}

describe('useServerSearch', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('does not ask again for text it is told to ignore', async () => {
    const { s, ask, stop } = start({ ignore: (q) => q === 'chosen' })
    await flush()
    ask.mockClear()
    s.search.value = 'chosen'
    await nextTick()
    vi.advanceTimersByTime(300)
    expect(ask).not.toHaveBeenCalled()
    s.search.value = 'other'
    await nextTick()
    vi.advanceTimersByTime(300)
    await flush()
    expect(ask).toHaveBeenCalledWith('other')
    expect(s.found.value).toEqual(['other'])
    stop()
  })

  it('asks again at once when what it also depends on changes', async () => {
    const kind = ref('a')
    const { ask, stop } = start({ asks: () => kind.value })
    await flush()
    ask.mockClear()
    kind.value = 'b'
    await flush()
    expect(ask).toHaveBeenCalledTimes(1)
    stop()
  })
})
