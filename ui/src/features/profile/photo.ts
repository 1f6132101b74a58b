// What the browser checks before a photo goes up: the server checks again, and also the
// picture's dimensions, and answers in words.

/** The picture formats the server takes. */
export const photoTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const

/** The file chooser's accept attribute. */
export const photoAccept = photoTypes.join(',')

/** photoMaxMB is the largest photo any configuration accepts; the server tells its own at start. */
export const photoMaxMB = 100

/** A reason to refuse a file before uploading it, as a code of the error catalogue and its values. */
export type PhotoProblem = { code: 'photo_not_image' } | { code: 'photo_too_large'; maxMB: number }

// Some systems give no type for a file; its name still says what it claims to be.
const photoName = /\.(jpe?g|jfif|png|gif|webp)$/i

/** photoProblem says why file cannot be a photo, or null when it may be uploaded. */
export function photoProblem(file: Pick<File, 'name' | 'type' | 'size'>, maxMB = photoMaxMB): PhotoProblem | null {
  const typed = file.type !== '' && (photoTypes as readonly string[]).includes(file.type.toLowerCase())
  if (file.size === 0 || !(typed || (file.type === '' && photoName.test(file.name)))) return { code: 'photo_not_image' }
  if (file.size > maxMB * 1024 * 1024) return { code: 'photo_too_large', maxMB }
  return null
}

/** photoContentType is what the upload says it carries. */
export function photoContentType(file: Pick<File, 'name' | 'type'>): string {
  if (file.type) return file.type
  const ext = photoName.exec(file.name)?.[1]?.toLowerCase()
  if (ext === 'png' || ext === 'gif' || ext === 'webp') return `image/${ext}`
  return 'image/jpeg'
}
