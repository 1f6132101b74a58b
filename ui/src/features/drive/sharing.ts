// The rules of sharing and public links that need no page (docs/drive.md, "Sharing" and
// "Public links"): where they are offered, how a link's expiry is sent, and the path of
// folders above one shared with me.
import type { DriveItem, DriveLevel } from '@/api/types'
import { dayEnd } from '@/lib/dates'
import { atLeast, myDrive } from './drive'
import type { ShareLevel } from './linkApi'

/** The drive of what others shared with me, in the API and in the address. */
export const sharedDrive = 'shared'

/** The levels an item is shared at, from least to most. */
export const shareLevels: readonly ShareLevel[] = ['view', 'edit']

/** The shortest password of a link the server takes. */
export const minLinkPassword = 6

/** mayShare tells an item whose shares I may see and change: one of my own My Drive. */
export function mayShare(item: Pick<DriveItem, 'drive'>): boolean {
  return item.drive === myDrive
}

/**
 * mayLink tells an item I may make public links to: one of my My Drive, or of a group's
 * drive where my level in its folder (the page's) is edit or more. The policy is the
 * server's to apply: a refusal is shown in its words.
 */
export function mayLink(item: Pick<DriveItem, 'drive'>, level: DriveLevel | undefined): boolean {
  if (item.drive === myDrive) return true
  if (item.drive === sharedDrive) return false
  return atLeast(level, 'edit')
}

/** linkBody is what is sent to make a link: an expiry at the end of the day picked, and a password, when given. */
export function linkBody(day: string, password: string): { expiresAt?: string; password?: string } {
  const body: { expiresAt?: string; password?: string } = {}
  const expiresAt = day ? dayEnd(day) : ''
  if (expiresAt) body.expiresAt = expiresAt
  if (password) body.password = password
  return body
}

/** The longest way up a path of folders is followed: a loop in the answers cannot hang the page. */
const maxDepth = 64

/**
 * sharedPath is the folders from the one shared with me down to folder (itself last), each
 * read with get. The shared folder's own parent is its owner's and not mine to see: the walk
 * stops at the first folder above that cannot be read.
 */
export async function sharedPath(folder: string, get: (id: string) => Promise<DriveItem>): Promise<DriveItem[]> {
  let top = await get(folder)
  const path = [top]
  while (top.parentId && path.length < maxDepth) {
    try {
      top = await get(top.parentId)
    } catch {
      break
    }
    path.unshift(top)
  }
  return path
}
