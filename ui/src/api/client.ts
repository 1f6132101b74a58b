// The one typed API client: the only place in the SPA that calls fetch.
import createClient from 'openapi-fetch'
import { currentLocale, errorText } from '@/i18n'
import type { paths } from './schema'

/** ApiError is every failed call: a problem+json answer, or code "network" (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** A message ready to show: the server's translated detail, else our catalogue's. */
    readonly detail: string,
    /** Field name (the location without "body.") → message to show next to that field. */
    readonly fields: Record<string, string> = {},
  ) {
    super(`${status} ${code}`)
    this.name = 'ApiError'
  }

  /** The session ended while the call was under way and the person is sent to sign in: show nothing more. */
  handled = false
}

/** Translate looks up a stable error code in the UI catalogue. */
export type Translate = (code: string) => string | undefined

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** toApiError maps an RFC 9457 problem body (with our code and errors[]) to an ApiError. */
export function toApiError(status: number, body: unknown, translate: Translate): ApiError {
  const problem = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  const code = text(problem.code) || 'unknown'
  const fields: Record<string, string> = {}
  if (Array.isArray(problem.errors)) {
    for (const item of problem.errors as unknown[]) {
      if (item === null || typeof item !== 'object') continue
      const e = item as Record<string, unknown>
      const name = text(e.location).replace(/^body\.?/, '')
      if (!name || fields[name]) continue
      fields[name] = text(e.message) || translate(text(e.code)) || translate('invalid') || ''
    }
  }
  const detail =
    text(problem.detail) || translate(code) || text(problem.title) || translate('unknown') || ''
  return new ApiError(status, code, detail, fields)
}

const translate: Translate = (code) => (code ? errorText(code) : undefined)

export const client = createClient<paths>({
  baseUrl: '/api/v1',
  credentials: 'same-origin',
  // The CSRF guard refuses state-changing requests without this header.
  headers: { 'X-Annex-Client': '1' },
})

client.use({
  onRequest({ request }) {
    request.headers.set('Accept-Language', currentLocale())
  },
})

type Outcome = { data?: unknown; error?: unknown; response: Response }

let reauthenticate: (() => Promise<boolean>) | undefined
let sessionEnded: (() => boolean) | undefined
// How often the session has ended under us: a call that sees it change shows no error.
let sessionEnds = 0
// How many sessions this tab has opened: a 401 to a call sent before the latest one speaks
// of the session that was, not of the one just opened.
let sessionStarts = 0

/** sessionStarted records that a new session was opened (sign-in, registration, reset). */
export function sessionStarted() {
  sessionStarts++
}

/**
 * onReauthRequired registers what to do when the server asks for the password again
 * (403 reauth_required): resolve true once /auth/confirm succeeded, false if the user gave up.
 */
export function onReauthRequired(handler: () => Promise<boolean>) {
  reauthenticate = handler
}

/**
 * onSessionEnded registers what to do when the server no longer knows the session
 * (401 unauthenticated: expired, or signed out elsewhere): return true if someone was
 * signed in and is now sent to the sign-in page, false if there was no session to end.
 */
export function onSessionEnded(handler: () => boolean) {
  sessionEnded = handler
}

export interface CallOptions {
  /** A 401 unauthenticated is the caller's to handle, not a session that ended (sign-out). */
  ownUnauthenticated?: boolean
}

/**
 * call runs one request built by send and returns its data, or throws an ApiError.
 * A 403 reauth_required asks for the password and then repeats the request once.
 * A 401 unauthenticated ends the session (see onSessionEnded).
 */
export async function call<R extends Outcome>(
  send: () => Promise<R>,
  options: CallOptions = {},
): Promise<NonNullable<R['data']>> {
  const ends = sessionEnds
  const starts = sessionStarts
  for (let attempt = 0; ; attempt++) {
    let outcome: R
    try {
      outcome = await send()
    } catch {
      throw new ApiError(0, 'network', translate('network') ?? '')
    }
    const { data, error, response } = outcome
    if (response.ok) return data as NonNullable<R['data']>
    const err = toApiError(response.status, error, translate)
    if (err.status === 401 && err.code === 'unauthenticated' && starts !== sessionStarts) {
      err.handled = true
      throw err
    } else if (err.status === 401 && err.code === 'unauthenticated' && !options.ownUnauthenticated && sessionEnded?.()) {
      sessionEnds++
    } else if (err.status === 403 && err.code === 'reauth_required' && attempt === 0 && reauthenticate) {
      if (await reauthenticate()) continue
    }
    err.handled = sessionEnds !== ends
    throw err
  }
}

/** asApiError turns anything caught into an ApiError, so callers handle one shape. */
export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  console.error(e)
  return new ApiError(0, 'unknown', translate('unknown') ?? '')
}
