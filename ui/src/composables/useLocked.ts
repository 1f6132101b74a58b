import { mdiLock } from '@mdi/js'
import { toValue, type MaybeRefOrGetter } from 'vue'
import { useI18n } from 'vue-i18n'

/**
 * useLocked gives the props of a field whose value is fixed by the configuration file or
 * the environment: disabled, with a lock and a hint saying where it is set, and without
 * rules (nobody here can correct it). Bind them after the field's own props.
 */
export function useLocked(locked: MaybeRefOrGetter<readonly string[]>) {
  const { t } = useI18n()
  return (name: string) =>
    toValue(locked).includes(name)
      ? {
          disabled: true,
          appendInnerIcon: mdiLock,
          hint: t('common.locked'),
          persistentHint: true,
          rules: [],
          class: 'field--locked',
        }
      : {}
}
