import { defineStore } from 'pinia'
import { ref } from 'vue'

/** useReauth lets the client ask for the password again; ReauthDialog answers. */
export const useReauth = defineStore('reauth', () => {
  const open = ref(false)
  let pending: Promise<boolean> | undefined
  let settle: ((confirmed: boolean) => void) | undefined

  // Concurrent requests that all need the password share one dialog.
  function ask(): Promise<boolean> {
    pending ??= new Promise<boolean>((resolve) => {
      settle = resolve
      open.value = true
    })
    return pending
  }

  function done(confirmed: boolean) {
    open.value = false
    settle?.(confirmed)
    pending = settle = undefined
  }

  return { open, ask, done }
})
