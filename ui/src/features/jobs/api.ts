import { call, client } from '@/api/client'

export const listJobs = () => call(() => client.GET('/admin/jobs'))

export const runJob = (name: string) => call(() => client.POST('/admin/jobs/{name}/run', { params: { path: { name } } }))

export type Job = NonNullable<Awaited<ReturnType<typeof listJobs>>['items']>[number]
