// How Admin → Mail shows one outgoing mail.
import type { OutboxMail, OutboxState } from './api'

export const outboxStates = ['', 'pending', 'sent', 'failed'] as const satisfies readonly OutboxState[]
export const outboxPerPageOptions = [10, 25, 50, 100] as const

/** canRetry: a mail not sent yet (waiting, or given up) can be sent now; a sent one cannot. */
export const canRetry = (m: Pick<OutboxMail, 'state'>) => m.state !== 'sent'

/** stateColor is the colour of a mail's state chip (each legible on its own tint). */
export function stateColor(state: OutboxMail['state']): 'success' | 'info' | 'error' {
  return state === 'sent' ? 'success' : state === 'failed' ? 'error' : 'info'
}

/** mailMoment is the time that matters for a mail: when it went out, when it is tried next, else when it was queued. */
export function mailMoment(m: Pick<OutboxMail, 'state' | 'sentAt' | 'nextAttemptAt' | 'createdAt'>): {
  kind: 'sent' | 'next' | 'created'
  at: string
} {
  if (m.state === 'sent' && m.sentAt) return { kind: 'sent', at: m.sentAt }
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
