import { call, client } from '@/api/client'
import type { DriveItemsQuery, DriveRightsInput, DriveSearchQuery, DriveTrashQuery, Group } from '@/api/types'
import { listGroups } from '@/features/groups/api'
import { hasDrive } from './drive'

const item = (id: string) => ({ params: { path: { id } } })

/** listItems is a page of a folder of a drive: "me" for My Drive, else a group's id. */
export const listItems = (drive: string, query: DriveItemsQuery) =>
  call(() => client.GET('/drives/{drive}/items', { params: { path: { drive }, query } }))
export const createFolder = (drive: string, name: string, parentId: string) =>
  call(() => client.POST('/drives/{drive}/folders', { params: { path: { drive } }, body: { name, parentId } }))
export const getItem = (id: string) => call(() => client.GET('/drive/items/{id}', item(id)))
export const listVersions = (id: string) => call(() => client.GET('/drive/items/{id}/versions', item(id)))
export const renameItem = (id: string, name: string) => call(() => client.PATCH('/drive/items/{id}', { ...item(id), body: { name } }))
/** moveItem puts an item, with what it holds, in a folder of a drive (parentId '' for its root). */
export const moveItem = (id: string, drive: string, parentId: string) =>
  call(() => client.POST('/drive/items/{id}/move', { ...item(id), body: { drive, parentId } }))
/** copyItem copies an item, with what it holds, into a folder of a drive; name '' keeps the item's. */
export const copyItem = (id: string, drive: string, parentId: string, name = '') =>
  call(() => client.POST('/drive/items/{id}/copy', { ...item(id), body: name ? { drive, parentId, name } : { drive, parentId } }))
/** trashItem moves an item, with what it holds, to its drive's trash. */
export const trashItem = (id: string) => call(() => client.DELETE('/drive/items/{id}', item(id)))
export const listTrash = (drive: string, query: DriveTrashQuery) =>
  call(() => client.GET('/drives/{drive}/trash', { params: { path: { drive }, query } }))
export const restoreItem = (id: string) => call(() => client.POST('/drive/trash/{id}/restore', item(id)))
/** purgeItem removes an item of the trash for good. */
export const purgeItem = (id: string) => call(() => client.DELETE('/drive/trash/{id}', item(id)))
/** restoreVersion makes an earlier version of a file its current one again. */
export const restoreVersion = (id: string, version: string) =>
  call(() => client.POST('/drive/items/{id}/versions/{version}/restore', { params: { path: { id, version } } }))
/** getRights is what a folder of a group's drive gives each role ('' for the drive's root). */
export const getRights = (drive: string, folder: string) =>
  call(() => client.GET('/drives/{drive}/rights', { params: { path: { drive }, query: folder ? { folder } : {} } }))
/** setRights gives a folder levels of its own, or ({ inherit: true }) takes its parent's again. */
export const setRights = (drive: string, folder: string, body: DriveRightsInput) =>
  call(() => client.PUT('/drives/{drive}/rights', { params: { path: { drive }, query: folder ? { folder } : {} }, body }))
export const searchItems = (query: DriveSearchQuery) => call(() => client.GET('/drive/search', { params: { query } }))

/** listDriveGroups pages through my groups (a hundred at a time) and keeps those whose drive I may open. */
export async function listDriveGroups(): Promise<Group[]> {
  const perPage = 100
  const all: Group[] = []
  for (let page = 1; ; page++) {
    const answer = await listGroups({ scope: 'mine', page, perPage })
    const items = answer.items ?? []
    all.push(...items.filter(hasDrive))
    if (items.length < perPage || page * perPage >= answer.total) return all
  }
}
