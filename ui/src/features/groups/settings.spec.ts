import { describe, expect, it } from 'vitest'
import { allTools, sameSettings, settingsBody, settingsForm, toolsOn, type GroupSettings } from './settings'

const settings: GroupSettings = { tools: ['chat', 'feed', 'drive'], invitePolicy: 'moderators', externalTasks: 'involved' }

describe('settingsForm and settingsBody', () => {
  it('turn the tools into one switch each and back, in their order', () => {
    const form = settingsForm(settings)
    expect(form.tools).toEqual({ feed: true, tasks: false, drive: true, calendar: false, chat: true })
    expect(settingsBody(form)).toEqual({ tools: ['feed', 'drive', 'chat'], invitePolicy: 'moderators', externalTasks: 'involved' })
  })

  it('always sends all three settings, even with every tool off', () => {
    const form = settingsForm(settings)
    for (const tool of allTools) form.tools[tool] = false
    form.invitePolicy = 'members'
    form.externalTasks = 'all'
    expect(settingsBody(form)).toEqual({ tools: [], invitePolicy: 'members', externalTasks: 'all' })
  })

  it('leave the group’s settings as they are', () => {
    const form = settingsForm(settings)
    form.tools.tasks = true
    expect(settings.tools).toEqual(['chat', 'feed', 'drive'])
  })
})

describe('sameSettings and toolsOn', () => {
  it('ignore the order of the tools', () => {
    expect(sameSettings(settings, { ...settings, tools: ['feed', 'drive', 'chat'] })).toBe(true)
    expect(sameSettings(settings, { ...settings, tools: ['feed', 'drive'] })).toBe(false)
    expect(sameSettings(settings, { ...settings, invitePolicy: 'owner' })).toBe(false)
    expect(sameSettings(settings, { ...settings, externalTasks: 'all' })).toBe(false)
  })

  it('list the tools switched on in their order', () => {
    expect(toolsOn(settings)).toEqual(['feed', 'drive', 'chat'])
    expect(toolsOn({ ...settings, tools: [] })).toEqual([])
  })
})
