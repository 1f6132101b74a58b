import { defineStore } from 'pinia'
import { computed, getCurrentScope, onScopeDispose, ref, watch } from 'vue'
import { call, client } from '@/api/client'
import { useSession } from './session'

/** The address of the server's event stream (GET /events, Server-Sent Events). */
export const eventsUrl = '/api/v1/events'

/** How long to wait before opening the stream again ourselves, after failures in a row: 2 s, doubling, at most a minute. */
export function retryDelay(failures: number): number {
  return Math.min(60_000, 2000 * 2 ** Math.max(0, failures - 1))
}

type TaskHandler = (id: string) => void
interface Listener {
  handler: TaskHandler
  only?: () => string
}

/**
 * useLive is the one event stream of the tab, open while someone is signed in
 * (docs/notifications.md): the unread notifications for the bell, and news of tasks that
 * changed, for the pages that show them (onTaskChanged). The news only says what changed;
 * the pages read it again through the API as always.
 *
 * The browser reopens a stream that ended by itself (every few minutes). One it gave up on
 * (an error answer) or that keeps failing is closed and opened again here, ever more slowly;
 * meanwhile the unread count is asked for now and then, which also notices a session that ended.
 */
export const useLive = defineStore('live', () => {
  const session = useSession()
  /** My unread notifications, as the server last said. */
  const unread = ref(0)
  /** Goes up each time the server says my notifications changed (one came, some were read): lists of them read again. */
  const notificationsChanged = ref(0)
  /** The stream is open and has said hello. */
  const connected = ref(false)

  const listeners = new Set<Listener>()
  let source: EventSource | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  // Failures since the stream last said hello.
  let failures = 0
  // A stream said hello since start(): the next hello follows a break, in which news may have been missed.
  let greeted = false

  function count(e: Event): number | undefined {
    try {
      const n = (JSON.parse((e as MessageEvent<string>).data) as { unread?: unknown }).unread
      return typeof n === 'number' && n >= 0 ? n : undefined
    } catch {
      return undefined
    }
  }

  function emit(id: string) {
    for (const l of [...listeners]) if (!l.only || l.only() === id) l.handler(id)
  }

  // After a break every page reads its tasks again: it may have missed news of them.
  function resync() {
    for (const l of [...listeners]) l.handler(l.only ? l.only() : '')
  }

  function open() {
    if (typeof EventSource === 'undefined') {
      void refreshUnread()
      return
    }
    const es = new EventSource(eventsUrl)
    source = es
    es.addEventListener('hello', (e) => {
      const resumed = greeted
      greeted = true
      failures = 0
      connected.value = true
      const n = count(e)
      if (n !== undefined) unread.value = n
      notificationsChanged.value++
      if (resumed) resync()
    })
    es.addEventListener('notification', (e) => {
      const n = count(e)
      if (n !== undefined) unread.value = n
      notificationsChanged.value++
    })
    es.addEventListener('task', (e) => {
      try {
        const id = (JSON.parse((e as MessageEvent<string>).data) as { id?: unknown }).id
        if (typeof id === 'string' && id) emit(id)
      } catch {
        // Not news we understand: nothing to do.
      }
    })
    es.onerror = () => {
      connected.value = false
      failures++
      // The first failure of an open stream is usually its planned end: the browser reopens it
      // in two seconds. If it gave up, or the reopening fails too, take over with a slower pace.
      if (es.readyState !== EventSource.CLOSED && failures < 2) return
      es.close()
      if (source === es) source = undefined
      schedule()
    }
  }

  function schedule() {
    clearTimeout(retry)
    retry = setTimeout(() => {
      retry = undefined
      if (!listener.value) return
      void refreshUnread()
      open()
    }, retryDelay(failures))
  }

  /** refreshUnread asks for the unread count; a session that ended is noticed on the way (and signed out). */
  async function refreshUnread() {
    try {
      const page = await call(() => client.GET('/notifications', { params: { query: { unread: true, perPage: 1 } } }))
      unread.value = page.unread
    } catch {
      // The stream or the next try will tell.
    }
  }

  function start() {
    greeted = false
    failures = 0
    open()
  }

  function stop() {
    clearTimeout(retry)
    retry = undefined
    source?.close()
    source = undefined
    connected.value = false
    unread.value = 0
  }

  /**
   * Whose news the stream brings: the person signed in (or viewed as), unless they must first
   * replace a temporary password or set up two-factor (the server opens nothing else to them).
   */
  const listener = computed(() => {
    const me = session.me
    if (!me || (!me.viewedBy && (me.mustChangePassword || session.mustEnrol))) return ''
    return me.id
  })
  /** The bell and the stream are there for someone. */
  const enabled = computed(() => listener.value !== '')

  // One stream per person: another person, another stream; nobody, none.
  watch(
    listener,
    (id) => {
      stop()
      if (id) start()
    },
    { immediate: true },
  )

  // Back online: try at once rather than at the end of a long wait.
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => {
      if (retry && listener.value) {
        clearTimeout(retry)
        retry = undefined
        open()
      }
    })
  }

  /**
   * onTaskChanged calls handler with a task's id when the server says it changed; with only,
   * for that task alone (only() is its id). After a break in the stream it is called too (with
   * only()'s id, or ''), as anything may have changed meanwhile. Called from a component's setup,
   * it stops with the component; it also returns a function that stops it.
   */
  function onTaskChanged(handler: TaskHandler, only?: () => string): () => void {
    const listener: Listener = { handler, only }
    listeners.add(listener)
    const off = () => void listeners.delete(listener)
    if (getCurrentScope()) onScopeDispose(off)
    return off
  }

  return { unread, notificationsChanged, connected, enabled, onTaskChanged, refreshUnread }
})
