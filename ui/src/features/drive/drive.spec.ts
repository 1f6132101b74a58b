import { describe, expect, it } from 'vitest'
import type { DriveItem } from '@/api/types'
import {
  atLeast,
  auditor,
  baseLength,
  canPreview,
  contentUrl,
  copyName,
  driveAsk,
  driveLink,
  driveMode,
  driveSorts,
  driveState,
  fileKind,
  folderOf,
  folderPath,
  formatSize,
  hasDrive,
  levelsOf,
  maxName,
  picked,
  sameLevels,
  sortBy,
  sortParts,
  tooLarge,
} from './drive'
import { droppedEntries, droppedFiles } from './dropped'

const item = (over: Partial<DriveItem> = {}): DriveItem => ({
  id: 'i1',
  drive: 'me',
  parentId: '',
  kind: 'file',
  name: 'notes.txt',
  size: 10,
  contentType: 'text/plain',
  versions: 1,
  mine: true,
  createdAt: '2027-03-01T10:00:00Z',
  updatedAt: '2027-03-01T10:00:00Z',
  ...over,
})

const units = { B: 'B', KB: 'KB', MB: 'MB', GB: 'GB', TB: 'TB' }
const ruUnits = { B: 'Б', KB: 'КБ', MB: 'МБ', GB: 'ГБ', TB: 'ТБ' }

describe('formatSize', () => {
  it('writes bytes in human units, one decimal below 10', () => {
    expect(formatSize(0, 'en', units)).toBe('0\u00a0B')
    expect(formatSize(999, 'en', units)).toBe('999\u00a0B')
    expect(formatSize(1_450, 'en', units)).toBe('1.5\u00a0KB')
    expect(formatSize(12_345_678, 'en', units)).toBe('12\u00a0MB')
    expect(formatSize(3_200_000_000, 'en', units)).toBe('3.2\u00a0GB')
  })

  it('writes numbers and units in the page’s language', () => {
    expect(formatSize(1_450_000, 'ru', ruUnits)).toBe('1,5\u00a0МБ')
  })

  it('takes nothing below zero', () => {
    expect(formatSize(-5, 'en', units)).toBe('0\u00a0B')
  })
})

describe('folderOf', () => {
  it('is the folders of a file chosen with its folder', () => {
    expect(folderOf('Photos/2024/beach.jpg')).toBe('Photos/2024')
    expect(folderOf('Photos/beach.jpg')).toBe('Photos')
  })

  it('is empty for a file chosen alone', () => {
    expect(folderOf('')).toBe('')
    expect(folderOf('beach.jpg')).toBe('')
  })

  it('reads an entry’s full path, and drops empty parts', () => {
    expect(folderOf('/Photos/2024/beach.jpg')).toBe('Photos/2024')
    expect(folderOf('/beach.jpg')).toBe('')
    expect(folderOf('Photos//2024/beach.jpg')).toBe('Photos/2024')
  })

  it('keeps names as they are', () => {
    expect(folderOf('Отчёты 2024/Квартал 1/итог.pdf')).toBe('Отчёты 2024/Квартал 1')
  })
})

describe('picked', () => {
  it('pairs each chosen file with its folders', () => {
    const alone = new File(['a'], 'a.txt')
    const inFolder = new File(['b'], 'b.txt')
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'Docs/Old/b.txt' })
    expect(picked([alone, inFolder])).toEqual([
      { file: alone, path: '' },
      { file: inFolder, path: 'Docs/Old' },
    ])
  })
})

describe('dropped files', () => {
  const fileEntry = (fullPath: string) => {
    const file = new File(['x'], fullPath.split('/').pop()!)
    return { isFile: true, isDirectory: false, fullPath, file: (ok: (f: File) => void) => ok(file) }
  }
  // A directory whose reader answers in batches of two, then an empty batch, as browsers do.
  const dirEntry = (fullPath: string, children: object[]) => ({
    isFile: false,
    isDirectory: true,
    fullPath,
    createReader() {
      let at = 0
      return {
        readEntries(ok: (e: object[]) => void) {
          ok(children.slice(at, at + 2))
          at += 2
        },
      }
    },
  })

  it('walks dropped folders down to their files, keeping the tree', async () => {
    const tree = dirEntry('/Photos', [
      fileEntry('/Photos/a.jpg'),
      dirEntry('/Photos/2024', [fileEntry('/Photos/2024/b.jpg'), fileEntry('/Photos/2024/c.jpg'), fileEntry('/Photos/2024/d.jpg')]),
      fileEntry('/Photos/e.jpg'),
    ])
    const found = await droppedFiles({ entries: [tree as never, fileEntry('/notes.txt') as never], files: [] })
    expect(found.map((p) => `${p.path}|${p.file.name}`)).toEqual([
      'Photos|a.jpg',
      'Photos/2024|b.jpg',
      'Photos/2024|c.jpg',
      'Photos/2024|d.jpg',
      'Photos|e.jpg',
      '|notes.txt',
    ])
  })

  it('skips a folder that cannot be read, and keeps the rest', async () => {
    const broken = { isFile: false, isDirectory: true, fullPath: '/Locked', createReader: () => ({ readEntries: (_: unknown, fail: (e: unknown) => void) => fail(new Error('denied')) }) }
    const found = await droppedFiles({ entries: [broken as never, fileEntry('/a.txt') as never], files: [] })
    expect(found.map((p) => p.file.name)).toEqual(['a.txt'])
  })

  it('takes the plain files where the browser gives no entries', async () => {
    const a = new File(['a'], 'a.txt')
    const data = { items: [{ kind: 'file', webkitGetAsEntry: () => null }], files: [a] } as unknown as DataTransfer
    const dropped = droppedEntries(data)
    expect(dropped.entries).toEqual([])
    expect(await droppedFiles(dropped)).toEqual([{ file: a, path: '' }])
  })

  it('ignores dragged text', () => {
    const data = { items: [{ kind: 'string', webkitGetAsEntry: () => ({}) }], files: [] } as unknown as DataTransfer
    expect(droppedEntries(data)).toEqual({ entries: [], files: [] })
  })
})

describe('fileKind and canPreview', () => {
  it('tells folders, types and, failing those, names', () => {
    expect(fileKind(item({ kind: 'folder', contentType: '' }))).toBe('folder')
    expect(fileKind(item({ contentType: 'image/png', name: 'x' }))).toBe('image')
    expect(fileKind(item({ contentType: 'application/pdf', name: 'x' }))).toBe('pdf')
    expect(fileKind(item({ contentType: 'video/mp4', name: 'x' }))).toBe('video')
    expect(fileKind(item({ contentType: 'application/octet-stream', name: 'Budget.XLSX' }))).toBe('sheet')
    expect(fileKind(item({ contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', name: 'Letter.docx' }))).toBe('document')
    expect(fileKind(item({ contentType: 'application/zip', name: 'all.zip' }))).toBe('archive')
    expect(fileKind(item({ contentType: '', name: 'README' }))).toBe('file')
  })

  it('previews only the types the server shows', () => {
    expect(canPreview(item({ contentType: 'image/png' }))).toBe(true)
    expect(canPreview(item({ contentType: 'application/pdf' }))).toBe(true)
    expect(canPreview(item({ contentType: 'text/plain' }))).toBe(true)
    expect(canPreview(item({ contentType: 'image/svg+xml' }))).toBe(false)
    expect(canPreview(item({ contentType: 'text/html' }))).toBe(false)
    expect(canPreview(item({ kind: 'folder', contentType: '' }))).toBe(false)
  })
})

describe('contentUrl', () => {
  it('reads the current version, a given one, or shows it inline', () => {
    expect(contentUrl('f1')).toBe('/api/v1/drive/items/f1/content')
    expect(contentUrl('f1', { version: 'v2' })).toBe('/api/v1/drive/items/f1/content?version=v2')
    expect(contentUrl('f1', { inline: true })).toBe('/api/v1/drive/items/f1/content?inline=true')
  })
})

describe('the page’s address', () => {
  const plain = { drive: 'me', folder: '', view: '', sort: 'name', q: '', page: 1, perPage: 25 } as const

  it('reads a drive and a folder, My Drive by default', () => {
    expect(driveState.read({})).toEqual(plain)
    expect(driveState.read({ drive: 'g1', folder: 'f9', page: '2' })).toEqual({ ...plain, drive: 'g1', folder: 'f9', page: 2 })
    expect(driveState.read({ drive: '../etc', folder: 'a b' })).toEqual(plain)
  })

  it('reads the trash, the order and a search, and nothing else', () => {
    expect(driveState.read({ view: 'trash', sort: '-size', q: '  brief ' })).toEqual({ ...plain, view: 'trash', sort: '-size', q: 'brief' })
    expect(driveState.read({ view: 'bin', sort: 'colour' })).toEqual(plain)
  })

  it('leaves defaults out of links', () => {
    expect(driveLink('me')).toEqual({ name: 'drive', query: {} })
    expect(driveLink('g1', 'f1')).toEqual({ name: 'drive', query: { drive: 'g1', folder: 'f1' } })
    expect(driveLink('g1', '', { perPage: 50 })).toEqual({ name: 'drive', query: { drive: 'g1', perPage: '50' } })
    expect(driveLink('me', 'f1', { sort: '-updated', view: 'trash' })).toEqual({ name: 'drive', query: { folder: 'f1', view: 'trash', sort: '-updated' } })
  })

  it('asks for the folder’s page, the root without a parent, the order only when not by name', () => {
    expect(driveAsk(plain)).toEqual({ mode: 'folder', drive: 'me', query: { page: 1, perPage: 25 } })
    expect(driveAsk({ ...plain, drive: 'g1', folder: 'f1', page: 3, perPage: 10 })).toEqual({
      mode: 'folder',
      drive: 'g1',
      query: { parent: 'f1', page: 3, perPage: 10 },
    })
    expect(driveAsk({ ...plain, sort: '-size' })).toEqual({ mode: 'folder', drive: 'me', query: { page: 1, perPage: 25, sort: '-size' } })
  })

  it('asks for the drive’s trash, and a search across drives before anything else', () => {
    expect(driveAsk({ ...plain, drive: 'g1', folder: 'f1', view: 'trash', page: 2 })).toEqual({ mode: 'trash', drive: 'g1', query: { page: 2, perPage: 25 } })
    expect(driveAsk({ ...plain, view: 'trash', q: 'brief' })).toEqual({ mode: 'search', drive: 'me', query: { q: 'brief', page: 1, perPage: 25 } })
    expect(driveMode({ q: '', view: '' })).toBe('folder')
  })
})

describe('sorting', () => {
  it('splits an order into its column and way', () => {
    expect(sortParts('name')).toEqual({ key: 'name', reversed: false })
    expect(sortParts('-updated')).toEqual({ key: 'updated', reversed: true })
  })

  it('turns the same column the other way, and starts another the way it is most wanted', () => {
    expect(sortBy('name', 'name')).toBe('-name')
    expect(sortBy('-name', 'name')).toBe('name')
    expect(sortBy('name', 'updated')).toBe('-updated')
    expect(sortBy('-updated', 'updated')).toBe('updated')
    expect(sortBy('updated', 'size')).toBe('-size')
    expect(sortBy('-size', 'name')).toBe('name')
  })

  it('knows every order the server does', () => {
    expect(driveSorts).toEqual(['name', '-name', 'updated', '-updated', 'size', '-size'])
  })
})

describe('copyName', () => {
  it('names a copy before a file’s extension, and after a folder’s name', () => {
    expect(copyName('report.pdf', 'file', 'copy')).toBe('report (copy).pdf')
    expect(copyName('archive.tar.gz', 'file', 'copy')).toBe('archive.tar (copy).gz')
    expect(copyName('v1.2 drafts', 'folder', 'copy')).toBe('v1.2 drafts (copy)')
    expect(copyName('Отчёт.docx', 'file', 'копия')).toBe('Отчёт (копия).docx')
  })

  it('puts the word last when there is no extension to keep', () => {
    expect(copyName('.env', 'file', 'copy')).toBe('.env (copy)')
    expect(copyName('README', 'file', 'copy')).toBe('README (copy)')
    expect(copyName('notes.' + 'x'.repeat(40), 'file', 'copy')).toBe('notes.' + 'x'.repeat(40) + ' (copy)')
  })

  it('stays within the longest name, cutting the base', () => {
    const long = 'a'.repeat(300) + '.txt'
    const copy = copyName(long, 'file', 'copy')
    expect(copy).toHaveLength(maxName)
    expect(copy.endsWith('a (copy).txt')).toBe(true)
  })
})

describe('baseLength', () => {
  it('is a file’s name before its extension, and a folder’s whole name', () => {
    expect(baseLength('report.final.pdf', 'file')).toBe(12)
    expect(baseLength('.env', 'file')).toBe(4)
    expect(baseLength('v1.2', 'folder')).toBe(4)
  })
})

describe('hasDrive', () => {
  const group = (myState: string, tools: string[]) => ({ myState, settings: { tools } }) as never
  it('is a group I am an active member of with the Drive tool on', () => {
    expect(hasDrive(group('active', ['drive']))).toBe(true)
    expect(hasDrive(group('active', ['tasks']))).toBe(false)
    expect(hasDrive(group('invited', ['drive']))).toBe(false)
  })
})

describe('folderPath', () => {
  it('walks up from the folder to the root', async () => {
    const known: Record<string, DriveItem> = {
      a: item({ id: 'a', kind: 'folder', name: 'A' }),
      b: item({ id: 'b', kind: 'folder', name: 'B', parentId: 'a' }),
      c: item({ id: 'c', kind: 'folder', name: 'C', parentId: 'b' }),
    }
    const asked: string[] = []
    const path = await folderPath('c', async (id) => {
      asked.push(id)
      return known[id]!
    })
    expect(path.map((f) => f.name)).toEqual(['A', 'B', 'C'])
    expect(asked).toEqual(['c', 'b', 'a'])
    expect(await folderPath('', async () => known.a!)).toEqual([])
  })

  it('stops on a loop', async () => {
    const path = await folderPath('x', async () => item({ id: 'x', parentId: 'x', kind: 'folder' }))
    expect(path.length).toBe(64)
  })
})

describe('levels', () => {
  it('orders the levels from none to full', () => {
    expect(atLeast('full', 'edit')).toBe(true)
    expect(atLeast('edit', 'edit')).toBe(true)
    expect(atLeast('upload', 'edit')).toBe(false)
    expect(atLeast('view', 'upload')).toBe(false)
    expect(atLeast('none', 'view')).toBe(false)
  })

  it('allows nothing while the level is not known', () => {
    expect(atLeast(undefined, 'view')).toBe(false)
  })
})

describe('rights', () => {
  const defaults = { owner: 'full', moderators: 'full', employees: 'edit', externals: 'upload' } as const

  it('makes external members viewers and leaves the others', () => {
    expect(auditor(defaults)).toEqual({ ...defaults, externals: 'view' })
  })

  it('compares the levels of every role', () => {
    expect(sameLevels(defaults, { ...defaults })).toBe(true)
    expect(sameLevels(defaults, auditor(defaults))).toBe(false)
  })

  it('sends the levels alone', () => {
    expect(levelsOf({ ...defaults, own: true, canChange: true })).toEqual(defaults)
  })
})

describe('tooLarge', () => {
  it('refuses what is over the limit in MiB, and nothing without one', () => {
    expect(tooLarge(1024 * 1024, 1)).toBe(false)
    expect(tooLarge(1024 * 1024 + 1, 1)).toBe(true)
    expect(tooLarge(5e9, 0)).toBe(false)
  })
})
