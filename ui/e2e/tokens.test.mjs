// My account → Security → API tokens, at a laptop's and a phone's width: a person whose
// password was entered over ten minutes ago creates a token (the password is asked for
// again), sees it once and copies it; a script (node's fetch, on loopback) reads /me with
// it; the list shows its last use; the person revokes it, and the script's next request
// is refused with 401. Every screen is checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { inspector, launch, newPage, setUpCompany, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

// ageSessions makes every session's password older than the re-authentication window.
const ageSessions = (annex) =>
  execFileSync('go', ['run', '-tags', 'nomsgpack', './app/apptest/agesessions', '-data', annex.dataDir, '-by', '1h'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })

// script reads /me as a script would: the token in the Authorization header, nothing else.
const script = (annex, token) => {
  assert.match(annex.url, /^http:\/\/127\.0\.0\.1:/)
  return fetch(annex.url + '/api/v1/me', { headers: { Authorization: 'Bearer ' + token } })
}

// choose picks an option of a select by the select's label: the field around the combobox
// takes the click (the current choice lies over the input).
async function choose(page, scope, label, option) {
  await scope.getByRole('combobox', { name: label }).locator('..').click()
  await page.getByRole('option', { name: option }).click()
}

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`API tokens at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('create a token, use it from a script, revoke it', async () => {
      await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const violations = []
      const check = inspector(`tokens-${width}`, violations)
      const ada = await newPage(browser, width)
      const page = ada.page
      await ada.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: annex.url })
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')

      await page.goto(annex.url + '/account/security')
      await page.getByRole('heading', { name: 'API tokens', level: 2 }).waitFor()
      await page.getByText('No tokens', { exact: true }).waitFor()
      await check(page, 'empty')

      ageSessions(annex)
      await page.getByRole('button', { name: 'New token' }).click()
      const form = page.getByRole('dialog', { name: 'New API token' })
      await form.waitFor()
      await form.getByLabel('Name', { exact: true }).fill('CRM sync')
      await choose(page, form, 'Expires', 'On a date…')
      await form.getByLabel('Day', { exact: true }).waitFor()
      // Leaving the day empty is refused next to the field.
      await form.getByRole('radio', { name: /Read and write/ }).check()
      await check(page, 'create-form')
      await form.getByRole('button', { name: 'Create token' }).click()
      await form.getByText('A token must last at least one day.').waitFor()
      await check(page, 'day-missing')
      await choose(page, form, 'Expires', 'In 30 days')
      await form.getByRole('button', { name: 'Create token' }).click()
      // The password was entered over ten minutes ago: it is asked for again, then the token is made.
      const reauth = page.getByRole('dialog', { name: 'Confirm your password' })
      await reauth.waitFor()
      await reauth.getByLabel('Password', { exact: true }).fill(adminPassword)
      await reauth.getByRole('button', { name: 'Confirm' }).click()

      const made = page.getByRole('dialog', { name: 'Your new token' })
      await made.waitFor()
      await made.getByText(/it is shown only this once/).waitFor()
      const token = await made.getByLabel('Token', { exact: true }).inputValue()
      assert.match(token, /^annex_[A-Za-z0-9_-]{43}$/)
      await made.getByRole('button', { name: 'Copy token' }).click()
      await made.getByText('The token is on the clipboard.').waitFor()
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token)
      await check(page, 'shown-once')
      await made.getByRole('button', { name: 'Done' }).click()
      await made.waitFor({ state: 'detached' })

      // The script reads /me as Ada.
      const res = await script(annex, token)
      assert.equal(res.status, 200)
      assert.equal((await res.json()).email, 'ada@example.com')

      await page.reload()
      const item = page.getByRole('listitem').filter({ hasText: 'CRM sync' })
      await item.getByText('Read and write').waitFor()
      await item.getByText(/last used /).waitFor()
      assert.equal(await page.getByText(token).count(), 0, 'the list never shows the token again')
      await check(page, 'listed')

      await item.getByRole('button', { name: 'Revoke token CRM sync' }).click()
      const question = page.getByRole('dialog', { name: 'Revoke “CRM sync”?' })
      await question.waitFor()
      await check(page, 'revoke-question')
      await question.getByRole('button', { name: 'Revoke' }).click()
      await page.getByText('Token “CRM sync” revoked.').waitFor()
      await page.getByText('No tokens', { exact: true }).waitFor()
      await check(page, 'revoked')

      const refused = await script(annex, token)
      assert.equal(refused.status, 401)
      assert.equal((await refused.json()).code, 'token_revoked')

      assert.deepEqual(violations, [])
      // The 403 asked for the password again and the 422 named the missing day: both answered on the page.
      const expected = [/status of 403/, /status of 422/]
      assert.deepEqual(ada.problems.filter((p) => !expected.some((e) => e.test(p))), [])
      await ada.context.close()
    })
  })
}
