import { describe, expect, it } from 'vitest'
import { homePath, safeNext } from './safeNext'

describe('safeNext', () => {
  it.each([
    ['/groups', '/groups'],
    ['/groups/abc?tab=members#top', '/groups/abc?tab=members#top'],
    ['/admin/settings', '/admin/settings'],
    ['/', '/'],
  ])('keeps the local path %s', (next, want) => {
    expect(safeNext(next)).toBe(want)
  })

  it.each([
    undefined,
    null,
    42,
    ['/groups'],
    '',
    'groups',
    '//evil.example/path',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    ' /groups',
    'http:/evil.example',
    '/api/v1/auth/logout',
    '/login?next=/feed',
    '/setup',
  ])('refuses %j', (next) => {
    expect(safeNext(next)).toBe(homePath)
  })
})
