// The words of the notifications in the UI's language: the sentence of each (with the task
// statuses as the tasks name them) and, for the settings, each kind's name and explanation,
// written out so that every key is a literal the i18n linter can check.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useNow } from '@/composables/useNow'
import { useTaskLabels } from '@/features/tasks/useTaskLabels'
import type { NotificationKind } from './api'
import type { Translate, Wording } from './notifications'

/** useTranslate is vue-i18n's t as the pure functions of notifications.ts call it. */
export function useTranslate(): Translate {
  const { t } = useI18n()
  return (key, named) => (typeof named === 'number' ? t(key, named) : t(key, named ?? {}))
}

/** useWording is what messageParts and notificationText need, renewed every half minute (for "5 minutes ago"). */
export function useWording() {
  const { locale } = useI18n()
  const { statusNames } = useTaskLabels()
  const now = useNow(30_000)
  const translate = useTranslate()
  return computed<Wording>(() => ({
    t: translate,
    locale: locale.value,
    now: now.value,
    statusName: (s) => statusNames.value[s],
  }))
}

/** useKindLabels names each kind of notification and says when it comes. */
export function useKindLabels() {
  const { t } = useI18n()
  const names = computed<Record<NotificationKind, string>>(() => ({
    task_assigned: t('notifications.prefs.kinds.task_assigned'),
    task_mentioned: t('notifications.prefs.kinds.task_mentioned'),
    task_commented: t('notifications.prefs.kinds.task_commented'),
    task_status: t('notifications.prefs.kinds.task_status'),
    task_deadline: t('notifications.prefs.kinds.task_deadline'),
    task_due: t('notifications.prefs.kinds.task_due'),
  }))
  const about = computed<Record<NotificationKind, string>>(() => ({
    task_assigned: t('notifications.prefs.about.task_assigned'),
    task_mentioned: t('notifications.prefs.about.task_mentioned'),
    task_commented: t('notifications.prefs.about.task_commented'),
    task_status: t('notifications.prefs.about.task_status'),
    task_deadline: t('notifications.prefs.about.task_deadline'),
    task_due: t('notifications.prefs.about.task_due'),
  }))
  return { names, about }
}
