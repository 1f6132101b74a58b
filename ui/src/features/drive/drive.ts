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
import type { DriveItem, DriveItemsQuery, Group } from '@/api/types'
import { size, type SizeUnit } from '@/features/backup/progress'
import { listQuery, pageParam, perPageParam, serverId, type Param } from '@/lib/listQuery'

/** My Drive's name in the API and in the address. */
export const myDrive = 'me'

/** The longest name of a folder or file, in characters (docs/drive.md, "Names"). */
export const maxName = 255

export interface DriveFilters {
  /** "me" for My Drive, else a group's id. */
  drive: string
  /** The folder shown; '' for the drive's root. */
  folder: string
  page: number
  perPage: number
}

const driveParam: Param<string> = { fallback: myDrive, read: serverId.read }

/** The Drive page's address: /drive?drive=…&folder=…&page=…&perPage=… (My Drive's root is plain /drive). */
export const driveState = listQuery<DriveFilters>({ drive: driveParam, folder: serverId, page: pageParam, perPage: perPageParam })

/** The question GET /drives/{drive}/items is asked for a state of the page. */
export interface DriveAsk {
  drive: string
  query: DriveItemsQuery
}

export function driveAsk(f: DriveFilters): DriveAsk {
  const query: DriveItemsQuery = { page: f.page, perPage: f.perPage }
  if (f.folder) query.parent = f.folder
  return { drive: f.drive, query }
}

/** driveLink is the page's address for a drive and a folder of it, from its first page. */
export function driveLink(drive: string, folder = '', perPage?: number) {
  return { name: 'drive', query: driveState.write({ ...driveState.defaults, drive, folder, perPage: perPage ?? driveState.defaults.perPage }) }
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
