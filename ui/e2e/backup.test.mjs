// Admin → Backups, at a laptop's and a phone's width: the administrator finds no backups,
// backs up now and watches its progress, sees the backup listed with its time and size,
// in English and Russian, and downloads it after entering the password again (the file
// holds everyone's data). The download is a real tar that starts with its manifest.
// Every screen is checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { axe, launch, newPage, setUpCompany, settled, shooter, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

// ageSessions makes every session's password older than the re-authentication window.
const ageSessions = (annex) =>
  execFileSync('go', ['run', '-tags', 'nomsgpack', './app/apptest/agesessions', '-data', annex.dataDir, '-by', '1h'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`backups at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('back up now, follow it, download it after the password', async () => {
      await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const shot = shooter(`backups-${width}`)
      const violations = []
      const check = async (page, name) => {
        await settled(page)
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
        const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth)
        assert.ok(overflow <= 0, `${name}: the page is ${overflow} px wider than the window`)
      }

      const ada = await newPage(browser, width)
      const page = ada.page
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')
      // Through the navigation, next to Mail.
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      await page.getByRole('link', { name: 'Backups' }).click()
      await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor()
      await page.getByText('No backups yet').waitFor()
      await page.getByText('@daily').waitFor()
      await check(page, 'empty')

      await page.getByRole('button', { name: 'Back up now' }).click()
      // The progress shows from the answer to "back up now" until the first poll says it is done.
      await page.getByRole('progressbar', { name: 'Backup progress' }).waitFor()
      await page.getByText(/^Backup written: annex-backup-\d{8}T\d{6}Z\.tar$/).waitFor()
      await page.getByText('Backups in the folder: 1').waitFor()
      const item = page.locator('.backups-list__item')
      assert.equal(await item.count(), 1)
      assert.match(await item.innerText(), /\d+(\.\d)? KB/)
      await check(page, 'one-backup')

      await page.getByRole('button', { name: 'Account menu: Ada Admin' }).click()
      await page.getByRole('menuitemradio', { name: 'Русский' }).click()
      await page.getByRole('heading', { name: 'Резервные копии', level: 1 }).waitFor()
      await page.getByText('Копий в папке: 1').waitFor()
      await check(page, 'one-backup-ru')
      await page.getByRole('button', { name: 'Меню учётной записи: Ada Admin' }).click()
      await page.getByRole('menuitemradio', { name: 'English' }).click()
      await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor()

      // The password was entered over ten minutes ago: the download asks for it again.
      ageSessions(annex)
      await page.getByRole('button', { name: /^Download the backup of / }).click()
      const dialog = page.getByRole('dialog', { name: 'Confirm your password' })
      await dialog.waitFor()
      // (The Download button spins while the dialog waits, so no "settled" check here.)
      await shot(page, 'reauth')
      await dialog.getByLabel('Password', { exact: true }).fill(adminPassword)
      const downloading = page.waitForEvent('download')
      await dialog.getByRole('button', { name: 'Confirm' }).click()
      const download = await downloading
      assert.match(download.suggestedFilename(), /^annex-backup-\d{8}T\d{6}Z\.tar$/)
      const tar = readFileSync(await download.path())
      assert.equal(tar.subarray(0, 13).toString(), 'manifest.json')
      assert.ok(tar.includes('SHA256SUMS'), 'the download holds its checksums')

      assert.deepEqual(violations, [])
      // The one 403 is the server's "enter your password again", which the dialog answered.
      const forbidden = 'Failed to load resource: the server responded with a status of 403 (Forbidden)'
      assert.equal(ada.problems.filter((p) => p === forbidden).length, 1)
      assert.deepEqual(ada.problems.filter((p) => p !== forbidden), [])
      await ada.context.close()
    })
  })
}
