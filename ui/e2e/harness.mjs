// Shared parts of the browser journeys: the real Annex binary on an empty data folder,
// Debian's Chromium driven by playwright-core, axe-core checks and screenshots.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

export const artifacts = resolve(here, 'artifacts')
export const binary = resolve(here, '..', '..', process.env.ANNEX_BIN ?? 'bin/annex')

// Starts the binary on a free loopback port and resolves once it prints where it
// listens (and, on an empty folder, the one-time setup link).
export async function startAnnex(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'annex-e2e-'))
  const proc = spawn(binary, ['--listen', '127.0.0.1:0'], {
    env: { ...process.env, ANNEX_DATA_DIR: dataDir, ANNEX_LOG_FORMAT: 'text', ...env },
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
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
]

export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })
}

// A page at the given width that fails the journey on any console error or CSP report.
export async function newPage(browser, width) {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 860 } })
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
