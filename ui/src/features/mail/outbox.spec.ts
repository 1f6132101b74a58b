import { describe, expect, it } from 'vitest'
import { canRetry, firstLine, mailMoment, pageCount, stateColor } from './outbox'

const mail = { createdAt: '2027-01-01T10:00:00Z', sentAt: '', nextAttemptAt: '' }

describe('outbox', () => {
  it('retries only mail not sent yet', () => {
    expect(canRetry({ state: 'pending' })).toBe(true)
    expect(canRetry({ state: 'failed' })).toBe(true)
    expect(canRetry({ state: 'sent' })).toBe(false)
  })

  it('colours the states', () => {
    expect(stateColor('sent')).toBe('success')
    expect(stateColor('pending')).toBe('info')
    expect(stateColor('failed')).toBe('error')
  })

  it('shows the time that matters for each state', () => {
    expect(mailMoment({ ...mail, state: 'sent', sentAt: '2027-01-01T10:01:00Z' })).toEqual({
      kind: 'sent',
      at: '2027-01-01T10:01:00Z',
    })
    expect(mailMoment({ ...mail, state: 'pending', nextAttemptAt: '2027-01-01T10:05:00Z' })).toEqual({
      kind: 'next',
      at: '2027-01-01T10:05:00Z',
    })
    expect(mailMoment({ ...mail, state: 'failed' })).toEqual({ kind: 'created', at: mail.createdAt })
  })

  it('shortens the server answer to its first line', () => {
    expect(firstLine('550 5.1.1 No such user\nmore detail')).toBe('550 5.1.1 No such user')
    expect(firstLine('x'.repeat(100), 10)).toBe('xxxxxxxxx…')
    expect(firstLine('')).toBe('')
  })

  it('counts pages', () => {
    expect(pageCount(0, 25)).toBe(1)
    expect(pageCount(26, 25)).toBe(2)
  })
})
