import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounce } from './debounce'

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('runs once, after the last call of a burst', () => {
    const fn = vi.fn()
    const run = debounce(fn, 300)
    run()
    vi.advanceTimersByTime(200)
    run()
    vi.advanceTimersByTime(299)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fn).toHaveBeenCalledOnce()
    vi.advanceTimersByTime(1000)
    expect(fn).toHaveBeenCalledOnce()
  })

  it('drops a pending run when cancelled', () => {
    const fn = vi.fn()
    const run = debounce(fn, 300)
    run()
    run.cancel()
    vi.advanceTimersByTime(1000)
    expect(fn).not.toHaveBeenCalled()
    run()
    vi.advanceTimersByTime(300)
    expect(fn).toHaveBeenCalledOnce()
  })
})
