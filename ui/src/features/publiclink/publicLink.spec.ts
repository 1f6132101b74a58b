import { describe, expect, it } from 'vitest'
import { closedBy, linkContentUrl, linkPath, tokenOfHash } from './publicLink'

describe('tokenOfHash', () => {
  it('reads the token after #, as links are made', () => {
    expect(tokenOfHash('#AbC-d_e')).toBe('AbC-d_e')
  })

  it('reads token=… too, and nothing from an empty fragment', () => {
    expect(tokenOfHash('#token=xyz')).toBe('xyz')
    expect(tokenOfHash('#')).toBe('')
    expect(tokenOfHash('')).toBe('')
  })

  it('survives a token mangled by a mail program', () => {
    expect(tokenOfHash('#abc%20')).toBe('abc')
    expect(tokenOfHash('#%E0%A4%A')).toBe('%E0%A4%A')
  })
})

describe('closedBy', () => {
  it('names why a link does not open', () => {
    expect(closedBy('link_revoked')).toBe('revoked')
    expect(closedBy('link_expired')).toBe('expired')
    expect(closedBy('link_off')).toBe('off')
    expect(closedBy('link_gone')).toBe('gone')
    expect(closedBy('link_unknown')).toBe('unknown')
  })

  it('leaves other answers to the page', () => {
    expect(closedBy('link_password_wrong')).toBeUndefined()
    expect(closedBy('network')).toBeUndefined()
    expect(closedBy('toString')).toBeUndefined()
  })
})

describe('linkContentUrl', () => {
  it('reads the linked file, or a file under the linked folder, to save or to show', () => {
    expect(linkContentUrl('L1', '')).toBe('/api/v1/public/link/L1/content')
    expect(linkContentUrl('L1', 'f 2')).toBe('/api/v1/public/link/L1/content?item=f+2')
    expect(linkContentUrl('L1', 'f2', true)).toBe('/api/v1/public/link/L1/content?item=f2&inline=true')
  })
})

describe('linkPath', () => {
  it('walks up to the linked folder, asking only for what is not known', async () => {
    const above = { a: { id: 'a', parentId: '', name: 'Linked' }, b: { id: 'b', parentId: 'a', name: 'Sub' } }
    const asked: string[] = []
    const path = await linkPath({ id: 'c', parentId: 'b', name: 'Deep' }, async (id) => {
      asked.push(id)
      return above[id as 'a' | 'b']
    })
    expect(path.map((f) => f.name)).toEqual(['Linked', 'Sub', 'Deep'])
    expect(asked).toEqual(['b', 'a'])
  })

  it('is the folder alone at the top of the link', async () => {
    expect(await linkPath({ id: 'a', parentId: '', name: 'Linked' }, async () => Promise.reject(new Error('no')))).toHaveLength(1)
  })
})
