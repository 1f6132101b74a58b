// The state of the notifications page and its address: /notifications?show=unread&page=…&perPage=…
import { listQuery, oneOf, pageParam, perPageParam } from '@/lib/listQuery'
import type { NotificationsQuery } from './api'

export type Show = 'all' | 'unread'
export const shows: readonly Show[] = ['all', 'unread']

export interface NotificationFilters {
  show: Show
  page: number
  perPage: number
}

export const notificationsState = listQuery<NotificationFilters>({
  show: oneOf(shows, 'all'),
  page: pageParam,
  perPage: perPageParam,
})

/** notificationsApiQuery is what GET /notifications is asked. */
export function notificationsApiQuery(f: NotificationFilters): NotificationsQuery {
  return f.show === 'unread' ? { unread: true, page: f.page, perPage: f.perPage } : { page: f.page, perPage: f.perPage }
}
