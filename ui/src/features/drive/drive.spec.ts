import { describe, expect, it } from 'vitest'
import type { DriveItem } from '@/api/types'
import {
  canPreview,
  contentUrl,
  driveAsk,
  driveLink,
  driveState,
  fileKind,
  folderOf,
  folderPath,
  formatSize,
  hasDrive,
  picked,
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
  it('reads a drive and a folder, My Drive by default', () => {
    expect(driveState.read({})).toEqual({ drive: 'me', folder: '', page: 1, perPage: 25 })
    expect(driveState.read({ drive: 'g1', folder: 'f9', page: '2' })).toEqual({ drive: 'g1', folder: 'f9', page: 2, perPage: 25 })
    expect(driveState.read({ drive: '../etc', folder: 'a b' })).toEqual({ drive: 'me', folder: '', page: 1, perPage: 25 })
  })

  it('leaves defaults out of links', () => {
    expect(driveLink('me')).toEqual({ name: 'drive', query: {} })
    expect(driveLink('g1', 'f1')).toEqual({ name: 'drive', query: { drive: 'g1', folder: 'f1' } })
    expect(driveLink('g1', '', 50)).toEqual({ name: 'drive', query: { drive: 'g1', perPage: '50' } })
  })

  it('asks for the folder’s page, the root without a parent', () => {
    expect(driveAsk({ drive: 'me', folder: '', page: 1, perPage: 25 })).toEqual({ drive: 'me', query: { page: 1, perPage: 25 } })
    expect(driveAsk({ drive: 'g1', folder: 'f1', page: 3, perPage: 10 })).toEqual({ drive: 'g1', query: { parent: 'f1', page: 3, perPage: 10 } })
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
