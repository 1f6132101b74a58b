import { call, client } from '@/api/client'
import type { PeopleQuery } from '@/api/types'

export const listPeople = (query: PeopleQuery) => call(() => client.GET('/people', { params: { query } }))

export const getPerson = (id: string) => call(() => client.GET('/people/{id}', { params: { path: { id } } }))
