// Invitations, at a laptop's and a phone's width, with a real SMTP server (smtpsink, go-smtp on
// a loopback port) receiving every mail Annex sends.
//
// The main journey: the administrator (set up through the API) adds Anna, an employee, who
// creates an extranet group of her own. In the browser Anna invites gina@client.example into
// it as an external user with "Invite by e-mail" (an address that is no address is refused
// before anything is sent; one given twice is refused by the server, address by address), and
// copies the link. The mail arrives at the SMTP server; Gina follows the link in it, sees who
// invites her into what, is refused a common password next to the field, registers, lands in
// the group and sees nothing else: no other group, and only her contacts. Anna sees the
// invitation accepted, by Gina; she revokes another one and sends a third again, whose old
// link then no longer works. A used link, a revoked one (naming whom to ask) and a declined one
// each say so. The administrator sees Gina's seat on Admin → Licence, invites from Admin →
// Users (an external user needs an extranet group), lists every invitation there, and sees the
// mails as sent on Admin → Mail. Every page Gina and the inviters see is checked with axe-core;
// screenshots are kept.
//
// A second journey, on an Annex without a mail server (the log transport): someone who has an
// account signs in to accept, another account is told the invitation is not theirs, and a mail
// server that refuses the address leaves the mail pending with its answer.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { api, axe, fillSignIn, launch, newPage, setUpCompany, settled, shooter, signIn, startAnnex } from './harness.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const ginaPassword = 'Harbour lights over amber glass'

// Dialogs and menus slide in and out: act and take pictures once they stand still.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// startSink starts the real SMTP server of the journeys (app/apptest/smtpsink) on a loopback
// port; it keeps each message as NNNNNN.eml in a folder of its own.
async function startSink() {
  const dir = mkdtempSync(join(tmpdir(), 'annex-smtp-'))
  // A process group of its own: stopping it stops "go run" and the server it runs.
  const proc = spawn('go', ['run', '-tags', 'nomsgpack', './app/apptest/smtpsink', '-dir', dir],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('smtpsink did not start within 180 s:\n' + output)), 180000)
    proc.on('exit', (code) => reject(new Error(`smtpsink exited with ${code}:\n${output}`)))
    proc.stderr.on('data', (chunk) => { output += chunk })
    proc.stdout.on('data', (chunk) => {
      output += chunk
      const found = /smtpsink listening on port (\d+)/.exec(output)?.[1]
      if (found) {
        clearTimeout(timer)
        resolvePort(Number(found))
      }
    })
  })
  return {
    port,
    env: { ANNEX_SMTP_HOST: '127.0.0.1', ANNEX_SMTP_PORT: String(port), ANNEX_SMTP_SECURITY: 'none', ANNEX_SMTP_FROM: 'annex@example.com' },
    // The messages received so far, in the order of arrival.
    mails: () => readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => readMail(readFileSync(join(dir, f), 'latin1'))),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r))
        process.kill(-proc.pid, 'SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

// decodeQuotedPrintable undoes the transfer encoding of a mail's text (soft line breaks, =XX bytes).
function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, '')
  const bytes = []
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3)
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff)
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

// readMail gives a received message's envelope recipient and its decoded text (every part).
function readMail(raw) {
  const to = /^X-Envelope-To: (.*)\r?\n/.exec(raw)?.[1]?.trim() ?? ''
  return { to, text: decodeQuotedPrintable(raw) }
}

const linkIn = (text) => /(https?:\/\/[^\s"<>]+\/invite#token=[A-Za-z0-9_-]+)/.exec(text)?.[1]

// sinkLinks waits until the SMTP server has received count invitation mails to an address and
// returns their links, oldest first.
async function sinkLinks(sink, to, count = 1) {
  for (let i = 0; i < 600; i++) {
    const links = sink.mails().filter((m) => m.to === to).map((m) => linkIn(m.text)).filter(Boolean)
    if (links.length >= count) return links
    await sleep(100)
  }
  throw new Error(`no ${count} invitation mail(s) to ${to} at the SMTP server: ${JSON.stringify(sink.mails().map((m) => m.to))}`)
}

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

// cookieOf signs in through the API and returns the session cookie.
async function cookieOf(annex, email, password) {
  const res = await api(annex, 'POST', '/auth/login', { email, password })
  return res.headers.get('set-cookie').split(';')[0]
}

// An outbox page as Admin → Mail shows it: a tab on a laptop, a select on a phone.
async function showMail(page, width, state) {
  if (width >= 600) return page.getByRole('tab', { name: state }).click()
  // The select's text lies over its input: click the field around both.
  await page.locator('.v-field', { has: page.getByRole('combobox', { name: 'Show mail' }) }).click()
  await page.getByRole('option', { name: state }).click()
  await page.getByRole('listbox').waitFor({ state: 'detached' })
}

// showInvitations filters a list of invitations by state: tabs on a laptop, a select on a phone.
async function showInvitations(page, width, state) {
  if (width >= 600) return page.getByRole('tab', { name: state, exact: true }).click()
  await page.locator('.v-field', { has: page.getByRole('combobox', { name: 'Show invitations' }) }).click()
  await page.getByRole('option', { name: state, exact: true }).click()
  await page.getByRole('listbox').waitFor({ state: 'detached' })
}

const invitationRow = (page, email) => page.locator('.invitation-list__item', { hasText: email })

for (const width of [1280, 360]) {
  describe(`invitations at ${width} px`, () => {
    let sink
    let annex
    before(async () => {
      sink = await startSink()
      annex = await startAnnex(sink.env)
    })
    after(async () => {
      await annex?.stop()
      await sink?.stop()
    })

    test('an employee invites an external user by e-mail; she follows the link in the mail, and sees only that group', async () => {
      const ada = { Cookie: await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword }) }
      // Anna, an employee added by the administrator, replaces her temporary password.
      const added = await (await api(annex, 'POST', '/admin/users', { name: 'Anna Petrova', email: 'anna@example.com', position: 'Project lead' }, ada)).json()
      const first = { Cookie: await cookieOf(annex, 'anna@example.com', added.temporaryPassword) }
      await api(annex, 'PUT', '/me/password', { current: added.temporaryPassword, password: annaPassword }, first)
      const anna = { Cookie: await cookieOf(annex, 'anna@example.com', annaPassword) }
      // Anna's extranet group: she owns it, so she may invite. The administrator's internal group is not Gina's to see.
      const client = (await (await api(annex, 'POST', '/groups', { name: 'Client project', kind: 'extranet' }, anna)).json()).id
      await api(annex, 'POST', '/groups', { name: 'Staff room', kind: 'internal', visibility: 'open' }, ada)
      const licence = async () => (await api(annex, 'GET', '/admin/licence', null, ada)).json()
      assert.equal((await licence()).used, 2, 'Ada and Anna hold the seats in use')

      const shot = shooter(`invite-${width}`)
      const violations = []
      const check = async (page, name) => {
        // From the top, so that the app bar of a full-page picture is where it belongs.
        await page.evaluate(() => window.scrollTo(0, 0))
        await settled(page)
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
      }

      // Anna opens her group: she may invite an employee from the directory, or anyone by e-mail.
      const inviter = await newPage(browser, width)
      await inviter.context.grantPermissions(['clipboard-read', 'clipboard-write'])
      const ap = inviter.page
      await signIn(ap, annex.url, 'anna@example.com', annaPassword)
      await ap.waitForURL('**/feed')
      await ap.goto(annex.url + `/groups/${client}`)
      await ap.getByRole('heading', { name: 'Client project' }).waitFor()
      await ap.getByRole('button', { name: 'Invite employee' }).waitFor()
      await ap.getByRole('heading', { name: 'Invitations' }).waitFor()
      await ap.getByText('No invitations yet.').waitFor()
      await check(ap, 'inviter-group')

      await ap.getByRole('button', { name: 'Invite by e-mail' }).click()
      const dialog = ap.getByRole('dialog', { name: 'Invite by e-mail' })
      await dialog.waitFor()
      await settled(ap)
      // External users, chosen for her; employees are for administrators to invite.
      assert.equal(await dialog.getByRole('radio', { name: /External users/ }).isChecked(), true)
      assert.equal(await dialog.getByRole('radio', { name: /Employees/ }).isDisabled(), true)
      await dialog.getByText('Only administrators invite employees.').waitFor()
      // The link works for a week unless she says otherwise.
      await dialog.getByText('7 days', { exact: true }).waitFor()
      await check(ap, 'invite-dialog')

      // Something that is no address is refused before anything is sent.
      const addresses = dialog.getByLabel('E-mail addresses')
      await addresses.fill('Gina Guest <gina@client.example>\nHal from the client')
      await dialog.getByLabel('Personal message (optional)').fill('Hello Gina,\nthis is where we share the drafts of the new brochure.')
      await dialog.getByRole('button', { name: 'Send invitations' }).click()
      await dialog.getByText('Not an e-mail address: “Hal from the client”. Correct or remove it.').waitFor()
      await check(ap, 'invite-unreadable')
      assert.equal(sink.mails().length, 0, 'a mail went out for a refused form')

      // An address given twice: the server answers each address on its own.
      await addresses.fill('Gina Guest <gina@client.example>\ngina@client.example')
      await dialog.getByRole('button', { name: 'Send invitations' }).click()
      const results = ap.getByRole('dialog', { name: 'Invitations sent' })
      await results.getByText('Invited: 1 of 2. Below, why the others were not.').waitFor()
      await results.getByText(/^Invited\. The link works until /).waitFor()
      await results.getByText('Not invited: This address appears twice in the list.').waitFor()
      // Only the mailbox holds the link: an employee is given none to copy (it would tell her
      // whether the address has an account).
      assert.equal(await results.getByRole('button', { name: 'Copy link for gina@client.example' }).count(), 0)
      assert.equal(await results.getByText(/copy the link/).count(), 0)
      await check(ap, 'invite-results')
      await results.getByRole('button', { name: 'Done' }).click()
      await results.waitFor({ state: 'detached' })

      // The mail reaches the SMTP server, with the link.
      const [link] = await sinkLinks(sink, 'gina@client.example')
      assert.ok(link.startsWith(annex.url + '/invite#token='))
      const mail = sink.mails().find((m) => m.to === 'gina@client.example')
      assert.ok(mail.text.includes('this is where we share the drafts of the new brochure.'), 'the personal message is in the mail')
      assert.equal((await licence()).used, 3, 'the pending invitation holds a seat')

      // Anna's list shows it pending.
      const ginaRow = invitationRow(ap, 'gina@client.example')
      await ginaRow.getByText('Pending').waitFor()
      await ginaRow.getByText(/^Sent .* by Anna Petrova$/).waitFor()
      await check(ap, 'inviter-pending')

      // Gina opens the link from the mail: the token leaves the address bar at once.
      const gina = await newPage(browser, width)
      const page = gina.page
      await page.goto(link)
      await page.getByRole('heading', { name: 'You are invited to Client project' }).waitFor()
      assert.ok(!page.url().includes('token'), `the token stays in the address: ${page.url()}`)
      assert.equal(new URL(page.url()).pathname, '/invite')
      await page.getByText('Anna Petrova (anna@example.com) invites you to work with Example Ltd in the group Client project.').waitFor()
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
      // External users never invite, nor see the invitations.
      assert.equal(await page.getByRole('button', { name: 'Invite by e-mail' }).count(), 0)
      assert.equal(await page.getByRole('heading', { name: 'Invitations' }).count(), 0)
      await check(page, 'group')

      // She sees no other group, even when asking for all.
      await page.goto(annex.url + '/groups?scope=all')
      await page.getByText('Client project').first().waitFor()
      await page.getByText('Groups found: 1').waitFor()
      assert.equal(await page.getByText('Staff room').count(), 0, 'an internal group is listed')
      await check(page, 'groups')

      // Her directory is her contacts: Anna and herself, not the administrator she shares no group with.
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      const nav = page.getByRole('navigation', { name: 'Main navigation' })
      assert.equal(await nav.getByRole('link', { name: 'People' }).count(), 0)
      assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0)
      await nav.getByRole('link', { name: 'Contacts' }).click()
      await page.waitForURL('**/people')
      await page.getByRole('heading', { name: 'Contacts' }).waitFor()
      await page.getByText('Anna Petrova').first().waitFor()
      await page.getByText('Gina Guest-Lee').first().waitFor()
      assert.equal(await page.getByText('Ada Admin').count(), 0, 'a non-contact is listed')
      await check(page, 'contacts')

      // The link is used up: it says so, and takes her into the group.
      await page.goto(link)
      await page.getByRole('heading', { name: 'This invitation has already been accepted' }).waitFor()
      await page.getByRole('link', { name: 'Open the group' }).waitFor()
      await check(page, 'link-used')
      await gina.context.close()

      // Anna sees the invitation accepted, and by whom.
      await ap.reload()
      await ginaRow.getByText('Accepted', { exact: true }).waitFor()
      await ginaRow.getByText(/^Accepted .* by Gina Guest-Lee/).waitFor()
      // The network address it was accepted from is for administrators only.
      assert.equal(await ginaRow.getByText(/^From the network address /).count(), 0)
      assert.equal(await ginaRow.getByRole('button', { name: /Resend|Revoke/ }).count(), 0, 'an accepted invitation offers actions')
      await ap.locator('.member-list__item', { hasText: 'Gina Guest-Lee' }).waitFor()
      await check(ap, 'inviter-accepted')

      // Two more invitations, made through the API: Anna revokes one, and sends the other again.
      const inviteByApi = async (address, name) => {
        const res = await api(annex, 'POST', `/groups/${client}/invitations`, { kind: 'external', invitees: [{ email: address, name }] }, anna)
        const [outcome] = (await res.json()).results
        assert.equal(outcome.invited, true, JSON.stringify(outcome))
        return outcome
      }
      await inviteByApi('hal@client.example', 'Hal')
      const [halLink] = await sinkLinks(sink, 'hal@client.example')
      await inviteByApi('ivy@client.example', 'Ivy')
      const [ivyOldLink] = await sinkLinks(sink, 'ivy@client.example')
      await ap.getByRole('button', { name: 'Refresh' }).click()
      const halRow = invitationRow(ap, 'hal@client.example')
      await halRow.getByRole('button', { name: 'Revoke the invitation to hal@client.example' }).click()
      const revoke = ap.getByRole('dialog', { name: 'Revoke the invitation to hal@client.example?' })
      await revoke.waitFor()
      await check(ap, 'revoke-confirm')
      await revoke.getByRole('button', { name: 'Revoke invitation' }).click()
      await ap.getByText('The invitation to hal@client.example was revoked.').waitFor()
      await halRow.getByText('Revoked', { exact: true }).waitFor()

      const ivyRow = invitationRow(ap, 'ivy@client.example')
      await ivyRow.getByRole('button', { name: 'Resend the invitation to ivy@client.example' }).click()
      const resend = ap.getByRole('dialog', { name: 'Send the invitation again?' })
      await resend.getByText('ivy@client.example gets a new e-mail with a new link. The link sent before stops working.').waitFor()
      await check(ap, 'resend')
      await resend.getByRole('button', { name: 'Send again' }).click()
      const resent = ap.getByRole('dialog', { name: 'Invitation sent again' })
      await resent.getByText(/^A new e-mail is on its way to ivy@client.example\./).waitFor()
      assert.equal(await resent.getByRole('button', { name: 'Copy link for ivy@client.example' }).count(), 0)
      await check(ap, 'resent')
      await resent.getByRole('button', { name: 'Done' }).click()
      await resent.waitFor({ state: 'detached' })
      const ivyLink = (await sinkLinks(sink, 'ivy@client.example', 2))[1]
      assert.notEqual(ivyLink, ivyOldLink, 'the new mail carries a new link')

      // The list by state.
      await showInvitations(ap, width, 'Revoked')
      await ap.getByText('Invitations: 1').waitFor()
      await halRow.waitFor()
      assert.equal(await ginaRow.count(), 0, 'the filter shows an accepted invitation among the revoked')
      await check(ap, 'inviter-revoked')
      await showInvitations(ap, width, 'All')
      await ap.getByText('Invitations: 3').waitFor()

      // Links that do not work, opened by someone not signed in: a link sent again is void.
      const visitor = await newPage(browser, width)
      await visitor.page.goto(ivyOldLink)
      await visitor.page.getByRole('heading', { name: 'This invitation link does not work' }).waitFor()
      await check(visitor.page, 'link-unknown')

      // A revoked invitation names whom to ask.
      await visitor.page.goto(halLink)
      await visitor.page.getByRole('heading', { name: 'This invitation was withdrawn' }).waitFor()
      await visitor.page.getByText('Ask Anna Petrova if you still need access.').waitFor()
      await visitor.page.getByRole('link', { name: 'anna@example.com' }).waitFor()
      await check(visitor.page, 'link-revoked')

      // With the extranet switched off, a pending link does not work: the page says why and whom
      // to ask, and nothing of the group; Anna's list says why next to the invitation.
      await api(annex, 'PATCH', '/admin/settings', { extranetEnabled: false }, ada)
      await visitor.page.goto(ivyLink)
      await visitor.page.getByRole('heading', { name: 'This invitation does not work at the moment' }).waitFor()
      await visitor.page.getByText(/switched off access for external users for now/).waitFor()
      assert.equal(await visitor.page.getByText(/Client project/).count(), 0, 'a link that does not work names its group')
      await check(visitor.page, 'link-extranet-off')
      await ap.getByRole('button', { name: 'Refresh' }).click()
      await ivyRow.getByText('The link does not work while the extranet is switched off (Admin → Settings).').waitFor()
      await check(ap, 'inviter-link-problem')
      await api(annex, 'PATCH', '/admin/settings', { extranetEnabled: true }, ada)
      await ap.getByRole('button', { name: 'Refresh' }).click()
      await ivyRow.getByText(/does not work/).waitFor({ state: 'detached' })

      // Declining asks first, then the link stops working (the link opened anew, as from the mail).
      await visitor.page.goto('about:blank')
      await visitor.page.goto(ivyLink)
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

      // Anna's page in Russian: the longer words still fit.
      await ap.getByRole('button', { name: 'Refresh' }).click()
      await ivyRow.getByText('Declined', { exact: true }).waitFor()
      await ap.request.patch(annex.url + '/api/v1/me', { data: { locale: 'ru' }, headers: { 'X-Annex-Client': '1' } })
      await ap.reload()
      await ap.getByRole('heading', { name: 'Приглашения' }).waitFor()
      await invitationRow(ap, 'gina@client.example').getByText(/^Принято .* пользователем Gina Guest-Lee/).waitFor()
      await check(ap, 'inviter-ru')
      await ap.getByRole('button', { name: 'Пригласить по e-mail' }).click()
      const ruDialog = ap.getByRole('dialog', { name: 'Пригласить по e-mail' })
      await ruDialog.getByLabel('Адреса e-mail').fill('Hal <hal@client.example>')
      await check(ap, 'invite-dialog-ru')
      await ruDialog.getByRole('button', { name: 'Отмена' }).click()
      await ap.request.patch(annex.url + '/api/v1/me', { data: { locale: 'en' }, headers: { 'X-Annex-Client': '1' } })
      await inviter.context.close()

      // The administrators' banner. An expired licence or one with fewer seats than are in use
      // cannot be made here without the vendor's key, so the server's answer is changed on its way.
      const banner = await newPage(browser, width)
      let changed = {}
      await banner.context.route('**/api/v1/admin/licence', async (route) => {
        const res = await route.fetch()
        await route.fulfill({ response: res, json: { ...(await res.json()), ...changed } })
      })
      const business = { free: false, edition: 'Business', licensee: 'Example Ltd', seats: 5, issued: '2025-01-01T00:00:00Z' }
      changed = { ...business, expires: '2026-01-31T00:00:00Z', expired: true }
      await signIn(banner.page, annex.url, 'ada@example.com', adminPassword)
      await banner.page.waitForURL('**/feed')
      await banner.page.getByText('The licence expired on January 31, 2026.').waitFor()
      await check(banner.page, 'banner-expired')
      changed = { ...business, seats: 1, used: 2, expires: '2099-01-31T00:00:00Z', overLimit: true }
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

      // The administrator: Ada, Anna and now Gina hold the three seats in use (the other
      // invitations were revoked or declined).
      const admin = await newPage(browser, width)
      const dp = admin.page
      await signIn(dp, annex.url, 'ada@example.com', adminPassword)
      await dp.waitForURL('**/feed')
      await dp.goto(annex.url + '/admin/licence')
      await dp.getByRole('heading', { name: 'Licence', exact: true }).waitFor()
      await dp.getByText('3 of 10 seats in use').first().waitFor()
      await dp.getByText('Active users: 3').waitFor()
      await dp.getByText('Pending invitations: 0').waitFor()
      await check(dp, 'admin-licence')

      // A file that is not a licence is refused next to the field.
      await dp.getByLabel('Licence key').fill('this is not a licence')
      await dp.getByRole('button', { name: 'Install licence' }).click()
      await dp.getByText('This is not a licence file, or only part of one.').waitFor()
      await check(dp, 'admin-licence-refused')

      // Admin → Users: an invitation by e-mail; an external user needs an extranet group.
      if (width < 600) await dp.getByRole('button', { name: 'Open navigation' }).click()
      await dp.getByRole('navigation').getByRole('link', { name: 'Users' }).click()
      await dp.waitForURL('**/admin/users')
      await dp.getByText('Users found: 3').waitFor()
      await dp.getByRole('button', { name: 'Invite by e-mail' }).click()
      const adminDialog = dp.getByRole('dialog', { name: 'Invite by e-mail' })
      await adminDialog.waitFor()
      await settled(dp)
      // Nothing is chosen for the administrator, who may invite either kind.
      assert.equal(await adminDialog.getByRole('radio', { name: /External users/ }).isChecked(), false)
      assert.equal(await adminDialog.getByRole('radio', { name: /Employees/ }).isChecked(), false)
      await adminDialog.getByLabel('E-mail addresses').fill('Kim Client <kim@client.example>')
      await adminDialog.getByRole('button', { name: 'Send invitations' }).click()
      await adminDialog.getByText('Choose whether you invite employees or external users.').waitFor()
      await adminDialog.getByRole('radio', { name: /External users/ }).check()
      await adminDialog.getByRole('button', { name: 'Send invitations' }).click()
      await adminDialog.getByText('Choose the extranet group they join.').waitFor()
      await check(dp, 'admin-invite-needs-group')
      await adminDialog.getByRole('combobox', { name: 'Extranet group' }).click()
      await dp.getByRole('option', { name: /Client project/ }).click()
      await dp.getByRole('listbox').waitFor({ state: 'detached' })
      await adminDialog.getByRole('button', { name: 'Send invitations' }).click()
      const adminResults = dp.getByRole('dialog', { name: 'Invitations sent' })
      await adminResults.getByText('Invited: 1. Each gets an e-mail with a personal link.').waitFor()
      await check(dp, 'admin-invite-results')
      await adminResults.getByRole('button', { name: 'Done' }).click()
      await adminResults.waitFor({ state: 'detached' })
      await sinkLinks(sink, 'kim@client.example')

      // Every invitation, on the Invitations tab.
      await dp.getByRole('tab', { name: 'Invitations' }).click()
      await dp.waitForURL('**/admin/users/invitations')
      await dp.getByText('Invitations: 4').waitFor()
      const kimRow = invitationRow(dp, 'kim@client.example')
      await kimRow.getByText('Pending').waitFor()
      await kimRow.getByRole('link', { name: 'Client project' }).waitFor()
      await kimRow.getByText(/ by Ada Admin$/).waitFor()
      await invitationRow(dp, 'gina@client.example').getByText(/ by Anna Petrova$/).waitFor()
      await check(dp, 'admin-invitations')

      // The outbox: every mail went to the SMTP server and is marked sent.
      const sent = sink.mails().map((m) => m.to).sort()
      assert.deepEqual(sent, ['anna@example.com', 'gina@client.example', 'hal@client.example', 'ivy@client.example',
        'ivy@client.example', 'kim@client.example'], 'the SMTP server received each mail once')
      for (let i = 0; i < 600; i++) {
        const out = await (await api(annex, 'GET', '/admin/outbox?state=sent', null, ada)).json()
        if (out.total === sent.length) break
        await sleep(100)
      }
      await dp.goto(annex.url + '/admin/mail')
      await dp.getByRole('heading', { name: 'Outbox' }).waitFor()
      await dp.getByText('Every mail Annex sends goes through the outbox').waitFor()
      await showMail(dp, width, 'Sent')
      await dp.getByText(`${sent.length} mails`).waitFor()
      // Mail that reached the SMTP server is "Sent", not "In the server log".
      assert.equal(await dp.getByText('In the server log').count(), 0, 'mail sent through SMTP marked as logged')
      for (const to of new Set(sent)) {
        await dp.getByText(width < 600 ? `To: ${to}` : to, { exact: true }).first().waitFor()
      }
      assert.equal(await dp.getByRole('button', { name: 'Retry now' }).count(), 0, 'sent mail offers a retry')
      await check(dp, 'admin-mail')
      await showMail(dp, width, 'Failed')
      await dp.getByText('No mail here: Failed').waitFor()
      await admin.context.close()

      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      const expected = /\b(401|403|404|409|422)\b/
      for (const p of [inviter, gina, visitor, banner, admin]) assert.deepEqual(p.problems.filter((x) => !expected.test(x)), [], 'console errors')
    })

    // On an Annex of its own, without a mail server: mail goes to the log. A link can be tried
    // only a few times a minute from one address.
    test('someone who has an account signs in to accept, and another account is told it is not theirs', async () => {
      const other = await startAnnex()
      try {
        const cookie = await setUpCompany(other, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
        const as = { Cookie: cookie }
        const create = async (name) => (await (await api(other, 'POST', '/groups', { name, kind: 'extranet' }, as)).json()).id
        const first = await create('Client project')
        const second = await create('Second project')
        const invite = async (group, email = 'gina@client.example', name = 'Gina Guest') => {
          const res = await api(other, 'POST', `/groups/${group}/invitations`, { kind: 'external', invitees: [{ email, name }] }, as)
          const [outcome] = (await res.json()).results
          assert.equal(outcome.invited, true, JSON.stringify(outcome))
          return outcome.link
        }
        // Gina registered with her first invitation (through the API).
        const token = (await invite(first)).split('#token=')[1]
        await api(other, 'POST', '/invite/register', { token, name: 'Gina Guest', password: ginaPassword })
        const link = await invite(second)
        // The mail is written once the outbox gets to it: the same link.
        let mails = []
        for (let i = 0; i < 600 && mails.length < 2; i++) {
          mails = mailsTo(other, 'gina@client.example')
          if (mails.length < 2) await sleep(100)
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
        await fillSignIn(page, 'gina@client.example', ginaPassword)
        await page.getByRole('button', { name: 'Sign in', exact: true }).click()
        // A glob like **/invite would also match /login?next=/invite, the page we are on.
        await page.waitForURL((u) => u.pathname === '/invite').catch(async (e) => {
          throw new Error(`${e.message}\nthe page at ${page.url()} says: ${await page.locator('body').innerText()}`)
        })
        await page.getByText('You are signed in as gina@client.example.').waitFor()
        await check(page, 'accept')
        await page.getByRole('button', { name: 'Accept and join' }).click()
        await page.waitForURL(`**/groups/${second}`)
        await page.getByRole('heading', { name: 'Second project' }).waitFor()
        await check(page, 'accepted')
        await context.close()

        // A mail server that refuses the address: the mail waits for its next try, with the
        // server's answer in full on demand, and can be tried again at once.
        const admin = await newPage(browser, width)
        const dp = admin.page
        await signIn(dp, other.url, 'ada@example.com', adminPassword)
        await dp.waitForURL('**/feed')
        const smtp = await refusingSMTP()
        try {
          await api(other, 'PUT', '/admin/settings/smtp', { enabled: true, host: '127.0.0.1', port: smtp.address().port,
            security: 'none', username: '', password: '', from: 'annex@example.com' }, as)
          await invite(first, 'kim@client.example', 'Kim')
          // The outbox's record of the failed attempt, as the page should show it.
          let failed
          for (let i = 0; i < 600 && !failed; i++) {
            const out = await (await api(other, 'GET', '/admin/outbox?state=pending', null, as)).json()
            failed = out.items.find((m) => m.to === 'kim@client.example' && m.lastError)
            if (!failed) await sleep(100)
          }
          assert.ok(failed, 'the refused mail is not pending with an answer')
          await dp.goto(other.url + '/admin/mail')
          await showMail(dp, width, 'Pending')
          await dp.getByText(width < 600 ? 'To: kim@client.example' : 'kim@client.example', { exact: true }).waitFor()
          await dp.getByText(/^Next try /).first().waitFor()
          await check(dp, 'admin-mail-pending')
          await dp.getByRole('button', { name: 'Show in full' }).click()
          const answer = dp.getByRole('dialog', { name: "The mail server's answer" })
          assert.equal((await answer.locator('pre').textContent()).trim(), failed.lastError.trim())
          await check(dp, 'admin-mail-answer')
          await answer.getByRole('button', { name: 'Close' }).click()
          await answer.waitFor({ state: 'detached' })
          await dp.getByRole('button', { name: 'Retry now' }).click()
          await dp.getByText('The mail to kim@client.example is being sent again.').waitFor()
        } finally {
          smtp.close()
        }

        // Admin → Settings points to the mail settings instead of repeating them.
        await dp.goto(other.url + '/admin/settings')
        await dp.getByRole('link', { name: 'Open Mail settings' }).waitFor()
        assert.equal(await dp.getByLabel('SMTP server').count(), 0)
        await admin.context.close()

        assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
        const expected = /\b(401|403|404|409)\b/
        for (const p of [problems, admin.problems]) assert.deepEqual(p.filter((x) => !expected.test(x)), [], 'console errors')
      } finally {
        await other.stop()
      }
    })
  })
}
