// Which actions the users admin page offers on a person. The server checks again (and alone
// knows whether someone is the last administrator): these only keep off the page the buttons
// it always refuses.
import type { AddEmployeeInput, Me, Person } from '@/api/types'

/** What an administrator can do to an account. */
export type UserAction =
  | 'makeAdmin'
  | 'removeAdmin'
  | 'moveToIntranet'
  | 'resetPassword'
  | 'endSessions'
  | 'resetTwoFactor'
  | 'deactivate'
  | 'reactivate'

type Account = Pick<Person, 'id' | 'kind' | 'admin' | 'active'>
type Viewer = Pick<Me, 'id' | 'admin'>

/** userActions lists the menu of one row of the users list, for me looking at it. */
export function userActions(person: Account, me: Viewer | null | undefined): UserAction[] {
  if (!me?.admin) return []
  const actions: UserAction[] = []
  // External users cannot be administrators: they are moved to the intranet first.
  if (person.kind === 'employee' && !person.admin && person.active) actions.push('makeAdmin')
  // A deactivated administrator may still lose the flag; removing my own signs me out.
  if (person.admin) actions.push('removeAdmin')
  if (person.kind === 'external') actions.push('moveToIntranet')
  // Help for someone else who is locked out or lost a device; my own is on My account → Security.
  if (person.active && person.id !== me.id) actions.push('resetPassword', 'endSessions', 'resetTwoFactor')
  // Nobody deactivates themselves.
  if (person.active && person.id !== me.id) actions.push('deactivate')
  if (!person.active) actions.push('reactivate')
  return actions
}

/** Actions asked about first: they end sessions or cannot simply be undone. */
export function needsConfirmation(action: UserAction, person: Pick<Person, 'id'>, me: Pick<Me, 'id'> | null | undefined): boolean {
  return (
    action === 'deactivate' ||
    action === 'moveToIntranet' ||
    action === 'resetPassword' ||
    action === 'endSessions' ||
    action === 'resetTwoFactor' ||
    (action === 'removeAdmin' && person.id === me?.id)
  )
}

/** The fields of the "Add employee" form, as the server names them in its field errors. */
export const employeeFormFields = ['name', 'email', 'position'] as const

export interface EmployeeForm {
  name: string
  email: string
  position: string
}

export const emptyEmployeeForm: EmployeeForm = { name: '', email: '', position: '' }

/** employeeBody is what POST /admin/users is sent: trimmed, and no empty position. */
export function employeeBody(form: EmployeeForm): AddEmployeeInput {
  const body: AddEmployeeInput = { name: form.name.trim(), email: form.email.trim() }
  const position = form.position.trim()
  if (position) body.position = position
  return body
}

/**
 * newlyOwnerless keeps the groups that lost their owner with a deactivation: those waiting for an
 * owner after it and not before. Without the list from before, every waiting group is shown.
 */
export function newlyOwnerless<G extends { id: string }>(before: readonly G[] | undefined, after: readonly G[]): G[] {
  if (!before) return [...after]
  const waiting = new Set(before.map((g) => g.id))
  return after.filter((g) => !waiting.has(g.id))
}
