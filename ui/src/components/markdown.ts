// Markdown to HTML that is safe to show: the text users write (task descriptions, comments)
// turned into inert HTML for MarkdownText.vue, the one place that puts HTML into the page.
//
// Two walls. markdown-it parses with raw HTML switched off, so everything a user types is
// text except the Markdown itself, and its links and images pass our scheme allow-list.
// DOMPurify then re-parses the result and keeps only the elements and attributes Markdown
// makes, so that a mistake in the first wall (or a bug in a parser) still yields nothing
// that runs, styles the page, or fetches from another host.
import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify'
import MarkdownIt, { type Env, type RendererRule } from 'markdown-it'

export interface MarkdownOptions {
  /**
   * The level of the heading the text sits under: a Markdown "#" becomes one level below it
   * (capped at h6), so the page's outline stays whole. Default 2.
   */
  headingLevel?: number
  /** The address links and images are resolved against; default the document's own. */
  base?: string
}

/** The schemes a link may use; any other (javascript:, data:, vbscript:, file:…) is refused. */
const allowedSchemes = new Set(['http:', 'https:', 'mailto:'])

/** The rel every link that leaves Annex gets. */
export const externalRel = 'noopener noreferrer nofollow'

// DOMPurify's own test, narrowed to our schemes: a value passes when it starts with an
// allowed scheme, or has no scheme at all (a relative address).
const allowedUri = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i

const defaultBase = () => (typeof document !== 'undefined' ? document.baseURI : 'http://localhost/')

/** resolve gives the address a link or image would reach, or null if it is not one. */
function resolve(url: string, base: string): URL | null {
  try {
    return new URL(url, base)
  } catch {
    return null
  }
}

/**
 * linkKind says where an address leads: "local" (same origin as the page), "external" (http
 * or https elsewhere), "mail" (mailto), or null for anything else, which is refused.
 * It looks at the address as the browser will resolve it, so "/\evil.example", " java\tscript:"
 * and "JaVaScRiPt:" are judged as what they are.
 */
export function linkKind(url: string, base: string): 'local' | 'external' | 'mail' | null {
  const to = resolve(url, base)
  if (!to || !allowedSchemes.has(to.protocol)) return null
  if (to.protocol === 'mailto:') return 'mail'
  return to.origin === new URL(base).origin ? 'local' : 'external'
}

/**
 * imageAllowed says whether a picture may load: only from Annex itself, and there not from
 * an API address other than a picture's own, since loading an image is a signed-in GET that
 * the reader did not choose (an export, a download, an event stream).
 */
export function imageAllowed(src: string, base: string): boolean {
  if (linkKind(src, base) !== 'local') return false
  const path = resolve(src, base)!.pathname
  return !path.startsWith('/api/') || /^\/api\/v1\/people\/[^/]+\/photo$/.test(path)
}

// ---- First wall: the parser -------------------------------------------------------------

const md = new MarkdownIt({
  html: false, // "<b>" stays the text "<b>"
  linkify: true, // bare https://… addresses become links
  breaks: true, // a new line in the text area is a new line on the page, as before Markdown
  typographer: false, // the text stays as typed
})
// "readme.md" is a file, not a Moldovan web site: only addresses with a scheme and e-mail
// addresses are linked on their own.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: true })

// Every link and image address, from every syntax (inline, reference, autolink, linkify),
// passes here; one that fails is not made into a link.
md.validateLink = (url: string) => {
  let decoded = url
  try {
    decoded = decodeURIComponent(url)
  } catch {
    // Not percent-encoding after all: judged as it is.
  }
  // Control characters and spaces are dropped by the browser's URL parser ("java\tscript:"),
  // and one written as %09 would be a relative address no one meant: both are refused.
  // eslint-disable-next-line no-control-regex -- matching them is the point
  const squeezed = decoded.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(squeezed)
  return !scheme || allowedSchemes.has(`${scheme[1]!.toLowerCase()}:`)
}

/** What renderMarkdown hands the rules below through markdown-it's env, for one text. */
interface Settings {
  headingLevel: number
  base: string
  /** The links open at this point of the text: true for a link, false for one shown as text. */
  links: boolean[]
}
const settingsKey = Symbol('annex markdown settings')
const settings = (env: Env | undefined) => env?.[settingsKey] as Settings

// Headings move under the heading the text is shown beneath.
const heading: RendererRule = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!
  const level = Number(token.tag.slice(1)) || 1
  token.tag = `h${Math.min(6, level + settings(env).headingLevel)}`
  return self.renderToken(tokens, idx, options)
}
md.renderer.rules.heading_open = heading
md.renderer.rules.heading_close = heading

// Links: an address that leaves Annex opens in a new tab, without telling the other site
// where it came from; one that leads nowhere allowed is its words only.
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!
  const href = String(token.attrGet('href') ?? '')
  const kind = href ? linkKind(href, settings(env).base) : null
  settings(env).links.push(kind !== null)
  if (!kind) return '<span>'
  if (kind !== 'local') token.attrSet('rel', externalRel)
  if (kind === 'external') token.attrSet('target', '_blank')
  return self.renderToken(tokens, idx, options)
}
md.renderer.rules.link_close = (_tokens, _idx, _options, env) => (settings(env).links.pop() === false ? '</span>' : '</a>')

// Images: only from Annex itself. One from elsewhere would tell its host who read the text
// and when, so it becomes a link to the picture, named by its alt text, which the reader may
// choose to open; inside a link it is just its alt text.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!
  const src = String(token.attrGet('src') ?? '')
  const alt = self.renderInlineAsText(token.children ?? [], options, env)
  const kind = src ? linkKind(src, settings(env).base) : null
  if (imageAllowed(src, settings(env).base)) {
    token.attrSet('alt', alt)
    return self.renderToken(tokens, idx, options)
  }
  // renderInlineAsText gives the words as written: they are escaped here.
  const text = md.utils.escapeHtml(alt || src)
  if (!kind || kind === 'mail' || settings(env).links.length > 0 || !text) return text
  const external = kind === 'external' ? ` rel="${externalRel}" target="_blank"` : ''
  return `<a href="${md.utils.escapeHtml(src)}"${external} class="md-image-link">${text}</a>`
}

// Wide tables and code scroll on their own instead of widening the page; a keyboard can
// scroll them too (tabindex), as a mouse can.
md.renderer.rules.table_open = () => '<div class="md-scroll" tabindex="0"><table>\n'
md.renderer.rules.table_close = () => '</table></div>\n'
const fence = md.renderer.rules.fence
const code_block = md.renderer.rules.code_block
md.renderer.rules.fence = (...args) => scrolling(fence?.(...args) ?? '')
md.renderer.rules.code_block = (...args) => scrolling(code_block?.(...args) ?? '')
function scrolling(pre: string) {
  return pre.replace(/^<pre>/, '<pre tabindex="0">')
}

// Column alignment comes as a style attribute, which the second wall removes: a class instead.
const cell: RendererRule = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!
  const align = /text-align:(left|right|center)/.exec(String(token.attrGet('style') ?? ''))
  token.attrs = null
  if (align) token.attrSet('class', `md-align-${align[1]}`)
  return self.renderToken(tokens, idx, options)
}
md.renderer.rules.th_open = cell
md.renderer.rules.td_open = cell

// ---- Second wall: the sanitiser ---------------------------------------------------------

// What markdown-it above produces, and nothing else.
const allowedTags = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li',
  'strong', 'em', 's', 'code', 'pre', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'div', 'span',
]
const allowedAttributes = ['href', 'title', 'alt', 'src', 'start', 'class', 'tabindex']
const allowedClasses = new Set(['md-scroll', 'md-image-link', 'md-align-left', 'md-align-right', 'md-align-center'])

const config: Config = {
  ALLOWED_TAGS: allowedTags,
  ALLOWED_ATTR: allowedAttributes,
  ALLOWED_URI_REGEXP: allowedUri,
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
}

let purifier: Purifier | undefined
let purifierBase = ''

// An instance of our own, so that these hooks touch no other use of DOMPurify.
function purify(base: string) {
  if (!purifier) {
    purifier = DOMPurify(window)
    purifier.addHook('uponSanitizeAttribute', (_node, event) => {
      if (event.attrName === 'class') event.keepAttr = event.attrValue.split(/\s+/).every((c) => allowedClasses.has(c))
      if (event.attrName === 'tabindex') event.keepAttr = event.attrValue === '0'
    })
    purifier.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        const href = node.getAttribute('href')
        const kind = href === null ? null : linkKind(href, purifierBase)
        node.removeAttribute('target')
        node.removeAttribute('rel')
        if (!kind) node.removeAttribute('href')
        if (kind === 'external' || kind === 'mail') node.setAttribute('rel', externalRel)
        if (kind === 'external') node.setAttribute('target', '_blank')
      }
      if (node.tagName === 'IMG') {
        const src = node.getAttribute('src')
        if (src === null || !imageAllowed(src, purifierBase)) node.removeAttribute('src')
      }
    })
  }
  purifierBase = base
  return purifier
}

/**
 * sanitizeHtml keeps of html only what Markdown makes: no scripts, frames, forms, styles or
 * event handlers, links only to http, https, mailto and relative addresses, images only from
 * the page's own origin. External links get rel="noopener noreferrer nofollow" and open in a
 * new tab. Without a DOM to sanitise with, it gives the text escaped, never html as it came.
 */
export function sanitizeHtml(html: string, base: string = defaultBase()): string {
  if (typeof window === 'undefined') return md.utils.escapeHtml(html)
  const p = purify(base)
  if (!p.isSupported) return md.utils.escapeHtml(html)
  return p.sanitize(html, config)
}

/** renderMarkdown turns Markdown into HTML that is safe to put into the page as it is. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const s: Settings = { headingLevel: options.headingLevel ?? 2, base: options.base ?? defaultBase(), links: [] }
  return sanitizeHtml(md.render(source, { [settingsKey]: s }), s.base)
}
