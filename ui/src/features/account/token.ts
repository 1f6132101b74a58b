// The links of password reset and e-mail change carry their token in the fragment
// (/reset-password#token=…, /confirm-email#token=…), so it is never sent in a request line or a
// Referer. The router moves it here and drops it from the address, as for invitations; it lives in
// this tab's session storage until the link has been used.
export type LinkKind = 'reset' | 'email'

const key = (kind: LinkKind) => `annex.${kind}Token`

export function setLinkToken(kind: LinkKind, token: string) {
  sessionStorage.setItem(key(kind), token)
}

export function linkToken(kind: LinkKind): string {
  return sessionStorage.getItem(key(kind)) ?? ''
}

export function clearLinkToken(kind: LinkKind) {
  sessionStorage.removeItem(key(kind))
}
