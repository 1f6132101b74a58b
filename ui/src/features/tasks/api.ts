import { call, client } from '@/api/client'
import type { TaskCreateInput, TaskEditInput, TasksQuery } from '@/api/types'

const path = (id: string) => ({ params: { path: { id } } })

export const listTasks = (query: TasksQuery) => call(() => client.GET('/tasks', { params: { query } }))
export const getTask = (id: string) => call(() => client.GET('/tasks/{id}', path(id)))
export const createTask = (body: TaskCreateInput) => call(() => client.POST('/tasks', { body }))
export const updateTask = (id: string, body: TaskEditInput) => call(() => client.PATCH('/tasks/{id}', { ...path(id), body }))
export const deleteTask = (id: string) => call(() => client.DELETE('/tasks/{id}', path(id)))
