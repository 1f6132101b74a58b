import { describe, expect, it } from 'vitest'
import { initials } from './initials'

describe('initials', () => {
  it('takes the first letters of the first and last word', () => {
    expect(initials('Anna Maria Schmidt')).toBe('AS')
    expect(initials('анна петрова')).toBe('АП')
    expect(initials('Boris')).toBe('B')
  })

  it('skips what is not a letter or digit', () => {
    expect(initials('  "Anna" (Acme)  ')).toBe('AA')
    expect(initials('Anna - Smith')).toBe('AS')
    expect(initials('😀 Zoë')).toBe('Z')
  })

  it('is empty for a name without letters', () => {
    expect(initials('')).toBe('')
    expect(initials(' — ')).toBe('')
  })
})
