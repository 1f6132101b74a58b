import { call, client } from '@/api/client'

export const getSystem = () => call(() => client.GET('/admin/system'))

export type SystemReport = Awaited<ReturnType<typeof getSystem>>
export type Check = NonNullable<SystemReport['checks']>[number]
