// What was dropped on the Drive page: files, and folders walked down to their files, each
// with the folders it goes in, so that a dropped folder arrives with its tree.
import { folderOf, type Picked } from './drive'

// The parts of the browser's FileSystemEntry API used here (what a test can stand in for).
interface Entry {
  isFile: boolean
  isDirectory: boolean
  fullPath: string
}
interface FileEntry extends Entry {
  file(success: (file: File) => void, failure?: (err: unknown) => void): void
}
interface DirectoryEntry extends Entry {
  createReader(): { readEntries(success: (entries: Entry[]) => void, failure?: (err: unknown) => void): void }
}

const fileOf = (entry: FileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject))

// A directory's reader gives its entries a batch at a time (a hundred in Chromium) until an empty one.
async function entriesOf(dir: DirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader()
  const all: Entry[] = []
  for (;;) {
    const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject))
    if (batch.length === 0) return all
    all.push(...batch)
  }
}

/** walk gives the files under an entry, each with the folders it goes in (its fullPath's). */
export async function walk(entry: Entry): Promise<Picked[]> {
  if (entry.isFile) return [{ file: await fileOf(entry as FileEntry), path: folderOf(entry.fullPath) }]
  if (!entry.isDirectory) return []
  const found: Picked[] = []
  for (const child of await entriesOf(entry as DirectoryEntry)) found.push(...(await walk(child)))
  return found
}

/**
 * droppedEntries takes what a drop carries while its event lasts (the browser empties the
 * DataTransfer afterwards): the entries where the browser gives them, else the plain files.
 */
export function droppedEntries(data: DataTransfer): { entries: Entry[]; files: File[] } {
  const entries: Entry[] = []
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind !== 'file') continue
    const entry = typeof item.webkitGetAsEntry === 'function' ? (item.webkitGetAsEntry() as Entry | null) : null
    if (entry) entries.push(entry)
  }
  return { entries, files: entries.length > 0 ? [] : Array.from(data.files ?? []) }
}

/** droppedFiles is every file of a drop, folders walked; a folder that cannot be read is skipped. */
export async function droppedFiles(dropped: { entries: Entry[]; files: File[] }): Promise<Picked[]> {
  const found: Picked[] = dropped.files.map((file) => ({ file, path: '' }))
  for (const entry of dropped.entries) {
    try {
      found.push(...(await walk(entry)))
    } catch {
      // Unreadable (permissions, a file gone meanwhile): the rest still goes.
    }
  }
  return found
}
