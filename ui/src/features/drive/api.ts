import { call, client } from '@/api/client'
import type { DriveItemsQuery, Group } from '@/api/types'
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
