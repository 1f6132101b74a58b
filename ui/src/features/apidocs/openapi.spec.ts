import { describe, expect, it } from 'vitest'
import real from '@/api/openapi.json'
import { constraints, type Document, filter, nested, sections, typeLabel } from './openapi'

const doc = real as unknown as Document

describe('the API reference', () => {
  it('lists every operation of the document once, by tag', () => {
    const all = sections(doc).flatMap((s) => s.operations.map((op) => op.id))
    const expected = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId))
    expect(all.sort()).toEqual(expected.sort())
    expect(sections(doc).map((s) => s.tag)).toContain('Groups')
  })

  it('marks the operations that need no sign-in', () => {
    const ops = sections(doc).flatMap((s) => s.operations)
    expect(ops.find((op) => op.id === 'login')?.security).toEqual([])
    expect(ops.find((op) => op.id === 'getMe')?.security).toContain('session')
  })

  it('finds operations by every word of the query', () => {
    const found = filter(sections(doc), 'MEMBERS  /groups/').flatMap((s) => s.operations.map((op) => op.id))
    expect(found).toContain('listGroupMembers')
    expect(found).toContain('approveGroupMember')
    expect(found).not.toContain('listGroups')
    expect(filter(sections(doc), 'no such thing anywhere')).toEqual([])
  })

  it('writes types and limits for people', () => {
    expect(typeLabel({ type: 'array', items: { $ref: '#/components/schemas/Group' } })).toBe('array of Group')
    expect(typeLabel({ type: ['string', 'null'], format: 'date-time' })).toBe('string (date-time) | null')
    expect(typeLabel({ type: 'object', additionalProperties: { type: 'string' } })).toBe('map of string')
    expect(constraints({ minimum: 1, maximum: 100, default: 25 })).toEqual(['1…100', 'default 25'])
    expect(constraints({ maxLength: 200, enum: ['a', 'b'] })).toEqual(['one of: "a", "b"', '≤ 200 chars'])
  })

  it('opens a field into the fields of the schema it refers to', () => {
    const schemas = doc.components?.schemas ?? {}
    const name = Object.keys(schemas).find((n) => Object.keys(schemas[n]?.properties ?? {}).length > 1)!
    expect(nested(doc, { $ref: `#/components/schemas/${name}` })).toBe(schemas[name])
    expect(nested(doc, { type: 'array', items: { $ref: `#/components/schemas/${name}` } })).toBe(schemas[name])
    expect(nested(doc, { type: 'string' })).toBeUndefined()
  })
})
