// Notifications, at a laptop's and a phone's width: Boris has Annex open when Anna names him
// on a task, comments on it and sets its deadline; his bell counts each without a reload, and
// the panel it opens lists them in words (and takes a status change while open). He opens the
// first, lands on the task, sees her rename it live, marks everything read, finds them all on
// the notifications page, and turns off e-mail for being named on a task: the next task she
// gives him rings the bell and appears in his task list at once, and sends no mail. The first
// one's mail reached the SMTP server. Every screen is checked with axe-core and for sideways
// scrolling; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addEmployee, api, inspector, launch, newPage, setUpCompany, settled, signIn, startAnnex, startMailSink } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const borisPassword = 'Seven maple leaves drifting north'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// Tomorrow at 14:00 in the machine's time zone (the browser's too), as the API takes it.
const tomorrow = new Date()
tomorrow.setDate(tomorrow.getDate() + 1)
tomorrow.setHours(14, 0, 0, 0)

for (const width of [1280, 360]) {
  describe(`notifications at ${width} px`, () => {
    let sink
    let annex
    before(async () => {
      sink = await startMailSink()
      annex = await startAnnex(sink.env)
    })
    after(async () => {
      await annex?.stop()
      await sink?.stop()
    })

    test('the bell counts what happens to my tasks as it happens, leads to them, and listens to my settings', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const boris = await addEmployee(annex, adminCookie, 'Boris Ivanov', 'boris@example.com', borisPassword)
      const asAnna = { Cookie: anna.cookie }

      const violations = []
      const check = inspector(`notifications-${width}`, violations)
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'boris@example.com', borisPassword)
      await page.waitForURL('**/feed')
      const bell = page.locator('header .bell')
      await bell.and(page.getByRole('button', { name: 'Notifications', exact: true })).waitFor()
      // Whatever follows happens in this one page: a reload would lose the mark.
      await page.evaluate(() => { window.stillHere = true })
      const named = async (name) => {
        await page.locator('header').getByRole('button', { name, exact: true }).waitFor()
        assert.equal(await page.evaluate(() => window.stillHere), true, 'the page was reloaded')
      }

      // Anna names him on a task, comments on it and sets its deadline: each rings his bell.
      const task = await (await api(annex, 'POST', '/tasks', { title: 'Send the drawings', responsibleId: boris.id }, asAnna)).json()
      await named('1 unread notification')
      await check(page, 'bell-one')
      await api(annex, 'POST', `/tasks/${task.id}/comments`, { body: 'The client wants them by Friday.', mentionIds: [] }, asAnna)
      await named('2 unread notifications')
      await api(annex, 'PATCH', `/tasks/${task.id}`, { deadline: tomorrow.toISOString() }, asAnna)
      await named('3 unread notifications')
      // The first also went out by mail, in his language.
      await sink.mail('boris@example.com', /Anna Petrova named you on the task .Send the drawings./)

      // The bell opens the latest, in words.
      await bell.click()
      const panel = page.getByRole('dialog', { name: 'Notifications' })
      await panel.waitFor()
      const item = (text) => panel.getByRole('link', { name: text })
      await item(/^Unread: Anna Petrova named you on “Send the drawings”/).waitFor()
      await item(/^Unread: Anna Petrova commented on “Send the drawings”/).waitFor()
      await item(/^Unread: Anna Petrova set the deadline of “Send the drawings” to tomorrow at 2:00\sPM/).waitFor()
      await check(page, 'bell-open')

      // While it is open, a status change comes in at the top.
      await api(annex, 'PATCH', `/tasks/${task.id}`, { status: 'in_progress' }, asAnna)
      await named('4 unread notifications')
      await item(/^Unread: Anna Petrova set the status of “Send the drawings” to In progress/).waitFor()
      assert.match(await panel.getByRole('link').first().innerText(), /set the status/)

      // The first leads to the task, read.
      await item(/named you on/).click()
      await page.waitForURL(`**/tasks/${task.id}`)
      await page.getByRole('heading', { name: 'Send the drawings' }).waitFor()
      await named('3 unread notifications')
      // She renames it: his page shows the new title without a reload.
      await api(annex, 'PATCH', `/tasks/${task.id}`, { title: 'Send the final drawings' }, asAnna)
      await page.getByRole('heading', { name: 'Send the final drawings' }).waitFor()
      assert.equal(await page.evaluate(() => window.stillHere), true, 'the task page was reloaded')
      await check(page, 'task-live')

      // Mark all read.
      await bell.click()
      await panel.waitFor()
      await item(/^Anna Petrova named you on/).waitFor()
      await panel.getByRole('button', { name: 'Mark all read' }).click()
      await named('Notifications')
      assert.equal(await panel.getByRole('link', { name: /^Unread:/ }).count(), 0, 'a notification is still unread')
      await check(page, 'bell-read')

      // All of them, on a page of their own.
      await panel.getByRole('link', { name: 'All notifications' }).click()
      await page.waitForURL('**/notifications')
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor()
      await page.getByText('4 notifications').waitFor()
      await page.getByRole('link', { name: /Anna Petrova commented on “Send the final drawings”/ }).waitFor()
      await check(page, 'page-all')
      await page.getByRole('tab', { name: 'Unread' }).click()
      await page.waitForURL((u) => u.searchParams.get('show') === 'unread')
      await page.getByRole('heading', { name: 'Nothing unread' }).waitFor()
      await check(page, 'page-unread')

      // The settings: no more mail when he is named on a task.
      await page.getByRole('link', { name: 'Notification settings' }).click()
      await page.waitForURL('**/account/notifications')
      const mailSwitch = page.getByRole('checkbox', { name: 'You are named on a task: By e-mail' })
      await mailSwitch.waitFor()
      assert.equal(await mailSwitch.isChecked(), true)
      await page.getByText('Someone makes you the responsible person, a participant or an observer of a task.').waitFor()
      await check(page, 'settings')
      await mailSwitch.click()
      await page.getByText('Saved.').waitFor()
      assert.equal(await mailSwitch.isChecked(), false)
      await check(page, 'settings-saved')
      const prefs = await (await api(annex, 'GET', '/notifications/preferences', null, { Cookie: boris.cookie })).json()
      assert.deepEqual(prefs.items.find((p) => p.kind === 'task_assigned'), { kind: 'task_assigned', inApp: true, mail: false })
      // His task list, open in a fresh page.
      await page.goto(annex.url + '/tasks')
      await page.evaluate(() => { window.stillHere = true })
      await page.getByRole('heading', { name: 'My tasks' }).waitFor()
      await page.getByText('Tasks found: 1').waitFor()

      // The next task she gives him: the bell, and his list at once; no mail.
      await api(annex, 'POST', '/tasks', { title: 'Check the invoices', responsibleId: boris.id }, asAnna)
      await named('1 unread notification')
      await page.getByRole('link', { name: 'Check the invoices' }).waitFor()
      await page.getByText('Tasks found: 2').waitFor()
      await check(page, 'list-live')
      const outbox = await (await api(annex, 'GET', '/admin/outbox?perPage=100', null, { Cookie: adminCookie })).json()
      const assigned = outbox.items.filter((m) => m.to.includes('boris@example.com') && m.kind === 'task_assigned')
      assert.equal(assigned.length, 1, 'a mail was sent although he turned it off')

      // His account's menu leads to the settings too. Signing out closes the stream: nothing fails afterwards.
      await page.locator('header').getByRole('button', { name: /Account menu/ }).click()
      await page.getByRole('menuitem', { name: 'Notifications' }).waitFor()
      await page.getByRole('menuitem', { name: 'Sign out' }).click()
      await page.waitForURL('**/login')
      await settled(page)

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
