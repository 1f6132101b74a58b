import { call, client } from '@/api/client'

export const getLicence = () => call(() => client.GET('/admin/licence'))

/**
 * installLicence installs a licence file's text; empty text returns to the free edition.
 * It needs the password entered within the last minutes: the client asks for it.
 */
export const installLicence = (text: string) => call(() => client.PUT('/admin/licence', { body: { text } }))

/** LicenceInfo is the licence in force and the seats in use. */
export type LicenceInfo = Awaited<ReturnType<typeof getLicence>>
