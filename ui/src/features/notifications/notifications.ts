// The bell's small pure parts: the badge, the words of each kind of notification, when it
// came ("5 minutes ago") and when a deadline falls ("tomorrow at 14:00"), in the UI's language.
import type { TaskStatus } from '@/api/types'
import { formatDateTime } from '@/lib/dates'
import type { Notification } from './api'

/** The translation function, as vue-i18n's t is called here. */
export type Translate = (key: string, named?: Record<string, unknown> | number) => string

/** The kinds, in the order the preferences list them (the server's order). */
export const notificationKinds = ['task_assigned', 'task_mentioned', 'task_commented', 'task_status', 'task_deadline', 'task_due'] as const

/** How many notifications the bell shows at most; "All notifications" has the rest. */
export const latestCount = 8

/** badgeText is what the bell's badge shows: nothing for none, 99+ past 99. */
export function badgeText(unread: number): string {
  if (unread <= 0) return ''
  return unread > 99 ? '99+' : String(unread)
}

/** bellLabel names the bell for a screen reader: "3 unread notifications", or just "Notifications". */
export function bellLabel(t: Translate, unread: number): string {
  return unread > 0 ? t('notifications.bell.unread', unread) : t('notifications.bell.title')
}

function parse(value: string): Date | undefined {
  if (!value) return undefined
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? undefined : d
}

// Whole calendar days from a to b in the viewer's time zone (daylight saving does not count).
function daysBetween(a: Date, b: Date): number {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate())
  return Math.round((day(b) - day(a)) / 86_400_000)
}

/** deadlineWords says when a deadline falls: "today at 14:00", "tomorrow at 9:30", else its day and time. */
export function deadlineWords(t: Translate, value: string, now: Date, locale: string): string {
  const d = parse(value)
  if (!d) return ''
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(d)
  switch (daysBetween(now, d)) {
    case 0:
      return t('notifications.when.today', { time })
    case 1:
      return t('notifications.when.tomorrow', { time })
    default:
      return formatDateTime(value, locale)
  }
}

/** ago says how long ago something happened: "now", "5 minutes ago", "yesterday", else its day. */
export function ago(value: string, now: Date, locale: string): string {
  const d = parse(value)
  if (!d) return ''
  const seconds = (now.getTime() - d.getTime()) / 1000
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  // A clock a little ahead of ours is "now", not "in 3 seconds".
  if (seconds < 45) return rtf.format(0, 'second')
  if (seconds < 3600) return rtf.format(-Math.max(1, Math.round(seconds / 60)), 'minute')
  if (seconds < 86_400) return rtf.format(-Math.round(seconds / 3600), 'hour')
  const days = daysBetween(d, now)
  if (days < 7) return rtf.format(-Math.max(1, days), 'day')
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d)
}

/** What the words of a notification are made of, each already in words. */
export type MessageParts = {
  /** The catalogue key of the sentence; its placeholders are the other fields. */
  key: string
  /** Who did it ("Hidden user" for someone the reader may not see). */
  actor: string
  title: string
  status: string
  when: string
}

/** What is needed to put a notification into words. */
export interface Wording {
  t: Translate
  locale: string
  now: Date
  /** The task status's name, as the tasks show it. */
  statusName: (status: TaskStatus) => string
}

const statuses: readonly string[] = ['new', 'in_progress', 'waiting', 'done', 'deferred']

/**
 * messageParts chooses the sentence of a notification and fills in its parts. A deadline
 * taken away has a sentence of its own; the reminder of a deadline is Annex's, with no actor.
 */
export function messageParts(n: Notification, w: Wording): MessageParts {
  const parts = {
    actor: n.actor?.name ?? w.t('person.hidden'),
    title: n.subject.title,
    status: statuses.includes(n.detail) ? w.statusName(n.detail as TaskStatus) : n.detail,
    when: deadlineWords(w.t, n.detail, w.now, w.locale),
  }
  const key = n.kind === 'task_deadline' && !parts.when ? 'notifications.text.deadlineRemoved' : `notifications.text.${n.kind}`
  return { key, ...parts }
}

/**
 * notificationText is a notification in one sentence, as the bell shows it:
 * "Anna Petrova named you on “Send the drawings”". The keys are written out here, so that
 * the catalogues' linter knows each is used; the bell fills the same ones (messageParts).
 */
export function notificationText(n: Notification, w: Wording): string {
  const p = messageParts(n, w)
  const { t } = w
  switch (p.key) {
    case 'notifications.text.task_assigned':
      return t('notifications.text.task_assigned', p)
    case 'notifications.text.task_mentioned':
      return t('notifications.text.task_mentioned', p)
    case 'notifications.text.task_commented':
      return t('notifications.text.task_commented', p)
    case 'notifications.text.task_status':
      return t('notifications.text.task_status', p)
    case 'notifications.text.task_deadline':
      return t('notifications.text.task_deadline', p)
    case 'notifications.text.deadlineRemoved':
      return t('notifications.text.deadlineRemoved', p)
    case 'notifications.text.task_due':
      return t('notifications.text.task_due', p)
    default:
      return p.title
  }
}

/** notificationPath is where a notification leads: its task's page. */
export const notificationPath = (n: Notification) => `/tasks/${encodeURIComponent(n.subject.id)}`
