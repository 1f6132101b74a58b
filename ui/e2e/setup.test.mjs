// The first-run journey, at a laptop's and a phone's width: start the built binary on an
// empty data folder, open the link it prints, walk the wizard, land signed in, switch
// to Russian, sign out, fail a sign-in, sign in again. Every page is checked with
// axe-core; screenshots of each step are kept in e2e/artifacts/.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { axe, launch, newPage, shooter, startAnnex } from './harness.mjs'

const password = 'Lantern orbit quietly 2026'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`first run at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('setup wizard, language, sign-out and sign-in', async () => {
      const { page, problems, context } = await newPage(browser, width)
      const shot = shooter(`setup-${width}`)
      const violations = []
      const check = async (name) => {
        // Pictures once messages and ripples have settled.
        await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
      }

      await page.goto(annex.setupUrl)
      // The token leaves the address bar at once.
      await page.waitForFunction(() => !location.hash.includes('token'))

      // Company
      await page.getByLabel('Company name').fill('Example Ltd')
      await assert.doesNotReject(page.getByLabel('Address (base URL)').inputValue())
      await check('company')
      await next(page, 'Company')

      // Administrator: a common password is refused by the server, next to the field.
      await page.getByLabel('Full name').fill('Ada Admin')
      await page.getByLabel('E-mail').fill('ada@example.com')
      await page.getByLabel('Password', { exact: true }).fill('password123456')
      await page.getByLabel('Repeat the password').fill('password123456')
      await next(page, 'Administrator')
      await page.getByText('This password is too common').waitFor()
      await check('admin-common-password')
      await page.getByLabel('Password', { exact: true }).fill(password)
      await page.getByLabel('Repeat the password').fill(password)
      await next(page, 'Administrator')

      // Mail: skip, so mail goes to the log.
      await page.getByText('Skip: write mail to the server log').click()
      await check('mail')
      await next(page, 'Mail')

      // Licence: a text that is not a licence is refused by the server, next to the field;
      // then the free edition.
      await page.getByText('I have a licence').click()
      await page.getByLabel('Licence key').fill('not a licence at all')
      await next(page, 'Licence')
      await page.getByText('This is not a licence file, or only part of one.').waitFor()
      await check('licence-refused')
      await page.getByText('Use the free edition (10 seats)').click()
      await check('licence')
      await next(page, 'Licence')

      // Extranet: on by default.
      await page.getByText('Enable the extranet').waitFor()
      await check('extranet')
      await next(page, 'Extranet')

      // Finish: the summary, then signed in.
      await page.getByText('Free edition, 10 seats').waitFor()
      await check('finish')
      await page.getByRole('button', { name: 'Finish setup' }).click()
      await page.waitForURL('**/feed')
      await page.getByText('Example Ltd').first().waitFor()
      await check('signed-in')

      // The wizard is gone for good.
      const gone = await page.request.get(annex.url + '/api/v1/setup')
      assert.equal(gone.status(), 404)

      // Switch to Russian: remembered for the person.
      await openUserMenu(page)
      await page.getByRole('menuitemradio', { name: 'Русский' }).click()
      await page.getByText('Лента').first().waitFor()
      await check('russian')
      const me = await (await page.request.get(annex.url + '/api/v1/me')).json()
      assert.equal(me.locale, 'ru')

      // Sign out.
      await openUserMenu(page)
      await page.getByRole('menuitem', { name: 'Выйти' }).click()
      await page.waitForURL('**/login**')
      await check('signed-out')

      // A wrong password is refused in words.
      await page.getByLabel('Эл. почта').fill('ada@example.com')
      await page.getByLabel('Пароль', { exact: true }).fill('not my password at all')
      await page.getByRole('button', { name: 'Войти' }).click()
      await page.getByText('Неверный адрес электронной почты или пароль').waitFor()
      await check('wrong-password')

      // And the right one lets her in, in her language.
      await page.getByLabel('Пароль', { exact: true }).fill(password)
      await page.getByRole('button', { name: 'Войти' }).click()
      await page.waitForURL('**/feed')
      await page.getByText('Лента').first().waitFor()
      await check('signed-in-again')

      // The API's readable docs work offline and under the CSP (console errors fail below).
      await page.goto(annex.url + '/api/v1/docs')
      await page.getByText('/admin/settings').first().waitFor()
      await shot(page, 'api-docs')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems.filter((p) => !p.includes('401') && !p.includes('422')), [], 'console errors')
    })
  })
}

// On a phone the user menu sits in the app bar like on a laptop; its button is named
// after the person.
async function openUserMenu(page) {
  await page.getByRole('button', { name: /Account menu|Меню учётной записи/ }).click()
}

// Submits the wizard step whose heading is title (a stepper keeps its other steps in
// the page, so the button is found inside the step's own form).
async function next(page, title) {
  await page.locator('form', { has: page.getByRole('heading', { name: title, exact: true }) })
    .getByRole('button', { name: 'Continue' }).click()
}
