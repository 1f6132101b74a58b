// My account → Security and the password reset, at a laptop's and a phone's width, with a real
// SMTP server (smtpsink) receiving every mail Annex sends. Anna signs in on her laptop and on a
// phone (two browsers, two sessions), sees both on My sessions with the laptop marked as this
// device, and signs the phone out. She changes her e-mail address: the link arrives at the new
// address, she opens it, and the old address is told. Later, on the phone, she has forgotten her
// password: "Forgot password?" on the sign-in page, the link in the mail, a new password, and she
// is signed in there while the laptop's session has ended. Then an administrator gives her a
// temporary password from Admin → Users. Every screen is checked with axe-core; screenshots kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { api, inspector, launch, newPage, setUpCompany, signIn, startAnnex, startMailSink } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const annaNewPassword = 'Violet tramlines after midnight'
const iPhone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

const linkIn = (text, page) => new RegExp(`(https?://[^\\s"<>]+/${page}#token=[A-Za-z0-9_-]+)`).exec(text)?.[1]

// addAnna adds Anna as an employee through the API and gives her a password of her own.
async function addAnna(annex, adminCookie) {
  const added = await (await api(annex, 'POST', '/admin/users', { name: 'Anna Petrova', email: 'anna@example.com' },
    { Cookie: adminCookie })).json()
  const login = await api(annex, 'POST', '/auth/login', { email: 'anna@example.com', password: added.temporaryPassword })
  const cookie = login.headers.get('set-cookie').split(';')[0]
  const changed = await api(annex, 'PUT', '/me/password', { current: added.temporaryPassword, password: annaPassword }, { Cookie: cookie })
  // The change renewed the session: sign out with the new cookie, so that only the browsers' sessions are listed.
  await api(annex, 'POST', '/auth/logout', null, { Cookie: changed.headers.get('set-cookie').split(';')[0] })
}

for (const width of [1280, 360]) {
  describe(`account security at ${width} px`, () => {
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

    test('sessions, a new e-mail address, a forgotten password, and an administrator’s help', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      await addAnna(annex, adminCookie)
      const violations = []
      const check = inspector(`account-${width}`, violations)

      // Two browsers, two sessions.
      const laptop = await newPage(browser, width)
      const phone = await newPage(browser, width, iPhone)
      const page = laptop.page
      await signIn(page, annex.url, 'anna@example.com', annaPassword)
      await page.waitForURL('**/feed')
      await signIn(phone.page, annex.url, 'anna@example.com', annaPassword)
      await phone.page.waitForURL('**/feed')

      await page.goto(annex.url + '/account/security')
      await page.getByRole('heading', { name: 'My sessions', level: 2 }).waitFor()
      const sessions = page.locator('.sessions__item')
      await sessions.nth(1).waitFor()
      assert.equal(await sessions.count(), 2)
      const mine = page.locator('.sessions__item[data-session="current"]')
      await mine.getByText('This device').waitFor()
      await mine.getByText('Headless Chrome on Linux').waitFor()
      await page.locator('.sessions__item[data-session="other"]').getByText('Safari on iPhone').waitFor()
      await page.getByText(/Signed in .* · last used /).first().waitFor()
      await check(page, 'two-sessions')

      await page.getByRole('button', { name: 'Sign out Safari on iPhone' }).click()
      await page.getByText('The session was signed out.').waitFor()
      await page.locator('.sessions__item[data-session="other"]').waitFor({ state: 'detached' })
      assert.equal(await sessions.count(), 1)
      await check(page, 'phone-signed-out')
      // The phone's next step finds its session gone.
      await phone.page.goto(annex.url + '/people')
      await phone.page.waitForURL('**/login**')

      // A new e-mail address, confirmed by the link mailed to it.
      await page.getByRole('button', { name: 'Change e-mail address' }).click()
      await page.getByLabel('New e-mail address').fill('anna@example.com')
      await page.getByRole('button', { name: 'Send the link' }).click()
      await page.getByText('This is already your address.').waitFor()
      await check(page, 'email-same')
      await page.getByLabel('New e-mail address').fill('anna.petrova@example.org')
      await page.getByRole('button', { name: 'Send the link' }).click()
      await page.getByText(/We sent a link to anna.petrova@example.org/).waitFor()
      await check(page, 'email-link-sent')
      const confirm = linkIn(await sink.mail('anna.petrova@example.org', /confirm-email#token=/), 'confirm-email')
      assert.ok(confirm.startsWith(annex.url + '/confirm-email#token='), confirm)
      await page.goto(confirm)
      await page.getByText("Done: your account's address is now anna.petrova@example.org. Sign in with it from now on.").waitFor()
      assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar')
      await check(page, 'email-confirmed')
      await sink.mail('anna@example.com', /was changed from anna@example.com to anna.petrova@example.org/)
      await page.getByRole('link', { name: 'Back to my account' }).click()
      await page.getByText('anna.petrova@example.org', { exact: true }).waitFor()
      // Opened again, the link says it was used.
      await page.goto(confirm)
      await page.getByText('This confirmation link has already been used').waitFor()
      await check(page, 'email-link-used')

      // On the phone, the password is forgotten.
      const p = phone.page
      await p.goto(annex.url + '/login', { waitUntil: 'networkidle' })
      await p.getByRole('link', { name: 'Forgot password?' }).click()
      await p.getByRole('heading', { name: 'Forgot your password?' }).waitFor()
      await check(p, 'forgot')
      await p.getByLabel('E-mail').fill('anna.petrova@example.org')
      await p.getByRole('button', { name: 'Send the link' }).click()
      await p.getByText('If an account exists for anna.petrova@example.org, we have sent a link to it.', { exact: false }).waitFor()
      await check(p, 'forgot-sent')
      const reset = linkIn(await sink.mail('anna.petrova@example.org', /reset-password#token=/), 'reset-password')
      await p.goto(reset)
      await p.getByText('Choose a new password for anna.petrova@example.org.').waitFor()
      assert.equal(new URL(p.url()).hash, '', 'the token leaves the address bar')
      await p.getByLabel('New password', { exact: true }).fill('short')
      await p.getByLabel('Repeat the password', { exact: true }).fill('short')
      await p.getByRole('button', { name: 'Set the password and sign in' }).click()
      await p.getByText(/Use at least 12 characters/).first().waitFor()
      await check(p, 'reset-form')
      await p.getByLabel('New password', { exact: true }).fill(annaNewPassword)
      await p.getByLabel('Repeat the password', { exact: true }).fill(annaNewPassword)
      await p.getByRole('button', { name: 'Set the password and sign in' }).click()
      await p.waitForURL('**/feed')
      await p.getByText('Your password is changed, and you are signed in.').waitFor()
      await check(p, 'reset-done')
      // Every other session ended: the laptop is signed out.
      await page.goto(annex.url + '/account/security')
      await page.waitForURL('**/login**')
      // The link works once.
      await p.goto(reset)
      await p.getByText('This password reset link has already been used.').waitFor()
      await check(p, 'reset-link-used')

      // An administrator gives Anna a temporary password from Admin → Users.
      await laptop.context.clearCookies()
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')
      await page.goto(annex.url + '/admin/users')
      await page.getByRole('button', { name: 'Actions for Anna Petrova' }).click()
      await page.getByRole('menuitem', { name: 'Reset password' }).click()
      await page.getByRole('dialog', { name: 'Reset the password of Anna Petrova?' }).waitFor()
      await check(page, 'admin-reset-ask')
      await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click()
      const shown = page.getByRole('dialog', { name: 'Temporary password' })
      await shown.getByText('Anna Petrova can now sign in as anna.petrova@example.org with this temporary password:').waitFor()
      const temporary = await shown.getByLabel('Temporary password').inputValue()
      assert.match(temporary, /^[A-Za-z2-9]{16}$/)
      await check(page, 'admin-reset-shown')
      await shown.getByRole('button', { name: 'Done' }).click()
      await shown.waitFor({ state: 'detached' })
      // Her phone is signed out, and the temporary password must be replaced at sign-in.
      await p.goto(annex.url + '/people')
      await p.waitForURL('**/login**')
      const me = await (await api(annex, 'POST', '/auth/login', { email: 'anna.petrova@example.org', password: temporary })).json()
      assert.equal(me.mustChangePassword, true)
      assert.equal(me.temporaryReason, 'reset')

      assert.deepEqual(violations, [])
      // Refusals the journey asks for (a session ended, a used link, a field refused) log their status.
      const expected = /\b(401|409|422)\b/
      for (const x of [laptop, phone]) assert.deepEqual(x.problems.filter((m) => !expected.test(m)), [], 'console errors')
      await laptop.context.close()
      await phone.context.close()
    })
  })
}
