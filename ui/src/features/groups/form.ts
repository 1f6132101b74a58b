// The create and edit form of a group, and what it sends.
import type { Group, GroupCreateInput, GroupEditInput } from '@/api/types'

export interface GroupForm {
  name: string
  description: string
  kind: Group['kind']
  visibility: Group['visibility']
  archived: boolean
  /** The topic's id; '' for none. */
  topicId: string
}

export const emptyGroupForm: GroupForm = { name: '', description: '', kind: 'internal', visibility: 'open', archived: false, topicId: '' }

export const groupFormFields = ['name', 'description', 'kind', 'visibility', 'archived', 'topicId'] as const

export function formOf(group: Group): GroupForm {
  return {
    name: group.name,
    description: group.description,
    kind: group.kind,
    visibility: group.visibility,
    archived: group.archived,
    topicId: group.topicId,
  }
}

/** createBody is POST /groups: an extranet group is always secret, so it names no visibility; no topic, no topicId. */
export function createBody(f: GroupForm): GroupCreateInput {
  const body: GroupCreateInput = { name: f.name.trim(), description: f.description.trim(), kind: f.kind }
  if (f.kind === 'internal') body.visibility = f.visibility
  if (f.topicId) body.topicId = f.topicId
  return body
}

/**
 * editBody is PATCH /groups/{id} with what changed. Kind, visibility and archiving are sent only
 * by those who govern the group (owner, administrators); moderators change name, description and
 * topic ('' takes the topic away).
 */
export function editBody(before: Group, f: GroupForm, govern: boolean): GroupEditInput {
  const body: GroupEditInput = {}
  const name = f.name.trim()
  const description = f.description.trim()
  if (name !== before.name) body.name = name
  if (description !== before.description) body.description = description
  if (f.topicId !== before.topicId) body.topicId = f.topicId
  if (!govern) return body
  if (f.kind !== before.kind) body.kind = f.kind
  if (f.kind === 'internal' && (f.visibility !== before.visibility || f.kind !== before.kind)) body.visibility = f.visibility
  if (f.archived !== before.archived) body.archived = f.archived
  return body
}
