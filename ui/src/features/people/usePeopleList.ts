import { usePagedList } from '@/composables/usePagedList'
import { listPeople } from './api'
import { apiQuery, type PeopleFilters } from './filters'

/** usePeopleList keeps one page of the directory loaded for the filters given. */
export const usePeopleList = (filters: () => PeopleFilters) => usePagedList(filters, apiQuery, listPeople)
