// The profile form: what it starts from, and which of its fields go to the server.
import type { Me, MeInput } from '@/api/types'
import type { Locale } from '@/i18n'

/** ProfileForm is what the profile page lets the signed-in person change. */
export interface ProfileForm {
  name: string
  position: string
  company: string
  phone: string
  /** An IANA name, or '' for none. */
  timeZone: string
  locale: Locale
}

/** profileFields are the names the server's field errors use for the form's fields. */
export const profileFields = ['name', 'position', 'company', 'phone', 'timeZone', 'locale'] as const

/** profileFormOf fills the form from the signed-in person. */
export function profileFormOf(me: Me): ProfileForm {
  return {
    name: me.name,
    position: me.position,
    company: me.company,
    phone: me.phone,
    timeZone: me.timeZone,
    locale: me.locale,
  }
}

// The server collapses white space the same way, so "  Anna  " is no change from "Anna".
const clean = (s: string | null | undefined) => (s ?? '').trim().replace(/\s+/g, ' ')

/**
 * profileChanges is the request body for what the form changed: only those fields, so that a
 * change made meanwhile elsewhere (another tab, the language menu) is not written back.
 */
export function profileChanges(me: Me, form: ProfileForm): MeInput {
  const body: MeInput = {}
  for (const name of ['name', 'position', 'company', 'phone', 'timeZone'] as const) {
    if (clean(form[name]) !== clean(me[name])) body[name] = clean(form[name])
  }
  if (form.locale !== me.locale) body.locale = form.locale
  return body
}
