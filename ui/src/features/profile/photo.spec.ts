import { describe, expect, it } from 'vitest'
import { photoAccept, photoContentType, photoProblem } from './photo'

const MB = 1024 * 1024
const file = (name: string, type: string, size = 2 * MB) => ({ name, type, size })

describe('photoProblem', () => {
  it('takes JPEG, PNG, GIF and WebP pictures', () => {
    for (const [name, type] of [
      ['me.jpg', 'image/jpeg'],
      ['me.png', 'image/png'],
      ['me.gif', 'image/gif'],
      ['me.webp', 'image/webp'],
      ['ME.JPG', 'IMAGE/JPEG'],
    ] as const) {
      expect(photoProblem(file(name, type))).toBeNull()
    }
  })

  it('refuses what is not such a picture', () => {
    expect(photoProblem(file('notes.txt', 'text/plain'))).toEqual({ code: 'photo_not_image' })
    expect(photoProblem(file('scan.pdf', 'application/pdf'))).toEqual({ code: 'photo_not_image' })
    expect(photoProblem(file('shot.heic', 'image/heic'))).toEqual({ code: 'photo_not_image' })
    expect(photoProblem(file('logo.svg', 'image/svg+xml'))).toEqual({ code: 'photo_not_image' })
    // A name that claims a picture does not outweigh a type that says otherwise.
    expect(photoProblem(file('me.jpg', 'text/plain'))).toEqual({ code: 'photo_not_image' })
    expect(photoProblem(file('me.jpg', 'image/jpeg', 0))).toEqual({ code: 'photo_not_image' })
  })

  it('goes by the name when the system gives no type', () => {
    expect(photoProblem(file('me.jpeg', ''))).toBeNull()
    expect(photoProblem(file('me.webp', ''))).toBeNull()
    expect(photoProblem(file('me', ''))).toEqual({ code: 'photo_not_image' })
  })

  it('refuses a file over the limit, saying the limit', () => {
    expect(photoProblem(file('me.jpg', 'image/jpeg', 100 * MB))).toBeNull()
    expect(photoProblem(file('me.jpg', 'image/jpeg', 100 * MB + 1))).toEqual({ code: 'photo_too_large', maxMB: 100 })
    expect(photoProblem(file('me.jpg', 'image/jpeg', 11 * MB), 10)).toEqual({ code: 'photo_too_large', maxMB: 10 })
  })
})

describe('photoContentType', () => {
  it('is the file type, else guessed from the name', () => {
    expect(photoContentType(file('a.png', 'image/png'))).toBe('image/png')
    expect(photoContentType(file('a.WEBP', ''))).toBe('image/webp')
    expect(photoContentType(file('a.jpg', ''))).toBe('image/jpeg')
  })

  it('matches the chooser', () => {
    expect(photoAccept).toBe('image/jpeg,image/png,image/gif,image/webp')
  })
})
