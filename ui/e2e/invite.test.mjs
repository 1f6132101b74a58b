// Invitations, at a laptop's and a phone's width. The administrator (set up through the API)
// makes an extranet group and invites gina@client.example into it as an external user; with
// no mail server configured, the outbox writes the mail, link and all, to the server log,
// which is where the journey reads it. Gina opens the link, sees who invites her into what
// (marked as a guest invitation), is refused a common password next to the field, registers
// and lands in the group, and sees no other group. A used link, an unknown one, a revoked
// one (naming whom to ask) and a declined one each say so. The administrator then sees 2
// seats used on Admin → Licence, a licence file refused next to its field, and the mails as
// sent on Admin → Mail. Every page is checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { api, axe, launch, newPage, setUpCompany, shooter, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const ginaPassword = 'Harbour lights over amber glass'

// Dialogs and menus slide in and out: act and take pictures once they stand still.
const settled = (page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// unquote reads a Go-quoted value (strconv.Quote, as the log's text format writes it).
function unquote(quoted) {
  return quoted.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)/g, (_, e) => {
    switch (e[0]) {
      case 'n': return '\n'
      case 't': return '\t'
      case 'r': return '\r'
      case 'u': case 'U': case 'x': return String.fromCodePoint(parseInt(e.slice(1), 16))
      default: return e
    }
  })
}

// mailsTo returns the texts of the mails the log transport wrote for an address, oldest first.
function mailsTo(annex, to) {
  return annex.output().split('\n')
    .filter((line) => line.includes('msg="mail (no SMTP server configured') && line.includes(` to=${to} `))
    .map((line) => {
      const text = /\btext=("(?:[^"\\]|\\.)*")/.exec(line)?.[1]
      return text ? unquote(text) : ''
    })
}

// invitationLink waits for the invitation mail to an address and returns the link it carries.
async function invitationLink(annex, to) {
  for (let i = 0; i < 100; i++) {
    for (const text of mailsTo(annex, to).reverse()) {
      const link = /(https?:\/\/\S+\/invite#token=[A-Za-z0-9_-]+)/.exec(text)?.[1]
      if (link) return link
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no invitation mail to ${to} in the log:\n${annex.output()}`)
}

// refusingSMTP is a mail server on a loopback port that refuses every recipient with a
// two-line answer, as a real one does for an unknown mailbox.
function refusingSMTP() {
  const server = createServer((socket) => {
    socket.setEncoding('utf8')
    socket.write('220 mx.client.example ESMTP\r\n')
    let buffer = ''
    socket.on('data', (chunk) => {
      buffer += chunk
      let end
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-mx.client.example\r\n250 8BITMIME\r\n')
        else if (verb === 'RCPT') socket.write('550-5.1.1 The e-mail account that you tried to reach does not exist.\r\n550 5.1.1 Please check the address for typos.\r\n')
        else if (verb === 'QUIT') socket.end('221 2.0.0 Bye\r\n')
        else socket.write('250 2.0.0 OK\r\n')
      }
    })
    socket.on('error', () => {})
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

for (const width of [1280, 360]) {
  describe(`invitations at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('an external user joins by the link in her invitation, and sees only that group', async () => {
      const cookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const as = { Cookie: cookie }
      const create = async (body) => (await (await api(annex, 'POST', '/groups', body, as)).json()).id
      const client = await create({ name: 'Client project', kind: 'extranet' })
      await create({ name: 'Staff room', kind: 'internal', visibility: 'open' })
      const invite = async (email, name) => {
        const res = await api(annex, 'POST', `/groups/${client}/invitations`, {
          kind: 'external', invitees: [{ email, name }],
          message: 'Hello Gina,\nthis is where we share the drafts of the new brochure.',
        }, as)
        const [outcome] = (await res.json()).results
        assert.equal(outcome.invited, true, JSON.stringify(outcome))
        return outcome
      }
      const invited = await invite('gina@client.example', 'Gina Guest')
      const link = await invitationLink(annex, 'gina@client.example')
      assert.equal(link, invited.link, 'the mailed link is the one the inviter may copy')
      assert.ok(link.startsWith(annex.url + '/invite#token='))

      const shot = shooter(`invite-${width}`)
      const violations = []
      const check = async (page, name) => {
        // From the top, so that the app bar of a full-page picture is where it belongs.
        await page.evaluate(() => window.scrollTo(0, 0))
        await settled(page)
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
      }

      // Gina opens the link: the token leaves the address bar at once.
      const gina = await newPage(browser, width)
      const page = gina.page
      await page.goto(link)
      await page.getByRole('heading', { name: 'You are invited to Client project' }).waitFor()
      assert.ok(!page.url().includes('token'), `the token stays in the address: ${page.url()}`)
      assert.equal(new URL(page.url()).pathname, '/invite')
      await page.getByText('Ada Admin (ada@example.com) invites you to work with Example Ltd in the group Client project.').waitFor()
      await page.getByText('Guest access (extranet)').waitFor()
      await page.getByText('this is where we share the drafts of the new brochure.').waitFor()
      await page.getByText(/This invitation is valid until/).waitFor()
      // The address is the invited one, and cannot be changed; the name is the inviter's guess.
      const email = page.getByLabel('E-mail')
      assert.equal(await email.inputValue(), 'gina@client.example')
      assert.equal(await email.getAttribute('readonly'), '')
      assert.equal(await page.getByLabel('Your name').inputValue(), 'Gina Guest')
      await check(page, 'invitation')

      // A common password is refused by the server, next to the field.
      await page.getByLabel('Password', { exact: true }).fill('password1234')
      await page.getByLabel('Repeat the password').fill('password1234')
      await page.getByRole('button', { name: 'Create account and join' }).click()
      await page.getByText('This password is too common').waitFor()
      await check(page, 'common-password')

      // Registered, she lands in the group she was invited into.
      await page.getByLabel('Your name').fill('Gina Guest-Lee')
      await page.getByLabel('Password', { exact: true }).fill(ginaPassword)
      await page.getByLabel('Repeat the password').fill(ginaPassword)
      await page.getByText('Password strength: Strong').waitFor()
      await page.getByRole('button', { name: 'Create account and join' }).click()
      await page.waitForURL(`**/groups/${client}`)
      await page.getByRole('heading', { name: 'Client project' }).waitFor()
      await page.getByText('Gina Guest-Lee').first().waitFor()
      await check(page, 'group')

      // She sees no other group, even when asking for all.
      await page.goto(annex.url + '/groups?scope=all')
      await page.getByText('Client project').first().waitFor()
      assert.equal(await page.getByText('Staff room').count(), 0, 'an internal group is listed')
      await check(page, 'groups')

      // The link is used up: it says so, and takes her into the group.
      await page.goto(link)
      await page.getByRole('heading', { name: 'This invitation has already been accepted' }).waitFor()
      await page.getByRole('link', { name: 'Open the group' }).waitFor()
      await check(page, 'link-used')
      await gina.context.close()

      // Links that do not work, opened by someone not signed in.
      const visitor = await newPage(browser, width)
      await visitor.page.goto(annex.url + '/invite#token=not-a-real-token')
      await visitor.page.getByRole('heading', { name: 'This invitation link does not work' }).waitFor()
      await check(visitor.page, 'link-unknown')

      // A revoked invitation names whom to ask.
      const hal = await invite('hal@client.example', 'Hal')
      const halLink = await invitationLink(annex, 'hal@client.example')
      await api(annex, 'POST', `/invitations/${hal.invitation.id}/revoke`, null, as)
      await visitor.page.goto(halLink)
      await visitor.page.getByRole('heading', { name: 'This invitation was withdrawn' }).waitFor()
      await visitor.page.getByText('Ask Ada Admin if you still need access.').waitFor()
      await visitor.page.getByRole('link', { name: 'ada@example.com' }).waitFor()
      await check(visitor.page, 'link-revoked')

      // Declining asks first, then the link stops working.
      await invite('ivy@client.example', 'Ivy')
      await visitor.page.goto(await invitationLink(annex, 'ivy@client.example'))
      await visitor.page.getByRole('heading', { name: 'You are invited to Client project' }).waitFor()
      // In Russian, whose words are longer, before it is declined in English.
      const language = async (from, to) => {
        await visitor.page.getByRole('button', { name: from }).click()
        await visitor.page.getByRole('menuitemradio', { name: to }).click()
        await visitor.page.getByRole('menu').waitFor({ state: 'detached' })
      }
      await language('Language: English', 'Русский')
      await visitor.page.getByRole('heading', { name: 'Вас приглашают в группу «Client project»' }).waitFor()
      await check(visitor.page, 'invitation-ru')
      await language('Язык: Русский', 'English')
      await visitor.page.getByRole('button', { name: 'Decline', exact: true }).click()
      const confirm = visitor.page.getByRole('dialog', { name: 'Decline this invitation?' })
      await confirm.waitFor()
      await check(visitor.page, 'decline-confirm')
      await confirm.getByRole('button', { name: 'Decline invitation' }).click()
      await visitor.page.getByRole('heading', { name: 'You declined the invitation' }).waitFor()
      await check(visitor.page, 'declined')
      await visitor.context.close()

      // The administrators' banner. An expired licence or one with fewer seats than are in use
      // cannot be made here without the vendor's key, so the server's answer is changed on its way.
      const banner = await newPage(browser, width)
      let licence = {}
      await banner.context.route('**/api/v1/admin/licence', async (route) => {
        const res = await route.fetch()
        await route.fulfill({ response: res, json: { ...(await res.json()), ...licence } })
      })
      const business = { free: false, edition: 'Business', licensee: 'Example Ltd', seats: 5, issued: '2025-01-01T00:00:00Z' }
      licence = { ...business, expires: '2026-01-31T00:00:00Z', expired: true }
      await signIn(banner.page, annex.url, 'ada@example.com', adminPassword)
      await banner.page.waitForURL('**/feed')
      await banner.page.getByText('The licence expired on January 31, 2026.').waitFor()
      await check(banner.page, 'banner-expired')
      licence = { ...business, seats: 1, used: 2, expires: '2099-01-31T00:00:00Z', overLimit: true }
      await banner.page.goto(annex.url + '/groups')
      await banner.page.getByText('2 seats are in use, more than the 1 of the licence').waitFor()
      await check(banner.page, 'banner-over-limit')
      await banner.page.getByRole('link', { name: 'Open Licence' }).click()
      await banner.page.waitForURL('**/admin/licence')
      await banner.page.getByText('More seats are in use than the licence allows').waitFor()
      // The page says it at length: no banner there.
      assert.equal(await banner.page.getByRole('link', { name: 'Open Licence' }).count(), 0)
      await banner.page.getByRole('button', { name: 'Return to the free edition' }).waitFor()
      await check(banner.page, 'licence-over-limit')
      await banner.context.close()

      // The administrator: Ada and Gina hold the two seats in use (the others were withdrawn or declined).
      const admin = await newPage(browser, width)
      await signIn(admin.page, annex.url, 'ada@example.com', adminPassword)
      await admin.page.waitForURL('**/feed')
      await admin.page.goto(annex.url + '/admin/licence')
      await admin.page.getByRole('heading', { name: 'Licence', exact: true }).waitFor()
      await admin.page.getByText('2 of 10 seats in use').first().waitFor()
      await admin.page.getByText('Active users: 2').waitFor()
      await admin.page.getByText('Pending invitations: 0').waitFor()
      await check(admin.page, 'admin-licence')

      // A file that is not a licence is refused next to the field.
      await admin.page.getByLabel('Licence key').fill('this is not a licence')
      await admin.page.getByRole('button', { name: 'Install licence' }).click()
      await admin.page.getByText('This is not a licence file, or only part of one.').waitFor()
      await check(admin.page, 'admin-licence-refused')

      // The outbox: the three invitations and the mail telling Ada that Gina accepted, all sent (to the log).
      await admin.page.goto(annex.url + '/admin/mail')
      await admin.page.getByRole('heading', { name: 'Outbox' }).waitFor()
      const showMail = async (state) => {
        if (width >= 600) return admin.page.getByRole('tab', { name: state }).click()
        // The select's text lies over its input: click the field around both.
        await admin.page.locator('.v-field', { has: admin.page.getByRole('combobox', { name: 'Show mail' }) }).click()
        await admin.page.getByRole('option', { name: state }).click()
        await admin.page.getByRole('listbox').waitFor({ state: 'detached' })
      }
      await showMail('Sent')
      await admin.page.getByText('Mails: 4').waitFor()
      for (const to of ['gina@client.example', 'hal@client.example', 'ivy@client.example', 'ada@example.com']) {
        await admin.page.getByText(width < 600 ? `To: ${to}` : to, { exact: true }).waitFor()
      }
      assert.equal(await admin.page.getByRole('button', { name: 'Retry now' }).count(), 0, 'sent mail offers a retry')
      await check(admin.page, 'admin-mail')
      await showMail('Failed')
      await admin.page.getByText('No mail here: Failed').waitFor()

      // A mail server that refuses the address: the mail waits for its next try, with the
      // server's answer in full on demand, and can be tried again at once.
      const smtp = await refusingSMTP()
      try {
        await api(annex, 'PUT', '/admin/settings/smtp', { enabled: true, host: '127.0.0.1', port: smtp.address().port,
          security: 'none', username: '', password: '', from: 'annex@example.com' }, as)
        await invite('kim@client.example', 'Kim')
        // The outbox's record of the failed attempt, as the page should show it.
        let failed
        for (let i = 0; i < 100 && !failed; i++) {
          const page = await (await api(annex, 'GET', '/admin/outbox?state=pending', null, as)).json()
          failed = page.items.find((m) => m.to === 'kim@client.example' && m.lastError)
          if (!failed) await new Promise((r) => setTimeout(r, 100))
        }
        assert.ok(failed, 'the refused mail is not pending with an answer')
        await admin.page.goto(annex.url + '/admin/mail')
        await showMail('Pending')
        await admin.page.getByText(width < 600 ? 'To: kim@client.example' : 'kim@client.example', { exact: true }).waitFor()
        await admin.page.getByText(/^Next try /).first().waitFor()
        await check(admin.page, 'admin-mail-pending')
        await admin.page.getByRole('button', { name: 'Show in full' }).click()
        const answer = admin.page.getByRole('dialog', { name: "The mail server's answer" })
        assert.equal((await answer.locator('pre').textContent()).trim(), failed.lastError.trim())
        await check(admin.page, 'admin-mail-answer')
        await answer.getByRole('button', { name: 'Close' }).click()
        await answer.waitFor({ state: 'detached' })
        await admin.page.getByRole('button', { name: 'Retry now' }).click()
        await admin.page.getByText('The mail to kim@client.example is being sent again.').waitFor()
      } finally {
        smtp.close()
      }

      // Admin → Settings points to the mail settings instead of repeating them.
      await admin.page.goto(annex.url + '/admin/settings')
      await admin.page.getByRole('link', { name: 'Open Mail settings' }).waitFor()
      assert.equal(await admin.page.getByLabel('SMTP server').count(), 0)
      await admin.context.close()

      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      const expected = /\b(401|403|404|409|422)\b/
      for (const p of [gina, visitor, banner, admin]) assert.deepEqual(p.problems.filter((x) => !expected.test(x)), [], 'console errors')
    })

    // On an Annex of its own: a link can be tried only a few times a minute from one address.
    test('someone who has an account signs in to accept, and another account is told it is not theirs', async () => {
      const other = await startAnnex()
      try {
        const cookie = await setUpCompany(other, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
        const as = { Cookie: cookie }
        const create = async (name) => (await (await api(other, 'POST', '/groups', { name, kind: 'extranet' }, as)).json()).id
        const first = await create('Client project')
        const second = await create('Second project')
        const invite = async (group) => {
          const res = await api(other, 'POST', `/groups/${group}/invitations`,
            { kind: 'external', invitees: [{ email: 'gina@client.example', name: 'Gina Guest' }] }, as)
          return (await res.json()).results[0].link
        }
        // Gina registered with her first invitation (through the API).
        const token = (await invite(first)).split('#token=')[1]
        await api(other, 'POST', '/invite/register', { token, name: 'Gina Guest', password: ginaPassword })
        const link = await invite(second)
        // The mail is written once the outbox gets to it: the same link.
        let mails = []
        for (let i = 0; i < 100 && mails.length < 2; i++) {
          mails = mailsTo(other, 'gina@client.example')
          if (mails.length < 2) await new Promise((r) => setTimeout(r, 100))
        }
        assert.ok(mails[1]?.includes(link), 'the second invitation mail does not carry its link')

        const shot = shooter(`invite-account-${width}`)
        const violations = []
        const check = async (page, name) => {
          await page.evaluate(() => window.scrollTo(0, 0))
          await settled(page)
          await shot(page, name)
          for (const v of await axe(page)) violations.push(`${name}: ${v}`)
        }

        // Ada, signed in, opens Gina's link: it is not for her account.
        const { page, problems, context } = await newPage(browser, width)
        await signIn(page, other.url, 'ada@example.com', adminPassword)
        await page.waitForURL('**/feed')
        await page.goto(link)
        await page.getByText('This invitation is for gina@client.example, but you are signed in as ada@example.com.').waitFor()
        await check(page, 'other-account')
        await page.getByRole('button', { name: 'Sign out' }).click()

        // Signed out, the page asks the invited address to sign in, and brings her back.
        await page.getByRole('heading', { name: 'Sign in to accept' }).waitFor()
        await check(page, 'sign-in-to-accept')
        await page.getByRole('button', { name: 'Sign in to accept' }).click()
        await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/invite')
        assert.ok(!page.url().includes('token'), `the token is in the address: ${page.url()}`)
        await page.getByLabel('E-mail').fill('gina@client.example')
        await page.getByLabel('Password', { exact: true }).fill(ginaPassword)
        await page.getByRole('button', { name: 'Sign in', exact: true }).click()
        await page.waitForURL('**/invite')
        await page.getByText('You are signed in as gina@client.example.').waitFor()
        await check(page, 'accept')
        await page.getByRole('button', { name: 'Accept and join' }).click()
        await page.waitForURL(`**/groups/${second}`)
        await page.getByRole('heading', { name: 'Second project' }).waitFor()
        await check(page, 'accepted')
        await context.close()

        assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
        assert.deepEqual(problems.filter((x) => !/\b(401|403|404|409)\b/.test(x)), [], 'console errors')
      } finally {
        await other.stop()
      }
    })
  })
}
