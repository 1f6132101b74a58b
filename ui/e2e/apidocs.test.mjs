// The API reference at /api/v1/docs, at a laptop's and a phone's width, before anyone has
// set the company up (it needs no sign-in): a developer finds an operation, opens it, and
// reads the fields of its answer; in Russian the page's own words follow. Every screen is
// checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { inspector, launch, newPage, startAnnex } from './harness.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`API reference at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('find an operation and read what it answers', async () => {
      const violations = []
      const check = inspector(`apidocs-${width}`, violations)
      const { page, problems, context } = await newPage(browser, width)

      await page.goto(annex.url + '/api/v1/docs')
      await page.getByRole('heading', { name: 'Annex API', level: 1 }).waitFor()
      assert.equal(new URL(page.url()).pathname, '/api/v1/docs', 'the reference needs no setup or sign-in')
      await page.getByText(annex.url + '/api/v1', { exact: true }).waitFor()
      await page.getByRole('heading', { name: 'Groups', level: 2 }).waitFor()
      await check(page, 'reference')

      await page.getByRole('textbox', { name: 'Find an operation' }).fill('members approve')
      const panels = page.locator('.v-expansion-panel')
      await page.waitForFunction(() => document.querySelectorAll('.v-expansion-panel').length === 1)
      await panels.first().getByText('/groups/{id}/members/{userId}/approve').click()
      await page.getByText('approveGroupMember', { exact: true }).waitFor()
      await page.getByRole('heading', { name: 'Parameters', level: 3 }).waitFor()
      await page.getByRole('button', { name: 'Fields of member' }).or(page.getByRole('heading', { name: 'Answers', level: 3 })).first().waitFor()
      await check(page, 'operation')

      await page.getByRole('textbox', { name: 'Find an operation' }).fill('nothing is called this')
      await page.getByText('No operation matches').waitFor()

      // The page's own words in Russian; the operations keep the document's English.
      // The whole list comes back first: a menu opened while it grows can move under the pointer.
      await page.getByRole('textbox', { name: 'Find an operation' }).fill('')
      await page.getByRole('heading', { name: 'Groups', level: 2 }).waitFor()
      await page.waitForFunction(() => document.querySelectorAll('.v-expansion-panel').length > 1)
      // On a loaded machine the menu has been seen to take the click before it stood
      // still and drop it: choose again until the page speaks Russian (three tries).
      const russian = page.getByRole('heading', { name: 'API Annex', level: 1 })
      for (let tries = 1; ; tries++) {
        await page.getByRole('button', { name: /Language|Язык/ }).click()
        await page.getByRole('menu').waitFor()
        await page.getByRole('menuitemradio', { name: 'Русский' }).click()
        try {
          await russian.waitFor({ timeout: 10000 })
          break
        } catch (e) {
          if (tries === 3) throw e
          await page.keyboard.press('Escape')
        }
      }
      await page.getByRole('textbox', { name: 'Найти операцию' }).waitFor()
      await check(page, 'reference-ru')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
