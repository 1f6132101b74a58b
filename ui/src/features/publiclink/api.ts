// What the visitor of a public link calls: no session, the token from the link, then the
// cookie the server sets when the link is opened (its path is the link's own).
import { call, client } from '@/api/client'

/** openLink opens a link by its token (and its password, if it has one); the browser keeps the cookie. */
export const openLink = (token: string, password = '') =>
  call(() => client.POST('/public/link/open', { body: password ? { token, password } : { token } }), { ownUnauthenticated: true })

/** listLinkItems is a page of the linked folder or of a folder under it ('' for the link's own). */
export const listLinkItems = (link: string, query: { parent?: string; page: number; perPage: number }) =>
  call(() => client.GET('/public/link/{link}/items', { params: { path: { link }, query } }), { ownUnauthenticated: true })

export type OpenedLink = Awaited<ReturnType<typeof openLink>>
export type PublicItem = OpenedLink['item']
export type PublicPage = Awaited<ReturnType<typeof listLinkItems>>
