// The inviter's side of invitations by e-mail: send, list, resend, revoke, and the record that
// a link was copied. The invited person's side is in features/invite.
import { call, client } from '@/api/client'
import type { AdminInviteBatch, InvitationsQuery, InviteBatch } from '@/api/types'

const path = (id: string) => ({ params: { path: { id } } })

/** inviteToGroup invites by e-mail from a group's members page; each address gets its own answer. */
export const inviteToGroup = (groupId: string, body: InviteBatch) =>
  call(() => client.POST('/groups/{id}/invitations', { ...path(groupId), body }))

/** inviteAsAdmin invites from the users admin page, into a group or (employees) the company only. */
export const inviteAsAdmin = (body: AdminInviteBatch) => call(() => client.POST('/admin/invitations', { body }))

export const listInvitations = (query: InvitationsQuery) => call(() => client.GET('/invitations', { params: { query } }))

/** resendInvitation mails a new link; the old one stops working. */
export const resendInvitation = (id: string, validHours?: number) =>
  call(() => client.POST('/invitations/{id}/resend', { ...path(id), body: validHours ? { validHours } : {} }))

export const revokeInvitation = (id: string) => call(() => client.POST('/invitations/{id}/revoke', path(id)))

/** linkCopied records that the inviter copied the link to pass it on by other means. */
export const linkCopied = (id: string) => call(() => client.POST('/invitations/{id}/link-copied', path(id)))
