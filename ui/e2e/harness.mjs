// Shared parts of the browser journeys: the real Annex binary on an empty data folder,
// Debian's Chromium driven by playwright-core, axe-core checks and screenshots.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

export const artifacts = resolve(here, 'artifacts')
export const binary = resolve(here, '..', '..', process.env.ANNEX_BIN ?? 'bin/annex')

// The two-factor policy of journeys about other things: nobody is required to enrol, so
// that their people sign in with a password alone (it shows as pinned in Admin → Settings).
const noTwoFactorRequired = { ANNEX_TWO_FACTOR_EXTERNALS: 'false', ANNEX_TWO_FACTOR_ADMINS: 'false' }

// Starts the binary on a free loopback port and resolves once it prints where it
// listens (and, on an empty folder, the one-time setup link). twoFactorPolicy keeps the
// production two-factor policy (external users and administrators must enrol).
export async function startAnnex(env = {}, { twoFactorPolicy = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'annex-e2e-'))
  const proc = spawn(binary, ['--listen', '127.0.0.1:0'], {
    env: { ...process.env, ANNEX_DATA_DIR: dataDir, ANNEX_LOG_FORMAT: 'text', ...(twoFactorPolicy ? {} : noTwoFactorRequired), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error('Annex did not start within 20 s:\n' + output)), 20000)
    proc.on('exit', (code) => reject(new Error(`Annex exited with ${code}:\n${output}`)))
    proc.stderr.on('data', (chunk) => {
      output += chunk
      const url = /msg="Annex is listening".* url=(\S+)/.exec(output)?.[1]
      const setup = /(http:\/\/\S+\/setup#token=\S+)/.exec(output)?.[1]
      if (url && setup) {
        clearTimeout(timer)
        resolveReady({ url, setupUrl: setup })
      }
    })
  })
  const { url, setupUrl } = await ready
  return {
    url,
    setupUrl,
    dataDir,
    output: () => output,
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

// api calls the JSON API as the SPA would; it fails the journey on any error answer.
export async function api(annex, method, path, body, headers = {}) {
  const res = await fetch(annex.url + '/api/v1' + path, {
    method, body: body && JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-Annex-Client': '1', ...headers },
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res
}

// setUpCompany walks the wizard through the API and returns the administrator's
// session cookie, for the journey's own API calls.
export async function setUpCompany(annex, admin) {
  const h = { 'X-Setup-Token': annex.setupUrl.split('#token=')[1] }
  await api(annex, 'PUT', '/setup/company', { name: 'Example Ltd', baseUrl: annex.url }, h)
  await api(annex, 'PUT', '/setup/admin', admin, h)
  const finish = await api(annex, 'POST', '/setup/finish', null, h)
  return finish.headers.get('set-cookie').split(';')[0]
}

// signIn signs in through the sign-in page.
export async function signIn(page, url, email, password) {
  // Wait for the app to settle (its start-up call decides where it lands) before typing.
  await page.goto(url + '/login', { waitUntil: 'networkidle' })
  await fillSignIn(page, email, password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

// fillSignIn types into the sign-in form once the page has put the cursor in its first
// field, as a person would see it there before typing.
export async function fillSignIn(page, email, password) {
  await page.waitForFunction(() => document.activeElement?.getAttribute('autocomplete') === 'username')
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
}

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
]

export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })
}

// A page at the given width that fails the journey on any console error or CSP report.
// userAgent, when given, is the browser's User-Agent (My sessions names the device by it).
export async function newPage(browser, width, userAgent) {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 860 }, userAgent })
  const page = await context.newPage()
  const problems = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
  page.on('pageerror', (e) => problems.push(String(e)))
  return { page, problems, context }
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

// Waits until no animation or transition is running.
export const settled = (page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))

// Runs axe-core in the page and returns its serious and critical violations. It is
// evaluated through the debugging protocol, which the page's CSP (rightly) does not
// let a script tag do.
export async function axe(page) {
  // Colours are only meaningful once transitions have settled.
  await settled(page)
  await page.evaluate(axeSource)
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }))
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

// Saves a numbered screenshot of the journey's step.
export function shooter(journey) {
  const dir = join(artifacts, journey)
  mkdirSync(dir, { recursive: true })
  let n = 0
  return (page, name) => page.screenshot({ path: join(dir, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true })
}

// inspector returns check(page, name): once the page has settled, a screenshot of the step,
// its accessibility violations collected into violations, and a failure if the page is
// wider than the window (a phone would scroll sideways).
export function inspector(journey, violations) {
  const shot = shooter(journey)
  return async (page, name) => {
    await settled(page)
    await shot(page, name)
    for (const v of await axe(page)) violations.push(`${name}: ${v}`)
    const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `${name}: the page is ${overflow} px wider than the window`)
  }
}

const root = resolve(here, '..', '..')

// startMailSink starts the real SMTP server of the journeys (app/apptest/smtpsink) on a
// loopback port; it keeps each message as NNNNNN.eml in a folder of its own. Its env points
// Annex at it. (invite.test.mjs has its own copy, from before this one.)
export async function startMailSink() {
  const dir = mkdtempSync(join(tmpdir(), 'annex-smtp-'))
  // A process group of its own: stopping it stops "go run" and the server it runs.
  const proc = spawn('go', ['run', '-tags', 'nomsgpack', './app/apptest/smtpsink', '-dir', dir],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('smtpsink did not start within 180 s:\n' + output)), 180000)
    proc.on('exit', (code) => reject(new Error(`smtpsink exited with ${code}:\n${output}`)))
    proc.stderr.on('data', (chunk) => { output += chunk })
    proc.stdout.on('data', (chunk) => {
      output += chunk
      const found = /smtpsink listening on port (\d+)/.exec(output)?.[1]
      if (found) {
        clearTimeout(timer)
        resolvePort(Number(found))
      }
    })
  })
  const mails = () => readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()
    .map((f) => readMail(readFileSync(join(dir, f), 'latin1')))
  return {
    env: { ANNEX_SMTP_HOST: '127.0.0.1', ANNEX_SMTP_PORT: String(port), ANNEX_SMTP_SECURITY: 'none', ANNEX_SMTP_FROM: 'annex@example.com' },
    // The messages received so far, in the order of arrival: { to, text }.
    mails,
    // mail waits until count messages to an address whose text matches pattern have
    // arrived, and returns the last one's text.
    async mail(to, pattern, count = 1) {
      // A minute: a loaded machine hashes passwords and sends mail slowly.
      for (let i = 0; i < 600; i++) {
        const got = mails().filter((m) => m.to === to && pattern.test(m.text))
        if (got.length >= count) return got[count - 1].text
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`no ${count} mail(s) to ${to} matching ${pattern}: ${JSON.stringify(mails().map((m) => m.to))}`)
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r))
        process.kill(-proc.pid, 'SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

// decodeQuotedPrintable undoes the transfer encoding of a mail's text (soft line breaks, =XX bytes).
function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, '')
  const bytes = []
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3)
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff)
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

// readMail gives a received message's envelope recipient and its decoded text (every part).
function readMail(raw) {
  const to = /^X-Envelope-To: (.*)\r?\n/.exec(raw)?.[1]?.trim() ?? ''
  return { to, text: decodeQuotedPrintable(raw) }
}

// addEmployee adds someone through the API, gives them a password of their own and returns
// their id and session cookie.
export async function addEmployee(annex, adminCookie, name, email, password) {
  const added = await (await api(annex, 'POST', '/admin/users', { name, email }, { Cookie: adminCookie })).json()
  const login = await api(annex, 'POST', '/auth/login', { email, password: added.temporaryPassword })
  const temporary = login.headers.get('set-cookie').split(';')[0]
  const changed = await api(annex, 'PUT', '/me/password', { current: added.temporaryPassword, password }, { Cookie: temporary })
  return { id: added.person.id, cookie: changed.headers.get('set-cookie').split(';')[0] }
}

// drag moves a card with the mouse, as a person does: press, a small move that starts the
// drag, then on to the point in steps (SortableJS follows the mouse's events), and release.
export async function drag(page, card, to) {
  await card.scrollIntoViewIfNeeded()
  const box = await card.boundingBox()
  const x = box.x + box.width / 2
  const y = box.y + 12
  await page.mouse.move(x, y)
  await page.mouse.down()
  await page.mouse.move(x + 8, y + 8, { steps: 4 })
  await page.mouse.move(to.x, to.y, { steps: 20 })
  await page.waitForTimeout(200)
  await page.mouse.up()
}

// touchDrag does the same with a finger, through the browser's touch events: it rests a
// moment (a touch that moves at once scrolls instead), then moves in steps and lifts.
export async function touchDrag(page, card, to) {
  const cdp = await page.context().newCDPSession(page)
  const box = await card.boundingBox()
  const from = { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + 14) }
  const touch = (type, p) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] })
  await touch('touchStart', from)
  await page.waitForTimeout(400)
  for (let i = 1; i <= 20; i++) {
    await touch('touchMove', { x: Math.round(from.x + ((to.x - from.x) * i) / 20), y: Math.round(from.y + ((to.y - from.y) * i) / 20) })
    await page.waitForTimeout(16)
  }
  await page.waitForTimeout(200)
  await touch('touchEnd')
  await cdp.detach()
}
