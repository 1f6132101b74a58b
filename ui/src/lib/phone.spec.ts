import { describe, expect, it } from 'vitest'
import { telHref } from './phone'

describe('telHref', () => {
  it('dials the digits and a leading plus', () => {
    expect(telHref('+49 (30) 123-45 67')).toBe('tel:+49301234567')
    expect(telHref(' 030/123.45 ')).toBe('tel:03012345')
    expect(telHref('8 800 555-35-35')).toBe('tel:88005553535')
  })

  it('has no link without digits', () => {
    expect(telHref('')).toBe('')
    expect(telHref(' + ')).toBe('')
  })
})
