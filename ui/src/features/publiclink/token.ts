// A public link carries its token in the fragment (/s#…), so it is never sent in a request
// line or a Referer. The router moves it here and drops it from the address; it lives in this
// tab's session storage, so that reloading the page opens the link again. The link's id, once
// opened, is kept beside it: its cookie lets the page read the link again without asking
// the password once more.
import { readonly, ref } from 'vue'

const tokenKey = 'annex.linkToken'
const openedKey = 'annex.linkOpened'

const current = ref(sessionStorage.getItem(tokenKey) ?? '')

/** latestPublicToken follows the token, so an open page notices another link opened in the same tab. */
export const latestPublicToken = readonly(current)

export function setPublicToken(token: string) {
  if (sessionStorage.getItem(tokenKey) !== token) sessionStorage.removeItem(openedKey)
  sessionStorage.setItem(tokenKey, token)
  current.value = token
}

export function publicToken(): string {
  return sessionStorage.getItem(tokenKey) ?? ''
}

/** openedLink is the id of the link this tab opened with its token, if it did. */
export function openedLink(): string {
  return sessionStorage.getItem(openedKey) ?? ''
}

export function setOpenedLink(id: string) {
  if (id) sessionStorage.setItem(openedKey, id)
  else sessionStorage.removeItem(openedKey)
}
