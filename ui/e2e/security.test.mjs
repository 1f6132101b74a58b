// Admin → Sign-in blocks, at a laptop's and a phone's width: someone tries one password on
// ten accounts from this machine's address. A browser that never signed in is then refused
// the administrator's right password; the administrator's own browser, which signed in
// before, gets past the address's block with it (the device cookie), sees the block with what
// they need to judge it, in English and Russian, lifts it, and a colleague can sign in from
// the address again. (An account's own delay starts at one second, too short to watch
// here: the Go tests cover its listing.) Every screen is checked with axe-core;
// screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { inspector, launch, newPage, setUpCompany, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'

// login tries a password through the API, as a browser with no cookies would.
const login = (annex, email, password) =>
  fetch(annex.url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Annex-Client': '1' },
    body: JSON.stringify({ email, password }),
  })

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`sign-in blocks at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('see the blocks in force and lift one', async () => {
      await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const violations = []
      const check = inspector(`blocks-${width}`, violations)

      const ada = await newPage(browser, width)
      const page = ada.page
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')
      await page.goto(annex.url + '/admin/sign-in-blocks')
      await page.getByRole('heading', { name: 'Sign-in blocks', level: 1 }).waitFor()
      await page.getByText('No sign-in is blocked').waitFor()
      await check(page, 'empty')

      for (let i = 0; i < 10; i++) assert.equal((await login(annex, `user${i}@example.com`, 'Summer2026!')).status, 401)
      assert.equal((await login(annex, 'carol@example.com', 'any password at all')).status, 429)

      // The administrator's browser has signed in before: its device cookie lets it past the
      // address's block with the right password; a browser that never signed in is refused.
      const stranger = await newPage(browser, width)
      await signIn(stranger.page, annex.url, 'ada@example.com', adminPassword)
      await stranger.page.getByText(/Too many failed attempts/).waitFor()
      await stranger.context.close()
      await ada.context.clearCookies({ name: 'annex_session' })
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')
      await page.goto(annex.url + '/admin/sign-in-blocks')

      await page.getByText('Blocks in force: 1').waitFor()
      await page.getByText('Accounts failed on within the hour: 10').waitFor()
      await page.getByText(/Blocked until /).waitFor()
      await check(page, 'address-blocked')

      // In Russian too.
      await page.getByRole('button', { name: 'Account menu: Ada Admin' }).click()
      await page.getByRole('menuitemradio', { name: 'Русский' }).click()
      await page.getByRole('heading', { name: 'Блокировки входа', level: 1 }).waitFor()
      await page.getByText('Учётных записей с ошибкой за час: 10').waitFor()
      await check(page, 'address-blocked-ru')
      await page.getByRole('button', { name: 'Меню учётной записи: Ada Admin' }).click()
      await page.getByRole('menuitemradio', { name: 'English' }).click()
      await page.getByRole('heading', { name: 'Sign-in blocks', level: 1 }).waitFor()

      await page.getByRole('button', { name: 'Lift the block of 127.0.0.1' }).click()
      await page.getByText('The block of 127.0.0.1 is lifted.').waitFor()
      await page.getByText('No sign-in is blocked').waitFor()
      await check(page, 'lifted')
      // A colleague gets in from the address again (the account does not exist: a 401, not a 429).
      assert.equal((await login(annex, 'carol@example.com', 'any password at all')).status, 401)

      assert.deepEqual(violations, [])
      assert.deepEqual(ada.problems, [])
      await ada.context.close()
    })
  })
}
