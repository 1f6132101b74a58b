// The invitation link carries its token in the fragment (/invite#token=…), so it is never
// sent in a request line or a Referer. The router moves it here and drops it from the
// address; it lives in this tab's session storage, so that it survives a detour through
// the sign-in page, until the invitation is accepted or declined.
import { readonly, ref } from 'vue'

const key = 'annex.inviteToken'
const current = ref(sessionStorage.getItem(key) ?? '')

/** latestInviteToken follows the token, so an open page notices a new link opened in the same tab. */
export const latestInviteToken = readonly(current)

export function setInviteToken(token: string) {
  sessionStorage.setItem(key, token)
  current.value = token
}

export function inviteToken(): string {
  return sessionStorage.getItem(key) ?? ''
}

export function clearInviteToken() {
  sessionStorage.removeItem(key)
  current.value = ''
}
