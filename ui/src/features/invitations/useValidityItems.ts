import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { validities, type Validity } from './invitations'

/** useValidityItems gives the choices of how long an invitation link works, in words. */
export function useValidityItems() {
  const { t } = useI18n()
  // Written out so that every title is a literal key the i18n linter can check.
  const titles = computed<Record<Validity, string>>(() => ({
    1: t('invitations.validity.h1'),
    24: t('invitations.validity.d1'),
    72: t('invitations.validity.d3'),
    168: t('invitations.validity.d7'),
    336: t('invitations.validity.d14'),
    720: t('invitations.validity.d30'),
  }))
  return computed(() => validities.map((value) => ({ value, title: titles.value[value] })))
}
