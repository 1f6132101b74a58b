import { createI18n } from 'vue-i18n'
import { en as vuetifyEn, ru as vuetifyRu } from 'vuetify/locale'
import en from './en.json'
import ru from './ru.json'

export const locales = ['en', 'ru'] as const
export type Locale = (typeof locales)[number]

const storageKey = 'annex.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

// The locale chosen before sign-in (or on this device), else the browser's preference.
function initialLocale(): Locale {
  const stored = localStorage.getItem(storageKey)
  if (isLocale(stored)) return stored
  const preferred = navigator.languages.find((l) => isLocale(l.slice(0, 2)))
  return preferred?.startsWith('ru') ? 'ru' : 'en'
}

/** russianPlural picks a message's form for n as Russian counts: "1 письмо | 2 письма |
 * 5 писем" (one | few | many); vue-i18n's default rule knows only English's two. */
export function russianPlural(n: number, forms: number): number {
  if (forms < 3) return n === 1 ? 0 : 1
  const a = Math.abs(n)
  const ten = a % 10
  const hundred = a % 100
  if (ten === 1 && hundred !== 11) return 0
  if (ten >= 2 && ten <= 4 && (hundred < 12 || hundred > 14)) return 1
  return 2
}

export const i18n = createI18n({
  legacy: false,
  pluralRules: { ru: russianPlural },
  locale: initialLocale(),
  fallbackLocale: 'en',
  // Vuetify's own strings (data tables, steppers, …) come from its catalogues through the adapter.
  messages: { en: { ...en, $vuetify: vuetifyEn }, ru: { ...ru, $vuetify: vuetifyRu } },
})

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}

export function applyLocale(locale: Locale) {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  localStorage.setItem(storageKey, locale)
}

// Translates a server error code, or undefined when the catalogue has no entry for it.
export function errorText(code: string): string | undefined {
  const key = `errors.${code}`
  return i18n.global.te(key) ? i18n.global.t(key) : undefined
}
