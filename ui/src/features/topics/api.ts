import { call, client } from '@/api/client'

const topic = (id: string) => ({ params: { path: { id } } })

/** listTopics gives every topic with how many of the groups one can see are filed under it (employees only). */
export const listTopics = () => call(() => client.GET('/topics'))

export const createTopic = (name: string) => call(() => client.POST('/admin/topics', { body: { name } }))

export const renameTopic = (id: string, name: string) =>
  call(() => client.PATCH('/admin/topics/{id}', { ...topic(id), body: { name } }))

/** deleteTopic leaves the topic's groups as they are, without a topic. */
export const deleteTopic = (id: string) => call(() => client.DELETE('/admin/topics/{id}', topic(id)))
