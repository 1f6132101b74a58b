// Workgroups, at a laptop's and a phone's width: an administrator adds two employees on
// Admin → Users (reading each temporary password from the dialog), creates a closed internal
// group and an extranet group; an employee signs in with her temporary password, replaces
// it, asks to join the closed group, and the administrator approves; the administrator, as
// the group's owner, invites the second employee with the person picker, who sees the
// invitation and accepts it. Topics: the administrator files Finance under a topic (made
// through the API), filters the list by it, and lets every member invite in Finance's settings.
// A deactivated owner: Anna owns a group, the administrator deactivates her, is told which
// groups need a new owner, and hands hers over to Boris from the group's page. Every page is
// checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { api, axe, launch, newPage, setUpCompany, settled, shooter, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const borisPassword = 'Seven maple leaves drifting north'

// Dialogs, menus and the drawer slide in and out: act and take pictures once they stand still.
let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// choose picks an option of a select (a combobox with a listbox) by the select's label. The
// field around the combobox takes the click (the current choice lies over the input).
async function choose(page, scope, label, option) {
  await scope.getByRole('combobox', { name: label }).locator('..').click()
  await page.getByRole('option', { name: option }).click()
  await page.getByRole('listbox').waitFor({ state: 'detached' })
}

// firstSignIn signs in with a new account's temporary password and replaces it, as the app demands first.
async function firstSignIn(page, url, email, temporary, password, check) {
  await signIn(page, url, email, temporary)
  // A new account is welcomed, not told that its password was reset.
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor()
  await page.getByText('Your account was created with a temporary password').waitFor()
  assert.equal(await page.getByText('Your password was reset').count(), 0, 'a new account is told of a reset')
  if (check) await check(page, 'must-change-password')
  await page.getByLabel('Temporary password').fill(temporary)
  await page.getByLabel('New password').fill(password)
  await page.getByLabel('Repeat the password').fill(password)
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.waitForURL('**/feed')
}

// addEmployee adds someone on Admin → Users and returns the temporary password the dialog shows once.
async function addEmployee(page, person, check) {
  await page.getByRole('button', { name: 'Add employee' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add an employee' })
  await dialog.waitFor()
  await settled(page)
  await dialog.getByLabel('Name').fill(person.name)
  await dialog.getByLabel('E-mail').fill(person.email)
  if (person.position) await dialog.getByLabel('Position').fill(person.position)
  if (check) await check(page, 'add-employee')
  await dialog.getByRole('button', { name: 'Add', exact: true }).click()
  const added = page.getByRole('dialog', { name: 'Employee added' })
  const field = added.getByLabel('Temporary password')
  await field.waitFor()
  const temporary = await field.inputValue()
  assert.match(temporary, /^\S{12,}$/)
  await added.getByText('expires in 3 days').waitFor()
  if (check) {
    await added.getByRole('button', { name: 'Copy' }).click()
    await added.getByText('The password is on the clipboard.').waitFor()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), temporary)
    await check(page, 'employee-added')
  }
  await added.getByRole('button', { name: 'Done' }).click()
  await added.waitFor({ state: 'detached' })
  // The list shows the new employee.
  await page.getByRole('link', { name: person.name }).waitFor()
  return temporary
}

for (const width of [1280, 360]) {
  describe(`groups at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('add employees, create groups, ask to join, approve, invite', async () => {
      const cookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      // Two topics to file groups under (Admin → Topics has its own journey).
      const topic = async (name) => (await (await api(annex, 'POST', '/admin/topics', { name }, { Cookie: cookie })).json()).id
      const accounting = await topic('Accounting')
      await topic('Projects')
      const shot = shooter(`groups-${width}`)
      const violations = []
      const check = async (page, name) => {
        await settled(page)
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
      }

      // The administrator adds two employees on Admin → Users, reached through the navigation.
      const ada = await newPage(browser, width)
      await ada.context.grantPermissions(['clipboard-read', 'clipboard-write'])
      await signIn(ada.page, annex.url, 'ada@example.com', adminPassword)
      await ada.page.waitForURL('**/feed')
      if (width < 600) await ada.page.getByRole('button', { name: 'Open navigation' }).click()
      await ada.page.getByRole('navigation').getByRole('link', { name: 'Users' }).click()
      await ada.page.waitForURL('**/admin/users')
      await ada.page.getByRole('heading', { name: 'Users' }).waitFor()
      await ada.page.getByText('Users found: 1').waitFor()
      await check(ada.page, 'admin-users')
      const temporary = await addEmployee(ada.page, { name: 'Anna Petrova', email: 'anna@example.com', position: 'Accountant' }, check)
      const borisTemporary = await addEmployee(ada.page, { name: 'Boris Ivanov', email: 'boris@example.com' })
      await ada.page.getByText('Users found: 3').waitFor()
      // The administrator's own row offers no deactivation; the last administrator stays one,
      // and the server's refusal is said in words.
      await ada.page.getByRole('button', { name: 'Actions for Ada Admin' }).click()
      await ada.page.getByRole('menuitem', { name: 'Remove administrator' }).waitFor()
      assert.equal(await ada.page.getByRole('menuitem', { name: 'Deactivate' }).count(), 0)
      await ada.page.getByRole('menuitem', { name: 'Remove administrator' }).click()
      const demote = ada.page.getByRole('dialog', { name: 'Remove your own administrator rights?' })
      await demote.getByRole('button', { name: 'Remove administrator' }).click()
      await demote.getByText('This is the last active administrator.').waitFor()
      await check(ada.page, 'last-admin')
      await demote.getByRole('button', { name: 'Cancel' }).click()
      await demote.waitFor({ state: 'detached' })
      await ada.page.getByRole('button', { name: 'Actions for Boris Ivanov' }).click()
      await ada.page.getByRole('menuitem', { name: 'Deactivate' }).waitFor()
      await check(ada.page, 'user-actions')
      await ada.page.keyboard.press('Escape')

      // The administrator creates a closed internal group filed under Accounting, and an extranet group.
      for (const g of [{ name: 'Finance', kind: 'Internal', visibility: 'Closed', topic: 'Accounting' }, { name: 'Client project', kind: 'Extranet' }]) {
        await ada.page.goto(annex.url + '/groups')
        await ada.page.getByRole('button', { name: 'Create group' }).click()
        const dialog = ada.page.getByRole('dialog')
        await dialog.getByLabel('Name').fill(g.name)
        await dialog.getByRole('radio', { name: new RegExp(g.kind) }).check()
        if (g.visibility) await choose(ada.page, dialog, 'Visibility', g.visibility)
        if (g.topic) await choose(ada.page, dialog, 'Topic', g.topic)
        if (g.name === 'Finance') await check(ada.page, 'create-dialog')
        await dialog.getByRole('button', { name: 'Create' }).click()
        await ada.page.getByRole('heading', { name: g.name }).waitFor()
      }
      await check(ada.page, 'admin-extranet-group')

      // The list, filtered by topic: the filter is kept in the address, each group shows its topic.
      await ada.page.goto(annex.url + '/groups?scope=all')
      await ada.page.getByText('Groups found: 2').waitFor()
      await choose(ada.page, ada.page, 'Topic', 'Accounting')
      await ada.page.waitForURL((u) => u.searchParams.get('topic') === accounting)
      await ada.page.getByText('Groups found: 1').waitFor()
      assert.equal(await ada.page.getByText('Client project').count(), 0, 'a group of another topic is listed')
      await ada.page.locator('.group-list__item', { hasText: 'Finance' }).getByText('Accounting', { exact: true }).waitFor()
      await check(ada.page, 'groups-by-topic')

      // Finance shows its topic; its owner lets every member invite.
      await ada.page.getByText('Finance').first().click()
      await ada.page.getByRole('heading', { name: 'Finance' }).waitFor()
      await ada.page.getByRole('link', { name: /Accounting/ }).waitFor()
      await ada.page.getByText('The owner and moderators').waitFor()
      await ada.page.getByRole('button', { name: 'Change settings' }).click()
      const settings = ada.page.getByRole('dialog', { name: 'Settings' })
      await settings.waitFor()
      await settled(ada.page)
      // Task visibility for external members is a setting of extranet groups only.
      assert.equal(await settings.getByText('Tasks external members see').count(), 0)
      await settings.getByRole('radio', { name: /All members/ }).check()
      await check(ada.page, 'group-settings')
      await settings.getByRole('button', { name: 'Save' }).click()
      await settings.waitFor({ state: 'detached' })
      await ada.page.locator('.group__facts').getByText('All members').waitFor()
      await check(ada.page, 'group-settings-saved')

      // Anna replaces her temporary password, then asks to join Finance.
      const anna = await newPage(browser, width)
      await firstSignIn(anna.page, annex.url, 'anna@example.com', temporary, annaPassword, check)
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
      // Every member may invite into Finance now.
      await anna.page.getByRole('button', { name: 'Invite employee' }).waitFor()
      await check(anna.page, 'member')

      // Anna creates a group of her own: she is its owner.
      await anna.page.goto(annex.url + '/groups')
      await anna.page.getByRole('button', { name: 'Create group' }).click()
      const annaDialog = anna.page.getByRole('dialog')
      await annaDialog.getByLabel('Name').fill('Budget review')
      await annaDialog.getByRole('button', { name: 'Create' }).click()
      await anna.page.getByRole('heading', { name: 'Budget review' }).waitFor()
      await anna.page.getByText('You own this group.').waitFor()

      // Ada, the owner of Finance, invites Boris with the person picker.
      await ada.page.getByRole('button', { name: 'Invite employee' }).click()
      const invite = ada.page.getByRole('dialog', { name: 'Invite an employee' })
      await invite.waitFor()
      await settled(ada.page)
      // Anna is a member already: she is not offered.
      await invite.getByRole('combobox', { name: 'Employee' }).click()
      await ada.page.getByRole('option', { name: /Boris Ivanov/ }).waitFor()
      assert.equal(await ada.page.getByRole('option', { name: /Anna Petrova/ }).count(), 0)
      await invite.getByRole('combobox', { name: 'Employee' }).fill('bor')
      await ada.page.getByRole('option', { name: /Boris Ivanov/ }).waitFor()
      await check(ada.page, 'invite-picker')
      await ada.page.getByRole('option', { name: /Boris Ivanov/ }).click()
      await invite.getByRole('button', { name: 'Invite', exact: true }).click()
      await ada.page.getByText('Boris Ivanov is invited.').waitFor()
      const borisRow = ada.page.locator('.member-list__item', { hasText: 'Boris Ivanov' })
      await borisRow.getByText('Invited').waitFor()
      await check(ada.page, 'invited')

      // Boris replaces his temporary password and finds the invitation among his groups.
      const boris = await newPage(browser, width)
      await firstSignIn(boris.page, annex.url, 'boris@example.com', borisTemporary, borisPassword)
      await boris.page.goto(annex.url + '/groups')
      await boris.page.getByText('Finance').first().click()
      await boris.page.getByText('You are invited to this group.').waitFor()
      await check(boris.page, 'invitation')
      await boris.page.getByRole('button', { name: 'Accept invitation' }).click()
      await boris.page.getByRole('button', { name: 'Leave group' }).waitFor()
      // Boris joins Anna's open group.
      await boris.page.goto(annex.url + '/groups?scope=all')
      await boris.page.getByText('Budget review').first().click()
      await boris.page.getByRole('button', { name: 'Join' }).click()
      await boris.page.getByRole('button', { name: 'Leave group' }).waitFor()

      // The administrator deactivates Anna and is told which groups need a new owner.
      await ada.page.goto(annex.url + '/admin/users')
      await ada.page.getByRole('button', { name: 'Actions for Anna Petrova' }).click()
      await ada.page.getByRole('menuitem', { name: 'Deactivate' }).click()
      const deactivate = ada.page.getByRole('dialog', { name: 'Deactivate Anna Petrova?' })
      await deactivate.getByRole('button', { name: 'Deactivate' }).click()
      await deactivate.waitFor({ state: 'detached' })
      await ada.page.getByText('Groups without an active owner').waitFor()
      await ada.page.getByText('Anna Petrova owned the groups below.').waitFor()
      // Finance is Ada's: only Anna's own group is listed.
      const ownerless = ada.page.locator('.users__ownerless')
      assert.equal(await ownerless.getByRole('link').count(), 1)
      await check(ada.page, 'ownerless-groups')

      // On the group's page a banner asks for a new owner among the active employees.
      await ownerless.getByRole('link', { name: 'Budget review' }).click()
      await ada.page.getByRole('heading', { name: 'Budget review' }).waitFor()
      const banner = ada.page.getByRole('region', { name: 'The owner’s account is deactivated' })
      await banner.waitFor()
      await ada.page.locator('.member-list__item', { hasText: 'Anna Petrova' }).getByText('Deactivated').waitFor()
      await banner.getByRole('combobox', { name: 'New owner' }).locator('..').click()
      await ada.page.getByRole('option', { name: /Boris Ivanov/ }).waitFor()
      // Anna's account is deactivated: she is not offered.
      assert.equal(await ada.page.getByRole('option', { name: /Anna Petrova/ }).count(), 0)
      await check(ada.page, 'handover-picker')
      await ada.page.getByRole('option', { name: /Boris Ivanov/ }).click()
      await banner.getByRole('button', { name: 'Make owner' }).click()
      const handover = ada.page.getByRole('dialog', { name: 'Make a new owner?' })
      await handover.getByText('Boris Ivanov becomes the owner of “Budget review”').waitFor()
      await check(ada.page, 'handover-confirm')
      await handover.getByRole('button', { name: 'Make owner' }).click()
      await ada.page.getByText('Boris Ivanov is now the owner.').waitFor()
      await banner.waitFor({ state: 'detached' })
      await ada.page.locator('.member-list__item', { hasText: 'Boris Ivanov' }).getByText('Owner').waitFor()
      await check(ada.page, 'handed-over')

      await ada.context.close()
      await anna.context.close()
      await boris.context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      const problems = [...ada.problems, ...anna.problems, ...boris.problems].filter((p) => !/\b(401|403|404|409|422)\b/.test(p))
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
