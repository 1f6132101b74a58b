import { useI18n } from 'vue-i18n'
import type { SubmitEventPromise } from 'vuetify'
import { passwordMax, passwordMin } from './passwordStrength'

type Rule = (value: unknown) => true | string

/** useRules gives the few checks the forms make before the server has its say. */
export function useRules() {
  const { t } = useI18n()
  const required: Rule = (v) => (typeof v === 'string' ? v.trim() !== '' : v != null) || t('errors.required')
  const passwordLength: Rule = (v) => {
    const length = [...String(v ?? '')].length
    if (length < passwordMin) return t('errors.password_too_short')
    if (length > passwordMax) return t('errors.password_too_long')
    return true
  }
  return { required, passwordLength }
}

/** whenValid makes a v-form submit handler that runs action only when the form's rules pass. */
export const whenValid = (action: () => unknown) => async (event: SubmitEventPromise) => {
  if ((await event).valid) await action()
}
