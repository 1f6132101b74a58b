import { ref } from 'vue'
import { asApiError } from '@/api/client'
import { useNotify } from '@/stores/notify'

interface SubmitOptions {
  /** Fields the form shows; a field error for any other name goes to the toast. */
  fields?: readonly string[]
  /** Show an error that belongs to no field in the form (formError) instead of a toast. */
  inline?: boolean
}

/**
 * useSubmit runs a form's API call and routes its errors: field errors next to their
 * fields, anything else inline or to the global toast. run resolves true on success.
 */
export function useSubmit(options: SubmitOptions = {}) {
  const notify = useNotify()
  const busy = ref(false)
  const fields = ref<Record<string, string>>({})
  const formError = ref('')

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    busy.value = true
    fields.value = {}
    formError.value = ''
    try {
      await action()
      return true
    } catch (e) {
      const err = asApiError(e)
      if (err.handled) return false
      const shown: Record<string, string> = {}
      const other: string[] = []
      for (const [name, message] of Object.entries(err.fields)) {
        if (!options.fields || options.fields.includes(name)) shown[name] = message
        else other.push(message)
      }
      fields.value = shown
      if (Object.keys(shown).length === 0 || other.length > 0) {
        const message = [err.detail, ...other].join(' ')
        if (options.inline) formError.value = message
        else notify.error(message)
      }
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, fields, formError, run }
}
