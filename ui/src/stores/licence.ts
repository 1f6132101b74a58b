import { defineStore } from 'pinia'
import { ref } from 'vue'
import { getLicence, type LicenceInfo } from '@/features/licence/api'

/**
 * useLicence holds the licence and seats for the administrators' banner: asked once per
 * session (per administrator signed in), and replaced whenever Admin → Licence learns more.
 */
export const useLicence = defineStore('licence', () => {
  const info = ref<LicenceInfo>()
  let askedFor = ''

  /** load asks the server once for the administrator userId; a failure is asked again next time. */
  async function load(userId: string) {
    if (askedFor === userId) return
    askedFor = userId
    info.value = undefined
    try {
      info.value = await getLicence()
    } catch {
      // The banner is a courtesy: without an answer it stays away, and Admin → Licence says why.
      askedFor = ''
    }
  }

  function set(value: LicenceInfo) {
    info.value = value
  }

  return { info, load, set }
})
