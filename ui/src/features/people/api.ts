import { call, client } from '@/api/client'
import type { PeopleQuery } from '@/api/types'

export const listPeople = (query: PeopleQuery) => call(() => client.GET('/people', { params: { query } }))

export const getPerson = (id: string) => call(() => client.GET('/people/{id}', { params: { path: { id } } }))

export const setAccessExpiry = (id: string, expiresAt: string | null) =>
  call(() => client.PUT('/people/{id}/access-expiry', { params: { path: { id } }, body: { expiresAt } }))

export const extendAccess = (id: string) =>
  call(() => client.POST('/people/{id}/access-expiry/extend', { params: { path: { id } } }))
