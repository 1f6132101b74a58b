import { describe, expect, it, vi } from 'vitest'
import { createApp, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { externalRel, linkKind, renderMarkdown, sanitizeHtml } from './markdown'
import MarkdownText from './MarkdownText.vue'

// The page the text is shown on: relative links and images resolve against it.
const base = 'https://annex.example/tasks/t1'
const render = (source: string) => renderMarkdown(source, { base })

// What the output may hold at all; anything else is a failure of both walls.
const safeTags = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'strong',
  'em', 's', 'code', 'pre', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'span',
])
const safeAttributes = new Set(['href', 'title', 'alt', 'src', 'start', 'class', 'tabindex', 'rel', 'target'])

function parse(html: string): DocumentFragment {
  // A template's content is inert: nothing in it runs or loads while we look.
  const t = document.createElement('template')
  t.innerHTML = html
  return t.content
}

/** problems lists everything in html that could run, style the page, or reach another host. */
function problems(html: string): string[] {
  const found: string[] = []
  for (const el of parse(html).querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase()
    if (!safeTags.has(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`element <${tag}>`)
    for (const { name, value } of el.attributes) {
      // DOMPurify empties an "is" it cannot remove from the element it parsed; empty, it is nothing.
      if (name === 'is' && value === '') continue
      if (!safeAttributes.has(name)) found.push(`attribute ${name} on <${tag}>`)
      if (name === 'href') {
        const to = new URL(value, base)
        if (!['http:', 'https:', 'mailto:'].includes(to.protocol)) found.push(`link to ${value}`)
        if (to.origin !== new URL(base).origin && to.protocol !== 'mailto:' && el.getAttribute('rel') !== externalRel) {
          found.push(`external link ${value} without rel`)
        }
      }
      if (name === 'src' && new URL(value, base).origin !== new URL(base).origin) found.push(`remote source ${value}`)
      if (name === 'target' && (value !== '_blank' || el.getAttribute('rel') !== externalRel)) found.push(`target without rel`)
      if (name === 'class' && !/^md-[a-z-]+$/.test(value)) found.push(`class ${value}`)
    }
  }
  return found
}

/** expectInert checks html, and html parsed and written out again (mutation XSS), for problems. */
function expectInert(html: string, input: string) {
  expect(problems(html), `${input}\n→ ${html}`).toEqual([])
  const again = document.createElement('div')
  again.innerHTML = html
  expect(problems(again.innerHTML), `${input} (parsed again)\n→ ${again.innerHTML}`).toEqual([])
}

// Markdown that tries to make links, images and HTML that run or reach out.
const hostileMarkdown = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<svg onload=alert(1)>',
  '<svg><g/onload=alert(2)//<p>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<style>body{display:none}</style>',
  '<form action="https://evil.example"><input name=p><button>Go</button></form>',
  '<a href="javascript:alert(1)">raw link</a>',
  '<a href="https://ok.example" onclick="alert(1)">raw link with handler</a>',
  '<p style="position:fixed;inset:0">cover</p>',
  '<div style="background:url(https://evil.example/x.png)">x</div>',
  '<math><mi xlink:href="data:x,<script>alert(4)</script>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))',
  '[x](java&#9;script:alert(1))',
  '[x](java&#x0A;script:alert(1))',
  '[x](<java\tscript:alert(1)>)',
  '[x](<javascript\n:alert(1)>)',
  '[x]( javascript:alert(1))',
  '[x](\u0001javascript:alert(1))',
  '[x](vbscript:msgbox(1))',
  '[x](VBScript:msgbox(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](DATA:text/html,hi)',
  '[x](file:///etc/passwd)',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '[x][ref]\n\n[ref]: <data:text/html,hi> "t"',
  '<javascript:alert(1)>',
  '<data:text/html,hi>',
  '<vbscript:msgbox(1)>',
  'javascript:alert(1) and data:text/html,hi as bare text',
  '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  '[x](https://ok.example" onclick="alert(1))',
  '<https://ok.example" onclick="alert(1)>',
  '**<img src=x onerror=alert(1)>** _<svg onload=alert(1)>_',
  '[<img src=x onerror=alert(1)>](https://ok.example)',
  '`<script>alert(1)</script>` and\n\n```html\n<script>alert(1)</script>\n```',
  '> <iframe src=javascript:alert(1)>\n> - [x](javascript:alert(1))',
  '| a | <script>alert(1)</script> |\n|---|---|\n| [x](javascript:alert(1)) | ![i](https://evil.example/i.png) |',
  '![a](https://evil.example/x.png)',
  '![a](http://evil.example/x.png "title")',
  '![a](//evil.example/x.png)',
  '![a](/\\evil.example/x.png)',
  '![a](javascript:alert(1))',
  '![a](data:image/svg+xml,<svg onload=alert(1)>)',
  '![a](data:image/png;base64,iVBORw0KGgo=)',
  '![a][img]\n\n[img]: https://evil.example/ref.png',
  '![<img src=x onerror=alert(1)>](https://evil.example/x.png)',
  '[![a](https://evil.example/x.png)](https://ok.example)',
  '[![a](https://evil.example/x.png)](javascript:alert(1))',
  '<img src="https://evil.example/x.png">',
  '<a id="cookie" name="cookie">clobber</a>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<details open ontoggle=alert(1)><summary>x</summary></details>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '*'.repeat(50) + '<img src=x onerror=alert(1)>' + '*'.repeat(50),
  '['.repeat(40) + 'x' + '](javascript:alert(1))'.repeat(40),
]

// HTML that reaches the second wall directly, as if the parser had let it through: DOMPurify's
// own test lists and the mutation XSS classics.
const hostileHtml = [
  '<script>alert(1)</script><p>after</p>',
  '<img src=x onerror=alert(1)>',
  '<img src="https://evil.example/x.png" alt="remote">',
  '<img src="/ok.png" onerror="alert(1)" srcset="https://evil.example/x.png 1x">',
  '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<iframe src="javascript:alert(1)"></iframe><object data="x"></object><embed src="x">',
  '<svg onload=alert(1)><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
  '<math href="javascript:alert(1)">click</math>',
  '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(1)>"></style></h1>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="javascript:alert(1)">a</a>',
  '<a href="JaVaScRiPt:alert(1)">a</a>',
  '<a href="javas&#x09;cript:alert(1)">a</a>',
  '<a href="&#x6A;avascript:alert(1)">a</a>',
  '<a href=" &#14; javascript:alert(1)">a</a>',
  '<a href="vbscript:msgbox(1)">a</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
  '<a href="https://ok.example" target="_self" rel="opener">a</a>',
  '<a href="//evil.example/x">protocol-relative</a>',
  '<a href="/\\evil.example/x">backslash</a>',
  '<a href="mailto:a@example.com" target="_top">mail</a>',
  '<p style="color:red" class="position-fixed d-none">styled</p>',
  '<pre tabindex="-1" class="md-scroll evil">x</pre>',
  '<div tabindex="5" data-x="1" aria-label="x" id="app" name="x">x</div>',
  '<style>*{display:none}</style><link rel="stylesheet" href="https://evil.example/s.css">',
  '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button><input autofocus onfocus=alert(1)></form>',
  '<template><script>alert(1)</script></template><details open ontoggle=alert(1)>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0">',
  '<table background="javascript:alert(1)"><tr><td background="https://evil.example/x.png">x</td></tr></table>',
  '<a href="https://ok.example"><img src="https://evil.example/x.png"></a>',
  '<video src="https://evil.example/v.mp4" poster="https://evil.example/p.png"></video><audio src="x">',
  '<isindex action="javascript:alert(1)" type=image><marquee onstart=alert(1)>',
  '<x onclick=alert(1)>custom</x><p is="x-y">is</p>',
]

describe('renderMarkdown keeps hostile Markdown inert', () => {
  it.each(hostileMarkdown)('%s', (input) => {
    expectInert(render(input), input)
  })

  it('shows raw HTML as the text that was typed', () => {
    const out = parse(render('<script>alert(1)</script> <b>bold?</b>'))
    expect(out.querySelector('script, b')).toBeNull()
    expect(out.textContent).toContain('<script>alert(1)</script> <b>bold?</b>')
  })

  it('makes no link of a refused address, in any spelling', () => {
    for (const input of hostileMarkdown.filter((s) => /^\[x\]\((?!https)/.test(s))) {
      expect(parse(render(input)).querySelector('a'), input).toBeNull()
    }
  })

  it('loads no picture from another host: it is a link named by its alt text', () => {
    const out = parse(render('![the plan](https://evil.example/plan.png)'))
    expect(out.querySelector('img')).toBeNull()
    const a = out.querySelector('a')
    expect(a?.getAttribute('href')).toBe('https://evil.example/plan.png')
    expect(a?.textContent).toBe('the plan')
    expect(a?.className).toBe('md-image-link')
    expect(a?.getAttribute('rel')).toBe(externalRel)
    expect(a?.getAttribute('target')).toBe('_blank')
    // Without alt text, the address names it; inside a link, only the words are left.
    expect(parse(render('![](https://evil.example/x.png)')).textContent?.trim()).toBe('https://evil.example/x.png')
    const linked = parse(render('[![a logo](https://evil.example/x.png)](https://ok.example/)'))
    expect(linked.querySelectorAll('a')).toHaveLength(1)
    expect(linked.querySelector('a')?.textContent).toBe('a logo')
    // Alt text is words, never markup.
    expect(parse(render('![<b>x</b>](https://evil.example/x.png)')).querySelector('b')).toBeNull()
  })

  it('keeps a picture from Annex itself', () => {
    for (const src of ['/api/v1/people/u1/photo', 'https://annex.example/p.png', 'photo.png']) {
      const img = parse(render(`![me](${src})`)).querySelector('img')
      expect(img?.getAttribute('alt'), src).toBe('me')
      expect(new URL(img?.getAttribute('src') ?? '', base).origin).toBe('https://annex.example')
    }
  })

  it('loads no API address as a picture but a photo, so reading cannot export or download', () => {
    for (const src of ['/api/v1/admin/activity/export', 'https://annex.example/api/v1/events', '/api/v1/admin/backups/x']) {
      const doc = parse(render(`![x](${src})`))
      expect(doc.querySelector('img'), src).toBeNull()
      expect(doc.querySelector('a')?.getAttribute('target'), src).toBeNull()
      expect(sanitizeHtml(`<img src="${src}" alt="x">`, base), src).not.toContain('src=')
    }
  })
})

describe('sanitizeHtml, the second wall, keeps hostile HTML inert', () => {
  it.each(hostileHtml)('%s', (input) => {
    expectInert(sanitizeHtml(input, base), input)
  })

  it('leaves no handler, style or foreign class, and marks links that leave', () => {
    const out = parse(hostileHtml.map((html) => sanitizeHtml(html, base)).join('\n'))
    expect(out.querySelector('script, iframe, object, embed, style, form, input, button, svg, math, link, meta, base')).toBeNull()
    expect(out.querySelector('[style], [id], [name], [srcset], [onerror], [onclick]')).toBeNull()
    const ok = out.querySelector('a[href="https://ok.example"]')
    expect(ok?.getAttribute('rel')).toBe(externalRel)
    expect(ok?.getAttribute('target')).toBe('_blank')
    expect(out.querySelector('a[href^="mailto:"]')?.hasAttribute('target')).toBe(false)
    // "/\evil.example" is another host to a browser, so it is treated as one.
    const backslash = [...out.querySelectorAll('a')].find((a) => a.getAttribute('href') === '/\\evil.example/x')
    expect(backslash?.getAttribute('rel')).toBe(externalRel)
    expect(backslash?.getAttribute('target')).toBe('_blank')
  })

  it('keeps only the one tabindex and the classes it made', () => {
    const out = parse(sanitizeHtml('<div class="md-scroll" tabindex="0">a</div><pre tabindex="-1" class="x">b</pre>', base))
    expect(out.querySelector('div')?.getAttribute('tabindex')).toBe('0')
    expect(out.querySelector('div')?.className).toBe('md-scroll')
    expect(out.querySelector('pre')?.hasAttribute('tabindex')).toBe(false)
    expect(out.querySelector('pre')?.hasAttribute('class')).toBe(false)
  })
})

describe('linkKind', () => {
  it('judges an address as the browser will resolve it', () => {
    expect(linkKind('/tasks/t2', base)).toBe('local')
    expect(linkKind('t2', base)).toBe('local')
    expect(linkKind('#part', base)).toBe('local')
    expect(linkKind('https://other.example/', base)).toBe('external')
    expect(linkKind('//other.example/', base)).toBe('external')
    expect(linkKind('/\\other.example/', base)).toBe('external')
    expect(linkKind('mailto:a@example.com', base)).toBe('mail')
    expect(linkKind(' java\tscript:alert(1)', base)).toBeNull()
    expect(linkKind('JAVASCRIPT:alert(1)', base)).toBeNull()
    expect(linkKind('data:text/html,x', base)).toBeNull()
    expect(linkKind('http://[bad', base)).toBeNull()
  })
})

describe('renderMarkdown renders Markdown', () => {
  const rich = [
    '# Plan',
    '## Steps',
    'Some *emphasis*, **strong**, ~~struck~~ and `code`.',
    'A second line.',
    '',
    '- one',
    '- two',
    '  1. nested',
    '',
    '3. three',
    '4. four',
    '',
    '> quoted',
    '',
    '```',
    'const x = 1',
    '```',
    '',
    '| Left | Right |',
    '|:-----|------:|',
    '| a    | 1     |',
    '',
    '---',
    '',
    '[a task](/tasks/t2), [docs](https://docs.example/x), [mail](mailto:a@example.com),',
    'https://auto.example/path and anna@example.com; readme.md stays text.',
  ].join('\n')

  it('keeps its structure, under the heading it is shown beneath', () => {
    const out = parse(render(rich))
    expect(out.querySelector('h3')?.textContent).toBe('Plan')
    expect(out.querySelector('h4')?.textContent).toBe('Steps')
    expect(out.querySelector('h1, h2')).toBeNull()
    expect(out.querySelector('em')?.textContent).toBe('emphasis')
    expect(out.querySelector('strong')?.textContent).toBe('strong')
    expect(out.querySelector('s')?.textContent).toBe('struck')
    expect(out.querySelector('p > code')?.textContent).toBe('code')
    expect(out.querySelector('p br')).not.toBeNull()
    expect([...out.querySelectorAll('ul > li')].map((li) => li.firstChild?.textContent?.trim())).toEqual(['one', 'two'])
    expect(out.querySelector('ul ol li')?.textContent).toBe('nested')
    expect(out.querySelector('ol[start="3"]')).not.toBeNull()
    expect(out.querySelector('blockquote p')?.textContent).toBe('quoted')
    expect(out.querySelector('pre[tabindex="0"] > code')?.textContent).toBe('const x = 1\n')
    expect(out.querySelector('.md-scroll[tabindex="0"] > table th.md-align-left')?.textContent).toBe('Left')
    expect(out.querySelector('td.md-align-right')?.textContent).toBe('1')
    expect(out.querySelector('hr')).not.toBeNull()
    expectInert(render(rich), rich)
  })

  it('opens links that leave Annex in a new tab, and links within it in place', () => {
    const out = parse(render(rich))
    const link = (href: string) => out.querySelector(`a[href="${href}"]`)
    expect(link('/tasks/t2')?.hasAttribute('target')).toBe(false)
    expect(link('/tasks/t2')?.hasAttribute('rel')).toBe(false)
    expect(link('https://docs.example/x')?.getAttribute('target')).toBe('_blank')
    expect(link('https://docs.example/x')?.getAttribute('rel')).toBe(externalRel)
    expect(link('https://auto.example/path')?.textContent).toBe('https://auto.example/path')
    expect(link('mailto:anna@example.com')?.getAttribute('rel')).toBe(externalRel)
    expect(link('mailto:a@example.com')?.hasAttribute('target')).toBe(false)
    expect(out.querySelector('a[href*="readme"]')).toBeNull()
  })

  it('puts headings below the level it is given, down to h6', () => {
    expect(parse(renderMarkdown('# a', { base, headingLevel: 0 })).querySelector('h1')).not.toBeNull()
    expect(parse(renderMarkdown('# a\n\n###### b', { base, headingLevel: 3 })).querySelectorAll('h6')).toHaveLength(1)
    expect(parse(renderMarkdown('# a\n\n###### b', { base, headingLevel: 3 })).querySelector('h4')?.textContent).toBe('a')
  })

  it('renders 100 KB without freezing', () => {
    const sizes: string[] = []
    const time = (name: string, source: string) => {
      const started = performance.now()
      const html = render(source)
      const ms = performance.now() - started
      sizes.push(`${name}: ${(source.length / 1024).toFixed(0)} KB in ${ms.toFixed(0)} ms`)
      return html
    }
    let doc = ''
    while (doc.length < 100 * 1024) doc += rich + '\n\n'
    time('warm-up', rich)
    const html = time('rich document', doc)
    expect(parse(html).querySelectorAll('h3').length).toBeGreaterThan(100)
    // Inputs that make naive parsers backtrack.
    time('emphasis', '*a **b '.repeat(15_000))
    time('brackets', '[a]('.repeat(25_000))
    time('nested quotes', '> '.repeat(50_000))
    time('nested lists', Array.from({ length: 2_000 }, (_, i) => ' '.repeat((i % 50) * 2) + '- x').join('\n'))
    time('unclosed code', '`a``'.repeat(5_000))
    time('long link', '[x](https://example.com/' + 'a'.repeat(100_000) + ')')
    // jsdom parses HTML tens of times slower than a browser: these numbers are its, not a page's.
    console.log(`Markdown render times (jsdom):\n  ${sizes.join('\n  ')}`)
  }, 30_000)
})

describe('MarkdownText', () => {
  it('shows the rendered text, and follows a link within Annex with the router', async () => {
    const el = document.createElement('div')
    document.body.append(el)
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
    createApp({
      render: () => h(MarkdownText, { source: '# Hello\n\n[next](/tasks/t2) [away](https://away.example/) <script>alert(1)</script>' }),
    })
      .use(router)
      .mount(el)
    await router.isReady()
    // The renderer is a chunk of its own, loaded on first use.
    await vi.waitFor(() => expect(el.querySelector('.markdown h3')?.textContent).toBe('Hello'))
    expect(el.querySelector('script')).toBeNull()
    expect(el.textContent).toContain('<script>alert(1)</script>')
    const moved = new Promise((resolve) => router.afterEach(resolve))
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })
    el.querySelector('a[href="/tasks/t2"]')?.dispatchEvent(click)
    expect(click.defaultPrevented).toBe(true)
    await moved
    expect(router.currentRoute.value.fullPath).toBe('/tasks/t2')
    // A link that leaves opens a new tab, left to the browser.
    const away = new MouseEvent('click', { bubbles: true, cancelable: true })
    el.querySelector('a[href="https://away.example/"]')?.dispatchEvent(away)
    expect(away.defaultPrevented).toBe(false)
    el.remove()
  })
})
