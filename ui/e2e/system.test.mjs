// Admin → System, at a laptop's and a phone's width: the administrator finds the checks,
// the backup row warns in words that there is no backup and leads to Admin → Backups;
// after a backup the row is OK. In English and Russian. The same server answers
// /metrics to this machine (the journey's browser and scraper run on loopback).
// Every screen is checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { inspector, launch, newPage, setUpCompany, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`system at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('the checks, a backup warning and its remedy', async () => {
      await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const violations = []
      const check = inspector(`system-${width}`, violations)

      const ada = await newPage(browser, width)
      const page = ada.page
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')
      const openNav = async () => {
        if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      }
      await openNav()
      await page.getByRole('link', { name: 'System' }).click()
      await page.getByRole('heading', { name: 'System', level: 1 }).waitFor()
      const backupRow = page.locator('[data-check="backup"]')
      await backupRow.getByText('There is no backup yet.', { exact: false }).waitFor()
      assert.equal(await backupRow.getAttribute('data-level'), 'warning')
      await backupRow.getByText('Warning').waitFor()
      for (const key of ['version', 'uptime', 'data', 'database', 'outbox', 'jobs']) {
        await page.locator(`[data-check="${key}"]`).waitFor()
      }
      await page.locator('[data-check="outbox"]').getByText('No mail has been given up on.').waitFor()
      await check(page, 'no-backup')

      // The remedy: Admin → Backups, back up now, and the row is OK.
      await backupRow.getByRole('link', { name: 'Open Admin → Backups' }).click()
      await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor()
      await page.getByRole('button', { name: 'Back up now' }).click()
      await page.getByText('Backups in the folder: 1').waitFor()
      await openNav()
      await page.getByRole('link', { name: 'System' }).click()
      await page.getByRole('heading', { name: 'System', level: 1 }).waitFor()
      await backupRow.getByText(/^Taken \d+ minutes? ago\.$/).waitFor()
      assert.equal(await backupRow.getAttribute('data-level'), 'ok')
      await check(page, 'backed-up')

      await page.getByRole('button', { name: 'Account menu: Ada Admin' }).click()
      await page.getByRole('menuitemradio', { name: 'Русский' }).click()
      await page.getByRole('heading', { name: 'Система', level: 1 }).waitFor()
      await backupRow.getByText('В порядке').waitFor()
      await check(page, 'backed-up-ru')

      // /metrics: this machine may read it, and the route above is counted by its template.
      const res = await fetch(`${annex.url}/metrics`)
      assert.equal(res.status, 200)
      const text = await res.text()
      assert.match(text, /^annex_http_requests_total\{route="\/api\/v1\/admin\/system",method="GET",status="200"\} [1-9]/m)
      assert.match(text, /^annex_job_last_success_timestamp_seconds\{job="backup"\} \d+/m)
      const proxied = await fetch(`${annex.url}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.9' } })
      assert.equal(proxied.status, 404)

      assert.deepEqual(violations, [])
      assert.deepEqual(ada.problems, [])
      await ada.context.close()
    })
  })
}
