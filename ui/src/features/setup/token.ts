// The setup token arrives in the fragment of the link the server prints, so it is never sent
// in a request line or a Referer; it lives in this tab's session storage until setup ends.
const key = 'annex.setupToken'

export function setSetupToken(token: string) {
  sessionStorage.setItem(key, token)
}

export function setupToken(): string {
  return sessionStorage.getItem(key) ?? ''
}

export function clearSetupToken() {
  sessionStorage.removeItem(key)
}
