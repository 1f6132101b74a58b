// A task shared with a client, at a laptop's and a phone's width, with two people in Annex at
// once. Anna, an employee, has an extranet group with the Tasks tool on; she invites Gina, a
// client, by e-mail, and Gina follows the link in the mail and registers. In the browser Anna
// creates a task in the group with Gina responsible, and keeps its page open: Gina is shown
// there marked as an external user. Gina, already in Annex, sees her bell count it without a
// reload, opens the panel and follows the notification to the task; the mail about it reached
// the SMTP server. Gina comments, and the comment appears on Anna's open page by itself. Gina
// opens the group's board and moves the card to "In progress": dragged with the mouse on a
// laptop, dragged by a finger on a phone; the move is kept over a reload. Back on the task she
// completes it, and Anna's page shows it done, again without a reload; Anna's bell counted the
// comment and the completion. Every screen of both is checked with axe-core and for sideways
// scrolling; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addEmployee, api, drag, inspector, launch, newPage, setUpCompany, settled, signIn, startAnnex, startMailSink, touchDrag } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const ginaPassword = 'Harbour lights over amber glass'
const title = 'Check the brochure proofs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`an external user's task at ${width} px`, () => {
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

    test('an employee names a client on a task; the client hears of it live, comments, moves its card and completes it', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const asAnna = { Cookie: anna.cookie }
      // Anna's extranet group, the Tasks tool on; external members see the tasks they are on.
      const client = (await (await api(annex, 'POST', '/groups', { name: 'Client project', kind: 'extranet' }, asAnna)).json()).id
      await api(annex, 'PATCH', `/groups/${client}`, { settings: { tools: ['feed', 'tasks'], invitePolicy: 'owner', externalTasks: 'involved' } }, asAnna)
      // She invites Gina by e-mail: only the mail holds the link.
      const invited = await (await api(annex, 'POST', `/groups/${client}/invitations`,
        { kind: 'external', invitees: [{ email: 'gina@client.example', name: 'Gina Guest' }] }, asAnna)).json()
      assert.equal(invited.results[0].invited, true, JSON.stringify(invited.results))
      const invitation = await sink.mail('gina@client.example', /\/invite#token=/)
      const link = /(https?:\/\/[^\s"<>]+\/invite#token=[A-Za-z0-9_-]+)/.exec(invitation)[1]

      const violations = []
      const check = inspector(`extranet-tasks-${width}`, violations)
      const phone = width < 600

      // Gina, on a touch screen when on a phone, follows the link and registers: she lands in the group.
      const gina = phone
        ? await (async () => {
          const context = await browser.newContext({ viewport: { width, height: 740 }, hasTouch: true })
          const page = await context.newPage()
          const problems = []
          page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
          page.on('pageerror', (e) => problems.push(String(e)))
          return { page, problems, context }
        })()
        : await newPage(browser, width)
      const gp = gina.page
      await gp.goto(link)
      await gp.getByRole('heading', { name: 'You are invited to Client project' }).waitFor()
      assert.equal(await gp.getByLabel('Your name').inputValue(), 'Gina Guest')
      await gp.getByLabel('Password', { exact: true }).fill(ginaPassword)
      await gp.getByLabel('Repeat the password').fill(ginaPassword)
      await check(gp, 'gina-invitation')
      await gp.getByRole('button', { name: 'Create account and join' }).click()
      await gp.waitForURL(`**/groups/${client}`)
      await gp.getByRole('heading', { name: 'Client project' }).waitFor()
      const ginaBell = gp.locator('header .bell')
      await ginaBell.and(gp.getByRole('button', { name: 'Notifications', exact: true })).waitFor()
      await check(gp, 'gina-group')
      // Whatever reaches her now reaches this one page: a reload would lose the mark.
      await gp.evaluate(() => { window.stillHere = true })
      const stillHere = async (page, what) => assert.equal(await page.evaluate(() => window.stillHere), true, `${what} was reloaded`)

      // Anna, in her browser: the group's tasks, and a new task there for Gina.
      const annaView = await newPage(browser, width)
      const ap = annaView.page
      await signIn(ap, annex.url, 'anna@example.com', annaPassword)
      await ap.waitForURL('**/feed')
      await ap.goto(annex.url + '/groups/' + client)
      await ap.getByRole('heading', { name: 'Client project' }).waitFor()
      await ap.getByTestId('group-head').getByRole('link', { name: 'Tasks', exact: true }).click()
      await ap.waitForURL((u) => u.searchParams.get('groupId') === client)
      await ap.getByText('Group: Client project').waitFor()
      await ap.waitForLoadState('networkidle')
      await ap.getByRole('button', { name: 'New task' }).click()
      const dialog = ap.getByRole('dialog', { name: 'New task' })
      await dialog.waitFor()
      await settled(ap)
      await dialog.getByLabel('Title').fill(title)
      await dialog.getByLabel('Description').fill('Pages 1 to 8 of the new brochure.')
      // The group's list starts the task in the group.
      await dialog.locator('.v-select', { has: ap.getByRole('combobox', { name: 'Group' }) }).getByText('Client project').waitFor()
      const picker = dialog.getByRole('combobox', { name: 'Responsible' })
      await picker.fill('gina')
      const offered = ap.getByRole('option', { name: /Gina Guest/ })
      await offered.waitFor()
      await check(ap, 'anna-new-task')
      await offered.click()
      await dialog.getByRole('button', { name: 'Create task' }).click()

      // Her new task's page, which she keeps open: Gina responsible, marked as an external user.
      await ap.getByRole('heading', { name: title }).waitFor()
      await ap.waitForURL(/\/tasks\/[\w-]+$/)
      const taskPath = new URL(ap.url()).pathname
      const people = ap.getByRole('region', { name: 'People' })
      const ginaOnTask = people.getByRole('link', { name: 'Gina Guest (external user)' })
      await ginaOnTask.waitFor()
      await people.getByRole('link', { name: 'Anna Petrova', exact: true }).waitFor()
      // Marked in a colour of its own, with a globe, unlike Anna's name beside it.
      const colour = (locator) => locator.evaluate((e) => getComputedStyle(e).color)
      assert.notEqual(await colour(ginaOnTask), await colour(people.getByRole('link', { name: 'Anna Petrova', exact: true })))
      assert.equal(await ginaOnTask.locator('svg').count(), 1, 'the external user’s name has no globe')
      await check(ap, 'anna-task')
      await ap.evaluate(() => { window.stillHere = true })

      // Gina's bell counts it, without a reload; its panel leads to the task.
      await gp.locator('header').getByRole('button', { name: '1 unread notification', exact: true }).waitFor()
      await stillHere(gp, 'Gina’s page')
      await ginaBell.click()
      const panel = gp.getByRole('dialog', { name: 'Notifications' })
      await panel.waitFor()
      const item = panel.getByRole('link', { name: new RegExp(`^Unread: Anna Petrova named you on “${title}”`) })
      await item.waitFor()
      await check(gp, 'gina-bell')
      await item.click()
      await gp.waitForURL('**' + taskPath)
      await gp.getByRole('heading', { name: title }).waitFor()
      await gp.getByText('Pages 1 to 8 of the new brochure.').waitFor()
      await gp.locator('header').getByRole('button', { name: 'Notifications', exact: true }).waitFor()
      await stillHere(gp, 'Gina’s page')
      await check(gp, 'gina-task')
      // The mail about it reached the SMTP server.
      await sink.mail('gina@client.example', new RegExp(`Anna Petrova named you on the task .${title}.`))

      // Gina comments; the comment appears on Anna's open page, signed by Gina as an external user.
      const ginaComments = gp.getByRole('region', { name: 'Comments' })
      await ginaComments.getByText('No comments yet.').waitFor()
      await ginaComments.getByRole('textbox', { name: 'Write a comment' }).fill('Two typos on page 3, the rest is fine.')
      await ginaComments.getByRole('button', { name: 'Send' }).click()
      await ginaComments.getByRole('article').getByText('Two typos on page 3, the rest is fine.').waitFor()
      const annaComments = ap.getByRole('region', { name: 'Comments' })
      const comment = annaComments.getByRole('article').filter({ hasText: 'Two typos on page 3, the rest is fine.' })
      await comment.waitFor()
      await comment.getByRole('link', { name: 'Gina Guest (external user)' }).waitFor()
      // Her bell counts it too.
      await ap.locator('header').getByRole('button', { name: '1 unread notification', exact: true }).waitFor()
      await stillHere(ap, 'Anna’s page')
      await check(ap, 'anna-comment-live')

      // Gina opens the group's board from the task.
      await gp.getByRole('link', { name: 'Client project' }).click()
      await gp.waitForURL(`**/groups/${client}`)
      await gp.getByTestId('group-head').getByRole('link', { name: 'Board' }).click()
      await gp.waitForURL(`**/groups/${client}/board`)
      await gp.getByRole('heading', { name: 'Client project: board' }).waitFor()
      const stage = (name) => gp.getByRole('region', { name, exact: true })
      const cards = (name) => stage(name).locator('.board-card__title')
      const card = gp.locator('.board-card', { hasText: title })
      await card.waitFor()
      assert.deepEqual(await cards('To do').allInnerTexts(), [title])
      await card.getByText('Gina Guest').waitFor()
      await stage('In progress').getByText('No cards yet: drop one here').waitFor()
      await check(gp, 'gina-board')

      // She moves the card to "In progress": with the mouse on a laptop, a finger on a phone.
      if (!phone) {
        const target = await stage('In progress').locator('.stage__cards').boundingBox()
        await drag(gp, card, { x: target.x + target.width / 2, y: target.y + 20 })
      } else {
        // The next stage shows at the edge of the phone's screen: the finger takes the card there.
        await card.scrollIntoViewIfNeeded()
        await settled(gp)
        const target = await stage('In progress').locator('.stage__cards').boundingBox()
        await touchDrag(gp, card, { x: Math.min(target.x + 20, width - 8), y: target.y + 20 })
      }
      await stage('In progress').getByText('1 card', { exact: true }).waitFor()
      assert.deepEqual(await cards('In progress').allInnerTexts(), [title])
      await gp.getByRole('status').filter({ hasText: 'moved to' }).waitFor({ state: 'attached' })
      await check(gp, 'gina-moved')

      // The move is kept over a reload.
      await gp.reload()
      await cards('In progress').first().waitFor()
      assert.deepEqual(await cards('In progress').allInnerTexts(), [title])
      await stage('To do').getByText('No cards yet: drop one here').waitFor()

      // Back on the task, she completes it; Anna's open page shows it done.
      await gp.getByRole('link', { name: title }).click()
      await gp.waitForURL('**' + taskPath)
      await gp.getByRole('heading', { name: title }).waitFor()
      await gp.getByRole('button', { name: 'Complete' }).click()
      await gp.getByText('Status: Done.').waitFor()
      await gp.getByRole('button', { name: 'Reopen' }).waitFor()
      await check(gp, 'gina-done')

      await ap.getByText('Completed', { exact: true }).waitFor()
      await ap.getByRole('heading', { name: title }).locator('..').getByText('Done', { exact: true }).waitFor()
      await ap.getByRole('button', { name: 'Reopen' }).waitFor()
      assert.equal(await ap.getByRole('button', { name: 'Complete' }).count(), 0, 'Anna is still offered to complete it')
      await ap.locator('header').getByRole('button', { name: '2 unread notifications', exact: true }).waitFor()
      await stillHere(ap, 'Anna’s page')
      await check(ap, 'anna-done-live')

      await gina.context.close()
      await annaView.context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(gina.problems, [], 'console errors on Gina’s pages')
      assert.deepEqual(annaView.problems, [], 'console errors on Anna’s pages')
    })
  })
}
