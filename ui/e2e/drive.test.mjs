// A group's drive, as a client uses it, at a laptop's and a phone's width. Anna, an employee,
// has an extranet group with the Drive tool on, and Gina, a client, is a member of it (made
// through the store, as in the extranet journey). Gina opens the group's drive from the group's
// page, is told why a folder's name is refused, makes a folder and opens it (the address keeps
// it: back and forward work), uploads two files and sees each one's progress reach "Done" and
// the files listed, uploads one of them again and finds two versions, sees a file over the
// limit refused in the server's words, downloads a file and an earlier version byte for byte,
// uploads a whole folder (its tree made under hers) and, on a laptop, drops a file on the page. Every screen is checked with axe-core and for sideways scrolling; screenshots are kept.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { addEmployee, api, inspector, launch, newPage, setUpCompany, settled, signIn, startAnnex } from './harness.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const adminPassword = 'Lantern orbit quietly 2026'
const annaPassword = 'Copper kettle singing at dawn'
const ginaPassword = 'Harbour lights over amber glass'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// The files Gina uploads: a brief (twice, the second time changed), a spreadsheet's worth of
// bytes, and one over the 1 MB limit the server is started with.
const brief1 = Buffer.from('Brochure brief, first draft.\n')
const brief2 = Buffer.from('Brochure brief, second draft: pages 1 to 8.\n')
const figures = Buffer.alloc(300 * 1024, 7)
const tooBig = Buffer.alloc(1536 * 1024, 1)

for (const width of [1280, 360]) {
  describe(`a group's drive at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex({ ANNEX_UPLOADS_FILE_MAX_MB: '1' }) })
    after(async () => { await annex?.stop() })

    test('a client makes a folder, uploads files and a new version, and downloads them', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const asAnna = { Cookie: anna.cookie }
      const client = (await (await api(annex, 'POST', '/groups', { name: 'Client project', kind: 'extranet' }, asAnna)).json()).id
      await api(annex, 'PATCH', `/groups/${client}`, { settings: { tools: ['feed', 'drive'], invitePolicy: 'owner', externalTasks: 'involved' } }, asAnna)
      execFileSync('go', ['run', '-tags', 'nomsgpack', './app/apptest/seedexternal', '-data', annex.dataDir,
        '-email', 'gina@client.example', '-name', 'Gina Guest', '-password', ginaPassword, '-group', client],
      { cwd: root, encoding: 'utf8' })

      const violations = []
      const check = inspector(`drive-${width}`, violations)
      const phone = width < 600
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'gina@client.example', ginaPassword)
      await page.waitForURL('**/feed')

      // From the group's page to its drive, empty, saying what to do.
      await page.goto(annex.url + '/groups/' + client)
      await page.getByRole('heading', { name: 'Client project' }).waitFor()
      await page.getByTestId('group-head').getByRole('link', { name: 'Drive' }).click()
      await page.waitForURL((u) => u.pathname === '/drive' && u.searchParams.get('drive') === client)
      await page.getByRole('heading', { name: 'Drive', level: 1 }).waitFor()
      await page.getByRole('heading', { name: 'Nothing here yet' }).waitFor()
      const path = page.getByRole('navigation', { name: 'Folder path' })
      await page.locator('.v-select', { has: page.getByRole('combobox', { name: 'Drive' }) }).getByText('Client project').waitFor()
      await check(page, 'empty-drive')

      // A refused name is answered next to the field; then the folder is made.
      await page.getByRole('button', { name: 'New folder' }).first().click()
      const dialog = page.getByRole('dialog', { name: 'New folder' })
      await dialog.waitFor()
      await settled(page)
      await dialog.getByLabel('Folder name').fill('..')
      await dialog.getByRole('button', { name: 'Create' }).click()
      await dialog.getByText('A name cannot be "." or "..".').waitFor()
      await check(page, 'folder-name-refused')
      await dialog.getByLabel('Folder name').fill('Proofs')
      await dialog.getByRole('button', { name: 'Create' }).click()
      await dialog.waitFor({ state: 'hidden' })
      const folderLink = page.getByRole('link', { name: 'Proofs', exact: true })
      await folderLink.waitFor()
      await page.getByText('Items in this folder: 1').waitFor()
      await check(page, 'folder-made')

      // Into the folder: the path says where, and the address keeps it.
      await folderLink.click()
      await page.waitForURL((u) => u.searchParams.get('folder') !== null)
      const inFolder = page.url()
      await path.getByText('Proofs').waitFor()
      await path.getByRole('link', { name: 'Client project' }).waitFor()
      await page.getByRole('heading', { name: 'This folder is empty' }).waitFor()
      await page.goBack()
      await folderLink.waitFor()
      await page.goForward()
      await page.getByRole('heading', { name: 'This folder is empty' }).waitFor()
      assert.equal(page.url(), inFolder)

      // Two files at once: each has its own bar and reaches "Done"; both are listed.
      const filesInput = page.getByTestId('upload-files')
      await filesInput.setInputFiles([
        { name: 'brief.txt', mimeType: 'text/plain', buffer: brief1 },
        { name: 'figures.bin', mimeType: 'application/octet-stream', buffer: figures },
      ])
      const panel = page.getByRole('region', { name: 'Uploads' })
      await panel.waitFor()
      await panel.getByText('2 of 2 files uploaded').waitFor()
      const uploadRow = (name) => panel.locator('li', { hasText: name })
      for (const name of ['brief.txt', 'figures.bin']) {
        await uploadRow(name).getByText(/\bDone\b/).waitFor()
        assert.equal(await uploadRow(name).getByRole('progressbar', { name: `Upload of ${name}` }).getAttribute('aria-valuenow'), '100')
      }
      assert.equal(await panel.getByRole('progressbar', { name: 'All uploads' }).getAttribute('aria-valuenow'), '100')
      const fileLink = (name) => page.locator('main').getByRole('link', { name, exact: true })
      await fileLink('brief.txt').waitFor()
      await fileLink('figures.bin').waitFor()
      await page.getByText('Items in this folder: 2').waitFor()
      await check(page, 'uploaded')

      // The brief again, changed: a new version of the same file, not a second file.
      await filesInput.setInputFiles([{ name: 'brief.txt', mimeType: 'text/plain', buffer: brief2 }])
      await panel.getByText('3 of 3 files uploaded').waitFor()
      await page.getByText('2 versions').waitFor()
      assert.equal(await page.getByText('Items in this folder: 2').count(), 1)

      // A file over the limit fails, saying why in the server's words.
      await filesInput.setInputFiles([{ name: 'scan.bin', mimeType: 'application/octet-stream', buffer: tooBig }])
      await uploadRow('scan.bin').getByText('Failed: The file is larger than 1 MB').waitFor()
      await panel.getByText('1 failed').waitFor()
      await uploadRow('scan.bin').getByRole('button', { name: 'Upload scan.bin again' }).waitFor()
      await check(page, 'upload-refused')
      assert.equal(await fileLink('scan.bin').count(), 0, 'the refused file is listed')

      // The versions of the brief: two, newest first, each downloadable.
      const actions = async (name) => {
        // On a phone a file's actions wait behind one button.
        if (!phone) return page.locator('tr', { hasText: name })
        await page.getByRole('button', { name: `Actions for ${name}` }).click()
        const menu = page.getByRole('menu', { name: `Actions for ${name}` })
        await menu.waitFor()
        return menu
      }
      if (phone) {
        await (await actions('brief.txt')).getByRole('menuitem', { name: 'Versions' }).click()
      } else {
        await page.getByRole('button', { name: 'Versions of brief.txt' }).click()
      }
      const versions = page.getByRole('dialog', { name: 'Versions of brief.txt' })
      await versions.waitFor()
      await versions.getByText('Version 2').waitFor()
      await versions.getByText('Version 1').waitFor()
      assert.equal(await versions.locator('li').count(), 2)
      await versions.locator('li').first().getByText('Current').waitFor()
      await check(page, 'versions')
      const saved = async (click) => {
        const [download] = await Promise.all([page.waitForEvent('download'), click()])
        return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) }
      }
      const first = await saved(() => versions.getByRole('link', { name: 'Download version 1 of brief.txt' }).click())
      assert.equal(first.name, 'brief.txt')
      assert.deepEqual(first.bytes, brief1)
      await versions.getByRole('button', { name: 'Close' }).click()
      await versions.waitFor({ state: 'hidden' })

      // Downloading a file gives its current bytes.
      const current = await saved(async () => {
        if (phone) await (await actions('figures.bin')).getByRole('menuitem', { name: 'Download' }).click()
        else await page.getByRole('link', { name: 'Download figures.bin' }).click()
      })
      assert.equal(current.name, 'figures.bin')
      assert.deepEqual(current.bytes, figures)
      const brief = await saved(async () => {
        if (phone) await (await actions('brief.txt')).getByRole('menuitem', { name: 'Download' }).click()
        else await page.getByRole('link', { name: 'Download brief.txt' }).click()
      })
      assert.deepEqual(brief.bytes, brief2)

      // A whole folder, chosen as a folder: its tree is made under this one.
      const tree = mkdtempSync(join(tmpdir(), 'annex-drive-'))
      mkdirSync(join(tree, 'Scans', '2024'), { recursive: true })
      writeFileSync(join(tree, 'Scans', 'cover.txt'), 'Cover\n')
      writeFileSync(join(tree, 'Scans', '2024', 'page-1.txt'), 'Page 1\n')
      await page.getByTestId('upload-folder').setInputFiles(join(tree, 'Scans'))
      await panel.getByText('Scans/2024/page-1.txt').waitFor()
      await panel.getByText('5 of 6 files uploaded').waitFor()
      rmSync(tree, { recursive: true, force: true })
      await page.getByRole('link', { name: 'Scans', exact: true }).click()
      await path.getByText('Scans').waitFor()
      await fileLink('cover.txt').waitFor()
      await page.getByRole('link', { name: '2024', exact: true }).waitFor()
      await check(page, 'folder-uploaded')
      await path.getByRole('link', { name: 'Proofs' }).click()
      await fileLink('brief.txt').waitFor()

      // Files dropped on the page go to the folder shown (a laptop's way).
      if (!phone) {
        const data = await page.evaluateHandle(() => {
          const dt = new DataTransfer()
          dt.items.add(new File(['Dropped notes\n'], 'dropped.txt', { type: 'text/plain' }))
          return dt
        })
        const list = page.locator('main .drive')
        await list.dispatchEvent('dragenter', { dataTransfer: data })
        await page.getByText('Drop here to upload to “Proofs”').waitFor()
        await check(page, 'dragging')
        await list.dispatchEvent('drop', { dataTransfer: data })
        await fileLink('dropped.txt').waitFor()
        await page.getByText('Drop here to upload').waitFor({ state: 'hidden' })
      }

      // The uploads that are over are cleared; a reload keeps the folder.
      await panel.getByRole('button', { name: 'Clear' }).click()
      await panel.waitFor({ state: 'hidden' })
      await page.reload()
      await fileLink('brief.txt').waitFor()
      await path.getByText('Proofs').waitFor()
      await check(page, 'after-reload')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      // The refusals the journey asks for: the folder's name and the file over the limit.
      const expected = /the server responded with a status of (413|422)\b/
      assert.deepEqual(problems.filter((p) => !expected.test(p)), [], 'console errors')
    })
  })
}
