import { call, client } from '@/api/client'

export const getAccessReport = (id: string) =>
  call(() => client.GET('/admin/users/{id}/access-report', { params: { path: { id } } }))

/** exportHref is the CSV's address: a plain download with the session's cookie. */
export const exportHref = (id: string) => `/api/v1/admin/users/${encodeURIComponent(id)}/access-report/export`

export type AccessReport = Awaited<ReturnType<typeof getAccessReport>>
