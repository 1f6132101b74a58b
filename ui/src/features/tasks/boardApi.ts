// The API of kanban boards: a group's board (its id) or my planner ("me").
import { call, client } from '@/api/client'

const board = (id: string) => ({ params: { path: { board: id } } })
const stage = (id: string, stageId: string) => ({ params: { path: { board: id, stageId } } })

export const getBoard = (id: string, perStage: number) =>
  call(() => client.GET('/boards/{board}', { params: { path: { board: id }, query: { perStage } } }))
export const listStageCards = (id: string, stageId: string, page: number, perPage: number) =>
  call(() => client.GET('/boards/{board}/stages/{stageId}/cards', { params: { path: { board: id, stageId }, query: { page, perPage } } }))
export const addStage = (id: string, name: string) => call(() => client.POST('/boards/{board}/stages', { ...board(id), body: { name } }))
export const setStage = (id: string, stageId: string, body: { name?: string; position?: number }) =>
  call(() => client.PATCH('/boards/{board}/stages/{stageId}', { ...stage(id, stageId), body }))
export const deleteStage = (id: string, stageId: string, target: string) =>
  call(() => client.DELETE('/boards/{board}/stages/{stageId}', { params: { path: { board: id, stageId }, query: { target } } }))
export const moveCard = (id: string, taskId: string, stageId: string, afterId: string) =>
  call(() => client.POST('/boards/{board}/cards/{taskId}/move', { params: { path: { board: id, taskId } }, body: { stageId, afterId } }))

/** A board as the API answers it, and one of its stages. */
export type Board = Awaited<ReturnType<typeof getBoard>>
export type BoardStage = Board['stages'][number]
