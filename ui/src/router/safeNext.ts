/** The page to land on after sign-in when there is no acceptable `next`. */
export const homePath = '/feed'

/**
 * safeNext returns `next` if it is a local path of the SPA (a single leading slash, no
 * scheme, no host, no backslash or control character, not the API; all still true once dot
 * segments are resolved and the path is percent-decoded), else the home page.
 * `next` comes from the query string, so it may be anything an attacker put in a link.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return homePath
  // Browsers read "\" as "/" and drop tabs and newlines, so "/\evil" and "/\t/evil" leave the site.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return homePath
  const base = 'http://annex.invalid'
  let url: URL
  try {
    url = new URL(next, base)
  } catch {
    return homePath
  }
  if (url.origin !== base) return homePath
  // Dot segments are resolved only now ("/.//evil" → "//evil"), and the router decodes the path
  // once more ("/%2F%2Fevil" → "//evil"): what comes out must still be a path of this site.
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return homePath // not even the router could decode it
  }
  // eslint-disable-next-line no-control-regex
  if (/^\/[/\\]/.test(path) || /[\\\u0000-\u001f\u007f]/.test(path)) return homePath
  if (/^\/(api|login|setup)(\/|$)/.test(path)) return homePath
  return url.pathname + url.search + url.hash
}
