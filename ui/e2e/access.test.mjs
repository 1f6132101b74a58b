// Access expiry and view-as, at a laptop's and a phone's width: the administrator gives
// external users 30 days by default, sets the last day of a contractor's access on her
// profile, views the application as she sees it (read-only, logged), reads and downloads
// her access report, exports her part of the activity log, finds her
// among the accounts whose access ends soon, and sees the field in the invitation form. The
// job that ends access past the date is run from Admin → Jobs. (That she is refused once her
// day has passed needs the server's clock moved: the Go tests cover it.) Every screen is
// checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { api, inspector, launch, newPage, setUpCompany, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const ginaPassword = 'Harbour lights over amber glass'

// day is the local calendar day n days from now, as a date field takes it.
function day(n) {
  const d = new Date(Date.now() + n * 24 * 3600 * 1000)
  const pad = (x) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`access expiry at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('a default, a date on the profile, the filter and the form', async () => {
      const cookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const as = { Cookie: cookie }
      const group = (await (await api(annex, 'POST', '/groups', { name: 'Client project', kind: 'extranet' }, as)).json()).id
      const res = await api(annex, 'POST', `/groups/${group}/invitations`,
        { kind: 'external', invitees: [{ email: 'gina@client.example', name: 'Gina Guest' }] }, as)
      const token = (await res.json()).results[0].link.split('#token=')[1]
      const gina = (await (await api(annex, 'POST', '/invite/register', { token, name: 'Gina Guest', password: ginaPassword })).json()).me

      const violations = []
      const check = inspector(`access-${width}`, violations)
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')

      // The company's default: 30 days after accepting.
      await page.goto(annex.url + '/admin/security')
      const days = page.getByRole('textbox', { name: 'Access lasts' })
      await days.fill('abc')
      await page.getByText('Enter a number of days from 1 to 3650, or leave it empty.').waitFor()
      await days.fill('30')
      const card = page.locator('.v-card', { has: page.getByRole('heading', { name: "External users' access" }) })
      await card.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Saved').first().waitFor()
      await check(page, 'settings')

      // Gina accepted before there was a default: her access has no end until one is set.
      await page.goto(`${annex.url}/people/${gina.id}`)
      await page.getByText('Access does not end on a date.').waitFor()
      await page.getByRole('button', { name: 'Change the date' }).click()
      await page.getByLabel('Last day of access').fill(day(-1))
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Choose today or a later day.').waitFor()
      await check(page, 'profile-past')
      await page.getByLabel('Last day of access').fill(day(10))
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText(/^Access ends on .+, then the account is deactivated\.$/).waitFor()
      await page.getByRole('button', { name: /^Extend to / }).waitFor()
      await check(page, 'profile-date')
      const p = await (await api(annex, 'GET', `/people/${gina.id}`, undefined, as)).json()
      const end = new Date(p.access.expiresAt)
      assert.equal(`${end.getFullYear()}-${String(end.getMonth() + 1).padStart(2, '0')}-${String(end.getDate()).padStart(2, '0')}`, day(10))
      assert.deepEqual([end.getHours(), end.getMinutes()], [23, 59], 'access lasts through the day picked')

      // The administrator sees the application as Gina does: her group, her contacts, no
      // admin area; nothing she tries to change is changed.
      await page.getByRole('button', { name: 'View as Gina Guest' }).click()
      const banner = page.getByRole('status').filter({ hasText: 'You are viewing Annex as Gina Guest sees it.' })
      await banner.waitFor()
      await page.goto(annex.url + '/groups')
      await banner.waitFor()
      await page.getByRole('link', { name: 'Client project' }).first().waitFor()
      await check(page, 'view-as-groups')
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0, 'no admin area in her view')
      if (width < 600) await page.keyboard.press('Escape')
      await page.goto(annex.url + '/profile')
      await page.getByLabel('Position').fill('Auditor')
      await page.getByRole('button', { name: 'Save' }).first().click()
      await page.getByText('You are viewing as someone else: nothing can be changed.', { exact: false }).first().waitFor()
      await check(page, 'view-as-refused')
      await banner.getByRole('button', { name: 'Stop viewing' }).click()
      await page.waitForURL(`**/people/${gina.id}`)
      await page.getByRole('button', { name: 'View as Gina Guest' }).waitFor()
      assert.equal((await (await api(annex, 'GET', `/people/${gina.id}`, undefined, as)).json()).position, '', 'nothing changed')
      // The access report: what she reaches and why, and the same as a CSV.
      await page.getByRole('link', { name: 'Access report' }).click()
      await page.getByRole('heading', { name: 'Access report: Gina Guest', level: 1 }).waitFor()
      await page.getByRole('heading', { name: 'Groups: 1' }).waitFor()
      await page.getByRole('heading', { name: 'People: 2' }).waitFor()
      await page.getByText('Member of the group').waitFor()
      await page.getByText('Through: Client project').waitFor()
      await check(page, 'access-report')
      const downloading = page.waitForEvent('download')
      await page.getByRole('link', { name: 'Download as CSV' }).click()
      const download = await downloading
      assert.match(download.suggestedFilename(), /^access-report-\d{4}-\d{2}-\d{2}\.csv$/)
      const csv = readFileSync(await download.path(), 'utf8').trim().split('\n')
      assert.equal(csv.length, 4, csv.join('\n'))
      assert.match(csv[1], /^Group,Client project,/)

      // Her part of the log, exported as the auditor gets it.
      await page.goto(`${annex.url}/admin/activity?person=${gina.id}`)
      await page.locator('[data-action="invitation.accepted"]').waitFor()
      const exporting = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Export as CSV' }).click()
      const logRows = readFileSync(await (await exporting).path(), 'utf8').trim().split('\n')
      assert.ok(logRows.length >= 2 && logRows.slice(1).every((r) => r.includes('Gina Guest')), logRows.join('\n'))
      await page.goto(`${annex.url}/people/${gina.id}`)

      const log = async (action) => (await (await api(annex, 'GET', `/admin/activity?action=${action}`, undefined, as)).json()).items
      assert.equal((await log('access.view_as_started')).length, 1)
      // Her profile, where the view began, then her home, her groups and her profile page.
      assert.deepEqual((await log('access.view_as_page')).map((r) => r.details.path).sort(),
        ['/feed', '/groups', `/people/${gina.id}`, '/profile'].sort())
      assert.equal((await log('access.view_as_ended')).length, 1)

      // Among the accounts, she is the one whose access ends within 14 days.
      await page.goto(annex.url + '/admin/users')
      await page.getByText('Users found: 2').waitFor()
      // The field around the combobox takes the click (the current choice lies over the input).
      await page.getByRole('combobox', { name: 'Status' }).locator('..').click()
      await page.getByRole('option', { name: 'Access ends within 14 days' }).click()
      await page.getByText('Users found: 1').waitFor()
      await page.getByText(/^Until /).first().waitFor()
      assert.match(page.url(), /active=expiring/)
      await check(page, 'users-expiring')

      // Inviting an external user offers the last day of access.
      await page.goto(`${annex.url}/groups/${group}`)
      await page.getByRole('button', { name: 'Invite by e-mail' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByRole('radio', { name: /Employees/ }).check()
      assert.equal(await dialog.getByLabel('Access until (optional)', { exact: true }).count(), 0, 'employees have no access date')
      await dialog.getByRole('radio', { name: /External users/ }).check()
      await dialog.getByLabel('Access until (optional)', { exact: true }).waitFor()
      await check(page, 'invite-form')
      await page.keyboard.press('Escape')

      // The job behind it, in Admin → Jobs, run now.
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      await page.getByRole('link', { name: 'Jobs' }).click()
      await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
      const job = page.locator('[data-job="access_expiry"]')
      await job.getByText('Every minute').waitFor()
      await job.getByRole('button', { name: 'Run now' }).click()
      await page.getByText('Access expiry: started.').waitFor()
      await job.getByText('Succeeded').waitFor()
      await check(page, 'jobs')
      const rows = await (await api(annex, 'GET', '/admin/activity?action=admin.job_run', undefined, as)).json()
      assert.equal(rows.items.length, 1, 'the run is in the activity log')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      // The one refusal the journey asks for: the write tried while viewing as Gina.
      const forbidden = 'Failed to load resource: the server responded with a status of 403 (Forbidden)'
      assert.equal(problems.filter((p) => p === forbidden).length, 1)
      assert.deepEqual(problems.filter((p) => p !== forbidden), [], 'console errors')
    })
  })
}
