import { describe, expect, it } from 'vitest'
import {
  canInviteByEmail,
  defaultKind,
  formatInvitee,
  inviteBody,
  isOpen,
  kindChoices,
  parseAddresses,
  parseEntry,
  retryEntries,
  splitEntries,
  stateColor,
} from './invitations'

const admin = { admin: true, kind: 'employee' } as const
const employee = { admin: false, kind: 'employee' } as const
const external = { admin: false, kind: 'external' } as const

describe('reading the addresses field', () => {
  it('reads a bare address and one with a name', () => {
    expect(parseEntry('gina@client.example')).toEqual({ email: 'gina@client.example' })
    expect(parseEntry('Gina Guest <gina@client.example>')).toEqual({ email: 'gina@client.example', name: 'Gina Guest' })
    expect(parseEntry('  Gina   Guest<  gina@client.example >')).toEqual({ email: 'gina@client.example', name: 'Gina Guest' })
    expect(parseEntry('<gina@client.example>')).toEqual({ email: 'gina@client.example' })
  })

  it('reads quoted names, names before a bare address, and mailto links', () => {
    expect(parseEntry('"Petrova, Anna" <anna@example.com>')).toEqual({ email: 'anna@example.com', name: 'Petrova, Anna' })
    expect(parseEntry("'Anna' <anna@example.com>")).toEqual({ email: 'anna@example.com', name: 'Anna' })
    expect(parseEntry('Anna Petrova anna@example.com')).toEqual({ email: 'anna@example.com', name: 'Anna Petrova' })
    expect(parseEntry('mailto:anna@example.com')).toEqual({ email: 'anna@example.com' })
    // Non-Latin names and addresses pass; the server decides what it accepts.
    expect(parseEntry('Анна Петрова <анна@пример.рф>')).toEqual({ email: 'анна@пример.рф', name: 'Анна Петрова' })
  })

  it('finds no address where there is none', () => {
    for (const entry of ['Anna Petrova', 'anna', 'anna@', '@example.com', 'anna@@example.com', 'Anna <>', 'a b@c d']) {
      expect(parseEntry(entry), entry).toBeUndefined()
    }
  })

  it('splits at lines, semicolons and commas, but not inside quotes or brackets', () => {
    expect(splitEntries('a@x.example\n\n b@x.example ;c@x.example, d@x.example\r\n')).toEqual([
      'a@x.example',
      'b@x.example',
      'c@x.example',
      'd@x.example',
    ])
    expect(splitEntries('"Petrova, Anna" <anna@example.com>, Boris <boris@example.com>')).toEqual([
      '"Petrova, Anna" <anna@example.com>',
      'Boris <boris@example.com>',
    ])
    // An unbalanced quote ends with its line.
    expect(splitEntries('"Anna <anna@example.com>\nb@x.example')).toEqual(['"Anna <anna@example.com>', 'b@x.example'])
    expect(splitEntries('  \n ; , ')).toEqual([])
  })

  it('keeps every address in order and lists what it could not read', () => {
    expect(parseAddresses('Gina Guest <gina@client.example>\nhal@client.example\nIvy\nnot an address')).toEqual({
      invitees: [{ email: 'gina@client.example', name: 'Gina Guest' }, { email: 'hal@client.example' }],
      unreadable: ['Ivy', 'not an address'],
    })
    expect(parseAddresses('')).toEqual({ invitees: [], unreadable: [] })
  })

  it('writes an invitee back so that it reads the same', () => {
    for (const i of [{ email: 'a@x.example' }, { email: 'a@x.example', name: 'Anna Petrova' }, { email: 'a@x.example', name: 'Petrova, Anna' }]) {
      expect(parseEntry(formatInvitee(i))).toEqual(i)
    }
  })
})

describe('who may be invited where', () => {
  it('lets only administrators invite employees, and external users only into extranet groups', () => {
    expect(kindChoices('extranet', admin)).toEqual([{ value: 'external' }, { value: 'employee' }])
    expect(kindChoices('extranet', employee)).toEqual([{ value: 'external' }, { value: 'employee', refusal: 'adminsOnly' }])
    expect(kindChoices('internal', admin)).toEqual([{ value: 'external', refusal: 'extranetOnly' }, { value: 'employee' }])
    expect(kindChoices(undefined, admin)).toEqual([{ value: 'external' }, { value: 'employee' }])
  })

  it('chooses external users in an extranet group, the only possible kind, or nothing on the admin page', () => {
    expect(defaultKind('extranet', admin)).toBe('external')
    expect(defaultKind('extranet', employee)).toBe('external')
    expect(defaultKind('internal', admin)).toBe('employee')
    expect(defaultKind('internal', employee)).toBeNull()
    expect(defaultKind(undefined, admin)).toBeNull()
  })

  it('offers the e-mail invitation only where someone could be invited', () => {
    const extranet = { archived: false, mayInvite: true, kind: 'extranet' } as const
    const internal = { ...extranet, kind: 'internal' } as const
    expect(canInviteByEmail(extranet, employee)).toBe(true)
    expect(canInviteByEmail(internal, employee)).toBe(false)
    expect(canInviteByEmail(internal, admin)).toBe(true)
    expect(canInviteByEmail({ ...extranet, mayInvite: false }, employee)).toBe(false)
    expect(canInviteByEmail({ ...extranet, archived: true }, admin)).toBe(false)
    expect(canInviteByEmail(extranet, external)).toBe(false)
    expect(canInviteByEmail(extranet, null)).toBe(false)
  })
})

describe('sending', () => {
  it('sends the kind, the validity and a trimmed message, none when empty', () => {
    const invitees = [{ email: 'gina@client.example' }]
    const form = { addresses: '', kind: 'external', message: '  Hello  ', validHours: 168, accessUntil: '' } as const
    expect(inviteBody(form, invitees)).toEqual({ invitees, kind: 'external', validHours: 168, message: 'Hello' })
    expect(inviteBody({ ...form, message: ' \n ' }, invitees)).toEqual({ invitees, kind: 'external', validHours: 168 })
    // An access date goes with external users only, through the last minute of its day.
    const dated = { ...form, message: '', accessUntil: '2027-01-31' }
    expect(inviteBody(dated, invitees).accessExpiresAt).toBe(new Date(2027, 0, 31, 23, 59).toISOString())
    expect(inviteBody({ ...dated, kind: 'employee' }, invitees).accessExpiresAt).toBeUndefined()
  })

  it('gives back the addresses not invited, with their names, but not those given twice', () => {
    const sent = [
      { email: 'gina@client.example', name: 'Gina' },
      { email: 'bad@', name: 'Bad' },
      { email: 'hal@client.example' },
      { email: 'gina@client.example' },
    ]
    const results = [
      { email: 'gina@client.example', invited: true },
      { email: 'bad@', invited: false, code: 'invalid_email' },
      { email: 'hal@client.example', invited: false, code: 'seats_ask_admin' },
      { email: 'gina@client.example', invited: false, code: 'duplicate_in_batch' },
    ]
    expect(retryEntries(sent, results)).toBe('Bad <bad@>\nhal@client.example')
    expect(retryEntries(sent, [results[0]!, results[3]!])).toBe('')
    expect(retryEntries([], [{ email: 'x@y.example', invited: false, code: 'seats_ask_admin' }])).toBe('x@y.example')
  })
})

describe('the list of invitations', () => {
  it('resends and revokes pending and expired invitations only', () => {
    expect(isOpen({ state: 'pending' })).toBe(true)
    expect(isOpen({ state: 'expired' })).toBe(true)
    for (const state of ['accepted', 'declined', 'revoked'] as const) expect(isOpen({ state })).toBe(false)
  })

  it('colours the states', () => {
    expect(stateColor('pending')).toBe('info')
    expect(stateColor('accepted')).toBe('success')
    expect(stateColor('expired')).toBe('warning')
    expect(stateColor('revoked')).toBeUndefined()
  })
})
