import {
  mdiAccountGroupOutline,
  mdiCalendarMonthOutline,
  mdiCardAccountDetailsOutline,
  mdiCheckboxMarkedOutline,
  mdiFolderOutline,
  mdiForumOutline,
  mdiNewspaperVariantOutline,
} from '@mdi/js'

/** The collaboration sections of the navigation, in their order. */
export const sections = ['feed', 'groups', 'tasks', 'drive', 'calendar', 'chat', 'people'] as const
export type Section = (typeof sections)[number]

export const sectionIcons: Record<Section, string> = {
  feed: mdiNewspaperVariantOutline,
  groups: mdiAccountGroupOutline,
  tasks: mdiCheckboxMarkedOutline,
  drive: mdiFolderOutline,
  calendar: mdiCalendarMonthOutline,
  chat: mdiForumOutline,
  people: mdiCardAccountDetailsOutline,
}
