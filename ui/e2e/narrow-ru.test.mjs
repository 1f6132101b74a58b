// Russian on a phone (360 px): Russian words are longer than English ones, and a button
// pushed past a dialog's edge or the screen's is one nobody can press. The journey walks
// the setup wizard (with its mail server form and test mail), then every dialog and page an
// administrator opens, and checks at each step that nothing sticks out of the screen and
// that every button of an open dialog lies whole inside it.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { api, axe, launch, shooter, startAnnex } from './harness.mjs'

const ru = JSON.parse(readFileSync(new URL('../src/i18n/ru.json', import.meta.url), 'utf8'))
const password = 'Фонарь над тихой гаванью 2026'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// clipped lists what does not fit: the page wider than the screen, and any visible button,
// link or field of an open dialog (or of the page, when no dialog is open) that reaches past
// the dialog's or the screen's edge.
async function clipped(page) {
  return page.evaluate(() => {
    const out = []
    const vw = document.documentElement.clientWidth
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${vw} px screen`)
    const dialogs = [...document.querySelectorAll('.v-overlay--active .v-overlay__content')]
    const scope = dialogs.length > 0 ? dialogs[dialogs.length - 1] : document.body
    const box = dialogs.length > 0 ? scope.getBoundingClientRect() : { left: 0, right: vw }
    for (const el of scope.querySelectorAll('button, a[href], input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file]), .v-chip')) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue
      // A control inside a region that scrolls sideways on purpose (a table) is reachable.
      if (el.closest('.v-table__wrapper, .v-slide-group__container')) continue
      // The navigation drawer, closed, waits off the screen.
      if (el.closest('.v-navigation-drawer:not(.v-navigation-drawer--active)')) continue
      const name = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('name') || el.tagName).trim().split('\n')[0]
      if (r.left < Math.max(0, box.left) - 1 || r.right > Math.min(vw, box.right) + 1) {
        out.push(`“${name}” spans ${Math.round(r.left)}–${Math.round(r.right)} px, outside ${Math.round(Math.max(0, box.left))}–${Math.round(Math.min(vw, box.right))}`)
      }
    }
    // Words cut short inside their own box: a button's label, a field's or a group's label, a
    // dialog's title, a chip (their overflow is hidden, so nothing spills out to be seen).
    for (const el of scope.querySelectorAll('.v-btn, .v-btn__content, .v-label, .v-card-title, .v-chip__content, .v-tab')) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0) continue
      if (el.closest('.v-navigation-drawer:not(.v-navigation-drawer--active)')) continue
      // A label floating above its field is drawn scaled down: its box is measured unscaled.
      if (el.matches('.v-field-label--floating')) continue
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || style.opacity === '0') continue
      if (el.scrollWidth > el.clientWidth + 1) {
        out.push(`“${el.innerText.trim().split('\n')[0] || el.className}” is cut (${el.scrollWidth} px of text in ${el.clientWidth} px)`)
      }
    }
    return out
  })
}

describe('Russian at 360 px', () => {
  let annex
  before(async () => { annex = await startAnnex() })
  after(async () => { await annex?.stop() })

  test('no dialog or page is clipped', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ru-RU' })
    const page = await context.newPage()
    const problems = []
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
    page.on('pageerror', (e) => problems.push(String(e)))
    const shot = shooter('narrow-ru')
    const found = []
    const violations = []
    const check = async (name) => {
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
      await shot(page, name)
      for (const c of await clipped(page)) found.push(`${name}: ${c}`)
      for (const v of await axe(page)) violations.push(`${name}: ${v}`)
    }
    const next = (title) => page.locator('form', { has: page.getByRole('heading', { name: title, exact: true }) })
      .getByRole('button', { name: ru.common.continue }).click()

    // The wizard, in the browser's language.
    await page.goto(annex.setupUrl)
    await page.waitForFunction(() => !location.hash.includes('token'))
    await page.getByLabel(ru.setup.company.name).fill('ООО «Пример»')
    await check('wizard-company')
    await next(ru.setup.steps.company)
    await page.getByLabel(ru.setup.admin.name).fill('Ада Админова')
    await page.getByLabel(ru.setup.admin.email).fill('ada@example.com')
    await page.getByLabel(ru.setup.admin.password, { exact: true }).fill(password)
    await page.getByLabel(ru.setup.admin.confirm).fill(password)
    await check('wizard-admin')
    await next(ru.setup.steps.admin)
    // The mail step with a server: its fields and the test-send button.
    await page.getByText(ru.smtp.useServer).click()
    await page.getByRole('textbox', { name: ru.smtp.host }).waitFor()
    await check('wizard-mail-server')
    const testSend = page.getByRole('button', { name: ru.smtp.testSend })
    if (await testSend.count() > 0) await testSend.first().scrollIntoViewIfNeeded()
    await check('wizard-mail-test')
    await page.getByText(ru.smtp.skip).click()
    await check('wizard-mail-skip')
    await next(ru.setup.steps.mail)
    await page.getByText(ru.setup.licence.free).click()
    await check('wizard-licence')
    await next(ru.setup.steps.licence)
    await page.getByText(ru.setup.extranet.switch).waitFor()
    await check('wizard-extranet')
    await next(ru.setup.steps.extranet)
    await check('wizard-finish')
    await page.getByRole('button', { name: ru.setup.finish.submit }).click()
    await page.waitForURL('**/feed')
    await check('feed')

    // An extranet group, through the API with the browser's session.
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    const group = (await (await api(annex, 'POST', '/groups', { name: 'Проект для клиента «Северный ветер»', kind: 'extranet' },
      { Cookie: cookie })).json()).id

    // Groups: the list and the creation dialog.
    await page.goto(annex.url + '/groups')
    await page.getByRole('heading', { name: ru.groups.title }).waitFor()
    await check('groups')
    await page.getByRole('button', { name: ru.groups.list.create }).click()
    await page.getByRole('dialog').waitFor()
    await check('group-create-dialog')
    await page.getByRole('button', { name: ru.common.cancel }).click()

    // The group page, its settings and the invitation by e-mail (the reported clipping).
    await page.goto(annex.url + '/groups/' + group)
    await page.getByRole('heading', { name: /Северный ветер/ }).waitFor()
    await check('group')
    await page.getByRole('button', { name: ru.groups.settings.change }).click()
    await page.getByRole('dialog').waitFor()
    await check('group-settings-dialog')
    await page.getByRole('dialog').getByRole('button', { name: ru.common.cancel }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: ru.groups.page.edit, exact: true }).click()
    await page.getByRole('dialog').waitFor()
    await check('group-edit-dialog')
    await page.getByRole('dialog').getByRole('button', { name: ru.common.cancel }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: ru.invitations.open }).click()
    const invite = page.getByRole('dialog')
    await invite.waitFor()
    await check('invite-dialog')
    // The dialog's own buttons lie whole inside it and the screen.
    const dialogBox = await invite.locator('.v-card').first().boundingBox()
    for (const name of [ru.common.cancel, ru.invitations.form.submit]) {
      const b = await invite.getByRole('button', { name, exact: true }).boundingBox()
      assert.ok(b && b.x >= dialogBox.x && b.x + b.width <= dialogBox.x + dialogBox.width && b.x + b.width <= 360,
        `“${name}” at ${JSON.stringify(b)} is outside the dialog ${JSON.stringify(dialogBox)}`)
    }
    await invite.getByText(ru.invitations.kind.external).first().click()
    await invite.getByLabel(ru.invitations.form.addresses).fill('Гина Гостева <gina@client.example>')
    await invite.getByRole('button', { name: ru.invitations.form.submit, exact: true }).click()
    await invite.getByText(ru.invitations.result.loggedAdmin.slice(0, 40)).waitFor()
    await check('invite-result')
    await invite.getByRole('button', { name: ru.invitations.result.done }).click()
    await invite.waitFor({ state: 'detached' })
    await check('group-invited')

    // Tasks: the list with an overdue task, the new task dialog, and the task's page.
    const task = (await (await api(annex, 'POST', '/tasks', { title: 'Подготовить квартальный отчёт для клиента «Северный ветер»',
      groupId: group, deadline: '2026-01-15T09:00:00+03:00', priority: 'high', description: 'Выручка и расходы.\nНе больше двух страниц.' },
    { Cookie: cookie })).json()).id
    await page.goto(annex.url + '/tasks')
    await page.getByRole('heading', { name: ru.tasks.title }).waitFor()
    await page.getByText(ru.tasks.list.overdue).first().waitFor()
    await check('tasks')
    await page.waitForLoadState('networkidle')
    await page.getByRole('button', { name: ru.tasks.create }).click()
    await page.getByRole('dialog').waitFor()
    await check('task-create-dialog')
    await page.getByRole('dialog').getByRole('button', { name: ru.common.cancel }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await page.goto(annex.url + '/tasks/' + task)
    await page.getByRole('heading', { name: /квартальный отчёт/ }).waitFor()
    await check('task')
    await page.getByRole('button', { name: ru.tasks.page.edit, exact: true }).click()
    await page.getByRole('dialog').waitFor()
    await check('task-edit-dialog')
    await page.getByRole('dialog').getByRole('button', { name: ru.common.cancel }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })

    // Admin → Mail: the mail form with its test-send, and the outbox with the one invitation
    // written to the log, named in the singular.
    await page.goto(annex.url + '/admin/mail')
    await page.getByText(ru.mail.outbox.title).first().waitFor()
    const chip = page.locator('.outbox-list__item .v-chip').first()
    await chip.waitFor()
    assert.equal((await chip.innerText()).trim(), 'В журнале сервера')
    await page.getByText('1 письмо').waitFor()
    await check('admin-mail')
    await page.getByText(ru.smtp.useServer).click()
    await page.getByRole('textbox', { name: ru.smtp.host }).waitFor()
    await check('admin-mail-server')

    // Admin → Users and its dialogs.
    await page.goto(annex.url + '/admin/users')
    await page.getByRole('heading', { name: ru.admin.users.title }).waitFor()
    await check('admin-users')
    await page.getByRole('button', { name: ru.admin.users.addEmployee }).click()
    await page.getByRole('dialog').waitFor()
    await check('add-employee-dialog')
    await page.getByRole('dialog').getByRole('button', { name: ru.common.cancel }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: ru.invitations.open }).click()
    await page.getByRole('dialog').waitFor()
    await check('admin-invite-dialog')
    await page.getByRole('dialog').getByRole('button', { name: ru.common.cancel }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })

    // The other administration pages, the profile and the password page.
    for (const [path, name] of [['/admin/settings', 'admin-settings'], ['/admin/security', 'admin-security'], ['/admin/topics', 'admin-topics'],
      ['/admin/licence', 'admin-licence'], ['/people', 'people'], ['/profile', 'profile'], ['/password', 'password']]) {
      await page.goto(annex.url + path)
      await page.waitForLoadState('networkidle')
      await check(name)
    }

    await context.close()
    assert.deepEqual(found, [], 'clipped at 360 px in Russian')
    assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
    assert.deepEqual(problems.filter((p) => !/\b(401|403|404|422)\b/.test(p)), [], 'console errors')
  })
})
