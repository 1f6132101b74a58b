import { defineStore } from 'pinia'
import { ref } from 'vue'

/** Toast is one message of the global snackbar queue. */
export interface Toast {
  text: string
  color: 'error' | 'success'
}

/** useNotify feeds the global snackbar: errors that belong to no field, and confirmations. */
export const useNotify = defineStore('notify', () => {
  const queue = ref<Toast[]>([])
  const push = (text: string, color: Toast['color']) => {
    queue.value = [...queue.value, { text, color }]
  }
  return {
    queue,
    error: (text: string) => push(text, 'error'),
    success: (text: string) => push(text, 'success'),
  }
})
