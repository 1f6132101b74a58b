import { call, client } from '@/api/client'
import type { SmtpFields } from '@/components/smtp'

export const getSettings = () => call(() => client.GET('/admin/settings'))

export const patchSettings = (body: { companyName?: string; baseUrl?: string; extranetEnabled?: boolean }) =>
  call(() => client.PATCH('/admin/settings', { body }))

export const saveSmtp = (body: SmtpFields) => call(() => client.PUT('/admin/settings/smtp', { body }))

export const testSmtp = (body: SmtpFields & { to: string }) =>
  call(() => client.POST('/admin/settings/smtp/test', { body }))
