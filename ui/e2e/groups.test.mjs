// Workgroups, at a laptop's and a phone's width: an administrator creates a closed
// internal group and an extranet group; an employee added by the administrator signs in
// with a temporary password, replaces it, asks to join the closed group, and the
// administrator approves. Every page is checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { axe, launch, newPage, shooter, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// setUp walks the wizard through the API and adds Anna; it returns her temporary password.
async function setUp(annex) {
  const token = annex.setupUrl.split('#token=')[1]
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(annex.url + '/api/v1' + path, {
      method, body: body && JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-Annex-Client': '1', ...headers },
    })
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`)
    return res
  }
  const h = { 'X-Setup-Token': token }
  await call('PUT', '/setup/company', { name: 'Example Ltd', baseUrl: annex.url }, h)
  await call('PUT', '/setup/admin', { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword }, h)
  const finish = await call('POST', '/setup/finish', null, h)
  const cookie = finish.headers.get('set-cookie').split(';')[0]
  const added = await call('POST', '/admin/users', { name: 'Anna Petrova', email: 'anna@example.com' }, { Cookie: cookie })
  return (await added.json()).temporaryPassword
}

async function signIn(page, url, email, password) {
  // Wait for the app to settle (its start-up call decides where it lands) before typing.
  await page.goto(url + '/login', { waitUntil: 'networkidle' })
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

for (const width of [1280, 360]) {
  describe(`groups at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('create groups, ask to join, approve', async () => {
      const temporary = await setUp(annex)
      const shot = shooter(`groups-${width}`)
      const violations = []
      const check = async (page, name) => {
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
      }

      // The administrator creates a closed internal group and an extranet group.
      const ada = await newPage(browser, width)
      await signIn(ada.page, annex.url, 'ada@example.com', adminPassword)
      await ada.page.waitForURL('**/feed')
      for (const g of [{ name: 'Finance', kind: 'Internal', visibility: 'Closed' }, { name: 'Client project', kind: 'Extranet' }]) {
        await ada.page.goto(annex.url + '/groups')
        await ada.page.getByRole('button', { name: 'Create group' }).click()
        const dialog = ada.page.getByRole('dialog')
        await dialog.getByLabel('Name').fill(g.name)
        await dialog.getByRole('radio', { name: new RegExp(g.kind) }).check()
        if (g.visibility) {
          await dialog.locator('[aria-haspopup="listbox"]').click()
          await ada.page.getByRole('option', { name: g.visibility }).click()
        }
        if (g.name === 'Finance') await check(ada.page, 'create-dialog')
        await dialog.getByRole('button', { name: 'Create' }).click()
        await ada.page.getByRole('heading', { name: g.name }).waitFor()
      }
      await check(ada.page, 'admin-extranet-group')

      // Anna replaces her temporary password, then asks to join Finance.
      const anna = await newPage(browser, width)
      await signIn(anna.page, annex.url, 'anna@example.com', temporary)
      await anna.page.getByLabel('Current password').waitFor()
      await check(anna.page, 'must-change-password')
      await anna.page.getByLabel('Current password').fill(temporary)
      await anna.page.getByLabel('New password').fill(annaPassword)
      await anna.page.getByLabel('Repeat the password').fill(annaPassword)
      await anna.page.getByRole('button', { name: 'Change password' }).click()
      await anna.page.waitForURL('**/feed')
      await anna.page.goto(annex.url + '/groups?scope=all')
      await anna.page.getByText('Finance').first().waitFor()
      // The extranet group is not hers to see.
      assert.equal(await anna.page.getByText('Client project').count(), 0)
      await check(anna.page, 'employee-groups')
      await anna.page.getByText('Finance').first().click()
      await anna.page.getByRole('button', { name: 'Ask to join' }).click()
      await anna.page.getByText('You asked to join this group').waitFor()
      await check(anna.page, 'requested')

      // The administrator approves the request from the member list.
      await ada.page.goto(annex.url + '/groups')
      await ada.page.getByText('Finance').first().click()
      await ada.page.getByRole('button', { name: /Actions for Anna Petrova/ }).click()
      await ada.page.getByText('Approve request').click()
      await ada.page.getByText('Anna Petrova is now a member.').waitFor()
      await check(ada.page, 'approved')

      await anna.page.reload()
      await anna.page.getByRole('button', { name: 'Leave group' }).waitFor()
      await check(anna.page, 'member')

      await ada.context.close()
      await anna.context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      const problems = [...ada.problems, ...anna.problems].filter((p) => !/\b(401|403|404|409|422)\b/.test(p))
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
