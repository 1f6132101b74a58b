// A group's settings: which tools are on, who may invite, which tasks its external members see.
// The owner and administrators change them; the tools are stored now and enforced as they come.
import type { Group } from '@/api/types'

export type GroupSettings = Group['settings']
export type Tool = GroupSettings['tools'][number]
export type InvitePolicy = GroupSettings['invitePolicy']
export type ExternalTasks = GroupSettings['externalTasks']

/** Every tool, in the order the navigation and the settings show them. */
export const allTools: readonly Tool[] = ['feed', 'tasks', 'drive', 'calendar', 'chat']
export const invitePolicies: readonly InvitePolicy[] = ['owner', 'moderators', 'members']
export const externalTaskOptions: readonly ExternalTasks[] = ['all', 'involved']

/** The field names of the server's errors about the settings (body.settings.… without "body."). */
export const settingsFields = ['settings', 'settings.tools', 'settings.invitePolicy', 'settings.externalTasks'] as const

/** SettingsForm is what the settings dialog edits: one switch per tool. */
export interface SettingsForm {
  tools: Record<Tool, boolean>
  invitePolicy: InvitePolicy
  externalTasks: ExternalTasks
}

/** settingsForm fills the dialog from the group's settings. */
export function settingsForm(s: GroupSettings): SettingsForm {
  const on = new Set(s.tools)
  const tools = Object.fromEntries(allTools.map((tool) => [tool, on.has(tool)])) as Record<Tool, boolean>
  return { tools, invitePolicy: s.invitePolicy, externalTasks: s.externalTasks }
}

/** settingsBody is the settings as PATCH /groups/{id} takes them: all three, the tools in their order. */
export function settingsBody(f: SettingsForm): GroupSettings {
  return { tools: allTools.filter((tool) => f.tools[tool]), invitePolicy: f.invitePolicy, externalTasks: f.externalTasks }
}

/** sameSettings tells whether saving would change nothing (the order of the tools does not matter). */
export function sameSettings(a: GroupSettings, b: GroupSettings): boolean {
  const tools = (s: GroupSettings) => allTools.filter((tool) => s.tools.includes(tool)).join()
  return tools(a) === tools(b) && a.invitePolicy === b.invitePolicy && a.externalTasks === b.externalTasks
}

/** toolsOn lists the tools switched on, in their order. */
export function toolsOn(s: GroupSettings): Tool[] {
  return allTools.filter((tool) => s.tools.includes(tool))
}
