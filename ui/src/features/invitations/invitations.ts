// What the invitation dialog and the list of invitations decide, apart from how they look:
// reading a list of addresses, which kinds of person may be invited where, the body sent,
// and how an invitation's state is told.
import type { Group, Invitation, InvitationState, InviteBatch, Invitee, InviteOutcome, Me } from '@/api/types'
import { dayEnd } from '@/lib/dates'

/** The server takes at most this many addresses at once. */
export const maxInvitees = 50
/** The personal message is at most this long (characters). */
export const maxMessage = 2000
export const maxName = 200
export const maxEmail = 254

/** How long a link may work, in hours: 1 hour to 30 days. */
export const validities = [1, 24, 72, 168, 336, 720] as const
export type Validity = (typeof validities)[number]
/** A week, as the server does when not told. */
export const defaultValidity: Validity = 168

export type InviteKind = InviteBatch['kind']

// Characters that never belong to an address as typed here (the server checks it fully).
const addressLike = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+$/

/** looksLikeAddress is a first, loose check of an e-mail address; the server has the last word. */
export const looksLikeAddress = (s: string) => addressLike.test(s)

/** splitEntries cuts a pasted list at line breaks, semicolons and commas, except inside quotes or <…>. */
export function splitEntries(text: string): string[] {
  const entries: string[] = []
  let current = ''
  let quoted = false
  let angled = false
  for (const c of text) {
    if (c === '"') quoted = !quoted
    else if (c === '<' && !quoted) angled = true
    else if (c === '>' && !quoted) angled = false
    if ((c === '\n' || c === '\r') || (!quoted && !angled && (c === ',' || c === ';'))) {
      // A line break always ends an entry, even one with an unbalanced quote.
      if (c === '\n' || c === '\r') quoted = angled = false
      entries.push(current)
      current = ''
      continue
    }
    current += c
  }
  entries.push(current)
  return entries.map((e) => e.trim()).filter((e) => e !== '')
}

const spaces = (s: string) => s.replace(/\s+/g, ' ').trim()
const unquote = (s: string) => spaces(s.trim().replace(/^(["'])(.*)\1$/s, '$2'))

/**
 * parseEntry reads one entry: "anna@example.com", "Anna Petrova <anna@example.com>",
 * "\"Petrova, Anna\" <anna@example.com>" or "Anna Petrova anna@example.com". It answers
 * undefined for an entry with no address in it.
 */
export function parseEntry(entry: string): Invitee | undefined {
  const angled = /^(.*?)<\s*([^<>]*?)\s*>$/s.exec(entry.trim())
  let name: string
  let email: string
  if (angled) {
    name = unquote(angled[1] ?? '')
    email = angled[2] ?? ''
  } else {
    const words = entry.trim().split(/\s+/)
    email = words.pop() ?? ''
    name = unquote(words.join(' '))
  }
  email = email.replace(/^mailto:/i, '')
  if (!looksLikeAddress(email)) return undefined
  return name ? { email, name } : { email }
}

export interface ParsedAddresses {
  invitees: Invitee[]
  /** Entries that hold no address, as typed. */
  unreadable: string[]
}

/** parseAddresses reads the addresses field: every entry, and those that are no address. */
export function parseAddresses(text: string): ParsedAddresses {
  const invitees: Invitee[] = []
  const unreadable: string[] = []
  for (const entry of splitEntries(text)) {
    const invitee = parseEntry(entry)
    if (invitee) invitees.push(invitee)
    else unreadable.push(entry)
  }
  return { invitees, unreadable }
}

/** formatInvitee writes an invitee back as an entry of the field, quoting a name that would be cut. */
export function formatInvitee(i: Invitee): string {
  if (!i.name) return i.email
  const name = /[",;<>]/.test(i.name) ? `"${i.name.replace(/"/g, '')}"` : i.name
  return `${name} <${i.email}>`
}

/** Why a kind of person cannot be invited here. */
export type KindRefusal = 'adminsOnly' | 'extranetOnly'

export interface KindChoice {
  value: InviteKind
  /** Set when this kind cannot be invited here, with why. */
  refusal?: KindRefusal
}

type Inviter = Pick<Me, 'admin' | 'kind'>

/**
 * kindChoices lists both kinds, each with why it cannot be chosen here if it cannot: only
 * administrators invite employees, and external users join extranet groups only. groupKind
 * is the inviting group's kind; undefined on the users admin page, where the group is chosen
 * after the kind.
 */
export function kindChoices(groupKind: Group['kind'] | undefined, me: Inviter | null | undefined): KindChoice[] {
  const external: KindChoice = { value: 'external' }
  if (groupKind === 'internal') external.refusal = 'extranetOnly'
  const employee: KindChoice = { value: 'employee' }
  if (!me?.admin) employee.refusal = 'adminsOnly'
  return [external, employee]
}

/**
 * defaultKind is the kind chosen when the dialog opens: the only one possible, else external
 * users in an extranet group. On the users admin page nothing is chosen: the administrator
 * says which.
 */
export function defaultKind(groupKind: Group['kind'] | undefined, me: Inviter | null | undefined): InviteKind | null {
  if (groupKind === undefined) return null
  const open = kindChoices(groupKind, me).filter((c) => !c.refusal)
  if (open.length === 1) return open[0]!.value
  return open.some((c) => c.value === 'external') ? 'external' : null
}

/**
 * canInviteByEmail: someone the group's setting lets invite (never an external user), into a
 * group where some kind of person may be invited by them: external users into an extranet
 * group, or, for administrators, employees anywhere.
 */
export function canInviteByEmail(group: Pick<Group, 'archived' | 'mayInvite' | 'kind'>, me: Inviter | null | undefined): boolean {
  if (!me || me.kind !== 'employee' || group.archived || !group.mayInvite) return false
  return kindChoices(group.kind, me).some((c) => !c.refusal)
}

export interface InviteForm {
  addresses: string
  kind: InviteKind | null
  message: string
  validHours: Validity
  /** The last day of an external user's access ("2027-01-31"); '' for the company's default. */
  accessUntil: string
}

/**
 * inviteBody is what is sent for the form: the addresses read, no empty message, and an
 * access date for external users only, through the last minute of the day picked.
 */
export function inviteBody(form: InviteForm & { kind: InviteKind }, invitees: Invitee[]): InviteBatch {
  const body: InviteBatch = { invitees, kind: form.kind, validHours: form.validHours }
  const message = form.message.trim()
  if (message) body.message = message
  const until = form.kind === 'external' ? dayEnd(form.accessUntil) : ''
  if (until) body.accessExpiresAt = until
  return body
}

/**
 * retryEntries is the field's text for the addresses that were not invited, to correct and send
 * again; the server answers the addresses in the order they were sent. An address refused as
 * given twice was answered where it first appeared: there is nothing to correct.
 */
export function retryEntries(sent: readonly Invitee[], results: readonly InviteOutcome[]): string {
  const again: string[] = []
  results.forEach((r, i) => {
    const invitee = sent[i]
    if (r.invited || r.code === 'duplicate_in_batch') return
    again.push(invitee ? formatInvitee(invitee) : r.email)
  })
  return again.join('\n')
}

/** isOpen: a pending or expired invitation can still be resent or revoked. */
export const isOpen = (i: Pick<Invitation, 'state'>) => i.state === 'pending' || i.state === 'expired'

/** stateColor is the colour of an invitation's state chip. */
export function stateColor(state: InvitationState): 'info' | 'success' | 'warning' | undefined {
  switch (state) {
    case 'pending':
      return 'info'
    case 'accepted':
      return 'success'
    case 'expired':
      return 'warning'
    default:
      return undefined
  }
}

/** The states the list filters by, '' for all of them. */
export const stateFilters = ['', 'pending', 'accepted', 'expired', 'revoked', 'declined'] as const
export type StateFilter = (typeof stateFilters)[number]

