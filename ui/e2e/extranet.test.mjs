// The fence, as an external user meets it, at a laptop's and a phone's width: a client
// (made through the store, as invitations arrive with their own issue) signs in and
// finds only their extranet group and their contacts; a colleague's profile, an internal
// group and the administration answer "not found", exactly like pages that do not exist.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { api, axe, launch, newPage, setUpCompany, shooter, signIn, startAnnex } from './harness.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const adminPassword = 'Lantern orbit quietly 2026'
const guestPassword = 'Harbour lights over amber glass'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// seedExternal adds an external user as an active member of a group, through the store.
function seedExternal(annex, group) {
  return execFileSync('go', ['run', '-tags', 'nomsgpack', './app/apptest/seedexternal', '-data', annex.dataDir,
    '-email', 'gina@client.example', '-name', 'Gina Guest', '-password', guestPassword, '-group', group],
  { cwd: root, encoding: 'utf8' }).trim()
}

for (const width of [1280, 360]) {
  describe(`extranet at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('an external user sees only their group and contacts', async () => {
      const cookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const as = { Cookie: cookie }
      const create = async (body) => (await (await api(annex, 'POST', '/groups', body, as)).json()).id
      const client = await create({ name: 'Client project', kind: 'extranet' })
      const staff = await create({ name: 'Staff room', kind: 'internal', visibility: 'open' })
      const bob = (await (await api(annex, 'POST', '/admin/users', { name: 'Bob Builder', email: 'bob@example.com' }, as)).json()).person.id
      seedExternal(annex, client)

      const shot = shooter(`extranet-${width}`)
      const violations = []
      const check = async (page, name) => {
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
      }
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'gina@client.example', guestPassword)
      await page.waitForURL('**/feed')

      // Her feed and the other sections to come speak of her groups and contacts, never of
      // the company or colleagues.
      await page.getByText('News and posts from your groups').waitFor()
      await check(page, 'feed')
      for (const section of ['feed', 'calendar', 'chat']) {
        await page.goto(annex.url + '/' + section)
        await page.getByText('Coming soon').waitFor()
        const text = await page.locator('main').innerText()
        assert.doesNotMatch(text, /compan|colleague/i, `${section} speaks of the company: ${text}`)
      }
      await check(page, 'chat')
      // Drive: her own My Drive, empty, and nothing of the company's.
      await page.goto(annex.url + '/drive')
      await page.getByRole('heading', { name: 'Nothing here yet' }).waitFor()
      assert.doesNotMatch(await page.locator('main').innerText(), /compan|colleague/i, 'drive speaks of the company')
      // Tasks: her own list, which speaks of her groups and herself only.
      await page.goto(annex.url + '/tasks')
      await page.getByRole('heading', { name: 'My tasks' }).waitFor()
      await page.getByText('No open tasks').waitFor()
      assert.doesNotMatch(await page.locator('main').innerText(), /compan|colleague/i, 'tasks speak of the company')

      // Groups: only the extranet group, even when asking for all.
      await page.goto(annex.url + '/groups?scope=all')
      await page.getByText('Client project').first().waitFor()
      assert.equal(await page.getByText('Staff room').count(), 0, 'an internal group is listed')
      // Only her groups: no "all I can see", no filter by kind, no visibility of the group.
      assert.equal(await page.getByRole('tab', { name: 'All I can see' }).count(), 0, 'the scope tabs are shown')
      assert.equal(await page.getByRole('combobox', { name: 'Kind' }).count(), 0, 'a kind filter is shown')
      assert.equal(await page.getByText('Secret', { exact: true }).count(), 0, 'the group list shows Secret')
      await check(page, 'groups')

      // The group's members are her contacts; she is marked as external.
      await page.getByText('Client project').first().click()
      await page.getByRole('heading', { name: 'Client project' }).waitFor()
      await page.getByText('Ada Admin').first().waitFor()
      const head = page.getByTestId('group-head')
      await head.getByText('Extranet', { exact: true }).waitFor()
      assert.equal(await head.getByText('Secret', { exact: true }).count(), 0, 'the group page shows Secret')
      assert.equal(await page.getByRole('heading', { name: 'Settings' }).count(), 0, 'the group page shows its settings')
      assert.equal(await page.getByRole('button', { name: /Invite|Edit|Change settings/ }).count(), 0, 'a control she cannot use')
      await check(page, 'group')

      // Her directory is "Contacts": the people she shares a group with and herself, never the
      // rest of the company, and without a filter by kind.
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      const nav = page.getByRole('navigation', { name: 'Main navigation' })
      assert.equal(await nav.getByRole('link', { name: 'People' }).count(), 0)
      await nav.getByRole('link', { name: 'Contacts' }).click()
      await page.waitForURL('**/people')
      await page.getByRole('heading', { name: 'Contacts' }).waitFor()
      await page.getByText('Ada Admin').first().waitFor()
      assert.equal(await page.getByRole('combobox', { name: 'Show' }).count(), 0, 'a kind filter is shown')
      assert.equal(await page.getByText('Bob Builder').count(), 0, 'a non-contact is listed')
      await page.getByText('Gina Guest').first().waitFor()
      await check(page, 'contacts')

      // Her own profile carries the Extranet badge, as others see it.
      await page.goto(annex.url + '/profile')
      await page.getByRole('heading', { name: 'Profile' }).waitFor()
      await page.getByText('Extranet', { exact: true }).waitFor()
      assert.equal(await page.getByText('External user', { exact: true }).count(), 0)
      assert.equal(await page.getByText('Your entry in People').count(), 0, 'her profile speaks of People')
      await check(page, 'profile')

      // Addresses of what she may not see answer "not found".
      await page.goto(annex.url + '/people/' + bob)
      await page.getByText('Person not found').waitFor()
      assert.equal(await page.getByText('Bob Builder').count(), 0)
      await check(page, 'person-not-found')
      await page.goto(annex.url + '/groups/' + staff)
      await page.getByText('Group not found').waitFor()
      await check(page, 'group-not-found')
      await page.goto(annex.url + '/admin/settings')
      await page.getByText('Page not found').waitFor()
      await check(page, 'admin-not-found')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems.filter((p) => !/\b(401|403|404)\b/.test(p)), [], 'console errors')
    })
  })
}
