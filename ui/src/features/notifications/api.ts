import { call, client } from '@/api/client'

/** What GET /notifications is asked: only the unread ones or all, and which page. */
export interface NotificationsQuery {
  unread?: boolean
  page?: number
  perPage?: number
}

export const listNotifications = (query: NotificationsQuery) => call(() => client.GET('/notifications', { params: { query } }))
export const readNotification = (id: string) =>
  call(() => client.POST('/notifications/{id}/read', { params: { path: { id } } }))
export const readAllNotifications = () => call(() => client.POST('/notifications/read'))
export const getNotificationPrefs = () => call(() => client.GET('/notifications/preferences'))
export const setNotificationPrefs = (items: NotificationPref[]) => call(() => client.PUT('/notifications/preferences', { body: { items } }))

/** The shapes of the operations above, as they answer. */
export type NotificationPage = Awaited<ReturnType<typeof listNotifications>>
export type Notification = NonNullable<NotificationPage['items']>[number]
export type NotificationKind = Notification['kind']
export type NotificationPref = NonNullable<Awaited<ReturnType<typeof getNotificationPrefs>>['items']>[number]
