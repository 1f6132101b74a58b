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

// An employee tidies her team's drive, at a laptop's and a phone's width: sorts a folder by
// size (the address keeps it), renames a file (a name already there is refused beside the
// field), moves a file into a folder (a name already there is refused in the dialog), copies
// a file next to itself under the name offered, makes an earlier version current again,
// deletes a folder and restores it from the trash, deletes a copy for good, and finds a file
// by name across her drives. Every screen is checked with axe-core and for sideways scrolling.
for (const width of [1280, 360]) {
  describe(`tidying a drive at ${width} px`, () => {
    let annex
    before(async () => { annex = await startAnnex() })
    after(async () => { await annex?.stop() })

    test('an owner renames, moves, copies, deletes and restores, sorts and searches', async () => {
      const adminCookie = await setUpCompany(annex, { name: 'Ada Admin', email: 'ada@example.com', password: adminPassword })
      const anna = await addEmployee(annex, adminCookie, 'Anna Petrova', 'anna@example.com', annaPassword)
      const asAnna = { Cookie: anna.cookie }
      const team = (await (await api(annex, 'POST', '/groups', { name: 'Design team', kind: 'internal' }, asAnna)).json()).id
      await api(annex, 'PATCH', `/groups/${team}`, { settings: { tools: ['feed', 'drive'], invitePolicy: 'owner', externalTasks: 'involved' } }, asAnna)
      const folderIn = async (drive, name, parentId = '') =>
        (await (await api(annex, 'POST', `/drives/${drive}/folders`, { name, parentId }, asAnna)).json()).id
      const put = async (drive, name, bytes, parent = '') => {
        const q = new URLSearchParams({ name, ...(parent ? { parent } : {}) })
        const res = await fetch(`${annex.url}/api/v1/drives/${drive}/files?${q}`, {
          method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream', 'X-Annex-Client': '1', ...asAnna },
        })
        assert.equal(res.status, 201, `upload of ${name}: ${res.status} ${await res.text()}`)
      }
      const archive = await folderIn(team, 'Archive')
      await folderIn(team, 'Proofs')
      await put(team, 'brief.txt', brief1)
      await put(team, 'brief.txt', brief2)
      await put(team, 'figures.bin', figures)
      await put(team, 'notes.txt', Buffer.from('Notes.\n'))
      await put(team, 'notes.txt', Buffer.from('Older notes.\n'), archive)
      await put('me', 'figures-mine.txt', Buffer.from('Mine.\n'))

      const violations = []
      const check = inspector(`drive-tidy-${width}`, violations)
      const phone = width < 600
      const { page, problems, context } = await newPage(browser, width)
      await signIn(page, annex.url, 'anna@example.com', annaPassword)
      await page.waitForURL('**/feed')
      await page.goto(`${annex.url}/drive?drive=${team}`)
      const main = page.locator('main')
      const link = (name) => main.getByRole('link', { name, exact: true })
      await link('notes.txt').waitFor()
      await check(page, 'start')

      // By size, largest first, folders still first: the address keeps it through a reload.
      const names = () => main.locator(phone ? '.drive-cards__item .drive__link' : 'tbody .drive__link').allTextContents()
      if (phone) {
        await page.getByRole('button', { name: 'Sort: Name, A to Z' }).click()
        await page.getByRole('menuitemradio', { name: 'Size, largest first' }).click()
      } else {
        await page.getByRole('button', { name: 'Size', exact: true }).click()
      }
      await page.waitForURL((u) => u.searchParams.get('sort') === '-size')
      await page.waitForFunction(() => document.querySelector('main')?.textContent?.includes('figures.bin'))
      await page.reload()
      await link('notes.txt').waitFor()
      assert.deepEqual(await names(), ['Archive', 'Proofs', 'figures.bin', 'brief.txt', 'notes.txt'])
      if (!phone) assert.equal(await page.locator('th', { hasText: 'Size' }).getAttribute('aria-sort'), 'descending')
      await check(page, 'sorted')
      if (phone) {
        await page.getByRole('button', { name: 'Sort: Size, largest first' }).click()
        await page.getByRole('menuitemradio', { name: 'Name, A to Z' }).click()
      } else {
        await page.getByRole('button', { name: 'Name', exact: true }).click()
      }
      await page.waitForURL((u) => !u.searchParams.has('sort'))

      // A toast waits while the pointer rests on it (at a phone's width it spans the bottom,
      // where the dialogs' buttons were): the pointer moves off first.
      const toast = async (text) => {
        await page.mouse.move(1, 1)
        await page.getByText(text).waitFor()
      }
      const menu = async (name) => {
        await page.getByRole('button', { name: `Actions for ${name}` }).click()
        const m = page.getByRole('menu', { name: `Actions for ${name}` })
        await m.waitFor()
        return m
      }

      // Renaming: the name is chosen up to its extension; a name already there is refused beside the field.
      await (await menu('figures.bin')).getByRole('menuitem', { name: 'Rename' }).click()
      const rename = page.getByRole('dialog', { name: 'Rename' })
      await rename.waitFor()
      await settled(page)
      const field = rename.getByLabel('New name')
      assert.deepEqual(await field.evaluate((i) => [i.selectionStart, i.selectionEnd]), [0, 'figures'.length])
      await field.fill('Brief.TXT')
      await rename.getByRole('button', { name: 'Rename' }).click()
      await rename.getByText('This folder already holds an item named "Brief.TXT"').waitFor()
      await check(page, 'rename-refused')
      await field.fill('figures-2026.bin')
      await rename.getByRole('button', { name: 'Rename' }).click()
      await rename.waitFor({ state: 'hidden' })
      await link('figures-2026.bin').waitFor()
      await toast('“figures.bin” renamed to “figures-2026.bin”')

      // Moving: a folder chosen in the dialog; a name already there is refused in it.
      await (await menu('notes.txt')).getByRole('menuitem', { name: 'Move to…' }).click()
      let place = page.getByRole('dialog', { name: 'Move “notes.txt”' })
      await place.waitFor()
      await place.getByText('“notes.txt” is already in this folder. Choose another one.').waitFor()
      assert.equal(await place.getByRole('button', { name: 'Move here' }).isDisabled(), true)
      await place.getByRole('button', { name: 'Archive' }).click()
      await place.getByText('It will go to: Archive').waitFor()
      await place.getByRole('button', { name: 'Move here' }).click()
      await place.getByRole('alert').getByText('That folder already holds an item named "notes.txt"').waitFor()
      await check(page, 'move-refused')
      await place.getByRole('button', { name: 'Cancel' }).click()
      await place.waitFor({ state: 'hidden' })

      await (await menu('figures-2026.bin')).getByRole('menuitem', { name: 'Move to…' }).click()
      place = page.getByRole('dialog', { name: 'Move “figures-2026.bin”' })
      await place.waitFor()
      await place.getByRole('button', { name: 'Proofs' }).click()
      await place.getByRole('navigation', { name: 'Folder path in the destination' }).getByText('Proofs').waitFor()
      await place.getByText('No folders in here.').waitFor()
      await check(page, 'move-dialog')
      await place.getByRole('button', { name: 'Move here' }).click()
      await place.waitFor({ state: 'hidden' })
      await toast('“figures-2026.bin” moved to “Proofs”')
      await link('figures-2026.bin').waitFor({ state: 'detached' })

      // Copying next to the original: the copy's name is offered.
      await (await menu('brief.txt')).getByRole('menuitem', { name: 'Copy to…' }).click()
      place = page.getByRole('dialog', { name: 'Copy “brief.txt”' })
      await place.waitFor()
      assert.equal(await place.getByLabel('Name of the copy').inputValue(), 'brief (copy).txt')
      await check(page, 'copy-dialog')
      await place.getByRole('button', { name: 'Copy here' }).click()
      await place.waitFor({ state: 'hidden' })
      await link('brief (copy).txt').waitFor()

      // An earlier version made current again: a third version, with the first one's bytes.
      if (phone) await (await menu('brief.txt')).getByRole('menuitem', { name: 'Versions' }).click()
      else await page.getByRole('button', { name: 'Versions of brief.txt' }).click()
      const versions = page.getByRole('dialog', { name: 'Versions of brief.txt' })
      await versions.getByText('Version 2').waitFor()
      await versions.getByRole('button', { name: 'Make current: version 1 of brief.txt' }).click()
      await versions.getByText('Version 3').waitFor()
      await toast('Version 1 of “brief.txt” is current again')
      await check(page, 'version-restored')
      await versions.getByRole('button', { name: 'Close' }).click()
      await versions.waitFor({ state: 'hidden' })
      const current = await fetch(`${annex.url}/api/v1/drive/items/${await fileId(team, 'brief.txt')}/content`, { headers: asAnna })
      assert.deepEqual(Buffer.from(await current.arrayBuffer()), brief1)

      // Deleting a folder: asked first, it goes to the trash, and comes back from it.
      await (await menu('Proofs')).getByRole('menuitem', { name: 'Delete' }).click()
      const confirm = page.getByRole('dialog', { name: 'Delete “Proofs”?' })
      await confirm.getByText('can be restored for 30 days').waitFor()
      await check(page, 'delete-asked')
      await confirm.getByRole('button', { name: 'Delete' }).click()
      await confirm.waitFor({ state: 'hidden' })
      await link('Proofs').waitFor({ state: 'detached' })

      await page.getByRole('tab', { name: 'Trash' }).click()
      await page.waitForURL((u) => u.searchParams.get('view') === 'trash')
      await page.reload()
      const trashed = phone ? main.locator('li', { hasText: 'Proofs' }) : main.locator('tr', { hasText: 'Proofs' })
      await trashed.waitFor()
      await page.getByText('Items in the trash: 1').waitFor()
      await check(page, 'trash')
      await page.getByRole('button', { name: 'Restore Proofs' }).click()
      await toast('“Proofs” restored to its folder')
      await page.getByRole('heading', { name: 'The trash is empty' }).waitFor()
      await check(page, 'trash-empty')
      await page.getByRole('tab', { name: 'Files' }).click()
      await link('Proofs').click()
      await link('figures-2026.bin').waitFor()
      await page.goBack()

      // Deleting for good, from the trash, after a question.
      await (await menu('brief (copy).txt')).getByRole('menuitem', { name: 'Delete' }).click()
      await page.getByRole('dialog', { name: 'Delete “brief (copy).txt”?' }).getByRole('button', { name: 'Delete' }).click()
      await link('brief (copy).txt').waitFor({ state: 'detached' })
      await page.getByRole('tab', { name: 'Trash' }).click()
      await page.getByRole('button', { name: 'Delete for good: brief (copy).txt' }).click()
      const forGood = page.getByRole('dialog', { name: 'Delete “brief (copy).txt” for good?' })
      await forGood.getByText('cannot be restored').waitFor()
      await check(page, 'purge-asked')
      await forGood.getByRole('button', { name: 'Delete for good' }).click()
      await forGood.waitFor({ state: 'hidden' })
      await page.getByRole('heading', { name: 'The trash is empty' }).waitFor()

      // Searching across drives: each result says which drive it is in and opens its folder.
      await page.getByRole('textbox', { name: 'Search all drives by name' }).fill('FIG')
      await page.waitForURL((u) => u.searchParams.get('q') === 'FIG')
      await page.getByText('Found in your drives: 2').waitFor()
      const result = (name) => main.locator('.found__item', { hasText: name })
      await result('figures-2026.bin').getByText('In Design team').waitFor()
      await result('figures-mine.txt').getByText('In My Drive').waitFor()
      await check(page, 'search')
      await page.reload()
      await result('figures-2026.bin').waitFor()
      await page.getByRole('link', { name: 'Open the folder that holds figures-2026.bin' }).click()
      await page.waitForURL((u) => !u.searchParams.has('q') && u.searchParams.has('folder'))
      await page.getByRole('navigation', { name: 'Folder path' }).getByText('Proofs').waitFor()
      await link('figures-2026.bin').waitFor()
      await check(page, 'found-folder')

      await context.close()
      assert.deepEqual(violations, [], 'axe-core found serious or critical violations')
      // The refusals the journey asks for: a name already there, when renaming and moving.
      assert.deepEqual(problems.filter((p) => !/the server responded with a status of 422\b/.test(p)), [], 'console errors')

      async function fileId(drive, name) {
        const page1 = await (await api(annex, 'GET', `/drives/${drive}/items?perPage=100`, null, asAnna)).json()
        return page1.items.find((i) => i.name === name).id
      }
    })
  })
}
