import { call, client } from '@/api/client'

/** OutboxState is a filter of the outbox list; '' is every state. */
export type OutboxState = '' | 'pending' | 'sent' | 'failed'

export const listOutbox = (query: { state: OutboxState; page: number; perPage: number }) =>
  call(() => client.GET('/admin/outbox', { params: { query } }))

/** retryMail sends a pending or failed mail now. */
export const retryMail = (id: string) => call(() => client.POST('/admin/outbox/{id}/retry', { params: { path: { id } } }))

export type OutboxPage = Awaited<ReturnType<typeof listOutbox>>
export type OutboxMail = NonNullable<OutboxPage['items']>[number]
