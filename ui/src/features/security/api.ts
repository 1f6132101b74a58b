import { call, client } from '@/api/client'

export const listSignInBlocks = (query: { page: number; perPage: number }) =>
  call(() => client.GET('/admin/sign-in-blocks', { params: { query } }))

/** clearSignInBlock lifts one block at once. */
export const clearSignInBlock = (id: string) =>
  call(() => client.DELETE('/admin/sign-in-blocks/{id}', { params: { path: { id } } }))

export type SignInBlocksPage = Awaited<ReturnType<typeof listSignInBlocks>>
export type SignInBlock = NonNullable<SignInBlocksPage['items']>[number]
