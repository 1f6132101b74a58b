import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useListPage } from '@/composables/useListPage'
import { listPeople } from './api'
import { apiQuery, expiringDays, isFiltered, people, unfiltered, type PeopleFilters } from './filters'

/**
 * usePeopleBrowser is a page of people whose search, filters and page live in the address
 * of the route named routeName: the directory, and the administrators' list of accounts.
 */
export function usePeopleBrowser(routeName: string, admin: () => boolean, external: () => boolean) {
  const { t } = useI18n()
  const list = useListPage({
    state: people,
    route: routeName,
    ignore: () => unfiltered(admin(), external()),
    ask: apiQuery,
    fetch: listPeople,
    isSearch: isFiltered,
    clear: { kind: '', active: '' } satisfies Partial<PeopleFilters>,
  })
  const kinds = computed(() => [
    { value: 'all', title: t('people.kindAll') },
    { value: 'employee', title: t('people.kindEmployee') },
    { value: 'external', title: t('people.kindExternal') },
  ])
  const statuses = computed(() => [
    { value: 'all', title: t('people.statusAll') },
    { value: 'true', title: t('people.statusActive') },
    { value: 'false', title: t('people.statusDeactivated') },
    { value: 'expiring', title: t('people.statusExpiring', { days: expiringDays }) },
  ])
  return { ...list, kind: list.field('kind', 'all'), kinds, active: list.field('active', 'all'), statuses }
}

export type PeopleBrowser = ReturnType<typeof usePeopleBrowser>
