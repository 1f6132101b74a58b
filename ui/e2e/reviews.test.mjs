// Access review, at a laptop's and a phone's width: the administrator has external users
// reviewed every 30 days, runs the review from Admin → Jobs, finds the question about a
// contractor of 40 days in Access reviews, and keeps her access. Every screen is checked
// with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { api, inspector, launch, newPage, setUpCompany, signIn, startAnnex } from './harness.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const adminPassword = 'Lantern orbit quietly 2026'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`access review at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('asked, found and answered', async () => {
      const cookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const as = { Cookie: cookie }
      const group = (await (await api(annex, 'POST', '/groups', { name: 'Client project', kind: 'extranet' }, as)).json()).id
      // Gina has been a member for 40 days; Ada owns her group, so she is the one asked.
      execFileSync('go', ['run', '-tags', 'nomsgpack', './app/apptest/seedexternal', '-data', annex.dataDir, '-email',
        'gina@client.example', '-name', 'Gina Guest', '-password', 'Harbour lights over amber glass', '-group', group, '-age', '40'],
      { cwd: root, encoding: 'utf8' })

      const violations = []
      const check = inspector(`reviews-${width}`, violations)
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')

      await page.goto(annex.url + '/admin/security')
      const card = page.locator('.v-card', { has: page.getByRole('heading', { name: 'Access review' }) })
      await card.getByRole('textbox', { name: 'Review every' }).fill('30')
      await card.getByRole('textbox', { name: 'Time to answer' }).fill('7')
      await card.getByRole('switch', { name: 'End access when nobody answers in time' }).or(card.getByLabel('End access when nobody answers in time')).first().check()
      await card.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Saved').first().waitFor()
      await check(page, 'settings')

      await page.goto(annex.url + '/admin/jobs')
      const job = page.locator('[data-job="access_review"]')
      await job.getByRole('button', { name: 'Run now' }).click()
      await page.getByText('Access review: started.').waitFor()
      await job.getByText('Succeeded').waitFor()

      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      await page.getByRole('link', { name: 'Access reviews' }).click()
      await page.getByRole('heading', { name: 'Access reviews', level: 1 }).waitFor()
      const review = page.locator('[data-review="gina@client.example"]')
      await review.getByText(/^Answer by /).waitFor()
      await review.getByText('Asked of Ada Admin').waitFor()
      await check(page, 'pending')
      await review.getByRole('button', { name: 'Keep access' }).click()
      await page.getByText('Gina Guest keeps access until the next review.').waitFor()
      await page.getByText('No access review here.').waitFor()
      await page.getByRole('combobox', { name: 'Show' }).locator('..').click()
      await page.getByRole('option', { name: 'Answered' }).click()
      await review.getByText(/^Kept on /).waitFor()
      await check(page, 'answered')

      const rows = await (await api(annex, 'GET', '/admin/activity?action=access.review_answered', undefined, as)).json()
      assert.equal(rows.items.length, 1)
      assert.equal(rows.items[0].details.answer, 'keep')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
