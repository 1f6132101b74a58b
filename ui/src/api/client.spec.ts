import { describe, expect, it } from 'vitest'
import { ApiError, call, onReauthRequired, onSessionEnded, sessionStarted, toApiError, type Translate } from './client'

const catalogue: Record<string, string> = {
  unknown: 'Something went wrong.',
  invalid: 'Check this field.',
  required: 'Required.',
  bad_credentials: 'Wrong e-mail or password.',
}
const translate: Translate = (code) => catalogue[code]

describe('toApiError', () => {
  it('keeps status, code and the translated detail', () => {
    const err = toApiError(429, { status: 429, title: 'Too Many Requests', detail: 'Try again in 5 minutes.', code: 'throttled' }, translate)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 429, code: 'throttled', detail: 'Try again in 5 minutes.', fields: {} })
  })

  it('maps errors[] to fields named by their location without "body."', () => {
    const err = toApiError(
      422,
      {
        status: 422,
        title: 'Unprocessable Entity',
        detail: 'Please check the fields.',
        code: 'invalid',
        errors: [
          { location: 'body.email', code: 'invalid_email', message: 'Enter a valid e-mail.' },
          { location: 'body.smtp.host', code: 'required', message: 'Required here.' },
          { location: 'body.email', code: 'too_long', message: 'A second error for the same field.' },
          { location: 'body.password', code: 'required' },
        ],
      },
      translate,
    )
    expect(err.fields).toEqual({ email: 'Enter a valid e-mail.', 'smtp.host': 'Required here.', password: 'Required.' })
    expect(err.detail).toBe('Please check the fields.')
  })

  it('falls back to the catalogue when detail is missing', () => {
    expect(toApiError(401, { status: 401, code: 'bad_credentials' }, translate).detail).toBe('Wrong e-mail or password.')
    expect(toApiError(418, { status: 418, code: 'teapot', title: "I'm a teapot" }, translate).detail).toBe("I'm a teapot")
    expect(toApiError(418, { status: 418, code: 'teapot' }, translate).detail).toBe('Something went wrong.')
  })

  it('copes with bodies that are not problem details', () => {
    for (const body of ['<html>Bad gateway</html>', undefined, null, 7, { errors: 'nope' }]) {
      const err = toApiError(502, body, translate)
      expect(err).toMatchObject({ status: 502, code: 'unknown', detail: 'Something went wrong.', fields: {} })
    }
  })
})

describe('call', () => {
  const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
  const reauth = () => ({
    error: { status: 403, code: 'reauth_required', detail: 'Confirm your password.' },
    response: new Response(null, { status: 403 }),
  })

  it('returns the data of a successful call', async () => {
    await expect(call(async () => ok({ id: 'u1' }))).resolves.toEqual({ id: 'u1' })
  })

  it('turns a failed fetch into a network error', async () => {
    const err = await call(async () => {
      throw new TypeError('Failed to fetch')
    }).catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 0, code: 'network' })
    expect((err as ApiError).detail).not.toBe('')
  })

  it('asks for the password on reauth_required and repeats the request once', async () => {
    const answers = [reauth(), ok('done')]
    let asked = 0
    onReauthRequired(async () => {
      asked++
      return true
    })
    await expect(call(async () => answers.shift()!)).resolves.toBe('done')
    expect(asked).toBe(1)
    expect(answers).toHaveLength(0)
  })

  it('gives up when the password is not confirmed, or asked for twice', async () => {
    onReauthRequired(async () => false)
    await expect(call(async () => reauth())).rejects.toMatchObject({ code: 'reauth_required' })
    let sent = 0
    onReauthRequired(async () => true)
    await expect(
      call(async () => {
        sent++
        return reauth()
      }),
    ).rejects.toMatchObject({ code: 'reauth_required' })
    expect(sent).toBe(2)
  })

  describe('when the session has ended', () => {
    const gone = () => ({
      error: { status: 401, code: 'unauthenticated', detail: 'Please sign in.' },
      response: new Response(null, { status: 401 }),
    })

    it('ends it and throws an error that needs no message', async () => {
      let ended = 0
      onSessionEnded(() => ++ended === 1)
      await expect(call(async () => gone())).rejects.toMatchObject({ code: 'unauthenticated', handled: true })
      expect(ended).toBe(1)
      // Nobody was signed in any more: an ordinary error for the caller to show.
      await expect(call(async () => gone())).rejects.toMatchObject({ code: 'unauthenticated', handled: false })
    })

    it('does not end a session opened while a call of the one before was under way', async () => {
      let ended = 0
      onSessionEnded(() => ++ended > 0)
      let answer: (r: ReturnType<typeof gone>) => void = () => undefined
      const late = call(() => new Promise<ReturnType<typeof gone>>((r) => (answer = r)))
      sessionStarted()
      answer(gone())
      await expect(late).rejects.toMatchObject({ code: 'unauthenticated', handled: true })
      expect(ended).toBe(0)
    })

    it('leaves a 401 to callers that own it, such as sign-out', async () => {
      let ended = 0
      onSessionEnded(() => ++ended > 0)
      await expect(call(async () => gone(), { ownUnauthenticated: true })).rejects.toMatchObject({ handled: false })
      expect(ended).toBe(0)
    })

    it('quiets the other calls that were under way', async () => {
      let signedIn = true
      onSessionEnded(() => {
        const was = signedIn
        signedIn = false
        return was
      })
      let answer!: (outcome: ReturnType<typeof gone>) => void
      const slow = call(() => new Promise<ReturnType<typeof gone>>((resolve) => (answer = resolve)))
      await expect(call(async () => gone())).rejects.toMatchObject({ handled: true })
      answer(gone())
      await expect(slow).rejects.toMatchObject({ handled: true })
    })

    it('quiets the request that waited for the password', async () => {
      let signedIn = true
      onSessionEnded(() => {
        const was = signedIn
        signedIn = false
        return was
      })
      // The password dialog's own request finds the session gone, and the dialog gives up.
      onReauthRequired(async () => {
        await call(async () => gone()).catch(() => undefined)
        return false
      })
      await expect(call(async () => reauth())).rejects.toMatchObject({ code: 'reauth_required', handled: true })
    })

    it('is not confused with other 401s', async () => {
      let ended = 0
      onSessionEnded(() => ++ended > 0)
      const invalid = { error: { status: 401, code: 'setup_token_invalid' }, response: new Response(null, { status: 401 }) }
      await expect(call(async () => invalid)).rejects.toMatchObject({ code: 'setup_token_invalid', handled: false })
      expect(ended).toBe(0)
    })
  })
})
