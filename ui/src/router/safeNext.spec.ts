import { describe, expect, it } from 'vitest'
import { homePath, safeNext } from './safeNext'

describe('safeNext', () => {
  it.each([
    ['/groups', '/groups'],
    ['/groups/abc?tab=members#top', '/groups/abc?tab=members#top'],
    ['/admin/settings', '/admin/settings'],
    ['/', '/'],
    ['/groups/./abc/../def', '/groups/def'],
    ['/people/%D0%90%D0%BD%D0%BD%D0%B0', '/people/%D0%90%D0%BD%D0%BD%D0%B0'],
    ['/groups?q=%2F%2Fx', '/groups?q=%2F%2Fx'],
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
    // Harmless before normalisation, "//host" or "/\\host" after it.
    '/.//evil.example',
    '/..//x',
    '/%2e//x',
    '/%2E%2E//x',
    '/groups/..//evil.example',
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5Cevil.example',
    '/%5C%5Cevil.example',
    '/%2e%2e/%2F/evil.example',
    '/%E0%A4%A',
    '/%61pi/v1/auth/logout',
    '/groups/%0a',
  ])('refuses %j', (next) => {
    expect(safeNext(next)).toBe(homePath)
  })
})
