// Per-folder rights of a group's drive, at a laptop's and a phone's width. Anna, an employee,
// owns an extranet group with the Drive tool on; Gina, a client, is an external member. Anna
// opens a folder's rights (inherited from the drive's top), makes it an auditor's folder in one
// click (external members: view only) and saves; the folder now has rights of its own. Gina
// then finds no way to upload there and is told why, while she still may at the drive's top;
// an upload she sends there anyway is refused with 403. Every screen is checked with axe-core
// and for sideways scrolling; screenshots are kept.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { addEmployee, api, inspector, launch, newPage, settled, setUpCompany, signIn, startAnnex } from './harness.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const ginaPassword = 'Harbour lights over amber glass'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`a folder's rights at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('an owner makes a folder view-only for external members, and a client can no longer add to it', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const asAnna = { Cookie: anna.cookie }
      const group = (await (await api(annex, 'POST', '/groups', { name: 'Audit 2026', kind: 'extranet' }, asAnna)).json()).id
      await api(annex, 'PATCH', `/groups/${group}`, { settings: { tools: ['feed', 'drive'], invitePolicy: 'owner', externalTasks: 'involved' } }, asAnna)
      execFileSync('go', ['run', '-tags', 'nomsgpack', './app/apptest/seedexternal', '-data', annex.dataDir,
        '-email', 'gina@client.example', '-name', 'Gina Guest', '-password', ginaPassword, '-group', group],
      { cwd: root, encoding: 'utf8' })
      const ledgers = (await (await api(annex, 'POST', `/drives/${group}/folders`, { name: 'Ledgers' }, asAnna)).json()).id
      const upload = (cookie, name) => fetch(`${annex.url}/api/v1/drives/${group}/files?${new URLSearchParams({ name, parent: ledgers })}`, {
        method: 'PUT', body: Buffer.from('1,2,3\n'), headers: { 'Content-Type': 'text/csv', 'X-Annex-Client': '1', Cookie: cookie },
      })
      assert.equal((await upload(anna.cookie, 'q1.csv')).status, 201)

      const violations = []
      const check = inspector(`drive-rights-${width}`, violations)

      // Anna: the folder's rights come from above; one click makes external members viewers.
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'anna@example.com', annaPassword)
      await page.waitForURL('**/feed')
      await page.goto(`${annex.url}/drive?drive=${group}`)
      await page.locator('main').getByRole('link', { name: 'Ledgers', exact: true }).click()
      await page.waitForURL((u) => u.searchParams.get('folder') === ledgers)
      await page.getByRole('button', { name: 'Folder rights' }).click()
      const dialog = page.getByRole('dialog', { name: 'Rights of “Ledgers”' })
      await dialog.getByText('These rights are inherited from the folder above.').waitFor()
      const externals = dialog.locator('.v-select', { has: page.getByRole('combobox', { name: 'External members' }) })
      await externals.getByText('Upload', { exact: true }).waitFor()
      await settled(page)
      await check(page, 'rights-inherited')
      await dialog.getByRole('button', { name: 'External members: view only' }).click()
      await externals.getByText('View', { exact: true }).waitFor()
      await externals.getByText('See, preview and download').waitFor()
      await check(page, 'rights-auditor')
      await dialog.getByRole('button', { name: 'Save' }).click()
      await dialog.waitFor({ state: 'hidden' })
      await page.mouse.move(1, 1)
      await page.getByText('Rights of “Ledgers” saved').waitFor()
      await page.getByRole('button', { name: 'Folder rights' }).click()
      await dialog.getByText('This folder has rights of its own.').waitFor()
      await dialog.getByRole('button', { name: 'Use the rights of the folder above' }).waitFor()
      await settled(page)
      await check(page, 'rights-own')
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await dialog.waitFor({ state: 'hidden' })
      const rights = await (await api(annex, 'GET', `/drives/${group}/rights?folder=${ledgers}`, null, asAnna)).json()
      assert.deepEqual({ own: rights.own, externals: rights.externals, employees: rights.employees }, { own: true, externals: 'view', employees: 'edit' })
      await context.close()

      // Gina: at the drive's top she may add; in the auditor's folder she may only look, and is told so.
      const gina = await newPage(browser, width)
      await signIn(gina.page, annex.url, 'gina@client.example', ginaPassword)
      await gina.page.waitForURL('**/feed')
      await gina.page.goto(`${annex.url}/drive?drive=${group}`)
      await gina.page.locator('main').getByRole('link', { name: 'Ledgers', exact: true }).waitFor()
      await gina.page.getByRole('button', { name: 'Upload' }).waitFor()
      await gina.page.getByText('You can add files and folders here, but not rename, move or delete what is in it.').waitFor()
      await gina.page.locator('main').getByRole('link', { name: 'Ledgers', exact: true }).click()
      await gina.page.locator('main').getByRole('link', { name: 'q1.csv', exact: true }).waitFor()
      await gina.page.getByText('You can view this folder but not change it.').waitFor()
      assert.equal(await gina.page.getByRole('button', { name: 'Upload' }).count(), 0, 'an upload button in a view-only folder')
      assert.equal(await gina.page.getByRole('button', { name: 'New folder' }).count(), 0, 'a new-folder button in a view-only folder')
      assert.equal(await gina.page.getByRole('button', { name: 'Folder rights' }).count(), 0, 'rights offered to an external member')
      await gina.page.getByRole('button', { name: 'Actions for q1.csv' }).click()
      const menu = gina.page.getByRole('menu', { name: 'Actions for q1.csv' })
      await menu.getByRole('menuitem', { name: 'Copy to…' }).waitFor()
      assert.equal(await menu.getByRole('menuitem', { name: 'Rename' }).count(), 0)
      assert.equal(await menu.getByRole('menuitem', { name: 'Delete' }).count(), 0)
      await check(gina.page, 'external-view-only')
      await gina.page.keyboard.press('Escape')

      // The server's fence, not the page, is the control: her upload there is refused.
      const login = await api(annex, 'POST', '/auth/login', { email: 'gina@client.example', password: ginaPassword })
      const ginaCookie = login.headers.get('set-cookie').split(';')[0]
      const refused = await upload(ginaCookie, 'sneaky.csv')
      assert.equal(refused.status, 403)
      assert.equal((await refused.json()).code, 'drive_no_right')
      await gina.context.close()

      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems, [], 'console errors (Anna)')
      assert.deepEqual(gina.problems, [], 'console errors (Gina)')
    })
  })
}
