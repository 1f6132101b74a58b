import { describe, expect, it } from 'vitest'
import { createUploadQueue, summarise, uploadPercent, type Send, type Upload } from './uploadQueue'

const file = (name: string, size: number) => new File([new Uint8Array(size)], name)
const target = { drive: 'g1', parent: 'p1' }
const tick = () => new Promise((r) => setTimeout(r, 0))

// A sender the test drives by hand: each upload under way waits until the test finishes it.
function manualSend() {
  const live = new Map<string, { progress: (n: number) => void; resolve: (v: string) => void; reject: (e: unknown) => void }>()
  const send: Send<string> = (u, progress, signal) =>
    new Promise((resolve, reject) => {
      live.set(u.file.name, { progress, resolve, reject })
      signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')))
    })
  return { send, live, names: () => [...live.keys()] }
}

const states = (uploads: Upload<string>[]) => uploads.map((u) => `${u.file.name}:${u.state}`)

describe('the upload queue', () => {
  it('sends at most two files at once, in order, starting the next as one ends', async () => {
    const s = manualSend()
    const settled: string[] = []
    const q = createUploadQueue({ send: s.send, reason: String, settled: (u) => settled.push(u.file.name) })
    q.add(['a', 'b', 'c', 'd'].map((n) => ({ file: file(n, 10), path: '' })), target)
    expect(states(q.uploads)).toEqual(['a:uploading', 'b:uploading', 'c:waiting', 'd:waiting'])
    expect(s.names()).toEqual(['a', 'b'])
    s.live.get('b')!.resolve('item-b')
    await tick()
    expect(states(q.uploads)).toEqual(['a:uploading', 'b:done', 'c:uploading', 'd:waiting'])
    expect(q.uploads[1]!.result).toBe('item-b')
    s.live.get('a')!.reject(new Error('refused'))
    await tick()
    expect(states(q.uploads)).toEqual(['a:failed', 'b:done', 'c:uploading', 'd:uploading'])
    expect(q.uploads[0]!.error).toBe('Error: refused')
    expect(settled).toEqual(['b', 'a'])
  })

  it('takes another concurrency', () => {
    const s = manualSend()
    const q = createUploadQueue({ send: s.send, reason: String, concurrency: 3 })
    q.add(['a', 'b', 'c', 'd'].map((n) => ({ file: file(n, 1), path: '' })), target)
    expect(s.names()).toEqual(['a', 'b', 'c'])
  })

  it('keeps each file’s folders and target', () => {
    const q = createUploadQueue({ send: manualSend().send, reason: String })
    const [u] = q.add([{ file: file('a.jpg', 1), path: 'Photos/2024' }], target)
    expect(u).toMatchObject({ path: 'Photos/2024', target })
  })

  it('cancels a waiting upload at once and one under way once it has stopped', async () => {
    const s = manualSend()
    const q = createUploadQueue({ send: s.send, reason: String })
    const [a, , c] = q.add(['a', 'b', 'c'].map((n) => ({ file: file(n, 10), path: '' })), target)
    q.cancel(c!.id)
    expect(states(q.uploads)).toEqual(['a:uploading', 'b:uploading', 'c:cancelled'])
    q.cancel(a!.id)
    await tick()
    expect(states(q.uploads)).toEqual(['a:cancelled', 'b:uploading', 'c:cancelled'])
    // The cancelled one did not start.
    expect(s.names()).toEqual(['a', 'b'])
  })

  it('cancels all that are not over, without starting the waiting ones', async () => {
    const s = manualSend()
    const q = createUploadQueue({ send: s.send, reason: String })
    q.add(['a', 'b', 'c', 'd'].map((n) => ({ file: file(n, 10), path: '' })), target)
    s.live.get('a')!.resolve('item-a')
    await tick()
    q.cancelAll()
    await tick()
    expect(states(q.uploads)).toEqual(['a:done', 'b:cancelled', 'c:cancelled', 'd:cancelled'])
    expect(s.names()).toEqual(['a', 'b', 'c'])
  })

  it('tries a failed or cancelled upload again, and clears those that are over', async () => {
    const s = manualSend()
    const q = createUploadQueue({ send: s.send, reason: () => 'The file is too large.' })
    const [a, b] = q.add(['a', 'b'].map((n) => ({ file: file(n, 10), path: '' })), target)
    s.live.get('a')!.reject(new Error('x'))
    q.cancel(b!.id)
    await tick()
    expect(q.uploads[0]!.error).toBe('The file is too large.')
    q.retry(a!.id)
    expect(states(q.uploads)).toEqual(['a:uploading', 'b:cancelled'])
    expect(q.uploads[0]!.error).toBe('')
    q.clearFinished()
    expect(states(q.uploads)).toEqual(['a:uploading'])
  })

  it('sums the progress of what is sent and to send', async () => {
    const s = manualSend()
    let changes = 0
    const q = createUploadQueue({ send: s.send, reason: String, changed: () => changes++ })
    q.add([{ file: file('a', 100), path: '' }, { file: file('b', 300), path: '' }, { file: file('c', 600), path: '' }], target)
    const before = changes
    s.live.get('a')!.progress(50)
    s.live.get('b')!.progress(150)
    expect(changes).toBe(before + 2)
    expect(q.summary()).toMatchObject({ count: 3, uploading: 2, waiting: 1, sent: 200, total: 1000, percent: 20, active: true })
    expect(uploadPercent(q.uploads[1]!)).toBe(50)
    s.live.get('a')!.resolve('item-a')
    await tick()
    // A failed file leaves the sum: what is left can still reach 100 %.
    s.live.get('b')!.reject(new Error('x'))
    await tick()
    expect(q.summary()).toMatchObject({ done: 1, failed: 1, uploading: 1, sent: 100, total: 700, percent: 14 })
    s.live.get('c')!.resolve('item-c')
    await tick()
    expect(q.summary()).toMatchObject({ sent: 700, total: 700, percent: 100, active: false })
  })
})

describe('summarise', () => {
  it('counts nothing in an empty queue', () => {
    expect(summarise([])).toMatchObject({ count: 0, percent: 0, active: false })
  })

  it('counts empty files as done once they are', () => {
    const empty = file('empty.txt', 0)
    expect(summarise([{ state: 'uploading', sent: 0, file: empty }]).percent).toBe(0)
    expect(summarise([{ state: 'done', sent: 0, file: empty }]).percent).toBe(100)
    expect(uploadPercent({ state: 'done', sent: 0, file: empty })).toBe(100)
  })

  it('never goes past what a file holds', () => {
    expect(summarise([{ state: 'uploading', sent: 20, file: file('a', 10) }]).percent).toBe(100)
    expect(uploadPercent({ state: 'uploading', sent: 20, file: file('a', 10) })).toBe(100)
  })
})
