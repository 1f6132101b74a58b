import type { SmtpInput, SmtpView } from '@/api/types'

/** SmtpFields is what the mail form edits: every field of the request, none missing. */
export type SmtpFields = Required<SmtpInput>

/** smtpFields starts the mail form from the stored settings (the password is never sent back). */
export function smtpFields(view: SmtpView): SmtpFields {
  return {
    enabled: view.enabled,
    host: view.host,
    port: view.port || 587,
    security: view.security || 'starttls',
    username: view.username,
    password: '',
    from: view.from,
  }
}
