import { call, client } from '@/api/client'
import type { TaskCreateInput, TaskEditInput, TasksQuery } from '@/api/types'

const path = (id: string) => ({ params: { path: { id } } })

export const listTasks = (query: TasksQuery) => call(() => client.GET('/tasks', { params: { query } }))
export const getTask = (id: string) => call(() => client.GET('/tasks/{id}', path(id)))
export const createTask = (body: TaskCreateInput) => call(() => client.POST('/tasks', { body }))
export const updateTask = (id: string, body: TaskEditInput) => call(() => client.PATCH('/tasks/{id}', { ...path(id), body }))
export const deleteTask = (id: string) => call(() => client.DELETE('/tasks/{id}', path(id)))

const item = (id: string, itemId: string) => ({ params: { path: { id, itemId } } })
const comment = (id: string, commentId: string) => ({ params: { path: { id, commentId } } })

export const getChecklist = (id: string) => call(() => client.GET('/tasks/{id}/checklist', path(id)))
export const addChecklistItems = (id: string, items: string[]) =>
  call(() => client.POST('/tasks/{id}/checklist', { ...path(id), body: { items } }))
export const setChecklistItem = (id: string, itemId: string, body: { text?: string; done?: boolean; position?: number }) =>
  call(() => client.PATCH('/tasks/{id}/checklist/{itemId}', { ...item(id, itemId), body }))
export const deleteChecklistItem = (id: string, itemId: string) => call(() => client.DELETE('/tasks/{id}/checklist/{itemId}', item(id, itemId)))

export const listComments = (id: string, page: number, perPage: number) =>
  call(() => client.GET('/tasks/{id}/comments', { params: { path: { id }, query: { page, perPage } } }))
export const addComment = (id: string, body: string, mentionIds: string[]) =>
  call(() => client.POST('/tasks/{id}/comments', { ...path(id), body: { body, mentionIds } }))
export const editComment = (id: string, commentId: string, body: string, mentionIds: string[]) =>
  call(() => client.PATCH('/tasks/{id}/comments/{commentId}', { ...comment(id, commentId), body: { body, mentionIds } }))
export const deleteComment = (id: string, commentId: string) => call(() => client.DELETE('/tasks/{id}/comments/{commentId}', comment(id, commentId)))
export const listMentionable = (id: string, q: string) =>
  call(() => client.GET('/tasks/{id}/mentionable', { params: { path: { id }, query: { q } } }))

/** The shapes of a task's checklist and comments, as the operations above answer them. */
export type Checklist = Awaited<ReturnType<typeof getChecklist>>
export type ChecklistItem = Checklist['items'][number]
export type TaskComment = Awaited<ReturnType<typeof addComment>>
export type Mentionable = Awaited<ReturnType<typeof listMentionable>>['items'][number]

/** listAttachments is the drive files attached to a task, each saying whether I attached it. */
export const listAttachments = (id: string) => call(() => client.GET('/tasks/{id}/attachments', path(id)))
export const attachFile = (id: string, itemId: string) => call(() => client.PUT('/tasks/{id}/attachments/{itemId}', item(id, itemId)))
export const detachFile = (id: string, itemId: string) => call(() => client.DELETE('/tasks/{id}/attachments/{itemId}', item(id, itemId)))
