import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick } from 'vue'
import type { Me } from '@/api/types'
import { retryDelay, useLive } from './live'
import { useSession } from './session'

const call = vi.hoisted(() => vi.fn())
vi.mock('@/api/client', async (original) => ({ ...(await original<typeof import('@/api/client')>()), call }))

// A stand-in for the browser's EventSource: the test says what the server sends.
class FakeSource extends EventTarget {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSED = 2
  static all: FakeSource[] = []
  readyState = FakeSource.CONNECTING
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    super()
    FakeSource.all.push(this)
  }
  close() {
    this.readyState = FakeSource.CLOSED
  }
  send(event: string, data: unknown) {
    this.readyState = FakeSource.OPEN
    this.dispatchEvent(new MessageEvent(event, { data: JSON.stringify(data) }))
  }
  fail(state: number) {
    this.readyState = state
    this.onerror?.()
  }
}
const open = () => FakeSource.all.filter((s) => s.readyState !== FakeSource.CLOSED)

const anna = {
  id: 'u1', name: 'Anna', email: 'anna@example.com', locale: 'en', mustChangePassword: false, twoFactor: { required: false, enabled: false },
} as Me

describe('the live stream', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    FakeSource.all = []
    vi.stubGlobal('EventSource', FakeSource)
    vi.useFakeTimers()
    call.mockReset()
    call.mockResolvedValue({ unread: 7, items: [], total: 7, page: 1, perPage: 1 })
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  async function signedIn() {
    const session = useSession()
    session.me = anna
    const live = useLive()
    await nextTick()
    return { session, live }
  }

  it('opens one stream while someone is signed in, and closes it on sign-out', async () => {
    const { session, live } = await signedIn()
    expect(open()).toHaveLength(1)
    expect(open()[0]!.url).toBe('/api/v1/events')
    open()[0]!.send('hello', { unread: 3 })
    expect(live.unread).toBe(3)
    open()[0]!.send('notification', { unread: 4 })
    expect(live.unread).toBe(4)
    expect(live.notificationsChanged).toBe(2)
    session.me = null
    await nextTick()
    expect(open()).toHaveLength(0)
    expect(live.unread).toBe(0)
  })

  it('tells each page of the tasks it shows, and stops with the page', async () => {
    const { live } = await signedIn()
    const any = vi.fn()
    const one = vi.fn()
    const scope = effectScope()
    scope.run(() => {
      live.onTaskChanged(any)
      live.onTaskChanged(one, () => 't1')
    })
    const source = open()[0]!
    source.send('hello', { unread: 0 })
    source.send('task', { id: 't2' })
    source.send('task', { id: 't1' })
    source.send('task', 'nonsense')
    expect(any.mock.calls).toEqual([['t2'], ['t1']])
    expect(one.mock.calls).toEqual([['t1']])
    scope.stop()
    source.send('task', { id: 't1' })
    expect(any).toHaveBeenCalledTimes(2)
    expect(one).toHaveBeenCalledTimes(1)
  })

  it('lets the browser reopen a stream that ended, and has every page read again after the break', async () => {
    const { live } = await signedIn()
    const one = vi.fn()
    live.onTaskChanged(one, () => 't1')
    const first = open()[0]!
    first.send('hello', { unread: 0 })
    expect(one).not.toHaveBeenCalled()
    first.fail(FakeSource.CONNECTING)
    expect(live.connected).toBe(false)
    expect(FakeSource.all).toHaveLength(1)
    // The browser's own retry succeeded: news may have been missed meanwhile.
    first.send('hello', { unread: 1 })
    expect(one.mock.calls).toEqual([['t1']])
    expect(live.connected).toBe(true)
  })

  it('opens the stream again itself, ever more slowly, when the browser gives up, and asks for the count meanwhile', async () => {
    await signedIn()
    const first = open()[0]!
    first.fail(FakeSource.CLOSED)
    expect(open()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(retryDelay(1))
    expect(call).toHaveBeenCalledTimes(1)
    expect(open()).toHaveLength(1)
    open()[0]!.fail(FakeSource.CONNECTING)
    // Failing twice in a row: no longer left to the browser.
    expect(open()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(retryDelay(2) - 1)
    expect(open()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(open()).toHaveLength(1)
    expect(useLive().unread).toBe(7)
  })

  it('waits longer after each failure, at most a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelay)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
  })

  it('opens none for someone who must first replace a temporary password or set up two-factor', async () => {
    const session = useSession()
    session.me = { ...anna, mustChangePassword: true, twoFactor: { required: false, enabled: false } } as Me
    const live = useLive()
    await nextTick()
    expect(live.enabled).toBe(false)
    session.me = { ...anna, mustChangePassword: false, twoFactor: { required: true, enabled: false } } as Me
    await nextTick()
    expect(FakeSource.all).toHaveLength(0)
    session.me = { ...anna, mustChangePassword: false, twoFactor: { required: true, enabled: true } } as Me
    await nextTick()
    expect(live.enabled).toBe(true)
    expect(open()).toHaveLength(1)
  })

  it('stops trying once nobody is signed in', async () => {
    const { session } = await signedIn()
    open()[0]!.fail(FakeSource.CLOSED)
    session.me = null
    await nextTick()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(FakeSource.all).toHaveLength(1)
  })
})
