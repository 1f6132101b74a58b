// Sharing an item of My Drive with people, and public links to an item (docs/drive.md,
// "Sharing" and "Public links").
import { call, client } from '@/api/client'

const item = (id: string) => ({ params: { path: { id } } })

/** The level an item is shared at: view (see and download) or edit (also change what is in it). */
export type ShareLevel = 'view' | 'edit'

/** listShares is whom an item of my My Drive is shared with, by name (its owner only). */
export const listShares = (id: string) => call(() => client.GET('/drive/items/{id}/shares', item(id)))
/** setShare shares an item with a contact, or changes the level it is shared at. */
export const setShare = (id: string, userId: string, level: ShareLevel) =>
  call(() => client.PUT('/drive/items/{id}/shares/{userId}', { params: { path: { id, userId } }, body: { level } }))
/** removeShare withdraws a share. */
export const removeShare = (id: string, userId: string) =>
  call(() => client.DELETE('/drive/items/{id}/shares/{userId}', { params: { path: { id, userId } } }))
/** listSharedWithMe is a page of what others shared with me, newest first, each with its owner and level. */
export const listSharedWithMe = (query: { page: number; perPage: number }) => call(() => client.GET('/drive/shared', { params: { query } }))

/** listLinks is an item's public links not withdrawn, newest first. */
export const listLinks = (id: string) => call(() => client.GET('/drive/items/{id}/links', item(id)))
/** createLink makes a public link; its answer holds the link's address, given this once. */
export const createLink = (id: string, body: { expiresAt?: string; password?: string }) =>
  call(() => client.POST('/drive/items/{id}/links', { ...item(id), body }))
/** revokeLink withdraws a public link: it stops working at once. */
export const revokeLink = (linkId: string) => call(() => client.DELETE('/drive/links/{linkId}', { params: { path: { linkId } } }))

export type DriveShare = Awaited<ReturnType<typeof listShares>>['items'][number]
export type DriveLink = Awaited<ReturnType<typeof listLinks>>['items'][number]
export type MadeLink = Awaited<ReturnType<typeof createLink>>
export type SharedItem = Awaited<ReturnType<typeof listSharedWithMe>>['items'][number]
