// Admin → Activity, at a laptop's and a phone's width: the administrator reads what
// happened (her sign-in, a group created, a failed sign-in by an unknown address), filters
// by action, and exports the filtered set as CSV. Every screen is checked with axe-core;
// screenshots are kept.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { api, inspector, launch, newPage, setUpCompany, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`activity at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('read, filter and export the log', async () => {
      const cookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      await api(annex, 'POST', '/groups', { name: '=Quarterly close', kind: 'internal', visibility: 'open' }, { Cookie: cookie })
      const failed = await fetch(annex.url + '/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Annex-Client': '1' },
        body: JSON.stringify({ email: 'mallory@example.com', password: 'guessing away 123' }),
      })
      assert.equal(failed.status, 401)

      const violations = []
      const check = inspector(`activity-${width}`, violations)
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      await page.getByRole('link', { name: 'Activity' }).click()
      await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor()
      const list = page.locator('.activity-list')
      await list.locator('[data-action="group.created"]').getByText('=Quarterly close').waitFor()
      await list.locator('[data-action="auth.sign_in_failed"]').getByText('Unknown (not signed in)').waitFor()
      await list.locator('[data-action="auth.sign_in"]').first().getByText('Ada Admin').waitFor()
      await check(page, 'log')

      // The action is typed to find it among the log's many.
      await page.getByRole('combobox', { name: 'Action' }).fill('created a gr')
      await page.getByRole('option', { name: 'Created a group' }).click()
      await page.getByText('1 action', { exact: true }).waitFor()
      assert.equal(await list.locator('li').count(), 1)
      await check(page, 'filtered')

      const downloading = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Export as CSV' }).click()
      const download = await downloading
      assert.match(download.suggestedFilename(), /^activity-\d{4}-\d{2}-\d{2}\.csv$/)
      const csv = readFileSync(await download.path(), 'utf8').trim().split('\n')
      assert.equal(csv.length, 2, csv.join('\n'))
      assert.match(csv[0], /^Time \(UTC\),Who,/)
      assert.match(csv[1], /,group\.created,group,'=Quarterly close,/)
      await page.getByText('Exported 1 row.').waitFor()

      // An object named in a row filters the log by it.
      await page.getByRole('button', { name: 'Clear the filters' }).click()
      await list.locator('[data-action="auth.sign_in_failed"]').waitFor()
      await list.locator('[data-action="group.created"]').getByRole('button', { name: '→ =Quarterly close' }).click()
      await page.getByText('Only: =Quarterly close').waitFor()
      await page.getByText('1 action', { exact: true }).waitFor()
      await check(page, 'object')

      // Her profile shows an administrator her latest actions, and leads to all of them.
      const me = await (await api(annex, 'GET', '/me', undefined, { Cookie: cookie })).json()
      await page.goto(`${annex.url}/people/${me.id}`)
      const recent = page.locator('[data-test="recent-activity"]')
      await recent.getByRole('heading', { name: 'Recent activity' }).waitFor()
      await recent.locator('[data-action="group.created"]').getByText('=Quarterly close').waitFor()
      await check(page, 'profile')
      await recent.getByRole('link', { name: /^See all \d+ in Activity$/ }).click()
      await page.waitForURL(`**/admin/activity?person=${me.id}`)
      await list.locator('[data-action="group.created"]').waitFor()
      assert.equal(await list.locator('[data-action="auth.sign_in_failed"]').count(), 0, 'only her actions')

      // A reversed range is said next to the field.
      await page.getByLabel('From (day)').fill('2026-12-05')
      await page.getByLabel('To (day)').fill('2026-12-01')
      await page.getByText('The last day must not come before the first.').waitFor()
      await check(page, 'reversed')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
