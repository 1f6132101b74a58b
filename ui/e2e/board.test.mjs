// Boards, at a laptop's and a phone's width: the owner of a group opens its board from the
// group's page, adds a stage, and moves cards to it and within a stage: by dragging with the
// mouse on a laptop, by a finger (a touch held a moment) and the card's menu on a phone. The
// order is kept over a reload. She deletes the stage, its cards going where she says. A member
// who may not change a task's status finds its card fixed, and has no stage menus. Her planner
// is a link away from My tasks. Every screen is checked with axe-core and for sideways
// scrolling; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addEmployee, api, drag, inspector, launch, newPage, setUpCompany, settled, signIn, startAnnex, touchDrag } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const borisPassword = 'Seven maple leaves drifting north'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`boards at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('the owner of a group adds a stage and moves cards on its board; the order is kept', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const boris = await addEmployee(annex, adminCookie, 'Boris Ivanov', 'boris@example.com', borisPassword)
      const as = (who) => ({ Cookie: who.cookie })
      const finance = (await (await api(annex, 'POST', '/groups', { name: 'Finance', kind: 'internal' }, as(anna))).json()).id
      await api(annex, 'POST', `/groups/${finance}/members`, { userId: boris.id }, as(anna))
      await api(annex, 'POST', `/groups/${finance}/join`, null, as(boris))
      const past = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString()
      // Newest first in the first stage: Count the chairs, Pay the suppliers, Close the quarter.
      await api(annex, 'POST', '/tasks', { title: 'Close the quarter', groupId: finance, priority: 'high' }, as(anna))
      await api(annex, 'POST', '/tasks', { title: 'Pay the suppliers', groupId: finance, responsibleId: boris.id, deadline: past }, as(anna))
      await api(annex, 'POST', '/tasks', { title: 'Count the chairs', groupId: finance }, as(anna))
      const stagesNow = async () => (await (await api(annex, 'GET', `/boards/${finance}`, null, as(anna))).json()).stages
        .map((s) => [s.name, s.cards.map((c) => c.title)])
      // waitStages waits until the server holds the board as expected.
      async function waitStages(expected) {
        for (let i = 0; i < 50 && JSON.stringify(await stagesNow()) !== JSON.stringify(expected); i++) await new Promise((r) => setTimeout(r, 100))
        assert.deepEqual(await stagesNow(), expected)
      }

      const violations = []
      const check = inspector(`board-${width}`, violations)
      const phone = width < 600
      // On a phone, a touch screen.
      const { page, problems, context } = phone
        ? await (async () => {
          const context = await browser.newContext({ viewport: { width, height: 740 }, hasTouch: true })
          const page = await context.newPage()
          const problems = []
          page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
          page.on('pageerror', (e) => problems.push(String(e)))
          return { page, problems, context }
        })()
        : await newPage(browser, width)
      await signIn(page, annex.url, 'anna@example.com', annaPassword)
      await page.waitForURL('**/feed')

      // The group's page leads to its board, born with three stages.
      await page.goto(annex.url + '/groups/' + finance)
      await page.getByTestId('group-head').getByRole('link', { name: 'Board' }).click()
      await page.waitForURL(`**/groups/${finance}/board`)
      await page.getByRole('heading', { name: 'Finance: board' }).waitFor()
      const stage = (name) => page.getByRole('region', { name, exact: true })
      const cards = (name) => stage(name).locator('.board-card__title')
      const card = (title) => page.locator('.board-card', { hasText: title })
      await cards('To do').first().waitFor()
      assert.deepEqual(await cards('To do').allInnerTexts(), ['Count the chairs', 'Pay the suppliers', 'Close the quarter'])
      await stage('To do').getByText('3 cards').waitFor()
      await card('Pay the suppliers').getByText('Overdue').waitFor()
      await card('Pay the suppliers').getByText('Boris Ivanov').waitFor()
      await card('Close the quarter').getByText('High priority').waitFor()
      await stage('Done').getByText('No cards yet: drop one here').waitFor()
      await check(page, 'board')

      // A stage of her own, at the end.
      await page.getByRole('button', { name: 'Add stage' }).click()
      const dialog = page.getByRole('dialog', { name: 'New stage' })
      await dialog.waitFor()
      await settled(page)
      await dialog.getByRole('button', { name: 'Add' }).click()
      await dialog.getByText('This field is required.').waitFor()
      await dialog.getByLabel('Name of the stage').fill('Review')
      await check(page, 'add-stage')
      await dialog.getByRole('button', { name: 'Add' }).click()
      await dialog.waitFor({ state: 'detached' })
      await stage('Review').waitFor()
      await page.getByText('Stage “Review” added.').waitFor()

      if (!phone) {
        // A card's menu opens under its button, and closes on a second click of it.
        const menuButton = card('Close the quarter').getByRole('button', { name: 'Move “Close the quarter”' })
        await menuButton.click()
        await page.getByRole('menuitem', { name: 'Move to “Review”' }).waitFor()
        assert.equal(await menuButton.getAttribute('aria-expanded'), 'true')
        await menuButton.click()
        await page.getByRole('menu').waitFor({ state: 'detached' })
        assert.equal(await menuButton.getAttribute('aria-expanded'), 'false')
        // Dragged with the mouse to the new stage, then within the first one.
        const review = await stage('Review').locator('.stage__cards').boundingBox()
        await drag(page, card('Pay the suppliers'), { x: review.x + review.width / 2, y: review.y + 20 })
        await waitStages([['To do', ['Count the chairs', 'Close the quarter']], ['In progress', []], ['Done', []], ['Review', ['Pay the suppliers']]])
        assert.deepEqual(await cards('Review').allInnerTexts(), ['Pay the suppliers'])
        const below = await card('Close the quarter').boundingBox()
        await drag(page, card('Count the chairs'), { x: below.x + below.width / 2, y: below.y + below.height - 4 })
      } else {
        // A finger held on a card drags it down its stage (the board shows the new stage: back to the first).
        await card('Count the chairs').scrollIntoViewIfNeeded()
        await settled(page)
        const below = await card('Close the quarter').boundingBox()
        await touchDrag(page, card('Count the chairs'), { x: below.x + below.width / 2, y: below.y + below.height - 4 })
        await waitStages([['To do', ['Pay the suppliers', 'Close the quarter', 'Count the chairs']], ['In progress', []], ['Done', []], ['Review', []]])
        // The card's menu moves it to another stage, and up and down, from the keyboard too.
        await card('Pay the suppliers').getByRole('button', { name: 'Move “Pay the suppliers”' }).click()
        await page.getByRole('menuitem', { name: 'Move to “Review”' }).waitFor()
        await check(page, 'card-menu')
        await page.getByRole('menuitem', { name: 'Move to “Review”' }).click()
        await waitStages([['To do', ['Close the quarter', 'Count the chairs']], ['In progress', []], ['Done', []], ['Review', ['Pay the suppliers']]])
        // The focus follows the card to its new stage.
        await page.waitForFunction(() => document.activeElement?.closest('.board-card')?.textContent.includes('Pay the suppliers'))
        // Up with the keyboard, and down again: the focus stays on the card's menu button.
        await card('Count the chairs').getByRole('button', { name: 'Move “Count the chairs”' }).focus()
        await page.keyboard.press('Enter')
        await page.getByRole('menuitem', { name: 'Move up' }).press('Enter')
        await waitStages([['To do', ['Count the chairs', 'Close the quarter']], ['In progress', []], ['Done', []], ['Review', ['Pay the suppliers']]])
        await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Move “Count the chairs”')
        await page.keyboard.press('Enter')
        await page.getByRole('menuitem', { name: 'Move down' }).press('Enter')
      }
      await waitStages([['To do', ['Close the quarter', 'Count the chairs']], ['In progress', []], ['Done', []], ['Review', ['Pay the suppliers']]])
      await page.getByRole('status').filter({ hasText: 'moved to' }).waitFor({ state: 'attached' })
      await check(page, 'moved')

      // The order is kept over a reload.
      await page.reload()
      await cards('Review').first().waitFor()
      assert.deepEqual(await cards('To do').allInnerTexts(), ['Close the quarter', 'Count the chairs'])
      assert.deepEqual(await cards('Review').allInnerTexts(), ['Pay the suppliers'])
      await stage('Review').getByText('1 card', { exact: true }).waitFor()

      // A task someone else adds to the group appears by itself (the live stream says so).
      await api(annex, 'POST', '/tasks', { title: 'Order new chairs', groupId: finance }, as(boris))
      await card('Order new chairs').waitFor()
      await stage('To do').getByText('3 cards').waitFor()

      if (!phone) {
        // Renamed, and moved one place to the left; then back to the end.
        await stage('Review').getByRole('button', { name: 'Actions for the stage “Review”' }).click()
        await page.getByRole('menuitem', { name: 'Rename' }).click()
        const rename = page.getByRole('dialog', { name: 'Rename “Review”' })
        await rename.getByLabel('Name of the stage').fill('Checked by Ada')
        await rename.getByRole('button', { name: 'Save' }).click()
        await rename.waitFor({ state: 'detached' })
        await stage('Checked by Ada').getByRole('button', { name: 'Actions for the stage “Checked by Ada”' }).click()
        await page.getByRole('menuitem', { name: 'Move left' }).click()
        await page.getByRole('status').filter({ hasText: 'Stage “Checked by Ada” moved to place 3 of 4.' }).waitFor({ state: 'attached' })
        assert.deepEqual(await page.locator('.stage__name').allInnerTexts(), ['To do', 'In progress', 'Checked by Ada', 'Done'])
        await stage('Checked by Ada').getByRole('button', { name: 'Actions for the stage “Checked by Ada”' }).click()
        await page.getByRole('menuitem', { name: 'Move right' }).click()
        await page.getByRole('status').filter({ hasText: 'moved to place 4 of 4.' }).waitFor({ state: 'attached' })
        await stage('Checked by Ada').getByRole('button', { name: 'Actions for the stage “Checked by Ada”' }).click()
        await page.getByRole('menuitem', { name: 'Rename' }).click()
        await page.getByRole('dialog', { name: 'Rename “Checked by Ada”' }).getByLabel('Name of the stage').fill('Review')
        await page.getByRole('dialog', { name: 'Rename “Checked by Ada”' }).getByRole('button', { name: 'Save' }).click()
        await stage('Review').waitFor()
      }

      // Deleting the stage asks where its cards go.
      await stage('Review').getByRole('button', { name: 'Actions for the stage “Review”' }).click()
      await page.getByRole('menuitem', { name: 'Delete' }).click()
      const confirm = page.getByRole('dialog', { name: 'Delete the stage “Review”?' })
      await confirm.getByText('Its card goes to the stage you choose.').waitFor()
      await confirm.getByRole('combobox', { name: 'Move its cards to' }).locator('..').click()
      await page.getByRole('option', { name: 'In progress' }).click()
      await page.getByRole('listbox').waitFor({ state: 'detached' })
      await check(page, 'delete-stage')
      await confirm.getByRole('button', { name: 'Delete stage' }).click()
      await confirm.waitFor({ state: 'detached' })
      await stage('Review').waitFor({ state: 'detached' })
      assert.deepEqual(await cards('In progress').allInnerTexts(), ['Pay the suppliers'])
      await waitStages([['To do', ['Order new chairs', 'Close the quarter', 'Count the chairs']], ['In progress', ['Pay the suppliers']], ['Done', []]])

      // Her planner: from My tasks, the tasks she is responsible for.
      await page.goto(annex.url + '/tasks')
      await page.getByRole('link', { name: 'Planner' }).click()
      await page.waitForURL('**/tasks/planner')
      await page.getByRole('heading', { name: 'My planner' }).waitFor()
      await card('Close the quarter').waitFor()
      assert.equal(await card('Pay the suppliers').count(), 0, 'Boris’s task is on Anna’s planner')
      await card('Close the quarter').getByText('Finance').waitFor()
      await check(page, 'planner')
      await context.close()

      if (!phone) {
        // Boris, a member: Anna's tasks are fixed for him, his own moves; no stage menus.
        const other = await newPage(browser, width)
        await signIn(other.page, annex.url, 'boris@example.com', borisPassword)
        await other.page.waitForURL('**/feed')
        await other.page.goto(`${annex.url}/groups/${finance}/board`)
        const his = other.page.locator('.board-card', { hasText: 'Pay the suppliers' })
        await his.getByRole('button', { name: 'Move “Pay the suppliers”' }).waitFor()
        const hers = other.page.locator('.board-card', { hasText: 'Close the quarter' })
        assert.equal(await hers.getByRole('button').count(), 0, 'a card he may not move has a menu')
        assert.match(await hers.getAttribute('class'), /board-card--fixed/)
        assert.equal(await other.page.getByRole('button', { name: /Actions for the stage/ }).count(), 0)
        assert.equal(await other.page.getByRole('button', { name: 'Add stage' }).count(), 0)
        // A drag of a card he may not move does nothing.
        const done = await other.page.getByRole('region', { name: 'Done', exact: true }).locator('.stage__cards').boundingBox()
        await drag(other.page, hers, { x: done.x + done.width / 2, y: done.y + 20 })
        await other.page.waitForTimeout(300)
        assert.equal(await other.page.getByRole('region', { name: 'Done', exact: true }).locator('.board-card').count(), 0)
        await check(other.page, 'member')

        // The group is archived meanwhile: his move is refused in words and undone, and the board turns read-only.
        await api(annex, 'PATCH', `/groups/${finance}`, { archived: true }, as(anna))
        await drag(other.page, his, { x: done.x + done.width / 2, y: done.y + 20 })
        await other.page.getByText('“Pay the suppliers” could not be moved: This group is archived: its tasks can be read but not changed.').waitFor()
        await other.page.getByText('This group is archived: its board can be read but not changed.').waitFor()
        assert.equal(await other.page.getByRole('region', { name: 'Done', exact: true }).locator('.board-card').count(), 0)
        assert.equal(await his.getByRole('button').count(), 0, 'a read-only board offers moves')
        await other.page.getByRole('region', { name: 'In progress', exact: true }).getByText('Pay the suppliers').waitFor()
        await check(other.page, 'archived')
        await other.context.close()
        // The refused move answers 409 on purpose.
        assert.deepEqual(other.problems.filter((p) => !/\b409\b/.test(p)), [], 'console errors (member)')
      }

      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
