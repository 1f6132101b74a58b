import { usePagedList } from '@/composables/usePagedList'
import { listGroups } from './api'
import { groupsApiQuery, type GroupFilters } from './filters'

/** useGroupList keeps one page of groups loaded for the filters given. */
export const useGroupList = (filters: () => GroupFilters) => usePagedList(filters, groupsApiQuery, listGroups)
