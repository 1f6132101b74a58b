import { call, client } from '@/api/client'
import type { GroupCreateInput, GroupEditInput, GroupsQuery, Member, MemberRole } from '@/api/types'

const path = (id: string) => ({ params: { path: { id } } })
const memberPath = (id: string, userId: string) => ({ params: { path: { id, userId } } })

export const listGroups = (query: GroupsQuery) => call(() => client.GET('/groups', { params: { query } }))
export const createGroup = (body: GroupCreateInput) => call(() => client.POST('/groups', { body }))
export const getGroup = (id: string) => call(() => client.GET('/groups/{id}', path(id)))
export const updateGroup = (id: string, body: GroupEditInput) =>
  call(() => client.PATCH('/groups/{id}', { ...path(id), body }))
export const joinGroup = (id: string) => call(() => client.POST('/groups/{id}/join', path(id)))
export const leaveGroup = (id: string) => call(() => client.POST('/groups/{id}/leave', path(id)))
export const listMembers = (id: string, page: number, perPage: number) =>
  call(() => client.GET('/groups/{id}/members', { params: { path: { id }, query: { page, perPage } } }))
export const removeMember = (id: string, userId: string) =>
  call(() => client.DELETE('/groups/{id}/members/{userId}', memberPath(id, userId)))
export const approveMember = (id: string, userId: string) =>
  call(() => client.POST('/groups/{id}/members/{userId}/approve', memberPath(id, userId)))
export const setMemberRole = (id: string, userId: string, role: MemberRole) =>
  call(() => client.PUT('/groups/{id}/members/{userId}/role', { ...memberPath(id, userId), body: { role } }))
/** inviteMember invites an employee; external users are invited by e-mail. */
export const inviteMember = (id: string, userId: string) =>
  call(() => client.POST('/groups/{id}/members', { ...path(id), body: { userId } }))

/** listAllMembers pages through every member of a group that I may see (a hundred at a time). */
export async function listAllMembers(id: string) {
  const perPage = 100
  const all: Member[] = []
  for (let page = 1; ; page++) {
    const answer = await listMembers(id, page, perPage)
    const items = answer.items ?? []
    all.push(...items)
    if (items.length < perPage || all.length >= answer.total) return all
  }
}

/** listOwnerless gives the groups whose owner is deactivated, the first hundred (an administrator sees every group). */
export const listOwnerless = () => listGroups({ scope: 'all', needsOwner: true, perPage: 100 })
