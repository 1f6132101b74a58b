// Two-factor authentication, at a laptop's and a phone's width, on an Annex with the
// production policy (external users and administrators must enrol) and a real SMTP server
// (smtpsink) receiving the invitation.
//
// The administrator (set up and enrolled through the API) invites gina@client.example into an
// extranet group. Gina follows the link in the mail, registers, and is taken to enrolment
// before anything else: the journey reads the secret shown on the page and computes the codes
// itself (RFC 6238, below), is refused a wrong code next to the field, turns two-factor on,
// keeps the recovery codes (downloaded as a text file) and goes on into the group. She signs
// out, signs in with a code, signs out, signs in with a recovery code (which then no longer
// works). She forgets her password and resets it from the mail, which asks for a code too
// (a wrong one changes nothing). The administrator resets Gina's two-factor from Admin → Users: her session ends,
// and her next sign-in leads to enrolment again. The time and the number of actions from
// opening the invitation link to being in the group with two-factor on are printed.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { api, fillSignIn, inspector, launch, newPage, setUpCompany, startAnnex, startMailSink } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const ginaPassword = 'Harbour lights over amber glass'
const newPassword = 'Quiet rivers under copper bridges'

// totp is RFC 6238 as authenticator apps compute it: HMAC-SHA1 over the 30-second step,
// dynamic truncation, 6 digits. steps moves the time (1: the next code, which the server
// accepts as a phone's clock one step ahead, and which no earlier sign-in has used).
export function totp(secret, steps = 0, now = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of secret.replace(/\s/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30000) + steps))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = mac[19] & 15
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0')
}

test('totp matches RFC 6238 (SHA-1 test vectors, truncated to 6 digits)', () => {
  // The RFC's secret "12345678901234567890" in base32; its 8-digit codes end in these 6.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
  assert.equal(totp(secret, 0, 59000), '287082')
  assert.equal(totp(secret, 0, 1111111109000), '081804')
  assert.equal(totp(secret, 0, 2000000000000), '279037')
})

const cookieFrom = (res) => res.headers.get('set-cookie').split(';')[0]

// enrolByAPI turns the administrator's two-factor on as the enrolment page would, and
// returns the renewed session cookie and the secret.
async function enrolByAPI(annex, cookie) {
  const { secret } = await (await api(annex, 'POST', '/me/two-factor/enrolment', null, { Cookie: cookie })).json()
  const res = await api(annex, 'POST', '/me/two-factor/enrolment/confirm', { code: totp(secret) }, { Cookie: cookie })
  return { cookie: cookieFrom(res), secret }
}

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`two-factor at ${width} px`, () => {
    let sink
    let annex
    before(async () => {
      sink = await startMailSink()
      annex = await startAnnex(sink.env, { twoFactorPolicy: true })
    })
    after(async () => {
      await annex?.stop()
      await sink?.stop()
    })

    test('an invited external user enrols, signs in with a code and with a recovery code; the administrator resets it', async () => {
      const first = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      // The first administrator must enrol too: nothing else is open before.
      const refused = await fetch(annex.url + '/api/v1/groups', { headers: { Cookie: first } })
      assert.equal(refused.status, 403)
      assert.equal((await refused.json()).code, '2fa_required')
      const admin = await enrolByAPI(annex, first)
      const ada = { Cookie: admin.cookie }
      const group = (await (await api(annex, 'POST', '/groups', { name: 'Client project', kind: 'extranet' }, ada)).json()).id
      await api(annex, 'POST', '/admin/invitations', { kind: 'external', groupId: group, invitees: [{ email: 'gina@client.example', name: 'Gina Guest' }] }, ada)
      const link = /(https?:\/\/[^\s"<>]+\/invite#token=[A-Za-z0-9_-]+)/.exec(await sink.mail('gina@client.example', /invite#token=/))?.[1]
      assert.ok(link, 'no invitation link in the mail')

      const violations = []
      const check = inspector(`twofactor-${width}`, violations)
      const { page, problems } = await newPage(browser, width)

      // From the link to the group with two-factor on: timed, and the actions counted.
      let actions = 0
      const act = async (step) => {
        actions++
        await step()
      }
      // What the journey checks on the way (screenshots, axe, the detour of a wrong code) is not the person's time.
      let untimed = 0
      const aside = async (step) => {
        const t = performance.now()
        await step()
        untimed += performance.now() - t
      }
      const started = performance.now()
      await page.goto(link)
      await page.getByRole('heading', { name: 'You are invited to Client project' }).waitFor()
      await act(() => page.getByLabel('Password', { exact: true }).fill(ginaPassword))
      await act(() => page.getByLabel('Repeat the password').fill(ginaPassword))
      await act(() => page.getByRole('button', { name: 'Create account and join' }).click())
      // Enrolment before anything else.
      await page.waitForURL((u) => u.pathname === '/two-factor')
      await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor()
      const secret = (await page.getByTestId('totp-secret').textContent()).replace(/\s/g, '')
      assert.match(secret, /^[A-Z2-7]{32}$/)
      const qr = page.getByRole('img', { name: 'QR code of the new secret for the authenticator app' })
      assert.ok((await qr.getAttribute('src')).startsWith('data:image/png;base64,'))
      await aside(async () => {
        await check(page, 'enrol')
        // A wrong code is refused next to the field, and nothing changes.
        await page.getByLabel('Code from the app').fill('000000')
        await page.getByRole('button', { name: 'Turn on' }).click()
        await page.getByText('This code is not right.').waitFor()
        await check(page, 'enrol-wrong-code')
      })

      const confirming = totp(secret)
      await act(() => page.getByLabel('Code from the app').fill(confirming))
      await act(() => page.getByRole('button', { name: 'Turn on' }).click())
      await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
      const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim())
      assert.equal(codes.length, 10)
      assert.ok(codes.every((c) => /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/.test(c)), codes.join(' '))
      const download = page.waitForEvent('download')
      await act(() => page.getByRole('button', { name: 'Download as a text file' }).click())
      await aside(async () => {
        const saved = readFileSync(await (await download).path(), 'utf8')
        assert.ok(codes.every((c) => saved.includes(c)) && saved.includes('gina@client.example'), saved)
        await check(page, 'recovery-codes')
      })
      await act(() => page.getByRole('button', { name: 'I have saved the codes' }).click())
      await page.waitForURL(`**/groups/${group}`)
      await page.getByRole('heading', { name: 'Client project' }).waitFor()
      const elapsed = Math.round(performance.now() - started - untimed)
      console.log(`two-factor journey at ${width} px: from the invitation link to inside the group with two-factor on: ` +
        `${actions} user actions, ${elapsed} ms (the journey's own checks and a wrong-code detour excluded)`)
      await check(page, 'group')

      // Signed out, the password alone is not enough: the code is asked for.
      const signOut = async () => {
        await page.getByRole('button', { name: /Account menu/ }).click()
        await page.getByRole('menuitem', { name: 'Sign out' }).click()
        await page.waitForURL('**/login')
      }
      const password = async () => {
        await page.goto(annex.url + '/login', { waitUntil: 'networkidle' })
        await fillSignIn(page, 'gina@client.example', ginaPassword)
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.getByText('Open your authenticator app').waitFor()
      }
      await signOut()
      await password()
      await check(page, 'sign-in-code')
      // The code that confirmed the enrolment, used again, is refused; the next step's passes.
      await page.getByLabel('Code from the app').fill(confirming)
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.getByText(/This code has been used already|This code is not right/).waitFor()
      await check(page, 'sign-in-code-reused')
      await page.getByLabel('Code from the app').fill(totp(secret, 1))
      const spentStep = Math.floor(Date.now() / 30000) + 1
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL((u) => u.pathname !== '/login')
      await page.getByRole('button', { name: /Account menu/ }).waitFor()

      // With a recovery code instead; used once, it is refused the next time.
      await signOut()
      await password()
      await page.getByRole('button', { name: 'Use a recovery code' }).click()
      await page.getByLabel('Recovery code').fill(codes[0])
      await check(page, 'sign-in-recovery')
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL((u) => u.pathname !== '/login')
      await page.goto(annex.url + '/account/security')
      await page.getByText('Recovery codes left: 9 of 10').waitFor()
      await page.getByText('Required for your account: it cannot be turned off.').waitFor()
      await check(page, 'account-security')
      await signOut()
      await password()
      await page.getByRole('button', { name: 'Use a recovery code' }).click()
      await page.getByLabel('Recovery code').fill(codes[0])
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.getByText('This recovery code is not right or has been used already.').waitFor()
      await page.getByLabel('Recovery code').fill(codes[1])
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL((u) => u.pathname !== '/login')

      // Gina forgets her password: the reset link from the mail asks for a code too, and
      // a wrong one changes nothing.
      await signOut()
      await page.getByRole('link', { name: 'Forgot password?' }).click()
      // The sign-in form has an e-mail field too: fill the one of the page it moved to.
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor()
      await page.getByLabel('E-mail').fill('gina@client.example')
      await page.getByRole('button', { name: 'Send the link' }).click()
      await page.getByText('If an account exists for gina@client.example', { exact: false }).waitFor()
      const resetMail = await sink.mail('gina@client.example', /reset-password#token=/)
      const resetLink = /(https?:\/\/[^\s"<>]+\/reset-password#token=[A-Za-z0-9_-]+)/.exec(resetMail)?.[1]
      assert.ok(resetLink, 'no reset link in the mail')
      await page.goto(resetLink)
      await page.getByText('Choose a new password for gina@client.example.').waitFor()
      await page.getByLabel('New password', { exact: true }).fill(newPassword)
      await page.getByLabel('Repeat the password').fill(newPassword)
      await page.getByLabel('Code from the app').fill('000000')
      await page.getByRole('button', { name: 'Set the password and sign in' }).click()
      await page.getByText('This code is not right.', { exact: false }).waitFor()
      await check(page, 'reset-wrong-code')
      // A code of a later step than the one spent at sign-in (a code works once).
      while (Math.floor(Date.now() / 30000) + 1 <= spentStep) await new Promise((r) => setTimeout(r, 500))
      await page.getByLabel('Code from the app').fill(totp(secret, 1))
      await page.getByRole('button', { name: 'Set the password and sign in' }).click()
      await page.waitForURL((u) => !u.pathname.startsWith('/reset-password'))
      await page.getByRole('button', { name: /Account menu/ }).waitFor()

      // The administrator resets Gina's two-factor from Admin → Users.
      const admin2 = await newPage(browser, width)
      const ap = admin2.page
      await ap.goto(annex.url + '/login', { waitUntil: 'networkidle' })
      await fillSignIn(ap, 'ada@example.com', adminPassword)
      await ap.getByRole('button', { name: 'Sign in' }).click()
      await ap.getByLabel('Code from the app').fill(totp(admin.secret, 1))
      await ap.getByRole('button', { name: 'Verify' }).click()
      await ap.waitForURL((u) => u.pathname !== '/login')
      await ap.goto(annex.url + '/admin/users')
      await ap.getByRole('button', { name: 'Actions for Gina Guest' }).click()
      await ap.getByRole('menuitem', { name: 'Reset two-factor' }).click()
      const dialog = ap.getByRole('dialog', { name: 'Reset two-factor authentication of Gina Guest?' })
      await dialog.waitFor()
      await check(ap, 'admin-reset')
      await dialog.getByRole('button', { name: 'Reset two-factor' }).click()
      await ap.getByText('Two-factor authentication of Gina Guest was reset.').waitFor()
      for (const p of admin2.problems) problems.push(`admin: ${p}`)

      // Gina's session has ended; her next sign-in needs no code and leads to enrolment.
      await page.goto(annex.url + '/groups')
      await page.waitForURL((u) => u.pathname === '/login')
      // The sign-in page has settled (its own requests answered) before she types.
      await page.goto(annex.url + '/login', { waitUntil: 'networkidle' })
      await fillSignIn(page, 'gina@client.example', newPassword)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL((u) => u.pathname === '/two-factor', { timeout: 60000 }).catch(async (e) => {
        throw new Error(`${e.message}\nthe page at ${page.url()} says: ${await page.locator('body').innerText()}`)
      })
      await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor()
      await check(page, 'enrol-again')

      // The console stays clean but for the refusals the journey asked for.
      assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [])
      assert.deepEqual(violations, [])
      await admin2.context.close()
    })
  })
}
