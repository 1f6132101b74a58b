import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError, call, client } from '@/api/client'
import type { LoginInput, Me, MeInput } from '@/api/types'
import { applyLocale, type Locale } from '@/i18n'
import { useReauth } from './reauth'

/** useSession holds what every view may need: whether setup is pending, the company, me. */
export const useSession = defineStore('session', () => {
  const loaded = ref(false)
  const unreachable = ref(false)
  const setupPending = ref(false)
  const company = ref('')
  /** The largest profile photo the server takes, in MiB. */
  const photoMaxMB = ref(10)
  const me = ref<Me | null>(null)
  /** The session ended on the server (expired, or signed out elsewhere); the sign-in page says so. */
  const expired = ref(false)

  /** signedIn starts using a session the server has just opened (sign-in, registration by invitation). */
  function signedIn(user: Me) {
    me.value = user
    expired.value = false
    applyLocale(user.locale)
  }

  async function load() {
    try {
      const boot = await call(() => client.GET('/bootstrap'))
      setupPending.value = boot.setupPending
      company.value = boot.company
      photoMaxMB.value = boot.photoMaxMB
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

  // Signing out twice is fine: a session the server no longer knows (401) is signed out already.
  async function logout() {
    try {
      await call(() => client.POST('/auth/logout'), { ownUnauthenticated: true })
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) throw e
    }
    me.value = null
  }

  /** end forgets the session the server no longer knows; it answers whether there was one. */
  function end(): boolean {
    if (!me.value) return false
    me.value = null
    expired.value = true
    // A password dialog open for that session has nothing left to confirm.
    useReauth().done(false)
    return true
  }

  // Before sign-in the choice stays on this device; after, it is remembered for the user too.
  async function setLocale(locale: Locale) {
    applyLocale(locale)
    if (me.value && me.value.locale !== locale) {
      me.value = await call(() => client.PATCH('/me', { body: { locale } }))
    }
  }

  /** saveProfile changes one's own profile; a language changed with it takes effect at once. */
  async function saveProfile(body: MeInput) {
    const user = await call(() => client.PATCH('/me', { body }))
    me.value = user
    applyLocale(user.locale)
  }

  return { loaded, unreachable, setupPending, company, photoMaxMB, me, expired, load, login, signedIn, setupFinished, logout, end, setLocale, saveProfile }
})
