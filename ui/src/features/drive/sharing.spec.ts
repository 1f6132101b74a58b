import { describe, expect, it } from 'vitest'
import type { DriveItem } from '@/api/types'
import { linkBody, mayLink, mayShare, sharedPath } from './sharing'

const folder = (id: string, parentId: string): DriveItem =>
  ({ id, parentId, name: id, kind: 'folder', drive: 'shared', contentType: '', size: 0, versions: 0, createdAt: '', updatedAt: '' }) as DriveItem

describe('where sharing and links are offered', () => {
  it('shares only items of my own My Drive', () => {
    expect(mayShare({ drive: 'me' })).toBe(true)
    expect(mayShare({ drive: 'shared' })).toBe(false)
    expect(mayShare({ drive: 'g1' })).toBe(false)
  })

  it('offers links in My Drive, and in a group drive from edit up', () => {
    expect(mayLink({ drive: 'me' }, undefined)).toBe(true)
    expect(mayLink({ drive: 'g1' }, 'upload')).toBe(false)
    expect(mayLink({ drive: 'g1' }, 'edit')).toBe(true)
    expect(mayLink({ drive: 'g1' }, 'full')).toBe(true)
    expect(mayLink({ drive: 'g1' }, undefined)).toBe(false)
    // Someone else's item shared with me, even to edit: its owner's to link.
    expect(mayLink({ drive: 'shared' }, 'edit')).toBe(false)
  })
})

describe('linkBody', () => {
  it('sends nothing when nothing is chosen', () => {
    expect(linkBody('', '')).toEqual({})
  })

  it('sends the end of the day picked, in the viewer time zone, and the password', () => {
    const body = linkBody('2031-05-20', 'secret1')
    expect(body.password).toBe('secret1')
    expect(new Date(body.expiresAt ?? '').getTime()).toBe(new Date(2031, 4, 20, 23, 59).getTime())
  })

  it('ignores a malformed day', () => {
    expect(linkBody('soon', '')).toEqual({})
  })
})

describe('sharedPath', () => {
  it('stops at the shared folder, whose parent is not mine to see', async () => {
    const items: Record<string, DriveItem> = { top: folder('top', 'ownersRoot'), mid: folder('mid', 'top'), low: folder('low', 'mid') }
    const get = async (id: string) => {
      const hit = items[id]
      if (!hit) throw new Error('not found')
      return hit
    }
    expect((await sharedPath('low', get)).map((f) => f.id)).toEqual(['top', 'mid', 'low'])
  })

  it('fails when the folder itself cannot be read', async () => {
    await expect(sharedPath('gone', async () => Promise.reject(new Error('not found')))).rejects.toThrow()
  })
})
