import { describe, expect, it } from 'vitest'
import { i18n, russianPlural } from './index'

describe('plural forms', () => {
  it('follow Russian counting: one, few, many', () => {
    const form = (n: number) => russianPlural(n, 3)
    expect([1, 21, 101].map(form)).toEqual([0, 0, 0])
    expect([2, 3, 4, 22, 104].map(form)).toEqual([1, 1, 1, 1, 1])
    expect([0, 5, 11, 12, 14, 25, 111].map(form)).toEqual([2, 2, 2, 2, 2, 2, 2])
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
