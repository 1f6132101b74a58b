import { describe, expect, it } from 'vitest'
import { i18n, russianPlural } from './index'

describe('plural forms', () => {
  it('follow Russian counting: one, few, many', () => {
    const form = (n: number) => ['место', 'места', 'мест'][russianPlural(n, 3)]
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].map(form)).toEqual([
      'место', 'места', 'места', 'мест', 'мест', 'мест', 'мест', 'место', 'места', 'мест', 'место', 'мест',
    ])
  })

  it('say "1 of 1 seat", not "1 of 1 seats"', () => {
    const t = i18n.global.t
    i18n.global.locale.value = 'en'
    expect(t('licence.seatsUsed', { used: 1, seats: 1 }, 1)).toBe('1 of 1 seat in use')
    expect(t('licence.seatsUsed', { used: 3, seats: 10 }, 10)).toBe('3 of 10 seats in use')
  })

  it('name one mail in the singular and many in the plural, in both languages', () => {
    const { t } = i18n.global
    expect(t('mail.outbox.sent', 1, { locale: 'ru' })).toBe('Отправлено')
    expect(t('mail.outbox.sent', 2, { locale: 'ru' })).toBe('Отправлены')
    expect(t('mail.outbox.count', 1, { locale: 'ru' })).toBe('1 письмо')
    expect(t('mail.outbox.count', 3, { locale: 'ru' })).toBe('3 письма')
    expect(t('mail.outbox.count', 11, { locale: 'ru' })).toBe('11 писем')
    expect(t('mail.outbox.count', 1, { locale: 'en' })).toBe('1 mail')
    expect(t('mail.outbox.count', 2, { locale: 'en' })).toBe('2 mails')
  })
})
