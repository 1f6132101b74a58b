// Which actions a group page offers, from my place in the group. The server checks again:
// these only keep buttons that could not work off the page.
import type { Group, Me, Member } from '@/api/types'

/** What I can do about my own membership. */
export type SelfAction = 'join' | 'ask' | 'accept' | 'decline' | 'withdraw' | 'leave'

type Viewer = Pick<Me, 'id' | 'admin'>
type MyPlace = Pick<Group, 'visibility' | 'archived' | 'myRole' | 'myState'>

/** selfActions lists the buttons for my own membership, the main one first. */
export function selfActions(group: MyPlace): SelfAction[] {
  switch (group.myState) {
    case 'invited':
      return ['accept', 'decline']
    case 'requested':
      return ['withdraw']
    case 'active':
      // The owner hands the group over first; the server answers owner_cannot_leave otherwise.
      return group.myRole === 'owner' ? [] : ['leave']
    default:
      if (group.archived) return []
      if (group.visibility === 'open') return ['join']
      if (group.visibility === 'closed') return ['ask']
      return []
  }
}

const activeRole = (group: MyPlace) => (group.myState === 'active' ? group.myRole : '')

/** canManage: the owner, the moderators and administrators edit the group and remove members. */
export function canManage(group: MyPlace, me: Viewer | null | undefined): boolean {
  if (me?.admin) return true
  const role = activeRole(group)
  return role === 'owner' || role === 'moderator'
}

/** canGovern: the owner and administrators change roles, kind, visibility and archiving. */
export function canGovern(group: MyPlace, me: Viewer | null | undefined): boolean {
  return (me?.admin ?? false) || activeRole(group) === 'owner'
}

/**
 * canInvite: whom the group's invite policy lets invite (the server says so in mayInvite),
 * never into an archived group, which nobody joins.
 */
export function canInvite(group: Pick<Group, 'archived' | 'mayInvite'>): boolean {
  return !group.archived && group.mayInvite
}

/** What a manager can do to one member. */
export type MemberAction = 'approve' | 'makeModerator' | 'makeMember' | 'makeOwner' | 'remove'

/** memberActions lists the actions on one member of the list, for me looking at the group. */
export function memberActions(group: MyPlace, member: Member, me: Viewer | null | undefined): MemberAction[] {
  if (!me || member.person.id === me.id || member.role === 'owner') return []
  const actions: MemberAction[] = []
  if (canGovern(group, me) && member.state === 'active') {
    // External users can be members only, never moderators or owners.
    const employee = member.person.kind === 'employee'
    if (member.role === 'member' && employee) actions.push('makeModerator')
    if (member.role === 'moderator') actions.push('makeMember')
    // A deactivated account cannot take a group over (the server answers owner_must_be_active).
    if (employee && member.person.active) actions.push('makeOwner')
  }
  if (canManage(group, me) && member.state === 'requested') actions.push('approve')
  // A moderator cannot remove another moderator; the owner and administrators can.
  if (canManage(group, me) && (canGovern(group, me) || member.role !== 'moderator')) actions.push('remove')
  return actions
}

type Candidate = Pick<Member, 'role' | 'state'> & { person: Pick<Member['person'], 'kind' | 'active'> }

/**
 * ownerCandidates keeps the members who can take over a group: active members with an active
 * account, employees only (external users never own a group), not the owner already.
 */
export function ownerCandidates<M extends Candidate>(members: readonly M[]): M[] {
  return members.filter((m) => m.state === 'active' && m.role !== 'owner' && m.person.active && m.person.kind === 'employee')
}
