// Reads the server's OpenAPI 3.1 document into what the API reference page shows: the
// operations grouped by tag, and each schema as rows a person can read. Only the parts of
// JSON Schema that huma writes are understood; anything else still shows its type.

export interface Schema {
  $ref?: string
  type?: string | string[]
  format?: string
  description?: string
  enum?: unknown[]
  items?: Schema
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
  required?: string[]
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  default?: unknown
  readOnly?: boolean
  oneOf?: Schema[]
  anyOf?: Schema[]
}

interface MediaType {
  schema?: Schema
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: Schema
}

interface RawOperation {
  operationId: string
  summary?: string
  description?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, MediaType> }
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>
  security?: Record<string, string[]>[]
}

export interface SecurityScheme {
  type: string
  scheme?: string
  in?: string
  name?: string
  description?: string
}

export interface Document {
  info: { title: string; version: string; description?: string }
  servers?: { url: string }[]
  paths: Record<string, Record<string, RawOperation>>
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, SecurityScheme> }
  security?: Record<string, string[]>[]
}

export interface Operation {
  id: string
  method: string
  path: string
  summary: string
  description: string
  parameters: Parameter[]
  body?: { required: boolean; type: string; schema: Schema }
  responses: { status: string; description: string; schema?: Schema }[]
  /** The security schemes that may call it; empty when it needs none. */
  security: string[]
}

export interface Section {
  tag: string
  operations: Operation[]
}

const methods = ['get', 'post', 'put', 'patch', 'delete']

function firstContent(content?: Record<string, MediaType>): { type: string; schema?: Schema } | undefined {
  const type = content && Object.keys(content)[0]
  return type ? { type, schema: content[type]?.schema } : undefined
}

/** The operations of doc by tag, in the document's path order; untagged ones last. */
export function sections(doc: Document): Section[] {
  const byTag = new Map<string, Operation[]>()
  const defaultSecurity = doc.security ?? []
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of methods) {
      const raw = item[method]
      if (!raw) continue
      const body = firstContent(raw.requestBody?.content)
      const op: Operation = {
        id: raw.operationId,
        method: method.toUpperCase(),
        path,
        summary: raw.summary ?? raw.operationId,
        description: raw.description ?? '',
        parameters: raw.parameters ?? [],
        body: body?.schema && { required: raw.requestBody?.required ?? false, type: body.type, schema: body.schema },
        responses: Object.entries(raw.responses ?? {}).map(([status, r]) => ({
          status,
          description: r.description ?? '',
          schema: firstContent(r.content)?.schema,
        })),
        security: [...new Set((raw.security ?? defaultSecurity).flatMap((s) => Object.keys(s)))],
      }
      const tag = raw.tags?.[0] ?? ''
      byTag.set(tag, [...(byTag.get(tag) ?? []), op])
    }
  }
  return [...byTag.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([tag, operations]) => ({ tag, operations }))
}

/** The operations whose path, summary or id contain every word of query (any case). */
export function filter(all: Section[], query: string): Section[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean)
  if (!words.length) return all
  return all
    .map((s) => ({
      tag: s.tag,
      operations: s.operations.filter((op) => {
        const text = `${op.method} ${op.path} ${op.summary} ${op.id}`.toLocaleLowerCase()
        return words.every((w) => text.includes(w))
      }),
    }))
    .filter((s) => s.operations.length)
}

/** The name a $ref points at: "#/components/schemas/Group" → "Group". */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1)
}

/** The schema itself, following one $ref into the document's components. */
export function resolve(doc: Document, schema: Schema): Schema {
  return schema.$ref ? (doc.components?.schemas?.[refName(schema.$ref)] ?? {}) : schema
}

/** A short type for people: "string (date-time)", "array of Group", "integer", "one of …". */
export function typeLabel(schema: Schema): string {
  if (schema.$ref) return refName(schema.$ref)
  const alternatives = schema.oneOf ?? schema.anyOf
  if (alternatives) return alternatives.map(typeLabel).join(' | ')
  const types = (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []).filter((t) => t !== 'null')
  const nullable = Array.isArray(schema.type) && schema.type.includes('null')
  let label = types.join(' | ') || 'any'
  if (types.length === 1 && types[0] === 'array') label = `array of ${schema.items ? typeLabel(schema.items) : 'any'}`
  else if (types.length === 1 && types[0] === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    label = `map of ${typeLabel(schema.additionalProperties)}`
  }
  if (schema.format) label += ` (${schema.format})`
  return nullable ? `${label} | null` : label
}

/** The limits a value must keep, written compactly: "1…100", "≤ 200 chars", "one of: a, b". */
export function constraints(schema: Schema): string[] {
  const out: string[] = []
  if (schema.enum) out.push(`one of: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`)
  const range = (min?: number, max?: number, unit = '') =>
    min !== undefined && max !== undefined ? `${min}…${max}${unit}` : min !== undefined ? `≥ ${min}${unit}` : max !== undefined ? `≤ ${max}${unit}` : ''
  for (const r of [range(schema.minimum, schema.maximum), range(schema.minLength, schema.maxLength, ' chars'), range(schema.minItems, schema.maxItems, ' items')]) {
    if (r) out.push(r)
  }
  if (schema.pattern) out.push(`pattern ${schema.pattern}`)
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`)
  return out
}

/** The schema a row's value opens into (its properties, or its items' properties), if any. */
export function nested(doc: Document, schema: Schema): Schema | undefined {
  const target = schema.type === 'array' && schema.items ? schema.items : schema
  const resolved = resolve(doc, target)
  if (resolved.properties && Object.keys(resolved.properties).length) return resolved
  return undefined
}
