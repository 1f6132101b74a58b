import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from './client'
import { uploadFile, uploadUrl } from './upload'

// A stand-in for the browser's XMLHttpRequest: it records what was sent, and the test
// answers it (progress, an answer, a failure) as the network would.
class FakeRequest {
  static last: FakeRequest
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: unknown
  status = 0
  responseText = ''
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  ontimeout: (() => void) | null = null
  onabort: (() => void) | null = null
  aborted = false

  constructor() {
    FakeRequest.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value
  }
  send(body: unknown) {
    this.body = body
  }
  abort() {
    this.aborted = true
    this.onabort?.()
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true })
  }
  answer(status: number, body: unknown) {
    this.status = status
    this.responseText = body === undefined ? '' : JSON.stringify(body)
    this.onload?.()
  }
}

const file = new File(['hello world'], 'hello.txt', { type: 'text/plain' })
const item = { id: 'f1', drive: 'me', parentId: '', kind: 'file', name: 'hello.txt', size: 11, contentType: 'text/plain', versions: 1 }
// The request is made once call has run its first step: wait for it.
const sent = () => new Promise((r) => setTimeout(r, 0))

beforeEach(() => {
  vi.stubGlobal('XMLHttpRequest', FakeRequest)
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('uploadUrl', () => {
  it('names the drive and leaves empty fields out', () => {
    expect(uploadUrl('me', { name: 'a b.txt', parent: '', path: '' })).toBe('/api/v1/drives/me/files?name=a+b.txt')
    expect(uploadUrl('g1', { name: 'Отчёт.pdf', parent: 'p1', path: 'Photos/2024' })).toBe(
      '/api/v1/drives/g1/files?name=%D0%9E%D1%82%D1%87%D1%91%D1%82.pdf&parent=p1&path=Photos%2F2024',
    )
  })
})

describe('uploadFile', () => {
  it('sends the file with the client’s headers and its type, and reports progress', async () => {
    const progress: [number, number][] = []
    const done = uploadFile('me', { name: 'hello.txt' }, file, { onProgress: (s, t) => progress.push([s, t]) })
    await sent()
    const xhr = FakeRequest.last
    expect(xhr.method).toBe('PUT')
    expect(xhr.url).toBe('/api/v1/drives/me/files?name=hello.txt')
    expect(xhr.headers['X-Annex-Client']).toBe('1')
    expect(xhr.headers['Accept-Language']).toMatch(/^(en|ru)$/)
    expect(xhr.headers['Content-Type']).toBe('text/plain')
    expect(xhr.body).toBe(file)
    xhr.progress(4, 11)
    xhr.answer(201, item)
    await expect(done).resolves.toEqual(item)
    expect(progress).toEqual([
      [4, 11],
      [11, 11],
    ])
  })

  it('says a file without a type is bytes', async () => {
    void uploadFile('me', { name: 'x' }, new File(['x'], 'x')).catch(() => undefined)
    await sent()
    expect(FakeRequest.last.headers['Content-Type']).toBe('application/octet-stream')
  })

  it('turns a refusal into an ApiError with the server’s message', async () => {
    const done = uploadFile('g1', { name: 'big.iso' }, file)
    await sent()
    FakeRequest.last.answer(413, { status: 413, code: 'file_too_large', detail: 'The file is larger than 1 MB.' })
    const err = await done.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 413, code: 'file_too_large', detail: 'The file is larger than 1 MB.' })
  })

  it('keeps the field errors of a refused name', async () => {
    const done = uploadFile('g1', { name: '..' }, file)
    await sent()
    FakeRequest.last.answer(422, {
      status: 422,
      code: 'invalid',
      detail: 'Some fields need attention.',
      errors: [{ location: 'query.name', code: 'drive_name_dots', message: 'A name cannot be "." or "..".' }],
    })
    await expect(done).rejects.toMatchObject({ status: 422, fields: { 'query.name': 'A name cannot be "." or "..".' } })
  })

  it('reports a failed network as such', async () => {
    const done = uploadFile('me', { name: 'hello.txt' }, file)
    await sent()
    FakeRequest.last.onerror?.()
    await expect(done).rejects.toMatchObject({ status: 0, code: 'network' })
  })

  it('cancels: the request is aborted and the promise rejects with an AbortError', async () => {
    const controller = new AbortController()
    const done = uploadFile('me', { name: 'hello.txt' }, file, { signal: controller.signal })
    await sent()
    const xhr = FakeRequest.last
    controller.abort()
    expect(xhr.aborted).toBe(true)
    await expect(done).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('sends nothing when cancelled before it started', async () => {
    const controller = new AbortController()
    controller.abort()
    const before = FakeRequest.last
    await expect(uploadFile('me', { name: 'hello.txt' }, file, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(FakeRequest.last).toBe(before)
  })
})
