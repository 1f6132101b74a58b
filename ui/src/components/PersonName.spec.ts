// Stand-ins for Vuetify's components and an empty route are components of their own.
/* eslint-disable vue/one-component-per-file */
import { describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import PersonName from './PersonName.vue'

// Vuetify's components bring their stylesheets, which Node cannot load: plain stand-ins that
// show what they were given are enough to see what the name renders.
const { stub } = vi.hoisted(() => ({
  stub: (tag: string, cls: string) =>
    defineComponent({
      inheritAttrs: false,
      setup: (_, { attrs, slots }) => () => h(tag, { class: cls, 'data-color': attrs.color }, slots.default?.()),
    }),
}))
vi.mock('vuetify/components/VAvatar', () => ({ VAvatar: stub('span', 'v-avatar') }))
vi.mock('vuetify/components/VIcon', () => ({ VIcon: stub('i', 'v-icon') }))

async function render(props: Record<string, unknown>) {
  const el = document.createElement('div')
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
  createApp({ render: () => h(PersonName, props) }).use(i18n).use(router).mount(el)
  await router.isReady()
  return el
}

const anna = { id: 'u123', name: 'Anna Petrova', kind: 'employee', photo: '/api/v1/people/u123/photo' } as const

describe('PersonName', () => {
  i18n.global.locale.value = 'en'

  it('shows a person the viewer may not see as "Hidden user": no link, no id, no photo', async () => {
    const el = await render({ person: null, link: true, avatar: 32 })
    expect(el.textContent?.trim()).toBe('Hidden user')
    expect(el.querySelector('a')).toBeNull()
    expect(el.querySelector('img')).toBeNull()
    expect(el.innerHTML).not.toContain('u123')
    // A neutral avatar, not the colours of an employee or an external user.
    expect(el.querySelector('.v-avatar')?.getAttribute('data-color')).toBe('grey')
  })

  it('says "Hidden user" in Russian too', async () => {
    i18n.global.locale.value = 'ru'
    const el = await render({ person: null })
    expect(el.textContent?.trim()).toBe('Скрытый пользователь')
    i18n.global.locale.value = 'en'
  })

  it('links a visible person to their profile when asked', async () => {
    const el = await render({ person: anna, link: true })
    const a = el.querySelector('a')
    expect(a?.getAttribute('href')).toBe('/people/u123')
    expect(a?.textContent).toBe('Anna Petrova')
    expect((await render({ person: anna })).querySelector('a')).toBeNull()
  })

  it('marks an external user, by the person or by name and kind', async () => {
    for (const props of [{ person: { ...anna, kind: 'external' } }, { name: 'Anna Petrova', kind: 'external' }]) {
      const el = await render(props)
      expect(el.querySelector('.person-name--external')).not.toBeNull()
      expect(el.textContent).toContain('(external user)')
    }
    const el = await render({ name: 'Anna Petrova', kind: 'employee' })
    expect(el.querySelector('.person-name--external')).toBeNull()
    expect(el.textContent?.trim()).toBe('Anna Petrova')
  })
})
