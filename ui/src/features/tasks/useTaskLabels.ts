// The words for a task's status, priority and the list's views, written out so that every key
// is a literal the i18n linter can check.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { TaskPriority, TaskStatus } from '@/api/types'
import type { TaskRole } from './filters'
import type { StatusAction } from './tasks'

export function useTaskLabels() {
  const { t } = useI18n()
  const statusNames = computed<Record<TaskStatus, string>>(() => ({
    new: t('tasks.status.new'),
    in_progress: t('tasks.status.in_progress'),
    waiting: t('tasks.status.waiting'),
    done: t('tasks.status.done'),
    deferred: t('tasks.status.deferred'),
  }))
  const priorityNames = computed<Record<TaskPriority, string>>(() => ({
    low: t('tasks.priority.low'),
    normal: t('tasks.priority.normal'),
    high: t('tasks.priority.high'),
  }))
  const roleNames = computed<Record<TaskRole, string>>(() => ({
    '': t('tasks.views.all'),
    responsible: t('tasks.views.responsible'),
    creator: t('tasks.views.creator'),
    participant: t('tasks.views.participant'),
    observer: t('tasks.views.observer'),
  }))
  const actionNames = computed<Record<StatusAction, string>>(() => ({
    start: t('tasks.actions.start'),
    control: t('tasks.actions.control'),
    complete: t('tasks.actions.complete'),
    defer: t('tasks.actions.defer'),
    reopen: t('tasks.actions.reopen'),
  }))
  return { statusNames, priorityNames, roleNames, actionNames }
}

/** statusColors are the chips' colours: done green, deferred grey, in progress and waiting blue. */
export const statusColors: Record<TaskStatus, string | undefined> = {
  new: 'primary',
  in_progress: 'info',
  waiting: 'warning',
  done: 'success',
  deferred: undefined,
}
