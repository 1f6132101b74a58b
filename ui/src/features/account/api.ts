import { call, client } from '@/api/client'
import type { paths } from '@/api/schema'
import type { ResetFinishInput } from '@/api/types'

export const getTwoFactor = () => call(() => client.GET('/me/two-factor'))

/** startEnrolment makes a new secret; re-enrolling needs a recent password (the client asks for it). */
export const startEnrolment = () => call(() => client.POST('/me/two-factor/enrolment'))

export const confirmEnrolment = (code: string) =>
  call(() => client.POST('/me/two-factor/enrolment/confirm', { body: { code } }))

/** disableTwoFactor needs a recent password: the client asks for it. */
export const disableTwoFactor = () => call(() => client.DELETE('/me/two-factor'))

/** newRecoveryCodes needs a recent password: the client asks for it. */
export const newRecoveryCodes = () => call(() => client.POST('/me/two-factor/recovery-codes'))

export const listMySessions = async () => (await call(() => client.GET('/me/sessions'))).items ?? []

export const endMySession = (id: string) => call(() => client.DELETE('/me/sessions/{id}', { params: { path: { id } } }))

export const endMyOtherSessions = () => call(() => client.POST('/me/sessions/end-others'))

/** changeMyEmail needs the password entered within the last minutes: the client asks for it. */
export const changeMyEmail = (email: string) => call(() => client.POST('/me/email', { body: { email } }))

// The operations of the links in mails: whoever holds the link may use them, signed in or not.
export const confirmEmailChange = (token: string) =>
  call(() => client.POST('/auth/email-change/confirm', { body: { token } }))

export const requestPasswordReset = (email: string) =>
  call(() => client.POST('/auth/password-reset', { body: { email } }))

export const checkPasswordReset = (token: string) =>
  call(() => client.POST('/auth/password-reset/check', { body: { token } }))

export const finishPasswordReset = (body: ResetFinishInput) =>
  call(() => client.POST('/auth/password-reset/finish', { body }))

export const listTokens = (query: { page: number; perPage: number }) =>
  call(() => client.GET('/me/tokens', { params: { query } }))

export type TokenInput = NonNullable<paths['/me/tokens']['post']['requestBody']>['content']['application/json']

/** createToken makes a token; the answer is the only time the token itself is shown. */
export const createToken = (body: TokenInput) => call(() => client.POST('/me/tokens', { body }))

export const revokeToken = (id: string) => call(() => client.DELETE('/me/tokens/{id}', { params: { path: { id } } }))

export type TokensPage = Awaited<ReturnType<typeof listTokens>>
export type ApiToken = NonNullable<TokensPage['items']>[number]
export type TokenScope = ApiToken['scope']
