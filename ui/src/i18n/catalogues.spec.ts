import { describe, expect, it } from 'vitest'
import en from './en.json'
import ru from './ru.json'
// The server's catalogue: every error code it can send needs a fallback text here.
import server from '../../../app/i18n/en.json'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('i18n catalogues', () => {
  it('en and ru have exactly the same keys', () => {
    expect(keys(ru).sort()).toEqual(keys(en).sort())
  })

  it('have no empty messages', () => {
    for (const tree of [en, ru]) {
      const leaves = keys(tree).map((k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], tree))
      expect(leaves.every((v) => typeof v === 'string' && v.trim() !== '')).toBe(true)
    }
  })
})

describe('error codes', () => {
  it('cover every error and field code of the server', () => {
    const codes = Object.keys(server)
      .filter((k) => k.startsWith('error.') || k.startsWith('field.'))
      .map((k) => k.slice(k.indexOf('.') + 1))
    expect(codes.length).toBeGreaterThan(0)
    expect(codes.filter((code) => !(code in en.errors))).toEqual([])
  })
})
