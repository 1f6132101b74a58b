import { computed, onScopeDispose, ref } from 'vue'
import { asApiError } from '@/api/client'
import type { DriveItem } from '@/api/types'
import { uploadFile } from '@/api/upload'
import { createUploadQueue, summarise, type Upload } from './uploadQueue'

/** A snapshot of one upload, for the page to show. */
export type UploadView = Upload<DriveItem>

/** Refused is an upload the page turned down before sending it, with its words. */
class Refused extends Error {}

/**
 * useUploads keeps the page's upload queue: two files at a time, each with its progress,
 * cancellable, its failure in the server's words. settled hears of each upload that is over.
 * refuse names why a file would be refused (too large) in the server's words, '' if it would
 * not: such a file fails at once, without a byte sent. While uploads are under way, closing or
 * reloading the tab asks first.
 */
export function useUploads(settled: (upload: UploadView) => void, refuse: (file: File) => string = () => '') {
  // The queue's uploads are plain objects it changes itself: the page sees them through a
  // snapshot taken at each change.
  const changes = ref(0)
  const queue = createUploadQueue<DriveItem>({
    send: (u, progress, signal) => {
      const why = refuse(u.file)
      if (why) return Promise.reject(new Refused(why))
      return uploadFile(u.target.drive, { name: u.file.name, parent: u.target.parent, path: u.path }, u.file, {
        onProgress: (sent) => progress(sent),
        signal,
      })
    },
    reason: (e) => {
      if (e instanceof Refused) return e.message
      const err = asApiError(e)
      return err.handled ? '' : [err.detail, ...Object.values(err.fields)].join(' ')
    },
    changed: () => changes.value++,
    settled,
  })

  const uploads = computed<UploadView[]>(() => {
    void changes.value
    return queue.uploads.map((u) => ({ ...u }))
  })
  const summary = computed(() => summarise(uploads.value))

  const warn = (e: BeforeUnloadEvent) => {
    if (summary.value.active) e.preventDefault()
  }
  window.addEventListener('beforeunload', warn)
  onScopeDispose(() => {
    window.removeEventListener('beforeunload', warn)
    queue.cancelAll()
  })

  return {
    uploads,
    summary,
    add: queue.add,
    cancel: queue.cancel,
    cancelAll: queue.cancelAll,
    retry: queue.retry,
    clearFinished: queue.clearFinished,
  }
}
