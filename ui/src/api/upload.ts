// Uploads with progress. fetch cannot say how much of a request's body has gone, so the one
// request of the SPA that sends a file with a progress bar goes by XMLHttpRequest, here beside
// the client: with the client's headers, and through call, so that its failures become the
// same ApiError (the server's translated message), a session that ended is handled as for
// any other call, and a password asked again repeats the upload once.
import { currentLocale } from '@/i18n'
import { call } from './client'
import type { paths } from './schema'

type UploadOperation = paths['/drives/{drive}/files']['put']
/** Where a file goes: its name, the folder (parent) and folders under it to make (path). */
export type UploadQuery = UploadOperation['parameters']['query']
/** The drive's item the file became (or got a new version of). */
export type Uploaded = UploadOperation['responses'][201]['content']['application/json']

export interface UploadOptions {
  /** Told how many bytes of the file have gone, and of how many. */
  onProgress?: (sent: number, total: number) => void
  /** Aborting it cancels the upload: uploadFile then rejects with an AbortError. */
  signal?: AbortSignal
}

/** uploadUrl is the address a file is sent to: empty query fields are left out. */
export function uploadUrl(drive: string, query: UploadQuery): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v)
  return `/api/v1/drives/${encodeURIComponent(drive)}/files?${params.toString()}`
}

/** The shape call expects of a request's outcome. */
interface Outcome {
  data?: Uploaded
  error?: unknown
  response: Response
}

const aborted = () => new DOMException('The upload was cancelled.', 'AbortError')

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

// send is one try: it resolves with the server's answer, whatever its status, and rejects
// when no answer came (the network failed, or the upload was cancelled).
function send(url: string, file: Blob, options: UploadOptions): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const { signal, onProgress } = options
    if (signal?.aborted) return reject(aborted())
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    // The CSRF guard refuses a state-changing request without this header.
    xhr.setRequestHeader('X-Annex-Client', '1')
    xhr.setRequestHeader('Accept-Language', currentLocale())
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size)
    const stop = () => xhr.abort()
    signal?.addEventListener('abort', stop, { once: true })
    const settle = () => signal?.removeEventListener('abort', stop)
    xhr.onload = () => {
      settle()
      if (xhr.status < 200 || xhr.status > 599) return reject(new TypeError('no answer'))
      const body = parse(xhr.responseText)
      const ok = xhr.status >= 200 && xhr.status < 300
      if (ok) onProgress?.(file.size, file.size)
      resolve({ data: ok ? (body as Uploaded) : undefined, error: ok ? undefined : body, response: new Response(null, { status: xhr.status }) })
    }
    xhr.onerror = xhr.ontimeout = () => {
      settle()
      reject(new TypeError('network'))
    }
    xhr.onabort = () => {
      settle()
      reject(aborted())
    }
    xhr.send(file)
  })
}

/**
 * uploadFile sends file into a drive, reporting its progress, and resolves with the item it
 * became; it throws an ApiError when the server refuses it or cannot be reached, and an
 * AbortError when options.signal cancelled it.
 */
export async function uploadFile(drive: string, query: UploadQuery, file: Blob, options: UploadOptions = {}): Promise<Uploaded> {
  const url = uploadUrl(drive, query)
  try {
    return await call(() => send(url, file, options))
  } catch (e) {
    // call reports any request that got no answer as a network failure: a cancel is not one.
    if (options.signal?.aborted) throw aborted()
    throw e
  }
}
