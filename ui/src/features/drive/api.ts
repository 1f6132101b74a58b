import { call, client } from '@/api/client'
import type { DriveItemsQuery } from '@/api/types'

const item = (id: string) => ({ params: { path: { id } } })

/** listItems is a page of a folder of a drive: "me" for My Drive, else a group's id. */
export const listItems = (drive: string, query: DriveItemsQuery) =>
  call(() => client.GET('/drives/{drive}/items', { params: { path: { drive }, query } }))
export const createFolder = (drive: string, name: string, parentId: string) =>
  call(() => client.POST('/drives/{drive}/folders', { params: { path: { drive } }, body: { name, parentId } }))
export const getItem = (id: string) => call(() => client.GET('/drive/items/{id}', item(id)))
export const listVersions = (id: string) => call(() => client.GET('/drive/items/{id}/versions', item(id)))
