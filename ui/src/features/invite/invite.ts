// What the invitation page offers, decided from the invitation and who is signed in.
import type { Me } from '@/api/types'
import { homePath } from '@/router/safeNext'
import type { InvitationView } from './api'

/** A state in which the link no longer works; "unknown" is a token the server does not know. */
export type ClosedState = Exclude<InvitationView['state'], 'pending'> | 'unknown'

export type InviteStep =
  /** The link no longer works: say so and whom to ask. */
  | { kind: 'closed'; state: ClosedState }
  /** No account for the address yet: register with it. */
  | { kind: 'register' }
  /** The address has an account, and nobody is signed in here: sign in first. */
  | { kind: 'signIn' }
  /** Signed in with the invited address: accept. */
  | { kind: 'accept' }
  /** Signed in with another address: the invitation is not for this account. */
  | { kind: 'otherAccount'; signedInAs: string }

/** sameAddress compares e-mail addresses as the server stores them (trimmed, case folded). */
export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase()
}

/** inviteStep is what the page offers for the invitation view to the person signed in (me), if any. */
export function inviteStep(view: Pick<InvitationView, 'state' | 'email' | 'hasAccount'>, me: Pick<Me, 'email'> | null): InviteStep {
  if (view.state !== 'pending') return { kind: 'closed', state: view.state }
  if (me) return sameAddress(me.email, view.email) ? { kind: 'accept' } : { kind: 'otherAccount', signedInAs: me.email }
  return view.hasAccount ? { kind: 'signIn' } : { kind: 'register' }
}

const closedCodes: Record<string, ClosedState> = {
  invitation_unknown: 'unknown',
  invitation_expired: 'expired',
  invitation_revoked: 'revoked',
  invitation_accepted: 'accepted',
  invitation_declined: 'declined',
}

/** closedBy is the state an error code says the link is in, if it says the link no longer works. */
export function closedBy(code: string): ClosedState | undefined {
  return Object.hasOwn(closedCodes, code) ? closedCodes[code] : undefined
}

/** landingPath is where a person lands once they joined: the inviting group, else the home page. */
export function landingPath(groupId: string): string {
  return groupId ? `/groups/${encodeURIComponent(groupId)}` : homePath
}

/** invitePath is the page itself, where the sign-in page returns (the token stays in session storage). */
export const invitePath = '/invite'
