import { afterEach, describe, expect, it, vi } from 'vitest'
import { copyText } from './clipboard'

describe('copyText', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  })

  it('uses the Clipboard API where the page may', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    vi.stubGlobal('isSecureContext', true)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    expect(await copyText('s3cret')).toBe(true)
    expect(writeText).toHaveBeenCalledWith('s3cret')
  })

  it('falls back to the copy command, and leaves nothing behind', async () => {
    vi.stubGlobal('isSecureContext', false)
    let copied = ''
    document.execCommand = vi.fn(() => {
      copied = (document.activeElement as HTMLTextAreaElement | null)?.value ?? ''
      return true
    })
    const button = document.createElement('button')
    document.body.append(button)
    button.focus()
    expect(await copyText('s3cret')).toBe(true)
    expect(document.execCommand).toHaveBeenCalledWith('copy')
    expect(copied).toBe('s3cret')
    expect(document.querySelector('textarea')).toBeNull()
    expect(document.activeElement).toBe(button)
    button.remove()
  })

  it('says so when nothing could copy', async () => {
    const writeText = vi.fn().mockRejectedValue(new Error('denied'))
    vi.stubGlobal('isSecureContext', true)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    document.execCommand = vi.fn(() => false)
    expect(await copyText('s3cret')).toBe(false)
  })
})
