import { call, client } from '@/api/client'
import type { AddEmployeeInput, SettingsInput } from '@/api/types'
import type { SmtpFields } from '@/components/smtp'

export const getSettings = () => call(() => client.GET('/admin/settings'))

export const patchSettings = (body: SettingsInput) => call(() => client.PATCH('/admin/settings', { body }))

export const saveSmtp = (body: SmtpFields) => call(() => client.PUT('/admin/settings/smtp', { body }))

export const testSmtp = (body: SmtpFields & { to: string }) =>
  call(() => client.POST('/admin/settings/smtp/test', { body }))

const user = (id: string) => ({ params: { path: { id } } })

export const addEmployee = (body: AddEmployeeInput) => call(() => client.POST('/admin/users', { body }))

export const deactivateUser = (id: string) => call(() => client.POST('/admin/users/{id}/deactivate', user(id)))

export const reactivateUser = (id: string) => call(() => client.POST('/admin/users/{id}/reactivate', user(id)))

/** setUserAdmin needs the password entered within the last minutes: the client asks for it. */
export const setUserAdmin = (id: string, admin: boolean) =>
  call(() => client.PUT('/admin/users/{id}/admin', { ...user(id), body: { admin } }))

/** moveToIntranet needs the password entered within the last minutes: the client asks for it. */
export const moveToIntranet = (id: string) => call(() => client.POST('/admin/users/{id}/move-to-intranet', user(id)))

/** resetTwoFactor turns off a person's two-factor and ends their sessions; it needs a recent password. */
export const resetTwoFactor = (id: string) => call(() => client.POST('/admin/users/{id}/reset-two-factor', user(id)))
/** resetUserPassword gives the person a temporary password, shown once; their sessions end. */
export const resetUserPassword = (id: string) => call(() => client.POST('/admin/users/{id}/reset-password', user(id)))

export const endUserSessions = (id: string) => call(() => client.POST('/admin/users/{id}/end-sessions', user(id)))
