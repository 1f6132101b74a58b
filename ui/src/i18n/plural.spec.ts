import { describe, expect, it } from 'vitest'
import { i18n, russianPlural } from './index'

describe('plurals', () => {
  it('follow Russian one/few/many', () => {
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
})
