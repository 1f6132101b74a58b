// Small helpers of the two-factor pages, kept apart so they are tested without a browser.

/** groupSecret splits a base32 secret into groups of four for reading and typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}

/** recoveryFile is the text of the downloadable recovery codes. */
export function recoveryFile(heading: string, account: string, codes: readonly string[]): string {
  return [heading, account, '', ...codes, ''].join('\n')
}

/** download offers text as a file, made in the browser (nothing is sent anywhere). */
export function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
