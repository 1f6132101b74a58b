// One's profile and Admin → Topics, at a laptop's and a phone's width: the administrator
// completes their profile (a phone number the server refuses first, then position, phone and
// a time zone found by searching), uploads a photo drawn at test time and sees it in the
// account menu; a file that is no picture is refused next to the photo control, as is a
// picture too small for the server. Then they add two topics on Admin → Topics (a name taken
// already is said next to the field), rename one, and read what deleting one would do.
// Every screen is checked with axe-core; screenshots are kept.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { deflateSync, crc32 } from 'node:zlib'
import { api, axe, launch, newPage, setUpCompany, settled, shooter, signIn, startAnnex } from './harness.mjs'

const adminPassword = 'Lantern orbit quietly 2026'

// Dialogs, menus and the drawer slide in and out: act and take pictures once they stand still.
// png draws a true-colour PNG of size × size pixels: a diagonal gradient with a disc, so that a
// wrong crop or scale would show in the screenshots.
function png(size) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
    return Buffer.concat([head, data, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8 bits, RGB, no interlace
  const rows = Buffer.alloc(size * (1 + size * 3))
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3)
    for (let x = 0; x < size; x++) {
      const inDisc = (x - size / 2) ** 2 + (y - size / 2.4) ** 2 < (size / 4) ** 2
      const p = row + 1 + x * 3
      rows[p] = inDisc ? 250 : Math.round((x / size) * 60 + 30)
      rows[p + 1] = inDisc ? 200 : Math.round((y / size) * 90 + 80)
      rows[p + 2] = inDisc ? 120 : 160
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// choose opens the photo chooser through the page's own button and gives it the file.
async function choose(page, buttonName, file) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: buttonName }).click()])
  await chooser.setFiles(file)
}

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const width of [1280, 360]) {
  describe(`profile and topics at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('complete the profile, upload a photo, manage topics', async () => {
      const cookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const shot = shooter(`profile-${width}`)
      const violations = []
      const check = async (page, name) => {
        await settled(page)
        await shot(page, name)
        for (const v of await axe(page)) violations.push(`${name}: ${v}`)
      }

      const ada = await newPage(browser, width)
      const page = ada.page
      await signIn(page, annex.url, 'ada@example.com', adminPassword)
      await page.waitForURL('**/feed')

      // To the profile through the account menu; no photo yet, so initials.
      const accountMenu = page.getByRole('button', { name: 'Account menu: Ada Admin' })
      await accountMenu.click()
      await page.getByRole('menuitem', { name: 'Profile' }).click()
      await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor()
      assert.equal(await accountMenu.locator('img').count(), 0)
      assert.match(await accountMenu.innerText(), /AA/)
      await check(page, 'profile-empty')

      // A phone number the server refuses is said next to the field.
      await page.getByLabel('Position').fill('Head of operations')
      await page.getByLabel('Phone').fill('call me')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Enter a telephone number').waitFor()
      await check(page, 'phone-refused')

      // The time zone: the device's own is offered; search another by city.
      await page.getByRole('button', { name: /Use this device’s time zone/ }).waitFor()
      await page.getByLabel('Phone').fill('+49 30 1234 5678')
      const zone = page.getByRole('combobox', { name: 'Time zone' })
      await zone.click()
      await zone.fill('new york')
      await page.getByRole('option', { name: /America\/New York/ }).waitFor()
      await check(page, 'time-zone-search')
      await page.getByRole('option', { name: /America\/New York/ }).click()
      await page.getByText(/Local time: .*\(UTC−0[45]:00\)/).waitFor()
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Your profile was saved.').waitFor()
      await check(page, 'profile-saved')

      // Saved for real: a fresh load shows the same.
      await page.reload()
      await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor()
      assert.equal(await page.getByLabel('Position').inputValue(), 'Head of operations')
      assert.equal(await page.getByLabel('Phone').inputValue(), '+49 30 1234 5678')
      await page.getByText(/Local time: /).waitFor()

      // The language is part of the profile; the account menu's switch stays in step with it.
      const language = page.getByRole('combobox', { name: 'Interface language' })
      await page.locator('.v-field', { has: language }).click()
      await page.getByRole('option', { name: 'Русский' }).click()
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Профиль сохранён.').waitFor()
      await page.getByRole('heading', { name: 'Профиль', level: 1 }).waitFor()
      await check(page, 'profile-ru')
      await page.getByRole('button', { name: 'Меню учётной записи: Ada Admin' }).click()
      await page.getByRole('menuitemradio', { name: 'English' }).click()
      await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor()
      await page.keyboard.press('Escape')
      assert.equal(await language.inputValue(), 'English')

      // A file that is no picture is refused before it is sent, next to the control.
      await choose(page, 'Upload photo', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture\n') })
      await page.getByText('Choose a picture in JPEG, PNG, GIF or WebP format.').waitFor()
      await check(page, 'photo-not-image')

      // A picture too small is refused by the server, said in the same place.
      await choose(page, 'Upload photo', { name: 'tiny.png', mimeType: 'image/png', buffer: png(8) })
      await page.getByText(/The picture is too small: choose one at least 32 × 32 pixels/).waitFor()
      await check(page, 'photo-too-small')

      // A real photo: shown at once on the page and in the account menu.
      await choose(page, 'Upload photo', { name: 'ada.png', mimeType: 'image/png', buffer: png(480) })
      await page.getByText('Your photo was updated.').waitFor()
      assert.equal(await page.getByText('Choose a picture in JPEG').count(), 0)
      const menuPhoto = accountMenu.locator('img')
      await menuPhoto.waitFor()
      assert.match(await menuPhoto.getAttribute('src'), /^\/api\/v1\/people\/\w+\/photo\?v=/)
      assert.equal(await menuPhoto.getAttribute('alt'), '')
      await page.waitForFunction(() => [...document.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0))
      await page.getByRole('button', { name: 'Change photo' }).waitFor()
      await check(page, 'photo-uploaded')
      await accountMenu.click()
      await page.getByRole('menu', { name: 'Account menu' }).waitFor()
      await check(page, 'account-menu')
      await page.keyboard.press('Escape')

      // The directory entry shows the details, with a phone link and the local time.
      await page.getByRole('link', { name: 'Your entry in People' }).click()
      await page.getByRole('heading', { name: 'Ada Admin' }).waitFor()
      assert.equal(await page.getByRole('link', { name: '+49 30 1234 5678' }).getAttribute('href'), 'tel:+493012345678')
      await page.getByText('America/New York').waitFor()
      await page.getByText(/Local time: /).waitFor()
      await check(page, 'person-profile')

      // Removing the photo is asked first; the initials come back.
      await page.goBack()
      await page.getByRole('button', { name: 'Remove photo' }).click()
      const confirmRemove = page.getByRole('dialog', { name: 'Remove your photo?' })
      await confirmRemove.waitFor()
      await check(page, 'photo-remove-confirm')
      await confirmRemove.getByRole('button', { name: 'Remove photo' }).click()
      await page.getByText('Your photo was removed.').waitFor()
      assert.equal(await accountMenu.locator('img').count(), 0)
      // …and a new one goes up again for the rest of the journey's pictures.
      await choose(page, 'Upload photo', { name: 'ada.png', mimeType: 'image/png', buffer: png(480) })
      await accountMenu.locator('img').waitFor()

      // Admin → Topics, through the navigation (behind the menu button on a phone).
      if (width < 600) await page.getByRole('button', { name: 'Open navigation' }).click()
      await page.getByRole('link', { name: 'Topics' }).click()
      await page.getByRole('heading', { name: 'Topics', level: 1 }).waitFor()
      await page.getByText('No topics yet').waitFor()
      await check(page, 'topics-empty')
      for (const name of ['Projects', 'Departments']) {
        await page.getByLabel('New topic').fill(name)
        await page.getByRole('button', { name: 'Add topic' }).click()
        await page.getByText(`Topic “${name}” added.`).waitFor()
      }
      await page.getByLabel('New topic').fill('Projects')
      await page.getByRole('button', { name: 'Add topic' }).click()
      await page.getByText('A topic with this name already exists.').waitFor()
      await check(page, 'topic-taken')
      await page.getByLabel('New topic').fill('')

      await page.getByRole('button', { name: 'Rename Departments' }).click()
      const rename = page.getByRole('dialog', { name: 'Rename topic' })
      await rename.waitFor()
      await rename.getByLabel('Name').fill('Teams')
      await check(page, 'topic-rename')
      await rename.getByRole('button', { name: 'Rename' }).click()
      await page.getByText('Topic renamed to “Teams”.').waitFor()
      await rename.waitFor({ state: 'hidden' })

      // A group filed under Projects, so that deleting it has something to say.
      const { items } = await (await api(annex, 'GET', '/topics', null, { Cookie: cookie })).json()
      assert.deepEqual(items.map((t) => t.name).sort(), ['Projects', 'Teams'])
      const projects = items.find((t) => t.name === 'Projects')
      await api(annex, 'POST', '/groups', { name: 'Website relaunch', kind: 'internal', visibility: 'open', topicId: projects.id }, { Cookie: cookie })
      await page.reload()
      await page.getByText('Groups: 1').waitFor()
      await check(page, 'topics')

      await page.getByRole('button', { name: 'Delete Projects' }).click()
      const remove = page.getByRole('dialog', { name: 'Delete the topic “Projects”?' })
      await remove.getByText('Groups filed under it: 1. They keep going as they are, without a topic.').waitFor()
      await check(page, 'topic-delete-confirm')
      await remove.getByRole('button', { name: 'Cancel' }).click()
      await remove.waitFor({ state: 'hidden' })

      await ada.context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      const problems = ada.problems.filter((p) => !/\b(401|403|404|409|413|422)\b/.test(p))
      assert.deepEqual(problems, [], 'console errors')
    })
  })
}
