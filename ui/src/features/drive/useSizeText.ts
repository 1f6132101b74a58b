import { useI18n } from 'vue-i18n'
import type { SizeUnit } from '@/features/backup/progress'
import { formatSize } from './drive'

/** useSizeText writes a byte count in human units of the page's language ("1.5 MB", "1,5 МБ"). */
export function useSizeText() {
  const { t, locale } = useI18n()
  return (bytes: number) => {
    // Every key spelled out, so that the catalogue check sees each in use.
    const units: Record<SizeUnit, string> = {
      B: t('backups.units.B'),
      KB: t('backups.units.KB'),
      MB: t('backups.units.MB'),
      GB: t('backups.units.GB'),
      TB: t('backups.units.TB'),
    }
    return formatSize(bytes, locale.value, units)
  }
}
