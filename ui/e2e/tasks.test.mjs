// Tasks, at a laptop's and a phone's width: an employee opens Tasks from the navigation and
// finds a task of hers already overdue, marked so; she creates a task in her group with a
// deadline, is told next to the field when the responsible person she picks is no member of
// the group, names a colleague instead, finds the task in the list, opens it and starts it.
// She pastes three lines into its checklist and types a fourth, ticks one and moves one with
// the keyboard; she comments, mentioning her colleague by "@" and his name, and edits the
// comment, which keeps the mention. Then she completes the task. Her group's page leads to
// the group's tasks, filtered by the group. Every screen is checked with axe-core and for
// sideways scrolling; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addEmployee, api, inspector, launch, newPage, setUpCompany, settled, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const borisPassword = 'Seven maple leaves drifting north'

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

// A day a week from now, as a date input takes it, and as the list shows it (the browser and
// this process share the machine's time zone).
const inAWeek = new Date(Date.now() + 7 * 24 * 3600 * 1000)
const pad = (n) => String(n).padStart(2, '0')
const deadlineDay = `${inAWeek.getFullYear()}-${pad(inAWeek.getMonth() + 1)}-${pad(inAWeek.getDate())}`
const deadlineShown = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(inAWeek)

for (const width of [1280, 360]) {
  describe(`tasks at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('an employee creates a task with a deadline, finds it, starts it and completes it', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const boris = await addEmployee(annex, adminCookie, 'Boris Ivanov', 'boris@example.com', borisPassword)
      const as = (who) => ({ Cookie: who.cookie })
      // Anna's group, with Boris a member; and a group of hers whose Tasks tool is off.
      const finance = (await (await api(annex, 'POST', '/groups', { name: 'Finance', kind: 'internal' }, as(anna))).json()).id
      await api(annex, 'POST', `/groups/${finance}/members`, { userId: boris.id }, as(anna))
      await api(annex, 'POST', `/groups/${finance}/join`, null, as(boris))
      const club = (await (await api(annex, 'POST', '/groups', { name: 'Social club', kind: 'internal' }, as(anna))).json()).id
      await api(annex, 'PATCH', `/groups/${club}`, { settings: { tools: ['feed'], invitePolicy: 'owner', externalTasks: 'involved' } }, as(anna))
      // A task of Anna's whose deadline passed two days ago.
      const past = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString()
      await api(annex, 'POST', '/tasks', { title: 'Renew the office lease', groupId: finance, deadline: past }, as(anna))

      const violations = []
      const check = inspector(`tasks-${width}`, violations)
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'anna@example.com', annaPassword)
      await page.waitForURL('**/feed')

      // Tasks, from the navigation: her open tasks, the overdue one marked.
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      await page.getByRole('navigation').getByRole('link', { name: 'Tasks' }).click()
      await page.waitForURL('**/tasks')
      await page.getByRole('heading', { name: 'My tasks' }).waitFor()
      await page.getByText('Tasks found: 1').waitFor()
      const lease = page.locator(width < 600 ? '.task-cards__item' : 'tbody tr', { hasText: 'Renew the office lease' })
      await lease.getByText('Overdue').waitFor()
      await lease.getByText('Finance').waitFor()
      await lease.getByText('Anna Petrova').waitFor()
      await check(page, 'list-overdue')

      // A new task: a responsible person outside the group is refused next to the field.
      await page.waitForLoadState('networkidle')
      await page.getByRole('button', { name: 'New task' }).click()
      const dialog = page.getByRole('dialog', { name: 'New task' })
      await dialog.waitFor()
      await settled(page)
      await dialog.getByLabel('Title').fill('Prepare the quarterly report')
      await dialog.getByLabel('Description').fill('Revenue and costs.\nTwo pages at most.')
      // Only her groups with the Tasks tool on are offered.
      await dialog.getByRole('combobox', { name: 'Group' }).locator('..').click()
      await page.getByRole('option', { name: 'Finance' }).waitFor()
      assert.equal(await page.getByRole('option', { name: 'Social club' }).count(), 0, 'a group without the Tasks tool is offered')
      await page.getByRole('option', { name: 'Finance' }).click()
      await page.getByRole('listbox').waitFor({ state: 'detached' })
      const picker = dialog.getByRole('combobox', { name: 'Responsible' })
      await picker.fill('ada')
      await page.getByRole('option', { name: /Ada Admin/ }).click()
      await dialog.getByLabel('Date', { exact: true }).fill(deadlineDay)
      await dialog.getByLabel('Time', { exact: true }).fill('17:30')
      await choose(page, dialog, 'Priority', 'High')
      await check(page, 'new-task')
      await dialog.getByRole('button', { name: 'Create task' }).click()
      // The picker's own message line holds the server's words.
      await dialog.locator('.v-autocomplete').getByText('Only the group’s members can be named on its tasks.').or(
        dialog.locator('.v-autocomplete').getByText("Only the group's members can be named on its tasks.")).waitFor()
      await dialog.locator('.v-autocomplete').getByText('Leave empty to be responsible yourself').waitFor({ state: 'detached' })
      await check(page, 'new-task-refused')
      await picker.fill('bor')
      await page.getByRole('option', { name: /Boris Ivanov/ }).click()
      await dialog.getByRole('button', { name: 'Create task' }).click()

      // The new task's page; back to the list, where it is listed with its deadline.
      await page.getByRole('heading', { name: 'Prepare the quarterly report' }).waitFor()
      await page.waitForURL(/\/tasks\/[\w-]+$/)
      await page.getByRole('link', { name: 'Tasks', exact: true }).last().click()
      await page.waitForURL('**/tasks')
      await page.getByText('Tasks found: 2').waitFor()
      const report = page.locator(width < 600 ? '.task-cards__item' : 'tbody tr', { hasText: 'Prepare the quarterly report' })
      await report.getByText('Boris Ivanov').waitFor()
      await report.getByText(deadlineShown, { exact: false }).waitFor()
      assert.equal(await report.getByText('Overdue').count(), 0, 'a deadline to come is marked overdue')
      await check(page, 'list-created')

      // The search finds it alone; the address keeps it.
      await page.getByRole('textbox', { name: 'Title or description' }).fill('quarterly')
      await page.waitForURL((u) => u.searchParams.get('q') === 'quarterly')
      await page.getByText('Tasks found: 1').waitFor()

      // Open it, start it, complete it.
      await report.getByRole('link', { name: 'Prepare the quarterly report' }).click()
      await page.getByRole('heading', { name: 'Prepare the quarterly report' }).waitFor()
      await page.getByText('Two pages at most.').waitFor()
      await page.getByText('High', { exact: true }).waitFor()
      await check(page, 'task-new')
      await page.getByRole('button', { name: 'Start' }).click()
      await page.getByText('Status: In progress.').waitFor()
      await page.getByRole('button', { name: 'Start' }).waitFor({ state: 'detached' })
      await check(page, 'task-started')

      // Its checklist: a pasted list adds every line at once (bullets dropped), Enter adds one more.
      const taskId = new URL(page.url()).pathname.split('/').pop()
      const lines = async () => (await (await api(annex, 'GET', `/tasks/${taskId}/checklist`, null, as(anna))).json()).items
      const checklist = page.getByRole('region', { name: 'Checklist' })
      const addLine = checklist.getByRole('textbox', { name: 'Add a line' })
      await addLine.focus()
      await page.evaluate((text) => {
        const data = new DataTransfer()
        data.setData('text/plain', text)
        document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
      }, '- Collect the figures\n- Write the summary\n- Send it to Ada\n')
      await checklist.getByText('0 of 3 done').waitFor()
      await addLine.fill('Check the totals')
      await addLine.press('Enter')
      await checklist.getByText('0 of 4 done').waitFor()
      assert.equal(await addLine.inputValue(), '')
      // Ticked, and the typed line moved up with the arrow key on its handle.
      await checklist.getByRole('checkbox', { name: 'Collect the figures' }).check()
      await checklist.getByText('1 of 4 done').waitFor()
      await checklist.getByRole('button', { name: 'Move “Check the totals”' }).press('ArrowUp')
      const order = ['Collect the figures', 'Write the summary', 'Check the totals', 'Send it to Ada']
      for (let i = 0; i < 50 && (await lines()).map((l) => l.text).join() !== order.join(); i++) await page.waitForTimeout(100)
      assert.deepEqual((await lines()).map((l) => [l.text, l.done]), order.map((text, i) => [text, i === 0]))
      assert.deepEqual(await checklist.locator('.checklist__text').allInnerTexts(), order)

      // A comment mentioning Boris: "@bor" offers him, choosing him writes his name; Ctrl+Enter sends.
      const comments = page.getByRole('region', { name: 'Comments' })
      await comments.getByText('No comments yet.').waitFor()
      const box = comments.getByRole('textbox', { name: 'Write a comment' })
      await box.click()
      await page.keyboard.type('Figures are in. @bor')
      await page.getByRole('option', { name: 'Boris Ivanov' }).waitFor()
      await check(page, 'task-mention')
      await page.getByRole('option', { name: 'Boris Ivanov' }).click()
      await page.keyboard.type('please check the totals.')
      const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/comments'))
      await box.press('Control+Enter')
      assert.deepEqual(JSON.parse((await posted).postData()), {
        body: 'Figures are in. @Boris Ivanov please check the totals.',
        mentionIds: [boris.id],
      })
      const comment = comments.getByRole('article')
      await comment.getByText('@Boris Ivanov please check the totals.').waitFor()
      await comment.getByText('Anna Petrova').waitFor()
      assert.equal(await box.inputValue(), '')
      // She edits it: the mention already in the text is sent again.
      await comment.getByRole('button', { name: 'Comment actions' }).click()
      await page.getByRole('menuitem', { name: 'Edit' }).click()
      const editBox = comment.getByRole('textbox', { name: 'Edit the comment' })
      await editBox.fill('Figures are in. @Boris Ivanov please check the totals by Friday.')
      const patched = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes('/comments/'))
      await comment.getByRole('button', { name: 'Save' }).click()
      assert.deepEqual(JSON.parse((await patched).postData()).mentionIds, [boris.id])
      await comment.getByText('please check the totals by Friday.').waitFor()
      await comment.getByText('edited', { exact: true }).waitFor()
      await check(page, 'task-checklist-comments')

      await page.getByRole('button', { name: 'Complete' }).click()
      await page.getByText('Status: Done.').waitFor()
      await page.getByRole('button', { name: 'Reopen' }).waitFor()
      await page.getByText('Completed', { exact: true }).waitFor()
      await check(page, 'task-done')

      // Back in the list (its search kept): a done task is no longer open, but is found under any status.
      await page.getByRole('link', { name: 'Tasks', exact: true }).last().click()
      await page.waitForURL((u) => u.pathname === '/tasks' && u.searchParams.get('q') === 'quarterly')
      await page.getByText('No tasks found').waitFor()
      // On a phone the filters wait in a sheet behind one button.
      if (width < 600) await page.getByRole('button', { name: 'Filters', exact: true }).click()
      await choose(page, page, 'Status', 'Any status')
      if (width < 600) await page.getByRole('button', { name: 'Show tasks' }).click()
      await page.waitForURL((u) => u.searchParams.get('status') === 'all')
      await report.getByText('Done').waitFor()
      await check(page, 'list-done')

      // The views: Boris is responsible for the report, not Anna.
      if (width < 600) await choose(page, page, 'Which tasks', 'I’m responsible')
      else await page.getByRole('tab', { name: 'I’m responsible' }).click()
      await page.waitForURL((u) => u.searchParams.get('role') === 'responsible')
      await page.getByText('No tasks found').waitFor()

      // The group's page leads to its tasks, the group shown as a filter that can be removed.
      await page.goto(annex.url + '/groups/' + finance)
      await page.getByRole('heading', { name: 'Finance' }).waitFor()
      const toTasks = page.getByTestId('group-head').getByRole('link', { name: 'Tasks', exact: true })
      await toTasks.waitFor()
      await check(page, 'group-page')
      await toTasks.click()
      await page.waitForURL((u) => u.searchParams.get('groupId') === finance)
      await page.getByText('Group: Finance').waitFor()
      await page.getByText('Tasks found: 1').waitFor()
      await check(page, 'group-tasks')
      await page.getByRole('button', { name: 'Show the tasks of every group' }).click()
      await page.waitForURL((u) => !u.searchParams.has('groupId'))

      // Its creator edits the overdue task's title and deadline, then deletes it.
      await page.getByRole('link', { name: 'Renew the office lease' }).click()
      await page.getByRole('heading', { name: 'Renew the office lease' }).waitFor()
      await page.getByText('Overdue').first().waitFor()
      await page.getByRole('button', { name: 'Edit' }).click()
      const edit = page.getByRole('dialog', { name: 'Edit task' })
      await edit.waitFor()
      await settled(page)
      await edit.getByLabel('Title').fill('Renew the office lease for 2027')
      await edit.getByLabel('Date', { exact: true }).fill(deadlineDay)
      await check(page, 'edit-task')
      await edit.getByRole('button', { name: 'Save' }).click()
      await edit.waitFor({ state: 'detached' })
      await page.getByRole('heading', { name: 'Renew the office lease for 2027' }).waitFor()
      assert.equal(await page.getByText('Overdue').count(), 0, 'a deadline moved ahead is still overdue')
      await page.getByRole('button', { name: 'Delete' }).click()
      const confirm = page.getByRole('dialog', { name: 'Delete the task?' })
      await confirm.getByText('“Renew the office lease for 2027” will be deleted').waitFor()
      await check(page, 'delete-task')
      await confirm.getByRole('button', { name: 'Delete' }).click()
      await page.waitForURL((u) => u.pathname === '/tasks')
      await page.getByText('No open tasks').waitFor()

      // A task nobody can see is "not found".
      await page.goto(annex.url + '/tasks/nosuchtask')
      await page.getByRole('heading', { name: 'Task not found' }).waitFor()
      await check(page, 'not-found')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      // The refused responsible person and the missing task answer 422 and 404 on purpose.
      assert.deepEqual(problems.filter((p) => !/\b(404|422)\b/.test(p)), [], 'console errors')
    })
  })
}
