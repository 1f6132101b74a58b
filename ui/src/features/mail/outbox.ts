// How Admin → Mail shows one outgoing mail.
import type { OutboxMail, OutboxState } from './api'

export const outboxStates = ['', 'pending', 'sent', 'failed'] as const satisfies readonly OutboxState[]
export const outboxPerPageOptions = [10, 25, 50, 100] as const

/** canRetry: a mail not sent yet (waiting, or given up) can be sent now; a sent one cannot. */
export const canRetry = (m: Pick<OutboxMail, 'state'>) => m.state !== 'sent'

/** MailShown is a mail's state as Admin → Mail shows it: a mail "sent" to the server log
 * (no mail server was set) is apart, as nobody received it. */
export type MailShown = OutboxMail['state'] | 'logged'

/** shownState is what a mail's chip says. */
export const shownState = (m: Pick<OutboxMail, 'state' | 'logged'>): MailShown =>
  m.state === 'sent' && m.logged ? 'logged' : m.state

/** stateColor is the colour of a mail's state chip (each legible on its own tint). */
export function stateColor(state: MailShown): 'success' | 'info' | 'error' | 'warning' {
  return state === 'sent' ? 'success' : state === 'failed' ? 'error' : state === 'logged' ? 'warning' : 'info'
}

/** mailMoment is the time that matters for a mail: when it went out, when it is tried next, else when it was queued. */
export function mailMoment(m: Pick<OutboxMail, 'state' | 'logged' | 'sentAt' | 'nextAttemptAt' | 'createdAt'>): {
  kind: 'sent' | 'logged' | 'next' | 'created'
  at: string
} {
  if (m.state === 'sent' && m.sentAt) return { kind: m.logged ? 'logged' : 'sent', at: m.sentAt }
  if (m.state === 'pending' && m.nextAttemptAt) return { kind: 'next', at: m.nextAttemptAt }
  return { kind: 'created', at: m.createdAt }
}

/** firstLine shortens the mail server's answer to one line for the list; the whole is shown on demand. */
export function firstLine(text: string, max = 80): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? ''
  const chars = [...line]
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : line
}

/** pageCount is how many pages total items make, at least one. */
export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage))
