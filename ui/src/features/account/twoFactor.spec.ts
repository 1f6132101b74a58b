import { describe, expect, it } from 'vitest'
import { groupSecret, recoveryFile } from './twoFactor'

describe('two-factor helpers', () => {
  it('groups a secret by four', () => {
    expect(groupSecret('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')).toBe('ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567')
    expect(groupSecret('ABCDEF')).toBe('ABCD EF')
  })
  it('writes the recovery codes one a line under a heading', () => {
    expect(recoveryFile('Recovery codes', 'anna@example.com', ['aaaa-bbbb-cccc', 'dddd-eeee-ffff'])).toBe(
      'Recovery codes\nanna@example.com\n\naaaa-bbbb-cccc\ndddd-eeee-ffff\n',
    )
  })
})
