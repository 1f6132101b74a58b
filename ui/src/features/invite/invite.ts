// What the invitation page offers, decided from the invitation and who is signed in.
import type { Me } from '@/api/types'
import { homePath } from '@/router/safeNext'
import type { InvitationView } from './api'

/** Why a pending link does not work now: its inviter's account, its group or the extranet. */
export type LinkProblem = Exclude<InvitationView['problem'], ''>

/**
 * A state in which the link no longer works; "unknown" is a token the server does not know, and a
 * problem is a pending link that does not work now.
 */
export type ClosedState = Exclude<InvitationView['state'], 'pending'> | 'unknown' | LinkProblem

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
export function inviteStep(view: Pick<InvitationView, 'state' | 'problem' | 'email' | 'hasAccount'>, me: Pick<Me, 'email'> | null): InviteStep {
  if (view.state !== 'pending') return { kind: 'closed', state: view.state }
  if (view.problem) return { kind: 'closed', state: view.problem }
  if (me) return sameAddress(me.email, view.email) ? { kind: 'accept' } : { kind: 'otherAccount', signedInAs: me.email }
  return view.hasAccount ? { kind: 'signIn' } : { kind: 'register' }
}

const problems: readonly string[] = ['inviter_inactive', 'group_archived', 'extranet_off'] satisfies LinkProblem[]

/** isProblem tells a pending link that does not work now from one closed for good. */
export function isProblem(state: ClosedState): state is LinkProblem {
  return problems.includes(state)
}

const closedCodes: Record<string, ClosedState> = {
  invitation_unknown: 'unknown',
  invitation_expired: 'expired',
  invitation_revoked: 'revoked',
  invitation_accepted: 'accepted',
  invitation_declined: 'declined',
  invitation_inviter_inactive: 'inviter_inactive',
  invitation_group_archived: 'group_archived',
  invitation_extranet_off: 'extranet_off',
}

/**
 * closedBy is the state an error code says the link is in, if it says the link no longer works. The
 * server adds "_ask_admin" when there is no inviter left to ask.
 */
export function closedBy(code: string): ClosedState | undefined {
  const base = code.replace(/_ask_admin$/, '')
  return Object.hasOwn(closedCodes, base) ? closedCodes[base] : undefined
}

/** landingPath is where a person lands once they joined: the inviting group, else the home page. */
export function landingPath(groupId: string): string {
  return groupId ? `/groups/${encodeURIComponent(groupId)}` : homePath
}

/** invitePath is the page itself, where the sign-in page returns (the token stays in session storage). */
export const invitePath = '/invite'
