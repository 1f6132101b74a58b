// The Drive page's rules that need no page: its address, what a file is and how it is shown,
// where a file of a whole folder goes, and the path of folders above the one shown.
import {
  mdiFileDocumentOutline,
  mdiFileExcelOutline,
  mdiFileImageOutline,
  mdiFileMusicOutline,
  mdiFileOutline,
  mdiFilePdfBox,
  mdiFilePowerpointOutline,
  mdiFileVideoOutline,
  mdiFileWordOutline,
  mdiFolder,
  mdiFolderZipOutline,
} from '@mdi/js'
import type { DriveItem, DriveItemsQuery, DriveLevel, DriveRights, DriveSearchQuery, DriveSort, DriveTrashQuery, Group } from '@/api/types'
import { size, type SizeUnit } from '@/features/backup/progress'
import { listQuery, oneOf, pageParam, perPageParam, searchText, serverId, type Param } from '@/lib/listQuery'

/** My Drive's name in the API and in the address. */
export const myDrive = 'me'

/** The longest name of a folder or file, in characters (docs/drive.md, "Names"). */
export const maxName = 255

/** How long a deleted item stays in the trash (docs/drive.md, "Versions and the trash"). */
export const trashDays = 30

/** The orders a folder can be listed in (folders always first); "-" reverses. */
export const driveSorts: readonly DriveSort[] = ['name', '-name', 'updated', '-updated', 'size', '-size']

/** '' shows the drive's folders; 'trash' its trash. */
export type DriveView = '' | 'trash'

export interface DriveFilters {
  /** "me" for My Drive, else a group's id. */
  drive: string
  /** The folder shown; '' for the drive's root. */
  folder: string
  view: DriveView
  sort: DriveSort
  /** A search by name across every drive; while it is set the search's results are shown. */
  q: string
  page: number
  perPage: number
}

const driveParam: Param<string> = { fallback: myDrive, read: serverId.read }

/**
 * The Drive page's address: /drive?drive=…&folder=…&view=…&sort=…&q=…&page=…&perPage=…
 * (My Drive's root by name is plain /drive).
 */
export const driveState = listQuery<DriveFilters>({
  drive: driveParam,
  folder: serverId,
  view: oneOf(['trash'] as const, ''),
  sort: oneOf(driveSorts, 'name'),
  q: searchText,
  page: pageParam,
  perPage: perPageParam,
})

/** What the page shows: a folder, a drive's trash, or a search's results. */
export type DriveMode = 'folder' | 'trash' | 'search'

export function driveMode(f: Pick<DriveFilters, 'q' | 'view'>): DriveMode {
  if (f.q) return 'search'
  return f.view === 'trash' ? 'trash' : 'folder'
}

/** The question the server is asked for a state of the page. */
export type DriveAsk =
  | { mode: 'folder'; drive: string; query: DriveItemsQuery }
  | { mode: 'trash'; drive: string; query: DriveTrashQuery }
  | { mode: 'search'; drive: string; query: DriveSearchQuery }

export function driveAsk(f: DriveFilters): DriveAsk {
  const paging = { page: f.page, perPage: f.perPage }
  switch (driveMode(f)) {
    case 'search':
      return { mode: 'search', drive: f.drive, query: { q: f.q, ...paging } }
    case 'trash':
      return { mode: 'trash', drive: f.drive, query: paging }
  }
  const query: DriveItemsQuery = { ...paging }
  if (f.folder) query.parent = f.folder
  if (f.sort !== 'name') query.sort = f.sort
  return { mode: 'folder', drive: f.drive, query }
}

/** What a link within the page keeps of the state: the page size, the order, the view. */
export type DriveKeep = Partial<Pick<DriveFilters, 'perPage' | 'sort' | 'view'>>

/** driveLink is the page's address for a drive and a folder of it, from its first page and without a search. */
export function driveLink(drive: string, folder = '', keep: DriveKeep = {}) {
  return { name: 'drive', query: driveState.write({ ...driveState.defaults, ...keep, drive, folder }) }
}

/** The column a folder is sorted by, and whether the order is reversed. */
export function sortParts(sort: DriveSort): { key: 'name' | 'updated' | 'size'; reversed: boolean } {
  const reversed = sort.startsWith('-')
  return { key: (reversed ? sort.slice(1) : sort) as 'name' | 'updated' | 'size', reversed }
}

/**
 * sortBy is the order after a column's heading is chosen: the same column turns the other
 * way; another starts the way it is most often wanted (names A to Z, newest, largest first).
 */
export function sortBy(current: DriveSort, key: 'name' | 'updated' | 'size'): DriveSort {
  const now = sortParts(current)
  if (now.key === key) return (now.reversed ? key : `-${key}`) as DriveSort
  return (key === 'name' ? 'name' : `-${key}`) as DriveSort
}

/**
 * copyName is the name a copy is offered when it goes next to its original: "report (copy).pdf"
 * for a file, "Proofs (copy)" for a folder, with word the language's "copy". The name's start
 * is cut, if need be, to keep it within maxName.
 */
export function copyName(name: string, kind: DriveItem['kind'], word: string): string {
  const dot = name.lastIndexOf('.')
  const split = kind === 'file' && dot > 0 && name.length - dot <= 16
  const [base, ext] = split ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  const tail = ` (${word})${ext}`
  return [...base].slice(0, Math.max(1, maxName - [...tail].length)).join('') + tail
}

/** baseLength is how much of a name is its base, before a file's extension: what renaming selects first. */
export function baseLength(name: string, kind: DriveItem['kind']): number {
  const dot = name.lastIndexOf('.')
  return kind === 'file' && dot > 0 ? dot : name.length
}

/** The levels a folder gives, from least to most (docs/drive.md, "Rights in a group's drive"). */
export const driveLevels: readonly DriveLevel[] = ['none', 'view', 'upload', 'edit', 'full']

/** atLeast tells whether level allows what wanted does; an unknown level allows nothing. */
export function atLeast(level: DriveLevel | undefined, wanted: DriveLevel): boolean {
  return level !== undefined && driveLevels.indexOf(level) >= driveLevels.indexOf(wanted)
}

/** The roles a folder's rights name, in the order they are shown. */
export const rightsRoles = ['owner', 'moderators', 'employees', 'externals'] as const
export type RightsRole = (typeof rightsRoles)[number]
export type RoleLevels = Pick<DriveRights, RightsRole>

/** auditor is rights with external members only viewing: the one-click preset for an auditor's folder. */
export const auditor = (r: RoleLevels): RoleLevels => ({ ...r, externals: 'view' })

/** sameLevels tells whether two settings give every role the same level. */
export const sameLevels = (a: RoleLevels, b: RoleLevels) => rightsRoles.every((role) => a[role] === b[role])

/** levelsOf is the levels of rights alone, as they are sent. */
export const levelsOf = (r: RoleLevels & Partial<DriveRights>): RoleLevels => ({ owner: r.owner, moderators: r.moderators, employees: r.employees, externals: r.externals })

/** tooLarge tells a file the server will refuse: over maxMB MiB (0: no limit known). */
export function tooLarge(bytes: number, maxMB: number): boolean {
  return maxMB > 0 && bytes > maxMB * 1024 * 1024
}

/** hasDrive tells a group whose drive I may open: I am an active member and its Drive tool is on. */
export function hasDrive(g: Pick<Group, 'myState' | 'settings'>): boolean {
  return g.myState === 'active' && g.settings.tools.includes('drive')
}

/** What a file is, for its icon. */
export type FileKind = 'folder' | 'image' | 'pdf' | 'text' | 'audio' | 'video' | 'archive' | 'sheet' | 'slides' | 'document' | 'file'

const extensions: [RegExp, FileKind][] = [
  [/\.(png|jpe?g|gif|webp|svg|bmp|tiff?|heic)$/i, 'image'],
  [/\.pdf$/i, 'pdf'],
  [/\.(zip|7z|rar|tar|gz|tgz|bz2|xz)$/i, 'archive'],
  [/\.(xlsx?|ods|csv)$/i, 'sheet'],
  [/\.(pptx?|odp|key)$/i, 'slides'],
  [/\.(docx?|odt|rtf)$/i, 'document'],
  [/\.(txt|md|log)$/i, 'text'],
  [/\.(mp3|ogg|oga|wav|flac|m4a)$/i, 'audio'],
  [/\.(mp4|webm|mov|mkv|avi)$/i, 'video'],
]

/** fileKind says what an item is, by its kind, its type and, failing those, its name. */
export function fileKind(item: Pick<DriveItem, 'kind' | 'contentType' | 'name'>): FileKind {
  if (item.kind === 'folder') return 'folder'
  const type = item.contentType.toLowerCase()
  if (type === 'application/pdf') return 'pdf'
  for (const top of ['image', 'audio', 'video'] as const) if (type.startsWith(`${top}/`)) return top
  if (type === 'text/plain') return 'text'
  return extensions.find(([re]) => re.test(item.name))?.[1] ?? 'file'
}

export const kindIcons: Record<FileKind, string> = {
  folder: mdiFolder,
  image: mdiFileImageOutline,
  pdf: mdiFilePdfBox,
  text: mdiFileDocumentOutline,
  audio: mdiFileMusicOutline,
  video: mdiFileVideoOutline,
  archive: mdiFolderZipOutline,
  sheet: mdiFileExcelOutline,
  slides: mdiFilePowerpointOutline,
  document: mdiFileWordOutline,
  file: mdiFileOutline,
}

// The types the server shows in the browser (docs/drive.md, "Downloads"); anything else it
// sends to be saved, so there is nothing to open.
const previewTypes = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'video/mp4',
  'video/webm',
  'video/ogg',
])

/** canPreview tells a file the browser may show rather than save. */
export function canPreview(item: Pick<DriveItem, 'kind' | 'contentType'>): boolean {
  return item.kind === 'file' && previewTypes.has(item.contentType.toLowerCase())
}

// The pictures the server makes a small preview of (docs/drive.md, "Previews").
const thumbTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
/** thumbMaxBytes is the largest picture the server makes a preview of. */
export const thumbMaxBytes = 32 << 20

/** hasThumb tells a picture the server makes a small preview of. */
export function hasThumb(item: Pick<DriveItem, 'kind' | 'contentType' | 'size'>): boolean {
  return item.kind === 'file' && thumbTypes.has(item.contentType.toLowerCase()) && item.size <= thumbMaxBytes
}

/** thumbUrl is where a picture's small preview is read. */
export const thumbUrl = (id: string) => `/api/v1/drive/items/${encodeURIComponent(id)}/preview`

/** zipUrl is where a folder is downloaded as one zip. */
export const zipUrl = (id: string) => `/api/v1/drive/items/${encodeURIComponent(id)}/zip`

/** contentUrl is where a file's content is read: its current version, or the one named; inline to be shown. */
export function contentUrl(id: string, options: { version?: string; inline?: boolean } = {}): string {
  const params = new URLSearchParams()
  if (options.version) params.set('version', options.version)
  if (options.inline) params.set('inline', 'true')
  const query = params.toString()
  return `/api/v1/drive/items/${encodeURIComponent(id)}/content${query ? `?${query}` : ''}`
}

/** formatSize writes a byte count with one decimal below 10 and its unit, named in the page's language. */
export function formatSize(bytes: number, locale: string, units: Record<SizeUnit, string>): string {
  const s = size(Math.max(0, bytes))
  return `${s.value.toLocaleString(locale)}\u00a0${units[s.unit]}`
}

/** A file chosen to upload, with the folders under the target folder it goes in ('' for none). */
export interface Picked {
  file: File
  path: string
}

/**
 * folderOf is the folders a file of a whole folder goes in, from its place in what was chosen
 * ("Photos/2024/a.jpg" → "Photos/2024"): its webkitRelativePath, or an entry's fullPath
 * ("/Photos/2024/a.jpg"). Empty parts (a leading or doubled "/") are dropped.
 */
export function folderOf(relativePath: string): string {
  const parts = relativePath.split('/').filter((p) => p !== '')
  return parts.slice(0, -1).join('/')
}

/** picked is the files of an input, each with the folders it goes in (a folder chosen whole keeps its tree). */
export function picked(files: Iterable<File>): Picked[] {
  return [...files].map((file) => ({ file, path: folderOf(file.webkitRelativePath ?? '') }))
}

/** The longest way up a path of folders is followed: a loop in the answers cannot hang the page. */
const maxDepth = 64

/**
 * folderPath is the folders from the drive's root down to folder (itself last), each read with
 * get, which may answer from what is already known.
 */
export async function folderPath(folder: string, get: (id: string) => Promise<DriveItem>): Promise<DriveItem[]> {
  const path: DriveItem[] = []
  for (let id = folder; id && path.length < maxDepth; ) {
    const item = await get(id)
    path.unshift(item)
    id = item.parentId
  }
  return path
}
