import { call, client } from '@/api/client'

export type ReviewState = 'open' | 'overdue' | 'pending' | 'answered' | ''

export const listReviews = (state: ReviewState, page: number, perPage: number) =>
  call(() => client.GET('/access-reviews', { params: { query: { ...(state ? { state } : {}), page, perPage } } }))

export const answerReview = (id: string, answer: 'keep' | 'end') =>
  call(() => client.POST('/access-reviews/{id}/answer', { params: { path: { id } }, body: { answer } }))

export type Review = NonNullable<Awaited<ReturnType<typeof listReviews>>['items']>[number]
