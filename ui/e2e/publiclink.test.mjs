// Sharing and public links, at a laptop's and a phone's width. Anna, an employee, has a folder
// "Press kit" holding a file in her My Drive. She makes a public link to it with a password in
// the Public link dialog and reads its address, shown once. A visitor in a fresh browser (no
// cookies, no session) opens the address, is asked the password, gives a wrong one and is told
// so beside the field, then the right one, sees the folder and downloads the file byte for
// byte. Anna sees the visit and the download counted, withdraws the link after a question, and
// the visitor, reloading, is told the link was withdrawn. Anna then shares the folder with
// Gina, an external client of one of her groups, in the Share dialog; Gina finds it under
// "Shared with me", its owner named, and opens it. The administrator's Public links policy is
// shown and saved. Every screen is checked with axe-core and for sideways scrolling.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { addEmployee, api, inspector, launch, newPage, setUpCompany, settled, signIn, startAnnex } from './harness.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const ginaPassword = 'Harbour lights over amber glass'
const linkPassword = 'press-2026'
const brochure = Buffer.from('%PDF-1.4\nA brochure, not really a PDF, but its bytes are checked.\n')

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`sharing and public links at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('a link with a password is opened by a stranger, then withdrawn; a folder shared with a client', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const asAnna = { Cookie: anna.cookie }
      const kit = (await (await api(annex, 'POST', '/drives/me/folders', { name: 'Press kit', parentId: '' }, asAnna)).json()).id
      const put = await fetch(`${annex.url}/api/v1/drives/me/files?${new URLSearchParams({ name: 'brochure.bin', parent: kit })}`, {
        method: 'PUT', body: brochure, headers: { 'Content-Type': 'application/octet-stream', 'X-Annex-Client': '1', Cookie: anna.cookie },
      })
      assert.equal(put.status, 201)
      const notes = await fetch(`${annex.url}/api/v1/drives/me/files?${new URLSearchParams({ name: 'notes.txt' })}`, {
        method: 'PUT', body: Buffer.from('Quotes for the press.\n'), headers: { 'Content-Type': 'text/plain', 'X-Annex-Client': '1', Cookie: anna.cookie },
      })
      assert.equal(notes.status, 201)
      const notesLink = await (await api(annex, 'POST', `/drive/items/${(await notes.json()).id}/links`, {}, asAnna)).json()

      const violations = []
      const check = inspector(`publiclink-${width}`, violations)
      const phone = width < 600

      // Anna makes a link with a password: its address is shown this once.
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'anna@example.com', annaPassword)
      await page.waitForURL('**/feed')
      await page.goto(`${annex.url}/drive`)
      await page.locator('main').getByRole('link', { name: 'Press kit', exact: true }).waitFor()
      const menuOf = (name) => page.getByRole('button', { name: `Actions for ${name}` })
      await menuOf('Press kit').click()
      await page.getByRole('menuitem', { name: 'Public link…' }).click()
      const links = page.getByRole('dialog', { name: 'Public links to Press kit' })
      await links.getByText('No links yet.').waitFor()
      await settled(page)
      await check(page, 'links-empty')
      await links.getByLabel('Password (optional)').fill('short')
      await links.getByRole('button', { name: 'Make link' }).click()
      await links.getByText('Use at least 6 characters, or no password.').waitFor()
      await links.getByLabel('Password (optional)').fill(linkPassword)
      await links.getByRole('button', { name: 'Make link' }).click()
      const made = links.getByTestId('new-link')
      await made.getByText('you will not see it again').waitFor()
      const url = await made.getByRole('textbox', { name: 'Link', exact: true }).inputValue()
      assert.match(url, /\/s#[A-Za-z0-9_-]{20,}$/)
      await links.getByTestId('link-row').getByText('Password', { exact: true }).waitFor()
      await check(page, 'link-made')
      await links.getByRole('button', { name: 'Done' }).click()
      await links.waitFor({ state: 'hidden' })

      // A stranger: no cookies, no session. The address loses its token once read.
      const visitor = await newPage(browser, width)
      const v = visitor.page
      await v.goto(url)
      await v.getByRole('heading', { name: 'This link is protected' }).waitFor()
      assert.equal(new URL(v.url()).hash, '')
      await check(v, 'visitor-password')
      await v.getByLabel('Password', { exact: true }).fill('not-the-one')
      await v.getByRole('button', { name: 'Open' }).click()
      await v.getByText('That is not the password of this link.').waitFor()
      await check(v, 'visitor-wrong-password')
      await v.getByLabel('Password', { exact: true }).fill(linkPassword)
      await v.getByRole('button', { name: 'Open' }).click()
      await v.getByRole('heading', { name: 'Press kit' }).waitFor()
      await v.getByText('Items in this folder: 1').waitFor()
      await check(v, 'visitor-folder')
      const [download] = await Promise.all([
        v.waitForEvent('download'),
        v.getByRole('link', { name: 'Download brochure.bin' }).click(),
      ])
      assert.equal(download.suggestedFilename(), 'brochure.bin')
      assert.deepEqual(await readFile(await download.path()), brochure)
      // A reload keeps the folder open: the page opens the link again from this tab.
      await v.reload()
      await v.getByRole('heading', { name: 'Press kit' }).waitFor()
      await v.getByRole('link', { name: 'brochure.bin', exact: true }).waitFor()

      // Anna sees the visit and the download, and withdraws the link after a question.
      await menuOf('Press kit').click()
      await page.getByRole('menuitem', { name: 'Public link…' }).click()
      const row = links.getByTestId('link-row')
      await row.getByText('1 visit · 1 download').waitFor()
      await check(page, 'link-counted')
      await row.getByRole('button', { name: /^Withdraw the link made/ }).click()
      const ask = page.getByRole('dialog', { name: 'Withdraw this link?' })
      await ask.getByRole('button', { name: 'Withdraw' }).click()
      await ask.waitFor({ state: 'hidden' })
      await links.getByText('No links yet.').waitFor()
      await links.getByRole('button', { name: 'Close' }).click()
      await links.waitFor({ state: 'hidden' })

      await v.reload()
      await v.getByRole('heading', { name: 'This link was withdrawn' }).waitFor()
      await v.getByText('This link was withdrawn by whoever made it.').waitFor()
      await check(v, 'visitor-withdrawn')
      assert.deepEqual(visitor.problems.filter((p) => !/status of 4\d\d/.test(p)), [])
      await visitor.context.close()

      // A link to a file, without a password: the file at once, to open or download.
      const fileVisitor = await newPage(browser, width)
      await fileVisitor.page.goto(notesLink.url)
      await fileVisitor.page.getByRole('heading', { name: 'notes.txt' }).waitFor()
      await fileVisitor.page.getByRole('link', { name: 'Open in a new tab' }).waitFor()
      const [notesDownload] = await Promise.all([
        fileVisitor.page.waitForEvent('download'),
        fileVisitor.page.getByRole('link', { name: 'Download', exact: true }).click(),
      ])
      assert.equal((await readFile(await notesDownload.path())).toString(), 'Quotes for the press.\n')
      await check(fileVisitor.page, 'visitor-file')
      assert.deepEqual(fileVisitor.problems, [])
      await fileVisitor.context.close()

      // Sharing with Gina, an external member of one of Anna's groups: only contacts are offered.
      const group = (await (await api(annex, 'POST', '/groups', { name: 'Launch', kind: 'extranet' }, asAnna)).json()).id
      execFileSync('go', ['run', '-tags', 'nomsgpack', './app/apptest/seedexternal', '-data', annex.dataDir,
        '-email', 'gina@client.example', '-name', 'Gina Guest', '-password', ginaPassword, '-group', group],
      { cwd: root, encoding: 'utf8' })
      await menuOf('Press kit').click()
      await page.getByRole('menuitem', { name: 'Share…' }).click()
      const share = page.getByRole('dialog', { name: 'Share Press kit' })
      await share.getByText('Nobody yet.').waitFor()
      // The picker's suggestions, open once it has the focus, are put away first.
      await settled(page)
      await share.getByText('Shared with', { exact: true }).click()
      await share.getByRole('button', { name: 'Share', exact: true }).click()
      await share.getByText('Choose one of your contacts.').waitFor()
      await settled(page)
      await check(page, 'share-empty')
      await share.getByRole('combobox', { name: 'Person' }).fill('Gina')
      await page.getByRole('option', { name: /Gina Guest/ }).click()
      await share.getByRole('button', { name: 'Share', exact: true }).click()
      const shared = share.locator('li', { hasText: 'Gina Guest' })
      await shared.waitFor()
      await shared.locator('.person-name--external').waitFor()
      await check(page, 'shared')
      await share.getByRole('button', { name: 'Close' }).click()
      await share.waitFor({ state: 'hidden' })
      assert.deepEqual(problems, [])
      await context.close()

      // Gina finds it under "Shared with me", with its owner and her level, and opens it.
      const gina = await newPage(browser, width)
      const g = gina.page
      await signIn(g, annex.url, 'gina@client.example', ginaPassword)
      await g.waitForURL('**/feed')
      await g.goto(`${annex.url}/drive?drive=shared`)
      const item = g.locator('main li', { hasText: 'Press kit' })
      await item.getByText('Anna Petrova').waitFor()
      await item.getByText('May view').waitFor()
      await g.getByText('Items shared with you: 1').waitFor()
      await check(g, 'shared-with-me')
      await item.getByRole('link', { name: 'Press kit' }).click()
      await g.waitForURL((u) => u.searchParams.get('drive') === 'shared' && u.searchParams.get('folder') === kit)
      await g.locator('main').getByRole('link', { name: 'brochure.bin', exact: true }).waitFor()
      const path = g.getByRole('navigation', { name: 'Folder path' })
      await path.getByRole('link', { name: 'Shared with me' }).waitFor()
      await check(g, 'shared-folder')
      assert.deepEqual(gina.problems, [])
      await gina.context.close()

      // The administrator's policy: who may make public links, each choice explained.
      const admin = await newPage(browser, width)
      await signIn(admin.page, annex.url, 'ada@example.com', adminPassword)
      await admin.page.waitForURL((u) => u.pathname !== '/login')
      await admin.page.goto(`${annex.url}/admin/security`)
      const policy = admin.page.getByTestId('public-links-policy')
      await policy.getByText('Employees only').waitFor()
      assert.equal(await policy.getByRole('radio', { name: /Employees only/ }).isChecked(), true)
      await policy.getByRole('radio', { name: /^Off/ }).check()
      await policy.getByRole('button', { name: 'Save' }).click()
      await admin.page.getByText('Saved').first().waitFor()
      await policy.scrollIntoViewIfNeeded()
      await check(admin.page, 'admin-policy')
      const settings = await (await api(annex, 'GET', '/admin/settings', null, { Cookie: adminCookie })).json()
      assert.equal(settings.publicLinks, 'off')
      assert.deepEqual(admin.problems, [])
      await admin.context.close()

      assert.deepEqual(violations, [], violations.join('\n'))
      void phone
    })
  })
}
