import { ApiError, call, client } from '@/api/client'
import type { SmtpFields } from '@/components/smtp'
import { router } from '@/router'
import { useSession } from '@/stores/session'
import { clearSetupToken, setupToken } from './token'

// Once setup is finished, everything under /setup answers 404: only sign-in is left.
const setupCall: typeof call = async (send) => {
  try {
    return await call(send)
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      clearSetupToken()
      useSession().setupPending = false
      await router.replace('/login')
    }
    throw e
  }
}

// Every setup call carries the one-time token from the link the server printed.
const withToken = () => ({ params: { header: { 'X-Setup-Token': setupToken() } } })

export const getSetup = () => setupCall(() => client.GET('/setup', withToken()))

export const saveCompany = (body: { name: string; baseUrl: string }) =>
  setupCall(() => client.PUT('/setup/company', { ...withToken(), body }))

export const saveAdmin = (body: { name: string; email: string; password: string }) =>
  setupCall(() => client.PUT('/setup/admin', { ...withToken(), body }))

export const saveSmtp = (body: SmtpFields) => setupCall(() => client.PUT('/setup/smtp', { ...withToken(), body }))

export const testSmtp = (body: SmtpFields & { to: string }) =>
  setupCall(() => client.POST('/setup/smtp/test', { ...withToken(), body }))

export const saveLicence = (text: string) =>
  setupCall(() => client.PUT('/setup/licence', { ...withToken(), body: { text } }))

export const saveExtranet = (enabled: boolean) =>
  setupCall(() => client.PUT('/setup/extranet', { ...withToken(), body: { enabled } }))

export const finishSetup = () => setupCall(() => client.POST('/setup/finish', withToken()))
