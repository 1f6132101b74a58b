// The uploads of the Drive page, in a queue: the server takes only a few bodies at once from
// one person, so at most `concurrency` files go at a time and the rest wait their turn. Each
// can be cancelled (waiting or under way) and tried again; the queue sums their progress.
// It knows nothing of Vue or of HTTP: send does the sending, changed says that something
// moved, so that a page can show it.

export type UploadState = 'waiting' | 'uploading' | 'done' | 'failed' | 'cancelled'

/** Where files go: a drive ("me" or a group's id) and a folder of it ('' for its root). */
export interface UploadTarget {
  drive: string
  parent: string
}

export interface Upload<T> {
  readonly id: number
  readonly file: File
  /** The folders under the target's folder it goes in, separated by "/"; '' for none. */
  readonly path: string
  readonly target: UploadTarget
  state: UploadState
  /** Bytes sent so far. */
  sent: number
  /** Why it failed, in words; '' unless it did. */
  error: string
  /** What the server made of it, once done. */
  result?: T
}

/** send uploads one file, telling its progress, and stops when signal is aborted. */
export type Send<T> = (upload: Upload<T>, progress: (sent: number) => void, signal: AbortSignal) => Promise<T>

export interface QueueOptions<T> {
  send: Send<T>
  /** How many files go at once (2). */
  concurrency?: number
  /** Why a send failed, in words. */
  reason: (error: unknown) => string
  /** Something changed: a state, or progress. */
  changed?: () => void
  /** One upload is over: done, failed or cancelled. */
  settled?: (upload: Upload<T>) => void
}

/** The uploads of a queue summed up; the overall progress leaves out the failed and cancelled. */
export interface UploadSummary {
  count: number
  waiting: number
  uploading: number
  done: number
  failed: number
  cancelled: number
  /** Bytes sent and to send, of the uploads neither failed nor cancelled. */
  sent: number
  total: number
  /** 0 to 100. */
  percent: number
  /** Some are still waiting or under way. */
  active: boolean
}

const finished = (s: UploadState) => s === 'done' || s === 'failed' || s === 'cancelled'

/** summarise sums up uploads. */
export function summarise(uploads: readonly Pick<Upload<unknown>, 'state' | 'sent' | 'file'>[]): UploadSummary {
  const s: UploadSummary = { count: uploads.length, waiting: 0, uploading: 0, done: 0, failed: 0, cancelled: 0, sent: 0, total: 0, percent: 0, active: false }
  for (const u of uploads) {
    s[u.state]++
    if (u.state === 'failed' || u.state === 'cancelled') continue
    s.total += u.file.size
    s.sent += u.state === 'done' ? u.file.size : Math.min(u.sent, u.file.size)
  }
  s.active = s.waiting + s.uploading > 0
  const counted = s.count - s.failed - s.cancelled
  if (s.total > 0) s.percent = Math.floor((s.sent * 100) / s.total)
  else s.percent = counted > 0 && !s.active ? 100 : 0
  return s
}

/** uploadPercent is how far one upload has come, 0 to 100. */
export function uploadPercent(u: Pick<Upload<unknown>, 'state' | 'sent' | 'file'>): number {
  if (u.state === 'done') return 100
  if (u.file.size <= 0) return 0
  return Math.min(100, Math.floor((u.sent * 100) / u.file.size))
}

/** createUploadQueue makes an empty queue. */
export function createUploadQueue<T>(options: QueueOptions<T>) {
  const { send, reason, concurrency = 2, changed = () => undefined, settled = () => undefined } = options
  const uploads: Upload<T>[] = []
  const running = new Map<number, AbortController>()
  let nextId = 1

  async function run(u: Upload<T>) {
    const controller = new AbortController()
    running.set(u.id, controller)
    u.state = 'uploading'
    u.sent = 0
    u.error = ''
    changed()
    try {
      u.result = await send(
        u,
        (sent) => {
          if (u.state !== 'uploading') return
          u.sent = sent
          changed()
        },
        controller.signal,
      )
      u.state = 'done'
      u.sent = u.file.size
    } catch (e) {
      if (controller.signal.aborted) u.state = 'cancelled'
      else {
        u.state = 'failed'
        u.error = reason(e)
      }
    } finally {
      running.delete(u.id)
    }
    changed()
    settled(u)
    pump()
  }

  // Starts waiting uploads, in the order they were added, while there is room.
  function pump() {
    for (const u of uploads) {
      if (running.size >= concurrency) return
      if (u.state === 'waiting' && !running.has(u.id)) void run(u)
    }
  }

  /** add queues files for target; they start as soon as there is room. */
  function add(files: readonly { file: File; path: string }[], target: UploadTarget): Upload<T>[] {
    const added = files.map((f) => ({ id: nextId++, file: f.file, path: f.path, target: { ...target }, state: 'waiting' as const, sent: 0, error: '' }))
    uploads.push(...added)
    changed()
    pump()
    return added
  }

  /** cancel stops an upload that is waiting or under way; one that is over stays as it is. */
  function cancel(id: number) {
    const u = uploads.find((x) => x.id === id)
    if (!u || finished(u.state)) return
    const controller = running.get(id)
    if (controller) {
      // It becomes "cancelled" once send has stopped.
      controller.abort()
      return
    }
    u.state = 'cancelled'
    changed()
    settled(u)
  }

  /** cancelAll cancels every upload that is not over. */
  function cancelAll() {
    // The waiting first, so that none starts in the room a cancelled one leaves.
    for (const u of uploads) if (u.state === 'waiting') cancel(u.id)
    for (const u of uploads) if (u.state === 'uploading') cancel(u.id)
  }

  /** retry queues again an upload that failed or was cancelled. */
  function retry(id: number) {
    const u = uploads.find((x) => x.id === id)
    if (!u || (u.state !== 'failed' && u.state !== 'cancelled')) return
    u.state = 'waiting'
    u.sent = 0
    u.error = ''
    changed()
    pump()
  }

  /** clearFinished forgets the uploads that are over. */
  function clearFinished() {
    const keep = uploads.filter((u) => !finished(u.state))
    uploads.splice(0, uploads.length, ...keep)
    changed()
  }

  return { uploads, add, cancel, cancelAll, retry, clearFinished, summary: () => summarise(uploads) }
}

export type UploadQueue<T> = ReturnType<typeof createUploadQueue<T>>
