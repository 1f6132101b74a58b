import { describe, expect, it } from 'vitest'
import { canHoldTasks } from './taskGroups'

const settings = (tools: ('feed' | 'tasks')[]) => ({ tools, invitePolicy: 'owner' as const, externalTasks: 'involved' as const })

describe('canHoldTasks', () => {
  it('takes my active groups with the Tasks tool on', () => {
    expect(canHoldTasks({ myState: 'active', archived: false, settings: settings(['feed', 'tasks']) })).toBe(true)
  })

  it('refuses a group without the tool, archived, or not mine yet', () => {
    expect(canHoldTasks({ myState: 'active', archived: false, settings: settings(['feed']) })).toBe(false)
    expect(canHoldTasks({ myState: 'active', archived: true, settings: settings(['tasks']) })).toBe(false)
    expect(canHoldTasks({ myState: 'invited', archived: false, settings: settings(['tasks']) })).toBe(false)
  })
})
