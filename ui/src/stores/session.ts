import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, client } from '@/api/client'
import type { LoginInput, Me } from '@/api/types'
import { applyLocale, type Locale } from '@/i18n'

/** useSession holds what every view may need: whether setup is pending, the company, me. */
export const useSession = defineStore('session', () => {
  const loaded = ref(false)
  const unreachable = ref(false)
  const setupPending = ref(false)
  const company = ref('')
  const me = ref<Me | null>(null)

  function signedIn(user: Me) {
    me.value = user
    applyLocale(user.locale)
  }

  async function load() {
    try {
      const boot = await call(() => client.GET('/bootstrap'))
      setupPending.value = boot.setupPending
      company.value = boot.company
      if (boot.user) signedIn(boot.user)
      unreachable.value = false
    } catch {
      unreachable.value = true
    }
    loaded.value = true
  }

  async function login(body: LoginInput) {
    signedIn(await call(() => client.POST('/auth/login', { body })))
  }

  function setupFinished(admin: Me, companyName: string) {
    setupPending.value = false
    company.value = companyName
    signedIn(admin)
  }

  async function logout() {
    await call(() => client.POST('/auth/logout'))
    me.value = null
  }

  // Before sign-in the choice stays on this device; after, it is remembered for the user too.
  async function setLocale(locale: Locale) {
    applyLocale(locale)
    if (me.value && me.value.locale !== locale) {
      me.value = await call(() => client.PATCH('/me', { body: { locale } }))
    }
  }

  return { loaded, unreachable, setupPending, company, me, load, login, setupFinished, logout, setLocale }
})
