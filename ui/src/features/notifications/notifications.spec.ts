import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import type { Notification } from './api'
import { notificationsApiQuery, notificationsState } from './filters'
import { ago, badgeText, bellLabel, deadlineWords, messageParts, notificationKinds, notificationText, type Translate, type Wording } from './notifications'

const g = i18n.global
const translate = (locale: 'en' | 'ru'): Translate => (key, named) =>
  typeof named === 'number' ? g.t(key, named, { locale }) : g.t(key, named ?? {}, { locale })

// Noon on a Wednesday, in the machine's time zone.
const now = new Date(2027, 2, 10, 12, 0)
const at = (days: number, h: number, m = 0) => new Date(2027, 2, 10 + days, h, m).toISOString()

function wording(locale: 'en' | 'ru'): Wording {
  const t = translate(locale)
  return { t, locale, now, statusName: (s) => t(`tasks.status.${s}`) }
}

const anna = { id: 'u1', name: 'Anna Petrova', kind: 'employee', active: true, photo: '' } as const
// Without actor: Annex itself, or someone the reader may not see.
function note(kind: Notification['kind'], detail = '', actor: Notification['actor'] | null = anna): Notification {
  return {
    id: 'n1', kind, actor: actor ?? undefined, detail, read: false, createdAt: now.toISOString(),
    subject: { type: 'task', id: 't1', title: 'Send the drawings' },
  }
}

describe('the words of a notification', () => {
  it('say who did what to which task, for every kind, in English', () => {
    const w = wording('en')
    expect(notificationText(note('task_assigned'), w)).toBe('Anna Petrova named you on “Send the drawings”')
    expect(notificationText(note('task_mentioned'), w)).toBe('Anna Petrova mentioned you on “Send the drawings”')
    expect(notificationText(note('task_commented'), w)).toBe('Anna Petrova commented on “Send the drawings”')
    expect(notificationText(note('task_status', 'in_progress'), w)).toBe('Anna Petrova set the status of “Send the drawings” to In progress')
    expect(notificationText(note('task_deadline', at(1, 14)), w)).toMatch(/^Anna Petrova set the deadline of “Send the drawings” to tomorrow at 2:00\sPM$/)
    expect(notificationText(note('task_deadline', ''), w)).toBe('Anna Petrova removed the deadline of “Send the drawings”')
    expect(notificationText(note('task_due', at(1, 14), null), w)).toMatch(/^Annex: “Send the drawings” is due tomorrow at 2:00\sPM$/)
  })

  it('and in Russian, with the statuses the tasks name', () => {
    const w = wording('ru')
    expect(notificationText(note('task_assigned'), w)).toBe('Anna Petrova добавил(а) вас в задачу «Send the drawings»')
    expect(notificationText(note('task_status', 'waiting'), w)).toBe('Anna Petrova изменил(а) статус задачи «Send the drawings»: Ждёт проверки')
    expect(notificationText(note('task_due', at(0, 18), null), w)).toBe('Annex: срок задачи «Send the drawings» — сегодня в 18:00')
  })

  it('name someone the reader may not see "Hidden user"', () => {
    expect(notificationText(note('task_commented', '', null), wording('en'))).toBe('Hidden user commented on “Send the drawings”')
  })

  it('fill the same sentence the bell shows', () => {
    const w = wording('en')
    for (const kind of notificationKinds) {
      const n = note(kind, kind === 'task_status' ? 'done' : kind.startsWith('task_d') ? at(3, 9) : '')
      const p = messageParts(n, w)
      expect(g.te(p.key, 'en') && g.te(p.key, 'ru')).toBe(true)
      expect(notificationText(n, w)).toBe(w.t(p.key, { ...p }))
    }
  })

  it('leave a status the UI does not know as the server sent it', () => {
    expect(messageParts(note('task_status', 'archived'), wording('en')).status).toBe('archived')
  })
})

describe('deadlines and times', () => {
  const t = translate('en')
  it('say today and tomorrow, else the day', () => {
    expect(deadlineWords(t, at(0, 17, 30), now, 'en')).toMatch(/^today at 5:30\sPM$/)
    expect(deadlineWords(t, at(1, 9), now, 'en')).toMatch(/^tomorrow at 9:00\sAM$/)
    expect(deadlineWords(t, at(2, 9), now, 'en')).toMatch(/^Mar 12, 2027, 9:00\sAM$/)
    expect(deadlineWords(t, '', now, 'en')).toBe('')
    expect(deadlineWords(t, 'soon', now, 'en')).toBe('')
  })

  it('say how long ago', () => {
    const before = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString()
    expect(ago(before(10), now, 'en')).toBe('now')
    // A clock a little ahead is "now" too.
    expect(ago(before(-5), now, 'en')).toBe('now')
    expect(ago(before(5 * 60), now, 'en')).toBe('5 minutes ago')
    expect(ago(before(3 * 3600), now, 'en')).toBe('3 hours ago')
    expect(ago(at(-1, 9), now, 'en')).toBe('yesterday')
    expect(ago(at(-3, 9), now, 'en')).toBe('3 days ago')
    expect(ago(at(-30, 9), now, 'en')).toBe('Feb 8, 2027')
    expect(ago(before(5 * 60), now, 'ru')).toBe('5 минут назад')
    expect(ago('', now, 'en')).toBe('')
  })
})

describe('the bell', () => {
  it('shows the count on its badge, at most 99+', () => {
    expect(badgeText(0)).toBe('')
    expect(badgeText(1)).toBe('1')
    expect(badgeText(99)).toBe('99')
    expect(badgeText(100)).toBe('99+')
  })

  it('is named by the unread count, with plurals', () => {
    expect(bellLabel(translate('en'), 0)).toBe('Notifications')
    expect(bellLabel(translate('en'), 1)).toBe('1 unread notification')
    expect(bellLabel(translate('en'), 3)).toBe('3 unread notifications')
    expect(bellLabel(translate('ru'), 1)).toBe('1 непрочитанное уведомление')
    expect(bellLabel(translate('ru'), 3)).toBe('3 непрочитанных уведомления')
    expect(bellLabel(translate('ru'), 11)).toBe('11 непрочитанных уведомлений')
    expect(bellLabel(translate('ru'), 21)).toBe('21 непрочитанное уведомление')
  })
})

describe('the notifications page', () => {
  it('keeps "unread" and the page in the address, and asks for them', () => {
    const f = notificationsState.read({ show: 'unread', page: '2' })
    expect(f).toEqual({ show: 'unread', page: 2, perPage: 25 })
    expect(notificationsApiQuery(f)).toEqual({ unread: true, page: 2, perPage: 25 })
    expect(notificationsState.write(notificationsState.read({ show: 'nonsense' }))).toEqual({})
    expect(notificationsApiQuery(notificationsState.defaults)).toEqual({ page: 1, perPage: 25 })
  })
})
