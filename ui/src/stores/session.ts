import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, call, client, sessionStarted } from '@/api/client'
import type { LoginInput, Me, MeInput, TwoFactorInput } from '@/api/types'
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
    sessionStarted()
    me.value = user
    expired.value = false
    // Viewing as someone, the administrator keeps her own language.
    if (!user.viewedBy) applyLocale(user.locale)
  }

  /**
   * viewAs turns this session into an administrator's read-only view as an external user
   * (docs/view-as.md); stopViewing turns it back. Each reloads who is signed in.
   */
  async function viewAs(id: string) {
    await call(() => client.POST('/people/{id}/view-as', { params: { path: { id } } }))
    await load()
  }
  async function stopViewing() {
    await call(() => client.DELETE('/me/view-as'))
    await load()
  }
  /** viewing is the administrator's view as someone, if this session is one. */
  const viewing = computed(() => me.value?.viewedBy)

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

  /**
   * login sends the password. It resolves 'second-factor' when the server asks for a code
   * (the person has two-factor): verifySecondFactor then finishes the sign-in.
   */
  async function login(body: LoginInput): Promise<'signed-in' | 'second-factor'> {
    try {
      signedIn(await call(() => client.POST('/auth/login', { body }), { ownUnauthenticated: true }))
      return 'signed-in'
    } catch (e) {
      if (e instanceof ApiError && e.code === 'second_factor_required') return 'second-factor'
      throw e
    }
  }

  /** verifySecondFactor finishes a sign-in with a code or a recovery code. */
  async function verifySecondFactor(body: TwoFactorInput) {
    signedIn(await call(() => client.POST('/auth/two-factor', { body }), { ownUnauthenticated: true }))
  }

  /** mustEnrol: the policy requires two-factor of me and it is not on yet. */
  const mustEnrol = computed(() => !!me.value && me.value.twoFactor.required && !me.value.twoFactor.enabled)

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
    // Before enrolling, a person who must has nothing open but enrolment: the choice stays on this device.
    if (me.value && me.value.locale !== locale && !mustEnrol.value && !me.value.viewedBy) {
      me.value = await call(() => client.PATCH('/me', { body: { locale } }))
    }
  }

  /** saveProfile changes one's own profile; a language changed with it takes effect at once. */
  async function saveProfile(body: MeInput) {
    const user = await call(() => client.PATCH('/me', { body }))
    me.value = user
    applyLocale(user.locale)
  }

  return {
    loaded, unreachable, setupPending, company, photoMaxMB, me, expired, mustEnrol, load, login, verifySecondFactor, signedIn,
    setupFinished, logout, end, setLocale, saveProfile, viewAs, stopViewing, viewing,
  }
})
