// The groups a new task can belong to: those I am an active member of, not archived, with the
// Tasks tool on (the server refuses the others).
import type { Group } from '@/api/types'
import { listGroups } from '@/features/groups/api'

/** canHoldTasks tells a group where I may add a task. */
export function canHoldTasks(g: Pick<Group, 'myState' | 'archived' | 'settings'>): boolean {
  return g.myState === 'active' && !g.archived && g.settings.tools.includes('tasks')
}

/** listTaskGroups pages through my groups (a hundred at a time) and keeps those that take tasks. */
export async function listTaskGroups(): Promise<Group[]> {
  const perPage = 100
  const all: Group[] = []
  for (let page = 1; ; page++) {
    const answer = await listGroups({ scope: 'mine', page, perPage })
    const items = answer.items ?? []
    all.push(...items.filter(canHoldTasks))
    if (items.length < perPage || page * perPage >= answer.total) return all
  }
}
