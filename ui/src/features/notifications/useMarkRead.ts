// Marking notifications read, the same in the bell's panel and on the page: one opened is
// marked at once (a failure leaves it unread, nothing more; the server tells every open page
// the new count), all at once with a busy button. Viewing as someone, nothing is marked.
import { computed, ref, type Ref } from 'vue'
import { asApiError } from '@/api/client'
import { useLive } from '@/stores/live'
import { useNotify } from '@/stores/notify'
import { useSession } from '@/stores/session'
import { readAllNotifications, readNotification, type Notification } from './api'

export function useMarkRead(items: Ref<Notification[]>, allRead?: () => void) {
  const live = useLive()
  const notify = useNotify()
  const session = useSession()
  const viewing = computed(() => !!session.viewing)

  function opened(n: Notification) {
    if (n.read || viewing.value) return
    n.read = true
    live.unread = Math.max(0, live.unread - 1)
    readNotification(n.id).catch(() => undefined)
  }

  const marking = ref(false)
  async function markAll() {
    marking.value = true
    try {
      await readAllNotifications()
      for (const n of items.value) n.read = true
      live.unread = 0
      allRead?.()
    } catch (e) {
      const err = asApiError(e)
      if (!err.handled) notify.error(err.detail)
    } finally {
      marking.value = false
    }
  }

  return { viewing, opened, marking, markAll }
}
