import { describe, expect, it } from 'vitest'
import { passwordMax, passwordStrength } from './passwordStrength'

describe('passwordStrength', () => {
  it('scores 0 outside the length rule', () => {
    expect(passwordStrength('')).toBe(0)
    expect(passwordStrength('Xk9#mQ2$vL7')).toBe(0) // 11 characters
    expect(passwordStrength('a'.repeat(passwordMax + 1))).toBe(0)
  })

  it('counts characters, not UTF-16 units', () => {
    expect(passwordStrength('😀'.repeat(11))).toBe(0)
    expect(passwordStrength('😀'.repeat(12))).toBeGreaterThan(0)
  })

  it.each(['aaaaaaaaaaaa', '123456789012', 'abcdefghijkl', 'password1234', 'Password1234', 'qwertyqwerty', 'пароль123456'])(
    'finds %s weak',
    (pw) => {
      expect(passwordStrength(pw)).toBe(1)
    },
  )

  it.each(['correct horse battery staple', 'Xk9#mQ2$vL7@pR4w', 'мой кот любит сметану по утрам'])(
    'finds %s strong',
    (pw) => {
      expect(passwordStrength(pw)).toBe(4)
    },
  )

  it('rates a random mix of twelve between fair and strong', () => {
    expect(passwordStrength('kq7vnz2wmr5t')).toBeGreaterThanOrEqual(2)
  })

  it('never lowers the score when random characters are added', () => {
    let pw = 'tqmzkrwpxvbn'
    let last = passwordStrength(pw)
    for (const c of 'Hs8@fJ3!qW') {
      pw += c
      const score = passwordStrength(pw)
      expect(score).toBeGreaterThanOrEqual(last)
      last = score
    }
    expect(last).toBe(4)
  })
})
