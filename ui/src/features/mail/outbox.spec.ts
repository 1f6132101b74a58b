import { describe, expect, it } from 'vitest'
import { canRetry, firstLine, mailMoment, pageCount, shownState, stateColor } from './outbox'

const mail = { createdAt: '2027-01-01T10:00:00Z', sentAt: '', nextAttemptAt: '', logged: false }

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
    expect(stateColor('logged')).toBe('warning')
  })

  it('shows mail written to the server log apart from mail sent', () => {
    expect(shownState({ state: 'sent', logged: true })).toBe('logged')
    expect(shownState({ state: 'sent', logged: false })).toBe('sent')
    expect(shownState({ state: 'pending', logged: false })).toBe('pending')
    expect(mailMoment({ ...mail, state: 'sent', logged: true, sentAt: '2027-01-01T10:01:00Z' }).kind).toBe('logged')
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
