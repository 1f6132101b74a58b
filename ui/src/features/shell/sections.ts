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

/** The sections not built yet: each shows a placeholder. */
const built = ['groups', 'tasks', 'drive', 'people'] as const
export const soonSections = sections.filter((s): s is Exclude<Section, (typeof built)[number]> => !(built as readonly string[]).includes(s))
export type SoonSection = (typeof soonSections)[number]

export const sectionIcons: Record<Section, string> = {
  feed: mdiNewspaperVariantOutline,
  groups: mdiAccountGroupOutline,
  tasks: mdiCheckboxMarkedOutline,
  drive: mdiFolderOutline,
  calendar: mdiCalendarMonthOutline,
  chat: mdiForumOutline,
  people: mdiCardAccountDetailsOutline,
}
