import { call, client } from '@/api/client'

// Every call carries the token from the link; only accept needs a session (of the invited address).

export const lookupInvitation = (token: string) => call(() => client.POST('/invite/lookup', { body: { token } }))

export const declineInvitation = (token: string) => call(() => client.POST('/invite/decline', { body: { token } }))

/** registerInvited creates the invited account and signs it in (the server sets the session cookie). */
export const registerInvited = (body: { token: string; name: string; password: string }) =>
  call(() => client.POST('/invite/register', { body }))

export const acceptInvitation = (token: string) => call(() => client.POST('/invite/accept', { body: { token } }))

/** InvitationView is what the link's holder is told about the invitation. */
export type InvitationView = Awaited<ReturnType<typeof lookupInvitation>>
