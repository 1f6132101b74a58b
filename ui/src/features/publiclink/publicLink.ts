// The visitor's side of a public link (docs/drive.md, "Public links"), without the page:
// the token in the link, why a link does not open, where a file is read, and the path of
// folders within the link.

/**
 * tokenOfHash is the token in a link's fragment: "#<token>" as Annex makes them, or
 * "#token=<token>" like the other links sent by Annex.
 */
export function tokenOfHash(hash: string): string {
  const raw = hash.replace(/^#/, '').trim()
  if (!raw) return ''
  if (raw.includes('=')) return new URLSearchParams(raw).get('token')?.trim() ?? ''
  try {
    return decodeURIComponent(raw).trim()
  } catch {
    return raw
  }
}

/** Why a link does not open, each said to the visitor on a page of its own. */
export type ClosedLink = 'unknown' | 'revoked' | 'expired' | 'off' | 'gone'

const closedCodes: Record<string, ClosedLink> = {
  link_unknown: 'unknown',
  link_revoked: 'revoked',
  link_expired: 'expired',
  link_off: 'off',
  link_gone: 'gone',
}

/** closedBy is why a link does not open, if an error code says it does not. */
export function closedBy(code: string): ClosedLink | undefined {
  return Object.hasOwn(closedCodes, code) ? closedCodes[code] : undefined
}

/** The codes answered to a password: asked for, wrong, or too many wrong ones for now. */
export const passwordCodes: readonly string[] = ['link_password_needed', 'link_password_wrong', 'link_password_blocked']

/** linkContentUrl is where a visitor reads a file of a link ('' for the linked file itself); inline to be shown. */
export function linkContentUrl(link: string, item: string, inline = false): string {
  const params = new URLSearchParams()
  if (item) params.set('item', item)
  if (inline) params.set('inline', 'true')
  const query = params.toString()
  return `/api/v1/public/link/${encodeURIComponent(link)}/content${query ? `?${query}` : ''}`
}

/** What the path within a link needs of a folder. */
export interface LinkFolder {
  id: string
  parentId: string
  name: string
}

const maxDepth = 64

/**
 * linkPath is the folders from the link's own (whose parentId is empty) down to folder
 * (itself last), each above it read with get.
 */
export async function linkPath<F extends LinkFolder>(folder: F, get: (id: string) => Promise<F>): Promise<F[]> {
  const path = [folder]
  for (let top = folder; top.parentId && path.length < maxDepth; ) {
    top = await get(top.parentId)
    path.unshift(top)
  }
  return path
}
